// Which destinations an event goes to: the routes of config, evaluated once at ingest.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"

namespace hookgate::verify {
class JsonBody;
}

namespace hookgate::gateway::ingest {

class RouteTable {
 public:
  explicit RouteTable(const config::Config& config);

  // What the route filters see of one event (filter/filter.h).
  struct Event {
    std::string_view event_type;                 // may be empty
    std::span<const verify::HeaderView> headers;
    std::string_view query;                      // raw, without '?'
  };

  // Destination names for an event of `source`, each once, in config order. JSON filters
  // read the request's shared parse of its body.
  [[nodiscard]] std::vector<std::string> destinations_for(std::string_view source, const Event& event,
                                                          verify::JsonBody& body) const;
  // The same for an event with only a type and a raw `body`. `body_padded`: the body's buffer
  // has 64 readable bytes past its end (see verify::Request), so JSON filters parse it in place.
  [[nodiscard]] std::vector<std::string> destinations_for(std::string_view source, std::string_view event_type,
                                                          std::string_view body = {},
                                                          bool body_padded = false) const;

 private:
  struct Route {
    filter::Filter filter;
    std::vector<std::string> to;
  };
  struct NameHash {  // lookups by string_view, without building a std::string
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, std::vector<Route>, NameHash, std::equal_to<>> by_source_;
};

}  // namespace hookgate::gateway::ingest
