// The console's sessions and login throttle, and the per-minute counter history: both
// sans-I/O, driven by the time they are given.
#include "gateway/admin/console_sessions.h"

#include <gtest/gtest.h>

#include "gateway/admin/counter_history.h"

namespace hookgate::gateway::admin {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;
constexpr int64_t kMinute = 60'000;

TEST(ConsoleSessions, ASessionIsFoundByItsCookieOnlyAndCarriesItsOwnCsrfToken) {
  ConsoleSessions sessions;
  const auto a = sessions.open(kStart);
  const auto b = sessions.open(kStart);
  EXPECT_EQ(a.cookie_value.size(), 43u);
  EXPECT_EQ(a.session.csrf_token.size(), 43u);
  EXPECT_NE(a.cookie_value, b.cookie_value);
  EXPECT_NE(a.session.csrf_token, b.session.csrf_token);
  EXPECT_NE(a.cookie_value, a.session.csrf_token);
  const ConsoleSession* found = sessions.touch(a.cookie_value, kStart + 1);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->csrf_token, a.session.csrf_token);
  EXPECT_EQ(sessions.touch(a.session.csrf_token, kStart + 1), nullptr);  // the CSRF token is no cookie
  EXPECT_EQ(sessions.touch(a.cookie_value + "x", kStart + 1), nullptr);
  EXPECT_EQ(sessions.touch("", kStart + 1), nullptr);
  EXPECT_EQ(sessions.touch(std::string(4096, 'a'), kStart + 1), nullptr);
}

TEST(ConsoleSessions, EndsAfterItsIdleTimeUnlessUsedAndAtItsLifetimeWhatever) {
  ConsoleSessions sessions(ConsoleSessionLimits{.lifetime_ms = 100 * kMinute, .idle_ms = 30 * kMinute});
  const auto idle = sessions.open(kStart);
  const auto busy = sessions.open(kStart);
  for (int64_t t = kStart + 20 * kMinute; t < kStart + 100 * kMinute; t += 20 * kMinute) {
    EXPECT_NE(sessions.touch(busy.cookie_value, t), nullptr) << (t - kStart) / kMinute;
  }
  EXPECT_EQ(sessions.touch(idle.cookie_value, kStart + 30 * kMinute), nullptr);  // idle for exactly the limit
  EXPECT_EQ(sessions.touch(busy.cookie_value, kStart + 100 * kMinute), nullptr);  // used, but its lifetime is over
  EXPECT_EQ(sessions.size(), 0u);  // both are gone, not only refused
}

TEST(ConsoleSessions, LogoutEndsOnlyThatSession) {
  ConsoleSessions sessions;
  const auto a = sessions.open(kStart);
  const auto b = sessions.open(kStart);
  EXPECT_TRUE(sessions.close(a.cookie_value));
  EXPECT_FALSE(sessions.close(a.cookie_value));
  EXPECT_EQ(sessions.touch(a.cookie_value, kStart + 1), nullptr);
  EXPECT_NE(sessions.touch(b.cookie_value, kStart + 1), nullptr);
}

TEST(ConsoleSessions, BeyondTheCapANewLoginEndsTheOldestSession) {
  ConsoleSessions sessions(ConsoleSessionLimits{.max_sessions = 3});
  std::vector<ConsoleSessions::Login> logins;
  for (int i = 0; i < 4; ++i) logins.push_back(sessions.open(kStart + i));
  EXPECT_EQ(sessions.size(), 3u);
  EXPECT_EQ(sessions.touch(logins[0].cookie_value, kStart + 10), nullptr);
  for (int i = 1; i < 4; ++i) EXPECT_NE(sessions.touch(logins[i].cookie_value, kStart + 10), nullptr) << i;
}

TEST(ConsoleSessions, WrongTokensAreThrottledForAMinute) {
  ConsoleSessions sessions(ConsoleSessionLimits{.max_failures_per_minute = 3});
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(sessions.login_allowed(kStart + i));
    sessions.record_failure(kStart + i);
  }
  EXPECT_FALSE(sessions.login_allowed(kStart + 10));
  EXPECT_FALSE(sessions.login_allowed(kStart + kMinute - 1));
  EXPECT_TRUE(sessions.login_allowed(kStart + kMinute));  // the first failure is a minute old
}

TEST(SameSecret, ComparesWholeValuesAndNeverMatchesEmpty) {
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_FALSE(same_secret("abc", "abd"));
  EXPECT_FALSE(same_secret("abc", "ab"));
  EXPECT_FALSE(same_secret("", ""));
}

TEST(CounterHistory, CountsPerMinuteFromCumulativeSnapshots) {
  CounterHistory history;
  const int64_t t0 = (kStart / kMinute) * kMinute;  // a minute's start
  history.record(t0 + 1'000, {{"a", 0}});
  history.record(t0 + 30'000, {{"a", 7}});  // the same minute: kept as it was
  history.record(t0 + kMinute + 2'000, {{"a", 10}});
  history.record(t0 + 2 * kMinute + 1'000, {{"a", 25}});
  const int64_t now = t0 + 2 * kMinute + 40'000;
  const auto series = history.per_minute("a", now, 31);
  ASSERT_EQ(series.size(), 60u);
  EXPECT_EQ(series[56], 0u);   // before the first snapshot
  EXPECT_EQ(series[57], 10u);  // minute 0: 0 → 10 (the 7 within it is not a minute's start)
  EXPECT_EQ(series[58], 15u);  // minute 1: 10 → 25
  EXPECT_EQ(series[59], 6u);   // minute 2, still filling: 25 → 31
  EXPECT_EQ(history.last_hour("a", now, 31), 31u);
  EXPECT_EQ(history.last_hour("missing", now, 0), 0u);
}

TEST(CounterHistory, ForgetsWhatIsOlderThanAnHour) {
  CounterHistory history;
  const int64_t t0 = (kStart / kMinute) * kMinute;
  for (int m = 0; m <= 90; ++m) history.record(t0 + m * kMinute, {{"a", static_cast<uint64_t>(m * 2)}});
  const int64_t now = t0 + 90 * kMinute + 30'000;
  // 2 per minute; the current minute has grown by 1 so far.
  EXPECT_EQ(history.last_hour("a", now, 181), 59u * 2 + 1);
  const auto series = history.per_minute("a", now, 181);
  EXPECT_EQ(series.front(), 2u);
  EXPECT_EQ(series.back(), 1u);
}

TEST(CounterHistory, ACounterThatShrankReadsAsNoGrowth) {
  CounterHistory history;
  const int64_t t0 = (kStart / kMinute) * kMinute;
  history.record(t0, {{"a", 50}});
  EXPECT_EQ(history.per_minute("a", t0 + 1'000, 20).back(), 0u);
}

}  // namespace
}  // namespace hookgate::gateway::admin
