// alerts: and destinations' disable_after: what loads, and the errors with their file:line.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using testing::error_lines;
using testing::load;

std::string with(const std::string& rest) {
  return std::string(testing::kMinimal) +
         "destinations:\n  billing: {url: 'http://b', disable_after: 24h}\n  ops: {url: 'http://o'}\n  chat: {url: 'http://c'}\n" +
         rest;
}

bool has_line(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(AlertsConfig, LoadsTargetsFormatsKindsAndThresholds) {
  const auto result = load(with(R"(alerts:
  send:
    - {to: ops}
    - {to: chat, format: slack, on: [destination_disabled, delivery_dead]}
  rejections: {rate: 30%, window: 10m, min_requests: 50}
  store_usage: 80%
  repeat_after: 1h
)"));
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  const Config& config = *result.config;
  EXPECT_EQ(config.destinations.at(0).disable_after, Duration(24 * 3'600'000));
  EXPECT_EQ(config.destinations.at(1).disable_after, Duration(0));
  ASSERT_TRUE(config.alerts);
  ASSERT_EQ(config.alerts->send.size(), 2u);
  EXPECT_EQ(config.alerts->send[0].destination, "ops");
  EXPECT_EQ(config.alerts->send[0].format, AlertFormat::json);
  EXPECT_TRUE(config.alerts->send[0].wants(AlertKind::store_nearly_full));
  EXPECT_EQ(config.alerts->send[1].format, AlertFormat::slack);
  EXPECT_TRUE(config.alerts->send[1].wants(AlertKind::delivery_dead));
  EXPECT_FALSE(config.alerts->send[1].wants(AlertKind::circuit_opened));
  EXPECT_EQ(config.alerts->rejection_percent, 30u);
  EXPECT_EQ(config.alerts->rejection_window, Duration(600'000));
  EXPECT_EQ(config.alerts->rejection_min_requests, 50u);
  EXPECT_EQ(config.alerts->store_usage_percent, 80u);
  EXPECT_EQ(config.alerts->repeat_after, Duration(3'600'000));
}

TEST(AlertsConfig, DefaultsWhenOnlyTargetsAreGiven) {
  const auto result = load(with("alerts: {send: [{to: ops}]}\n"));
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(*result.config->alerts, (AlertsConfig{.send = {AlertTarget{.destination = "ops"}}}));
  EXPECT_FALSE(load(with("")).config->alerts);
}

TEST(AlertsConfig, ErrorsNameTheKeyAndLine) {
  const auto result = load(with(R"(alerts:
  send:
    - {to: nope}
    - {to: ops, on: [delivery_died]}
    - {to: ops, format: teams}
  store_usage: 0%
)"));
  const auto lines = error_lines(result);
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return std::regex_search(line, std::regex(R"(:8:\d+: alerts\.send\[0\]\.to: unknown destination 'nope')"));
  })) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has_line(lines, "alerts.send[1].on[0]: invalid value 'delivery_died'") &&
              has_line(lines, "did you mean 'delivery_dead'?"))
      << ::testing::PrintToString(lines);
  EXPECT_TRUE(has_line(lines, "alerts.send[2].format: invalid value 'teams'")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has_line(lines, "alerts.send[2].to: destination 'ops' is listed twice")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has_line(lines, "alerts.store_usage: a usage of 0%")) << ::testing::PrintToString(lines);
}

TEST(AlertsConfig, SendIsRequiredAndMayNotBeEmpty) {
  EXPECT_TRUE(has_line(error_lines(load(with("alerts: {store_usage: 90%}\n"))), "missing required key 'send'"));
  EXPECT_TRUE(has_line(error_lines(load(with("alerts: {send: []}\n"))), "alerts.send: at least one destination"));
}

TEST(AlertsConfig, DisableAfterIsADuration) {
  const auto result = load(std::string(testing::kMinimal) + "destinations:\n  d: {url: 'http://d', disable_after: soon}\n");
  EXPECT_TRUE(has_line(error_lines(result), "destinations.d.disable_after")) << ::testing::PrintToString(error_lines(result));
}

}  // namespace
}  // namespace hookgate::config
