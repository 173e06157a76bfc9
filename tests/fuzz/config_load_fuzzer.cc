// Config loading (config::load_config_text): YAML text → a validated Config or every error.
// The input is the YAML text itself, so examples/*.yaml are seeds as they are.
//
// Properties: load never throws (an escaping exception aborts the run); the result is either
// a config or a non-empty list of errors, each with a message; an error never shows the value
// of a ${NAME} substitution (every variable resolves to a canary that no error may contain);
// a loaded config is whole: listeners, a storage path, a verifier for every source, routes
// that name existing sources and destinations, a signer exactly for signed destinations.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "fuzz_input.h"

namespace {

constexpr std::string_view kCanary = "Zq9CanarySecret";

std::optional<std::string> canary_environment(const std::string& name) {
  // One name stays unset, so that "not set" errors are reached too.
  if (name == "UNSET") return std::nullopt;
  return std::string(kCanary) + "_" + name;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Relative paths stay relative (base_dir ""); nothing is opened but `file:` secrets.
  const config::LoadResult result = config::load_config_text(text, "fuzz.yaml", "", &canary_environment);

  HOOKGATE_FUZZ_CHECK((result.config != nullptr) != !result.errors.empty());
  const bool canary_in_input = text.find("Canary") != std::string::npos;
  for (const config::ConfigError& error : result.errors) {
    HOOKGATE_FUZZ_CHECK(!error.message.empty());
    HOOKGATE_FUZZ_CHECK(error.line >= 0 && error.column >= 0);
    const std::string shown = error.to_string();
    HOOKGATE_FUZZ_CHECK(shown.starts_with(error.file));
    if (!canary_in_input) HOOKGATE_FUZZ_CHECK(shown.find(kCanary) == std::string::npos);
  }
  if (!result.config) return 0;

  const config::Config& c = *result.config;
  HOOKGATE_FUZZ_CHECK(!c.server.listen.empty());
  HOOKGATE_FUZZ_CHECK(!c.storage.path.empty());
  HOOKGATE_FUZZ_CHECK(c.server.max_body >= 1 && c.server.max_headers >= 1);
  for (const config::SourceConfig& source : c.sources) {
    HOOKGATE_FUZZ_CHECK(source.verifier != nullptr);
    HOOKGATE_FUZZ_CHECK(!source.path.empty() && source.path.front() == '/');
    HOOKGATE_FUZZ_CHECK(c.source_by_name(source.name) == &source);
  }
  for (const config::DestinationConfig& destination : c.destinations) {
    HOOKGATE_FUZZ_CHECK((destination.signer != nullptr) == !destination.sign_secret.empty());
    HOOKGATE_FUZZ_CHECK(!destination.endpoint.host.empty() && !destination.endpoint.target.empty());
    HOOKGATE_FUZZ_CHECK(c.destination_by_name(destination.name) == &destination);
  }
  for (const config::RouteConfig& route : c.routes) {
    HOOKGATE_FUZZ_CHECK(c.source_by_name(route.from) != nullptr);
    for (const std::string& to : route.to) HOOKGATE_FUZZ_CHECK(c.destination_by_name(to) != nullptr);
  }
  return 0;
}
