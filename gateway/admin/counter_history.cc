#include "gateway/admin/counter_history.h"

namespace hookgate::gateway::admin {
namespace {

constexpr int64_t kMinuteMs = 60'000;

int64_t minute_of(int64_t unix_ms) { return unix_ms >= 0 ? unix_ms / kMinuteMs : (unix_ms - kMinuteMs + 1) / kMinuteMs; }

}  // namespace

void CounterHistory::record(int64_t now_ms, const CounterSnapshot& counters) {
  const int64_t minute = minute_of(now_ms);
  if (!minutes_.empty() && minutes_.back().minute >= minute) return;  // this minute has one (or the clock stepped back)
  minutes_.push_back(Minute{minute, counters});
  while (minutes_.size() > kMinutes + 1) minutes_.pop_front();
}

uint64_t CounterHistory::value_at(const std::string& key, int64_t minute) const {
  for (auto it = minutes_.rbegin(); it != minutes_.rend(); ++it) {
    if (it->minute > minute) continue;
    const auto found = it->counters.find(key);
    return found == it->counters.end() ? 0 : found->second;
  }
  return 0;
}

std::vector<uint64_t> CounterHistory::per_minute(const std::string& key, int64_t now_ms, uint64_t current) const {
  const int64_t now_minute = minute_of(now_ms);
  std::vector<uint64_t> out(kMinutes, 0);
  uint64_t end = current;
  // Newest first: each minute ends where the next one starts.
  for (int i = kMinutes - 1; i >= 0; --i) {
    const int64_t minute = now_minute - (kMinutes - 1 - i);
    const uint64_t start = value_at(key, minute);
    out[static_cast<size_t>(i)] = end > start ? end - start : 0;  // a counter never shrinks; a reset reads as 0
    end = start;
  }
  return out;
}

uint64_t CounterHistory::last_hour(const std::string& key, int64_t now_ms, uint64_t current) const {
  uint64_t sum = 0;
  for (const uint64_t v : per_minute(key, now_ms, current)) sum += v;
  return sum;
}

}  // namespace hookgate::gateway::admin
