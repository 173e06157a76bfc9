// What one delivery attempt's result means for the delivery: delivered, retry at a time, or
// dead. Pure: the caller passes the time and the jitter draw, so tests need no clock or RNG.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "storage/event_store.h"

namespace hookgate::gateway::delivery {

struct AttemptResult {
  int status = 0;                          // 0: no HTTP status (transport failure)
  std::optional<std::string> retry_after;  // raw header: delta-seconds or an HTTP-date
};

struct Decision {
  storage::DeliveryState state = storage::DeliveryState::pending;  // pending = retry
  int64_t next_attempt_at_ms = 0;   // when state is pending
  std::string reason;               // why, for last_error and logs ("retries_exhausted", "status_410", …)
};

// True for results that say the destination is unhealthy (they count for the circuit breaker):
// no status, 408, 429 and 5xx.
[[nodiscard]] bool is_destination_failure(const AttemptResult& result);

// `attempts_made` counts this attempt (1 after the first). `jitter_draw` is uniform in [0, 1).
//  - 2xx: delivered.
//  - no status, 408, 425, 429, 5xx, and the policy's retry_status: retry after retry.schedule[attempts_made - 1] ± jitter,
//    or after Retry-After when that is later (capped at kMaxRetryAfter); dead once the schedule
//    is used up or the next attempt would fall after received_at + retry.max_age.
//  - 410 and every other status: dead (410 too unless listed in retry_status).
[[nodiscard]] Decision decide(const config::RetryPolicy& policy, int64_t attempts_made,
                              int64_t received_at_ms, int64_t now_ms, const AttemptResult& result,
                              double jitter_draw);

// A Retry-After value in milliseconds from `now_ms` (delta-seconds or IMF-fixdate); nullopt
// when unparseable.
[[nodiscard]] std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now_ms);

inline constexpr int64_t kMaxRetryAfterMs = 6 * 3600 * 1000;

}  // namespace hookgate::gateway::delivery
