// routes: which source's events go to which destinations, optionally filtered
// (filter_section.cc).
#include <algorithm>
#include <utility>

#include "config/sections.h"

namespace hookgate::config::detail {

void parse_routes(const Value& section, const Config& config, std::vector<RouteConfig>& out) {
  for (const auto& item : section.items()) {
    MapReader map(item);
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
    if (auto v = map.get("filter")) route.filter = parse_filter(*v);
    if (auto v = map.get("transform")) {
      route.transform = load_transform(*v, config.transform_limits);
      // A delivery knows its source and destination, not which route made it: one script each.
      for (const RouteConfig& earlier : out) {
        if (!earlier.transform || !route.transform || earlier.from != route.from) continue;
        for (const std::string& destination : route.to) {
          if (std::find(earlier.to.begin(), earlier.to.end(), destination) != earlier.to.end()) {
            v->error("another route already transforms " + route.from + " events to " + destination +
                     " (one transform per source and destination: branch on event.type in one script)");
            break;
          }
        }
      }
    }
    out.push_back(std::move(route));
  }
}

}  // namespace hookgate::config::detail
