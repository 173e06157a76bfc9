#include "gateway/delivery/retry_decision.h"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace hookgate::gateway::delivery {

bool is_destination_failure(const AttemptResult& result) {
  return result.status == 0 || result.status == 408 || result.status == 429 || result.status >= 500;
}

std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now_ms) {
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size() && !value.empty()) {
    if (seconds < 0) return std::nullopt;
    return std::min<int64_t>(seconds, kMaxRetryAfterMs / 1000) * 1000;
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  std::tm tm{};
  const std::string text(value);
  const char* parsed = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!parsed || *parsed != '\0') return std::nullopt;
  const int64_t at_ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  return std::max<int64_t>(0, at_ms - now_ms);
}

Decision decide(const config::RetryPolicy& policy, int64_t attempts_made, int64_t received_at_ms,
                int64_t now_ms, const AttemptResult& result, double jitter_draw) {
  Decision decision;
  const int status = result.status;
  if (status >= 200 && status < 300) {
    decision.state = storage::DeliveryState::delivered;
    return decision;
  }
  const bool retryable = status == 0 || status == 408 || status == 425 || status == 429 || status >= 500 ||
                         std::find(policy.retry_status.begin(), policy.retry_status.end(), status) !=
                             policy.retry_status.end();
  if (!retryable) {
    decision.state = storage::DeliveryState::dead;
    decision.reason = "status_" + std::to_string(status);
    return decision;
  }
  const size_t index = static_cast<size_t>(std::max<int64_t>(attempts_made, 1) - 1);
  if (index >= policy.schedule.size()) {
    decision.state = storage::DeliveryState::dead;
    decision.reason = "retries_exhausted";
    return decision;
  }
  const double base = static_cast<double>(policy.schedule[index].count());
  const double spread = base * static_cast<double>(policy.jitter_percent) / 100.0;
  int64_t delay = static_cast<int64_t>(base + spread * (2.0 * jitter_draw - 1.0));
  if (result.retry_after) {
    if (const auto hinted = parse_retry_after(*result.retry_after, now_ms)) {
      delay = std::max(delay, std::min(*hinted, kMaxRetryAfterMs));
    }
  }
  delay = std::max<int64_t>(delay, 0);
  decision.next_attempt_at_ms = now_ms + delay;
  if (policy.max_age && decision.next_attempt_at_ms - received_at_ms > policy.max_age->count()) {
    decision.state = storage::DeliveryState::dead;
    decision.reason = "max_age_exceeded";
    decision.next_attempt_at_ms = 0;
    return decision;
  }
  decision.state = storage::DeliveryState::pending;
  decision.reason = status == 0 ? "transport_error" : "status_" + std::to_string(status);
  return decision;
}

}  // namespace hookgate::gateway::delivery
