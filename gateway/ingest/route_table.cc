#include "gateway/ingest/route_table.h"

#include <algorithm>

#include "verify/json_body.h"

namespace hookgate::gateway::ingest {

RouteTable::RouteTable(const config::Config& config) {
  for (const auto& route : config.routes) {
    by_source_[route.from].push_back(Route{route.filter, route.to});
  }
}

std::vector<std::string> RouteTable::destinations_for(std::string_view source, std::string_view event_type,
                                                      std::string_view body, bool body_padded) const {
  verify::JsonBody json(body, body_padded);
  return destinations_for(source, Event{event_type, {}, {}}, json);
}

std::vector<std::string> RouteTable::destinations_for(std::string_view source, const Event& event,
                                                      verify::JsonBody& body) const {
  std::vector<std::string> out;
  const auto it = by_source_.find(source);
  if (it == by_source_.end()) return out;
  // One Input for every route: the query is decoded once, the body parsed at most once.
  filter::Input input(event.event_type, event.headers, event.query, body);
  for (const Route& route : it->second) {
    if (!route.filter.matches(input)) continue;
    for (const std::string& name : route.to) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

}  // namespace hookgate::gateway::ingest
