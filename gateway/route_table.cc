#include "gateway/route_table.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>

namespace hookgate::gateway {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

// The parsed body for body conditions; parsing only happens when a route has some.
class JsonBody {
 public:
  JsonBody(std::string_view body, bool padded) : body_(body), padded_(padded) {}

  // nullopt: absent (or the body is not JSON); "" with exists = true: an object or array.
  struct Lookup {
    bool exists = false;
    std::optional<std::string> scalar;
  };
  Lookup at(const std::string& pointer) {
    Lookup result;
    if (!ready()) return result;
    auto value = document_.at_pointer(pointer);
    if (value.error()) return result;
    result.exists = true;
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) return result;
    switch (type) {
      case simdjson::ondemand::json_type::string: {
        std::string_view text;
        if (!value.get_string().get(text)) result.scalar = std::string(text);
        break;
      }
      case simdjson::ondemand::json_type::number:
      case simdjson::ondemand::json_type::boolean:
      case simdjson::ondemand::json_type::null: {
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
          raw.remove_suffix(1);
        }
        result.scalar = std::string(raw);
        break;
      }
      default:
        break;
    }
    return result;
  }

 private:
  bool ready() {
    if (state_ == State::unparsed) {
      simdjson::padded_string_view view;
      if (padded_) {
        view = simdjson::padded_string_view(body_.data(), body_.size(), body_.size() + simdjson::SIMDJSON_PADDING);
      } else {
        copy_ = simdjson::padded_string(body_);
        view = copy_;
      }
      state_ = parser_.iterate(view).get(document_) ? State::invalid : State::parsed;
    }
    return state_ == State::parsed;
  }

  enum class State { unparsed, parsed, invalid };
  std::string_view body_;
  bool padded_;
  State state_ = State::unparsed;
  simdjson::padded_string copy_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document document_;
};

bool holds(const config::BodyCondition& condition, JsonBody& body) {
  const JsonBody::Lookup found = body.at(condition.pointer);
  switch (condition.kind) {
    case config::BodyCondition::Kind::exists: return found.exists;
    case config::BodyCondition::Kind::absent: return !found.exists;
    case config::BodyCondition::Kind::equals:
      return found.scalar && std::find(condition.values.begin(), condition.values.end(), *found.scalar) !=
                                 condition.values.end();
  }
  return false;
}

}  // namespace

RouteTable::RouteTable(const config::Config& config) {
  for (const auto& route : config.routes) {
    by_source_[route.from].push_back(Route{route.event_types, route.body, route.to});
  }
}

std::vector<std::string> RouteTable::destinations_for(std::string_view source, std::string_view event_type,
                                                      std::string_view body, bool body_padded) const {
  std::vector<std::string> out;
  const auto it = by_source_.find(std::string(source));
  if (it == by_source_.end()) return out;
  std::optional<JsonBody> json;
  for (const Route& route : it->second) {
    const bool type_matches = route.event_types.empty() ||
        std::any_of(route.event_types.begin(), route.event_types.end(),
                    [&](const std::string& glob) { return glob_match(glob, event_type); });
    if (!type_matches) continue;
    if (!route.body.empty()) {
      if (!json) json.emplace(body, body_padded);
      if (!std::all_of(route.body.begin(), route.body.end(),
                       [&](const config::BodyCondition& c) { return holds(c, *json); })) {
        continue;
      }
    }
    for (const std::string& name : route.to) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

}  // namespace hookgate::gateway
