// routes: which source's events go to which destinations, optionally filtered by type.
#include <algorithm>
#include <utility>

#include "config/sections.h"

namespace hookgate::config::detail {

void parse_routes(const Value& section, const Config& config, std::vector<RouteConfig>& out) {
  for (const auto& item : section.items()) {
    MapReader map(item, {"from", "to", "filter"});
    if (!map.valid()) continue;
    RouteConfig route;
    if (auto v = map.require("from")) {
      if (auto from = v->quotable_text()) {
        if (config.source_by_name(from->value) == nullptr) {
          v->error("unknown source " + from->shown);
        }
        route.from = std::move(from->value);
      }
    }
    if (auto v = map.require("to")) {
      // A single name is short for a list of one.
      std::vector<Value> names;
      if (v->is_scalar()) {
        names.push_back(*v);
      } else {
        names = v->items();
        if (names.empty() && (v->is_list() || v->is_null())) v->error("at least one destination is required");
      }
      for (const auto& name_value : names) {
        auto name = name_value.quotable_text();
        if (!name) continue;
        if (config.destination_by_name(name->value) == nullptr) {
          name_value.error("unknown destination " + name->shown);
        } else if (std::find(route.to.begin(), route.to.end(), name->value) != route.to.end()) {
          name_value.error("destination " + name->shown + " is listed twice");
        }
        route.to.push_back(std::move(name->value));
      }
    }
    if (auto v = map.get("filter")) {
      MapReader filter(*v, {"event_type"});
      if (auto types = filter.get("event_type")) {
        if (auto globs = types->strings(/*allow_single=*/true)) {
          // An empty glob would match nothing while looking like "no filter".
          if (std::any_of(globs->begin(), globs->end(), [](const std::string& g) { return g.empty(); })) {
            types->error("event type patterns must not be empty");
          } else if (types->is_list() && globs->empty()) {
            types->error("expected at least one event type pattern (remove `filter` to route every event)");
          } else {
            route.event_types = std::move(*globs);
          }
        }
      }
    }
    out.push_back(std::move(route));
  }
}

}  // namespace hookgate::config::detail
