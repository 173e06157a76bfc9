// The filter flags shared by `hookgate events` and `hookgate replay`, turned into a
// storage::EventFilter with a clear message for every bad value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/event_queries.h"

namespace hookgate::gateway::store {

struct EventFilterOptions {
  std::optional<std::string> source;
  std::optional<std::string> destination;
  std::vector<std::string> event_ids;
  std::string status = "all";               // failed|dead|delivered|skipped|pending|all
  std::optional<std::string> since;          // RFC 3339 or relative (2h, 7d)
  std::optional<std::string> until;
  std::optional<std::string> event_type;     // glob
  int64_t limit = 100;
};

// Relative times count back from `now_ms`. Returns false with `error` set on a bad value.
[[nodiscard]] bool to_event_filter(const EventFilterOptions& options, int64_t now_ms,
                                   storage::EventFilter& filter, std::string& error);

// "2026-11-22T03:45:17.652Z"
[[nodiscard]] std::string format_time_ms(int64_t unix_ms);

}  // namespace hookgate::gateway::store
