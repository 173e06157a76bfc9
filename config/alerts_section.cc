// alerts: which operational events are sent, to which destinations, in which format.
#include <algorithm>
#include <array>
#include <utility>

#include "config/sections.h"

namespace hookgate::config {
namespace {

// In AlertKind's order; the same names as the key table's choices (keys.cc).
constexpr std::array<std::string_view, kAlertKindCount> kKindNames{
    "circuit_opened", "circuit_closed", "destination_disabled", "delivery_dead", "source_rejections", "store_nearly_full"};

}  // namespace

std::string_view to_string(AlertKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

bool AlertTarget::wants(AlertKind kind) const { return on.empty() || std::find(on.begin(), on.end(), kind) != on.end(); }

namespace detail {

void parse_alerts(const Value& section, const Config& config, std::optional<AlertsConfig>& out) {
  MapReader map(section);
  if (!map.valid()) return;
  AlertsConfig alerts;
  if (auto send = map.require("send")) {
    if (!send->is_list()) send->error("expected a list of {to, format, on}");
    for (const auto& item : send->items()) {
      MapReader target_map(item);
      if (!target_map.valid()) continue;
      AlertTarget target;
      if (auto to = target_map.require("to")) {
        if (auto name = to->quotable_text()) {
          if (config.destination_by_name(name->value) == nullptr) {
            to->error("unknown destination " + name->shown);
          } else if (std::any_of(alerts.send.begin(), alerts.send.end(),
                                 [&](const AlertTarget& t) { return t.destination == name->value; })) {
            to->error("destination " + name->shown + " is listed twice");
          }
          target.destination = std::move(name->value);
        }
      }
      if (auto format = target_map.get("format")) {
        if (auto f = format->choice<AlertFormat>({{"json", AlertFormat::json}, {"slack", AlertFormat::slack}})) {
          target.format = *f;
        }
      }
      if (auto on = target_map.get("on")) {
        for (const auto& kind_value : on->items()) {
          const auto index = kind_value.one_of(kKindNames);
          if (!index) continue;
          const auto kind = static_cast<AlertKind>(*index);
          if (std::find(target.on.begin(), target.on.end(), kind) != target.on.end()) {
            kind_value.error("'" + std::string(kKindNames[*index]) + "' is listed twice");
            continue;
          }
          target.on.push_back(kind);
        }
        if (!on->is_list()) on->error("expected a list of alert kinds");
        else if (target.on.empty() && on->items().empty()) on->error("at least one alert kind (or leave `on` out: every kind)");
      }
      alerts.send.push_back(std::move(target));
    }
    if (send->is_list() && alerts.send.empty()) send->error("at least one destination to send alerts to");
  }
  if (auto rejections = map.get("rejections")) {
    MapReader r(*rejections);
    if (auto v = r.get("rate")) {
      if (auto p = v->percent()) {
        if (*p == 0) v->error("a rate of 0% would raise an alert on every request: give 1% to 100%");
        else alerts.rejection_percent = *p;
      }
    }
    if (auto v = r.get("window")) {
      if (auto d = v->duration()) alerts.rejection_window = *d;
    }
    if (auto v = r.get("min_requests")) {
      if (auto n = v->integer()) alerts.rejection_min_requests = static_cast<uint32_t>(*n);
    }
  }
  if (auto v = map.get("store_usage")) {
    if (auto p = v->percent()) {
      if (*p == 0) v->error("a usage of 0% would raise an alert at once: give 1% to 100%");
      else alerts.store_usage_percent = *p;
    }
  }
  if (auto v = map.get("repeat_after")) {
    if (auto d = v->duration()) alerts.repeat_after = *d;
  }
  out = std::move(alerts);
}

}  // namespace detail
}  // namespace hookgate::config
