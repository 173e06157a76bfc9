// The pure parts of alerts: the bodies, the throttle, and the two threshold watches.
#include <gtest/gtest.h>

#include "gateway/alerts/alert.h"
#include "gateway/alerts/alert_throttle.h"
#include "gateway/alerts/threshold_watch.h"

namespace hookgate::gateway::alerts {
namespace {

Alert dead_alert() {
  return Alert{.kind = config::AlertKind::delivery_dead,
               .subject = "billing",
               .summary = "delivery 7 is \"dead\"",
               .fields = {{"delivery", "7"}, {"reason", json_string("status_400")}}};
}

TEST(AlertBodies, JsonHasTheTypeTimeSubjectFieldsAndHeldBackCountInOrder) {
  EXPECT_EQ(alert_json(dead_alert(), 1'764'000'000'123, 2),
            R"({"type":"delivery_dead","at":"2025-11-24T16:00:00.123Z","summary":"delivery 7 is \"dead\"",)"
            R"("destination":"billing","delivery":7,"reason":"status_400","held_back":2})");
}

TEST(AlertBodies, TheStoreAlertHasNoSubjectMemberAndARejectionNamesItsSource) {
  Alert store{.kind = config::AlertKind::store_nearly_full, .subject = "", .summary = "s", .fields = {}};
  EXPECT_EQ(alert_json(store, 0, 0), R"({"type":"store_nearly_full","at":"1970-01-01T00:00:00.000Z","summary":"s","held_back":0})");
  Alert rejections{.kind = config::AlertKind::source_rejections, .subject = "stripe", .summary = "r", .fields = {}};
  EXPECT_NE(alert_json(rejections, 0, 0).find(R"("source":"stripe")"), std::string::npos);
}

TEST(AlertBodies, SlackIsOneEscapedTextWithTheHeldBackCount) {
  EXPECT_EQ(alert_slack(dead_alert(), 0), R"({"text":"hookgate delivery_dead: delivery 7 is \"dead\""})");
  EXPECT_EQ(alert_slack(dead_alert(), 3),
            R"J({"text":"hookgate delivery_dead: delivery 7 is \"dead\" (+3 more since the last alert)"})J");
}

TEST(AlertThrottle, OnePerKeyPerIntervalAndTheNextCountsWhatWasHeldBack) {
  AlertThrottle throttle(10'000);
  EXPECT_EQ(throttle.admit("dead/billing", 1'000), 0u);
  EXPECT_EQ(throttle.admit("dead/billing", 2'000), std::nullopt);
  EXPECT_EQ(throttle.admit("dead/billing", 10'999), std::nullopt);
  EXPECT_EQ(throttle.admit("dead/audit", 3'000), 0u);  // another subject is its own
  EXPECT_EQ(throttle.admit("dead/billing", 11'000), 2u);
  EXPECT_EQ(throttle.admit("dead/billing", 21'000), 0u);
}

TEST(RejectionWatch, CrossesOnceWhenTheWindowHasEnoughRequestsAndTheRateIsReached) {
  RejectionWatch watch(50, 60'000, 10);
  EXPECT_FALSE(watch.observe(0, 100, 0));          // the base: totals before the window
  EXPECT_FALSE(watch.observe(1'000, 108, 8));      // 8 of 8: too few requests yet
  const auto crossing = watch.observe(2'000, 112, 9);  // 9 of 12
  ASSERT_TRUE(crossing);
  EXPECT_EQ(crossing->requests, 12u);
  EXPECT_EQ(crossing->rejected, 9u);
  EXPECT_FALSE(watch.observe(3'000, 120, 17));     // still above: no second alert
  EXPECT_FALSE(watch.observe(4'000, 160, 17));     // 17 of 60: below, re-armed
  EXPECT_TRUE(watch.observe(5'000, 200, 57));      // 57 of 100: above again
}

TEST(RejectionWatch, OldRefusalsLeaveTheWindow) {
  RejectionWatch watch(50, 10'000, 10);
  EXPECT_FALSE(watch.observe(0, 0, 0));
  EXPECT_FALSE(watch.observe(1'000, 20, 9));    // 45%
  EXPECT_FALSE(watch.observe(12'000, 40, 9));   // the window is 1 s .. 12 s: 0 of 20
  EXPECT_FALSE(watch.observe(23'000, 60, 18));  // 12 s .. 23 s: 9 of 20 = 45%
  EXPECT_TRUE(watch.observe(34'000, 80, 28));   // 23 s .. 34 s: 10 of 20 = 50%
}

TEST(LevelWatch, CrossesWhenTheLevelReachesTheThresholdAndAgainOnlyAfterFallingBelow) {
  LevelWatch watch;
  EXPECT_FALSE(watch.observe(10, 90));
  EXPECT_TRUE(watch.observe(90, 90));
  EXPECT_FALSE(watch.observe(95, 90));
  EXPECT_FALSE(watch.observe(50, 90));
  EXPECT_TRUE(watch.observe(91, 90));
}

}  // namespace
}  // namespace hookgate::gateway::alerts
