// Operational alerts (config `alerts:`): what happened, and the two bodies it is sent as.
// Pure: the time is passed in.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"

namespace hookgate::gateway::alerts {

// The source alert events are stored under. User source names never hold a dot
// (config/keys.h kNamePattern), so it cannot be taken by a vendor's.
inline constexpr std::string_view kAlertSource = "hookgate.alerts";

struct Alert {
  config::AlertKind kind = config::AlertKind::delivery_dead;
  // The destination or source it is about ("" for the store): it keys the throttle and, for
  // a destination, keeps the alert from being sent to that same destination.
  std::string subject;
  std::string summary;  // one line for people; Slack's text
  // Further members of the JSON document, in order: name → an encoded JSON value.
  std::vector<std::pair<std::string, std::string>> fields;
};

// The kind's subject member: "destination", "source", or "" (store).
[[nodiscard]] std::string_view subject_field(config::AlertKind kind);

// {"type":…,"at":…,"summary":…,"<subject_field>":…,<fields>…,"held_back":N}: `held_back`
// counts the alerts of this kind and subject not sent since the last one (repeat_after).
[[nodiscard]] std::string alert_json(const Alert& alert, int64_t at_ms, uint64_t held_back);
// A Slack incoming-webhook message: {"text":"hookgate <kind>: <summary> (+N held back)"}.
[[nodiscard]] std::string alert_slack(const Alert& alert, uint64_t held_back);

// JSON encodings for Alert::fields.
[[nodiscard]] std::string json_string(std::string_view text);
[[nodiscard]] std::string json_time(int64_t unix_ms);  // "2026-11-22T03:45:17.652Z"

}  // namespace hookgate::gateway::alerts
