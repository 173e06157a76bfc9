// "Over the last hour" for the console, from the counters the server already keeps: the admin
// loop hands over a snapshot of named cumulative counters every few seconds and this keeps
// one per minute for an hour, so per-minute rates cost the ingest and delivery paths nothing.
// Sans-I/O: the caller passes the time.
//
// The figures are this node's (each node counts what it served); Prometheus is where the
// fleet's are summed. A minute before the first snapshot counts as 0: the counters start at
// 0 with the process, and the history with the admin listener, at the same moment.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace hookgate::gateway::admin {

using CounterSnapshot = std::map<std::string, uint64_t>;

class CounterHistory {
 public:
  static constexpr int kMinutes = 60;

  // Keeps `counters` as the values at the start of the minute of `now_ms`, when that minute
  // has no snapshot yet.
  void record(int64_t now_ms, const CounterSnapshot& counters);

  // Per minute, oldest first, kMinutes values ending with the minute of `now_ms` (still
  // filling): how much `key` grew in each. `current` is the value now.
  [[nodiscard]] std::vector<uint64_t> per_minute(const std::string& key, int64_t now_ms, uint64_t current) const;
  // The sum of per_minute(): growth over the last kMinutes minutes.
  [[nodiscard]] uint64_t last_hour(const std::string& key, int64_t now_ms, uint64_t current) const;

 private:
  // `key` at the start of `minute`: the newest snapshot at or before it, 0 before the first.
  [[nodiscard]] uint64_t value_at(const std::string& key, int64_t minute) const;

  struct Minute {
    int64_t minute = 0;  // unix ms / 60000
    CounterSnapshot counters;
  };
  std::deque<Minute> minutes_;  // ascending, at most kMinutes + 1
};

}  // namespace hookgate::gateway::admin
