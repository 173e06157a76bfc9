// routes: which source's events go to which destinations, optionally filtered by type.
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
    if (auto v = map.get("filter")) {
      MapReader filter(*v);
      if (auto conditions = filter.get("body")) {
        if (!conditions->is_list()) conditions->error("expected a list of {pointer, equals | in | exists}");
        for (const auto& condition_value : conditions->items()) {
          MapReader condition(condition_value);
          if (!condition.valid()) continue;
          BodyCondition parsed;
          if (auto pointer = condition.require("pointer")) {
            if (auto text = pointer->text()) {
              if (!text->empty() && text->front() != '/') {
                pointer->error("a JSON pointer starts with '/' (e.g. /data/object/currency)");
              }
              parsed.pointer = std::move(*text);
            }
          }
          const auto equals = condition.get("equals");
          const auto in = condition.get("in");
          const auto exists = condition.get("exists");
          if (static_cast<int>(equals.has_value()) + static_cast<int>(in.has_value()) + static_cast<int>(exists.has_value()) != 1) {
            condition_value.error("give exactly one of equals, in, exists");
            continue;
          }
          if (equals) {
            parsed.kind = BodyCondition::Kind::equals;
            if (auto text = equals->text()) parsed.values.push_back(std::move(*text));
          } else if (in) {
            parsed.kind = BodyCondition::Kind::equals;
            if (auto values = in->strings(/*allow_single=*/false)) parsed.values = std::move(*values);
            if (parsed.values.empty()) in->error("expected a non-empty list of values");
          } else if (auto flag = exists->choice<bool>({{"true", true}, {"false", false}})) {
            parsed.kind = *flag ? BodyCondition::Kind::exists : BodyCondition::Kind::absent;
          }
          route.body.push_back(std::move(parsed));
        }
      }
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
