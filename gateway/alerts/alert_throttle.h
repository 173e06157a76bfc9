// At most one alert per key (kind + subject) per `repeat_after`; the ones held back are
// counted and reported with the next one let through. Pure: time is passed in. Not
// thread-safe (the Alerter holds a lock).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace hookgate::gateway::alerts {

class AlertThrottle {
 public:
  explicit AlertThrottle(int64_t repeat_after_ms) : repeat_after_ms_(repeat_after_ms) {}

  // nullopt: hold this one back (counted). Otherwise send it, with how many were held back
  // since the last one sent for `key`.
  [[nodiscard]] std::optional<uint64_t> admit(const std::string& key, int64_t now_ms);
  void set_repeat_after(int64_t repeat_after_ms) { repeat_after_ms_ = repeat_after_ms; }

 private:
  struct Slot {
    int64_t last_sent_ms = 0;
    uint64_t held_back = 0;
  };
  int64_t repeat_after_ms_;
  std::map<std::string, Slot> slots_;  // one per key ever alerted: kinds × configured names
};

}  // namespace hookgate::gateway::alerts
