// Which destinations an event goes to: the routes of config, evaluated once at ingest.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"

namespace hookgate::verify {
class JsonBody;
}

namespace hookgate::gateway {

// Shell-style glob on event types: '*' matches any run of characters (dots included),
// '?' one character; everything else literally. "invoice.*" matches "invoice.paid".
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

class RouteTable {
 public:
  explicit RouteTable(const config::Config& config);

  // Destination names for an event of `source` with `event_type` (may be empty) and raw
  // `body`, each once, in config order. `body_padded`: the body's buffer has 64 readable bytes
  // past its end (see verify::Request), so JSON filters parse it in place.
  [[nodiscard]] std::vector<std::string> destinations_for(std::string_view source, std::string_view event_type,
                                                          std::string_view body = {},
                                                          bool body_padded = false) const;
  // The same, with JSON filters reading the request's shared parse of its body.
  [[nodiscard]] std::vector<std::string> destinations_for(std::string_view source, std::string_view event_type,
                                                          verify::JsonBody& body) const;

 private:
  struct Route {
    std::vector<std::string> event_types;  // empty = all
    std::vector<config::BodyCondition> body;
    std::vector<std::string> to;
  };
  struct NameHash {  // lookups by string_view, without building a std::string
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, std::vector<Route>, NameHash, std::equal_to<>> by_source_;
};

}  // namespace hookgate::gateway
