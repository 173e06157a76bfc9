#include "gateway/delivery/retry_decision.h"

#include <gtest/gtest.h>

namespace hookgate::gateway::delivery {
namespace {

using storage::DeliveryState;
constexpr int64_t kNow = 1'700'000'000'000;

config::RetryPolicy policy(std::vector<int64_t> schedule_ms, uint32_t jitter = 0) {
  config::RetryPolicy p;
  p.schedule.clear();
  for (auto ms : schedule_ms) p.schedule.emplace_back(ms);
  p.jitter_percent = jitter;
  return p;
}

TEST(RetryDecision, TwoHundredsAreDelivered) {
  for (int status : {200, 201, 202, 204, 299}) {
    EXPECT_EQ(decide(policy({1000}), 1, kNow, kNow, {status, {}}, 0.5).state, DeliveryState::delivered) << status;
  }
}

TEST(RetryDecision, RetryableResultsFollowTheSchedule) {
  const auto p = policy({5'000, 300'000});
  for (int status : {0, 408, 425, 429, 500, 502, 503, 504}) {
    const Decision first = decide(p, 1, kNow, kNow, {status, {}}, 0.5);
    EXPECT_EQ(first.state, DeliveryState::pending) << status;
    EXPECT_EQ(first.next_attempt_at_ms, kNow + 5'000) << status;
    const Decision second = decide(p, 2, kNow, kNow, {status, {}}, 0.5);
    EXPECT_EQ(second.next_attempt_at_ms, kNow + 300'000) << status;
    const Decision third = decide(p, 3, kNow, kNow, {status, {}}, 0.5);
    EXPECT_EQ(third.state, DeliveryState::dead) << status;
    EXPECT_EQ(third.reason, "retries_exhausted");
  }
}

TEST(RetryDecision, ClientErrorsAndGoneAreDead) {
  for (int status : {400, 401, 403, 404, 410, 422, 301, 302}) {
    const Decision d = decide(policy({1000}), 1, kNow, kNow, {status, {}}, 0.5);
    EXPECT_EQ(d.state, DeliveryState::dead) << status;
    EXPECT_EQ(d.reason, "status_" + std::to_string(status));
  }
}

TEST(RetryDecision, ListedClientErrorsAreRetriedOthersStayDead) {
  config::RetryPolicy p = policy({1000});
  p.retry_status = {404, 409};
  for (int status : {404, 409}) {
    const Decision d = decide(p, 1, kNow, kNow, {status, {}}, 0.5);
    EXPECT_EQ(d.state, DeliveryState::pending) << status;
    EXPECT_EQ(d.next_attempt_at_ms, kNow + 1000) << status;
    EXPECT_EQ(decide(p, 2, kNow, kNow, {status, {}}, 0.5).reason, "retries_exhausted") << status;
  }
  for (int status : {400, 410, 422}) {
    EXPECT_EQ(decide(p, 1, kNow, kNow, {status, {}}, 0.5).state, DeliveryState::dead) << status;
  }
  // A retried 404 says nothing about the service's health: it does not count for the breaker.
  EXPECT_FALSE(is_destination_failure({404, {}}));
}

TEST(RetryDecision, JitterSpreadsBothWaysWithinThePercentage) {
  const auto p = policy({10'000}, 20);
  EXPECT_EQ(decide(p, 1, kNow, kNow, {503, {}}, 0.0).next_attempt_at_ms, kNow + 8'000);
  EXPECT_EQ(decide(p, 1, kNow, kNow, {503, {}}, 0.5).next_attempt_at_ms, kNow + 10'000);
  EXPECT_NEAR(static_cast<double>(decide(p, 1, kNow, kNow, {503, {}}, 0.999999).next_attempt_at_ms),
              static_cast<double>(kNow + 12'000), 1.0);
}

TEST(RetryDecision, RetryAfterDelaysButIsCapped) {
  const auto p = policy({5'000});
  EXPECT_EQ(decide(p, 1, kNow, kNow, {429, std::string("120")}, 0.5).next_attempt_at_ms, kNow + 120'000);
  // Shorter than the schedule: the schedule wins.
  EXPECT_EQ(decide(p, 1, kNow, kNow, {503, std::string("1")}, 0.5).next_attempt_at_ms, kNow + 5'000);
  // Absurd hints are capped.
  EXPECT_EQ(decide(p, 1, kNow, kNow, {503, std::string("999999999")}, 0.5).next_attempt_at_ms, kNow + kMaxRetryAfterMs);
  // Garbage is ignored.
  EXPECT_EQ(decide(p, 1, kNow, kNow, {503, std::string("soon")}, 0.5).next_attempt_at_ms, kNow + 5'000);
}

TEST(RetryDecision, RetryAfterHttpDate) {
  // 2023-11-14T22:13:20Z = 1700000000 s
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:15:00 GMT", kNow), 100'000);
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", kNow), 0);  // in the past: now
  EXPECT_EQ(parse_retry_after("-5", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after("", kNow), std::nullopt);
}

TEST(RetryDecision, MaxAgeMakesItDeadEarly) {
  auto p = policy({5'000, 3'600'000});
  p.max_age = config::Duration{600'000};
  EXPECT_EQ(decide(p, 1, kNow, kNow, {503, {}}, 0.5).state, DeliveryState::pending);
  const Decision d = decide(p, 2, kNow, kNow + 10'000, {503, {}}, 0.5);
  EXPECT_EQ(d.state, DeliveryState::dead);
  EXPECT_EQ(d.reason, "max_age_exceeded");
}

TEST(RetryDecision, DestinationFailuresForTheBreaker) {
  EXPECT_TRUE(is_destination_failure({0, {}}));
  EXPECT_TRUE(is_destination_failure({503, {}}));
  EXPECT_TRUE(is_destination_failure({429, {}}));
  EXPECT_FALSE(is_destination_failure({404, {}}));
  EXPECT_FALSE(is_destination_failure({200, {}}));
}

}  // namespace
}  // namespace hookgate::gateway::delivery
