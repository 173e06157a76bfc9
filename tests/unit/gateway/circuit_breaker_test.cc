#include "gateway/delivery/circuit_breaker.h"

#include <gtest/gtest.h>

namespace hookgate::delivery {
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
}  // namespace hookgate::delivery
