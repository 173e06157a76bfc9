#include "gateway/delivery/circuit_breaker.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hookgate::gateway::delivery {
namespace {

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndProbesWhenTheTimeComes) {
  CircuitBreaker breaker({3, 1'000, 8'000});
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(breaker.allow(0));
    breaker.on_failure(0);
  }
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::closed);
  breaker.on_failure(0);
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::open);
  EXPECT_FALSE(breaker.allow(999));
  EXPECT_TRUE(breaker.allow(1'000));   // the probe
  EXPECT_FALSE(breaker.allow(1'000));  // only one
  breaker.on_success();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::closed);
  EXPECT_TRUE(breaker.allow(1'001));
}

TEST(CircuitBreaker, FailedProbesBackOffExponentiallyUpToTheCap) {
  CircuitBreaker breaker({1, 1'000, 3'000});
  breaker.on_failure(0);
  ASSERT_TRUE(breaker.allow(1'000));
  breaker.on_failure(1'000);
  EXPECT_EQ(breaker.reopens_at_ms(), 3'000);  // 2 s
  ASSERT_TRUE(breaker.allow(3'000));
  breaker.on_failure(3'000);
  EXPECT_EQ(breaker.reopens_at_ms(), 6'000);  // capped at 3 s
  ASSERT_TRUE(breaker.allow(6'000));
  breaker.on_success();
  breaker.on_failure(7'000);
  EXPECT_EQ(breaker.reopens_at_ms(), 8'000);  // back to the base after closing
}

// A service back from an outage of any length gets a probe within a minute: the default cap.
TEST(CircuitBreaker, DefaultBackoffNeverWaitsMoreThanAMinute) {
  CircuitBreaker breaker({});
  int64_t now = 0;
  for (int i = 0; i < 5; ++i) breaker.on_failure(now);
  ASSERT_EQ(breaker.state(), CircuitBreaker::State::open);
  EXPECT_EQ(breaker.reopens_at_ms(), 10'000);
  int64_t longest = 0;
  for (int probe = 0; probe < 20; ++probe) {  // an outage of about 20 minutes
    now = breaker.reopens_at_ms();
    ASSERT_TRUE(breaker.allow(now));
    breaker.on_failure(now);
    longest = std::max(longest, breaker.reopens_at_ms() - now);
  }
  EXPECT_EQ(longest, 60'000);
}

TEST(CircuitBreaker, ASuccessResetsTheCount) {
  CircuitBreaker breaker({2, 1'000, 1'000});
  breaker.on_failure(0);
  breaker.on_success();
  breaker.on_failure(0);
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::closed);
}

TEST(TokenBucket, AllowsABurstThenTheRate) {
  TokenBucket bucket(2, 1'000);  // 2 per second
  EXPECT_TRUE(bucket.take(0));
  EXPECT_TRUE(bucket.take(0));
  EXPECT_FALSE(bucket.take(0));
  EXPECT_EQ(bucket.next_token_at(0), 500);
  EXPECT_FALSE(bucket.take(499));
  EXPECT_TRUE(bucket.take(500));
  EXPECT_FALSE(bucket.take(500));
}

}  // namespace
}  // namespace hookgate::gateway::delivery

namespace hookgate::gateway::delivery {
namespace {

// Fails every third result: never two failures in a row, yet a third of all attempts.
void flap(CircuitBreaker& breaker, int results, int64_t now_ms) {
  for (int i = 0; i < results; ++i) {
    if (i % 3 == 2) {
      breaker.on_failure(now_ms);
    } else {
      breaker.on_success();
    }
  }
}

TEST(CircuitBreaker, OpensOnTheFailureRateOfAFullWindow) {
  CircuitBreaker::Options options;
  options.failures_to_open = 100;  // only the rate rule can open it
  options.window = 10;
  options.failure_percent_to_open = 30;
  CircuitBreaker breaker(options);
  flap(breaker, 8, 0);  // 2 failures in 8 results: the window is not full yet
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::closed);
  flap(breaker, 1, 0);  // a success: 2 of 9
  breaker.on_failure(0);  // 3 of 10 = 30 %
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::open);
}

TEST(CircuitBreaker, StaysClosedBelowTheRateAndForgetsOldResults) {
  CircuitBreaker::Options options;
  options.failures_to_open = 100;
  options.window = 10;
  options.failure_percent_to_open = 50;
  CircuitBreaker breaker(options);
  flap(breaker, 300, 0);  // a steady third of failures
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::closed);
  for (int i = 0; i < 2; ++i) breaker.on_failure(0);  // the window held 4 of 10: now 5
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::open);
}

TEST(CircuitBreaker, ASuccessfulProbeStartsAFreshWindow) {
  CircuitBreaker::Options options;
  options.failures_to_open = 100;
  options.window = 4;
  options.failure_percent_to_open = 50;
  options.open_for_ms = 1'000;
  CircuitBreaker breaker(options);
  for (int i = 0; i < 2; ++i) {
    breaker.on_success();
    breaker.on_failure(0);
  }
  ASSERT_EQ(breaker.state(), CircuitBreaker::State::open);
  ASSERT_TRUE(breaker.allow(1'000));
  breaker.on_success();
  breaker.on_failure(1'000);  // 1 of 2: the old failures are gone, and the window is not full
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::closed);
}

}  // namespace
}  // namespace hookgate::gateway::delivery
