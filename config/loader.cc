// load_config / load_config_text: YAML text → validated, immutable Config, or every error.
//
// yaml-cpp reports syntax errors by throwing; they are caught here and nowhere else, and
// turned into a ConfigError. Everything past parsing works on an in-memory tree through
// node_reader.h, which does not throw; a catch-all still guards the "never throws" contract.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/files.h"
#include "config/interpolate.h"
#include "config/node_reader.h"
#include "config/sections.h"

namespace hookgate::config {
namespace {

using detail::Context;
using detail::Diagnostics;
using detail::MapReader;
using detail::Value;

// A config file is hand-written; anything this large is a mistake.
constexpr std::size_t kMaxConfigBytes = 16 << 20;

LoadResult fail(Diagnostics& diagnostics) { return LoadResult{nullptr, diagnostics.take_sorted()}; }

// Where the documents of a YAML stream start, for at most two documents. Not YAML::LoadAll():
// in yaml-cpp 0.7 (Debian 12) it never returns on a stream the parser cannot get past, such as
// one starting with ',' (jbeder/yaml-cpp#1040): it appends empty documents until memory runs
// out. The parser then reports a "document" starting where the previous one did; that is
// `stuck`, and the walk stops there.
class DocumentWalk final : public YAML::EventHandler {
 public:
  // Throws YAML::ParserException on a syntax error anywhere in the first two documents.
  explicit DocumentWalk(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (documents_ < 2 && !stuck_ && parser.HandleNextDocument(*this)) {
    }
  }

  // The position of the second document's root node, when there is a second document.
  [[nodiscard]] const std::optional<YAML::Mark>& second_root() const { return second_root_; }
  // The position the parser cannot get past, when it is stuck.
  [[nodiscard]] std::optional<YAML::Mark> stuck_at() const {
    return stuck_ ? std::optional<YAML::Mark>(last_start_) : std::nullopt;
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_ > 0 && mark.pos <= last_start_.pos) {
      stuck_ = true;
      return;
    }
    last_start_ = mark;
    ++documents_;
    root_seen_ = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& mark) {
    if (root_seen_ || stuck_) return;
    root_seen_ = true;
    if (documents_ == 2) second_root_ = mark;
  }

  int documents_ = 0;
  bool stuck_ = false;
  bool root_seen_ = false;
  YAML::Mark last_start_;
  std::optional<YAML::Mark> second_root_;
};

LoadResult load_from_text(const std::string& text, const std::string& display_name,
                          const std::filesystem::path& base_dir, EnvLookup env) {
  Diagnostics diagnostics(display_name);
  YAML::Node document;
  std::optional<YAML::Mark> second_root;
  try {
    const DocumentWalk walk(text);
    if (const std::optional<YAML::Mark> stuck = walk.stuck_at()) {
      diagnostics.report(detail::position_of(*stuck), "", "YAML syntax error: cannot parse past this point");
      return fail(diagnostics);
    }
    second_root = walk.second_root();
    document = YAML::Load(text);  // the first document only
  } catch (const YAML::ParserException& e) {
    diagnostics.report(detail::position_of(e.mark), "", "YAML syntax error: " + e.msg);
    return fail(diagnostics);
  }
  if (second_root) {
    diagnostics.report(detail::position_of(*second_root), "",
                       "only one YAML document is allowed (found '---' starting another)");
  }

  Context context{diagnostics, env != nullptr ? env : &detail::process_environment, base_dir};
  const Value root(context, document, "", {}, keys::root());
  auto config = std::make_shared<Config>();
  config->file = display_name;

  const MapReader top(root);
  if (!top.valid()) return fail(diagnostics);

  // Sections in dependency order, not file order: routes name sources and destinations, admin
  // must not reuse a server address. Errors are sorted into file order at the end.
  detail::parse_server(top.get_or_null("server"), config->server);
  if (auto storage = top.require("storage")) detail::parse_storage(*storage, config->storage);
  if (auto log = top.get("log")) detail::parse_log(*log, config->log);
  if (auto admin = top.get("admin")) detail::parse_admin(*admin, config->server, config->admin);
  if (auto sources = top.get("sources")) detail::parse_sources(*sources, config->sources);
  if (auto transforms = top.get("transforms")) detail::parse_transforms(*transforms, config->transform_limits);
  if (auto destinations = top.get("destinations")) {
    detail::parse_destinations(*destinations, config->transform_limits, config->destinations);
  }
  if (auto routes = top.get("routes")) detail::parse_routes(*routes, *config, config->routes);
  for (DestinationConfig& destination : config->destinations) {
    for (const RouteConfig& route : config->routes) {
      const bool to_it = std::find(route.to.begin(), route.to.end(), destination.name) != route.to.end();
      if (route.transform && to_it) destination.route_transforms[route.from] = route.transform;
    }
  }
  if (auto alerts = top.get("alerts")) detail::parse_alerts(*alerts, *config, config->alerts);

  if (diagnostics.count() > 0) return fail(diagnostics);
  return LoadResult{std::move(config), {}};
}

// Guards the "never throws" contract of both entry points.
template <class F>
LoadResult never_throw(const std::string& display_name, F&& load) {
  std::string reason;
  try {
    return load();
  } catch (const YAML::Exception& e) {
    reason = std::string("internal error while reading YAML: ") + e.what();
  } catch (const std::bad_alloc&) {
    reason = "out of memory";
  } catch (const std::exception& e) {
    reason = std::string("internal error: ") + e.what();
  } catch (...) {
    reason = "internal error";
  }
  Diagnostics diagnostics(display_name);
  diagnostics.report({}, "", reason);
  return fail(diagnostics);
}

}  // namespace

LoadResult load_config(const std::string& path, EnvLookup env) {
  return never_throw(path, [&]() -> LoadResult {
    auto read = detail::read_file(path, kMaxConfigBytes);
    if (!read.content) {
      Diagnostics diagnostics(path);
      diagnostics.report({}, "", "cannot read file: " + read.error);
      return fail(diagnostics);
    }
    // Absolute, so that stored paths stay right if the process later changes directory.
    std::error_code ec;
    auto absolute = std::filesystem::absolute(std::filesystem::path(path), ec);
    const auto base_dir = ec ? std::filesystem::path(path).parent_path() : absolute.parent_path();
    return load_from_text(*read.content, path, base_dir.lexically_normal(), env);
  });
}

LoadResult load_config_text(const std::string& text, const std::string& display_name,
                            const std::string& base_dir, EnvLookup env) {
  return never_throw(display_name, [&]() -> LoadResult {
    return load_from_text(text, display_name, std::filesystem::path(base_dir), env);
  });
}

}  // namespace hookgate::config
