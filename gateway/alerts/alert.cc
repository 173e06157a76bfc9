#include "gateway/alerts/alert.h"

#include "gateway/store/event_filter_options.h"
#include "verify/json_text.h"

namespace hookgate::gateway::alerts {

std::string_view subject_field(config::AlertKind kind) {
  switch (kind) {
    case config::AlertKind::source_rejections: return "source";
    case config::AlertKind::store_nearly_full: return "";
    default: return "destination";
  }
}

std::string json_string(std::string_view text) {
  std::string out;
  verify::append_json_string(out, text);
  return out;
}

std::string json_time(int64_t unix_ms) { return json_string(store::format_time_ms(unix_ms)); }

std::string alert_json(const Alert& alert, int64_t at_ms, uint64_t held_back) {
  std::string out = "{\"type\":" + json_string(config::to_string(alert.kind)) + ",\"at\":" + json_time(at_ms) +
                    ",\"summary\":" + json_string(alert.summary);
  if (const std::string_view field = subject_field(alert.kind); !field.empty()) {
    out += ",\"" + std::string(field) + "\":" + json_string(alert.subject);
  }
  for (const auto& [name, value] : alert.fields) out += "," + json_string(name) + ":" + value;
  out += ",\"held_back\":" + std::to_string(held_back) + "}";
  return out;
}

std::string alert_slack(const Alert& alert, uint64_t held_back) {
  std::string text = "hookgate " + std::string(config::to_string(alert.kind)) + ": " + alert.summary;
  if (held_back > 0) text += " (+" + std::to_string(held_back) + " more since the last alert)";
  return "{\"text\":" + json_string(text) + "}";
}

}  // namespace hookgate::gateway::alerts
