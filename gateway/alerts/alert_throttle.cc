#include "gateway/alerts/alert_throttle.h"

namespace hookgate::gateway::alerts {

std::optional<uint64_t> AlertThrottle::admit(const std::string& key, int64_t now_ms) {
  auto [it, first] = slots_.try_emplace(key);
  Slot& slot = it->second;
  if (!first && now_ms - slot.last_sent_ms < repeat_after_ms_) {
    ++slot.held_back;
    return std::nullopt;
  }
  const uint64_t held_back = slot.held_back;
  slot = Slot{now_ms, 0};
  return held_back;
}

}  // namespace hookgate::gateway::alerts
