#include "verify/timestamp.h"

#include <gtest/gtest.h>

#include "test_request.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using testing::at_unix;

std::optional<std::int64_t> seconds(std::string_view text) {
  const auto ts = parse_timestamp(text, TimestampFormat::unix_seconds);
  if (!ts) return std::nullopt;
  EXPECT_FALSE(ts->millis);
  return ts->value;
}

std::optional<std::int64_t> rfc3339_ms(std::string_view text) {
  const auto ts = parse_timestamp(text, TimestampFormat::rfc3339);
  if (!ts) return std::nullopt;
  EXPECT_TRUE(ts->millis);
  return ts->value;
}

TEST(ParseUnixSeconds, DigitsOnly) {
  EXPECT_EQ(seconds("1700000000"), 1700000000);
  EXPECT_EQ(seconds("0"), 0);
  EXPECT_EQ(seconds("0001700000000"), 1700000000);
}

TEST(ParseUnixSeconds, RejectsLettersSignsSpacesAndEmpty) {
  EXPECT_EQ(seconds(""), std::nullopt);
  EXPECT_EQ(seconds("17000000a0"), std::nullopt);
  EXPECT_EQ(seconds("abc"), std::nullopt);
  EXPECT_EQ(seconds("-1700000000"), std::nullopt);
  EXPECT_EQ(seconds("+1700000000"), std::nullopt);
  EXPECT_EQ(seconds(" 1700000000"), std::nullopt);
  EXPECT_EQ(seconds("1700000000 "), std::nullopt);
  EXPECT_EQ(seconds("1.7e9"), std::nullopt);
  EXPECT_EQ(seconds("0x10"), std::nullopt);
}

TEST(ParseUnixSeconds, RejectsOverflowAcceptsInt64Max) {
  EXPECT_EQ(seconds("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(seconds("9223372036854775808"), std::nullopt);
  EXPECT_EQ(seconds("99999999999999999999999"), std::nullopt);
}

TEST(ParseUnixMillis, KeepsMilliseconds) {
  const auto ts = parse_timestamp("1700000000123", TimestampFormat::unix_millis);
  ASSERT_TRUE(ts);
  EXPECT_TRUE(ts->millis);
  EXPECT_EQ(ts->value, 1700000000123);
  EXPECT_EQ(parse_timestamp("17000000001x3", TimestampFormat::unix_millis), std::nullopt);
}

TEST(ParseRfc3339, UtcOffsetsAndFractions) {
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20Z"), 1700000000000);
  EXPECT_EQ(rfc3339_ms("2023-11-15T00:13:20+02:00"), 1700000000000);
  EXPECT_EQ(rfc3339_ms("2023-11-14T20:43:20-01:30"), 1700000000000);
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20.5Z"), 1700000000500);
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20.123456789Z"), 1700000000123);  // Twitch sends ns
  EXPECT_EQ(rfc3339_ms("2023-11-14t22:13:20z"), 1700000000000);
  EXPECT_EQ(rfc3339_ms("2023-11-14 22:13:20Z"), 1700000000000);
  EXPECT_EQ(rfc3339_ms("2024-02-29T00:00:00Z"), 1709164800000);
  EXPECT_EQ(rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(rfc3339_ms("9999-12-31T23:59:59Z"), 253402300799000);
}

TEST(ParseRfc3339, RejectsInvalid) {
  EXPECT_EQ(rfc3339_ms(""), std::nullopt);
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20"), std::nullopt);   // no zone
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13Z"), std::nullopt);     // no seconds
  EXPECT_EQ(rfc3339_ms("2023-02-29T00:00:00Z"), std::nullopt);  // not a leap year
  EXPECT_EQ(rfc3339_ms("2023-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(rfc3339_ms("2023-11-14T24:00:00Z"), std::nullopt);
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:60:00Z"), std::nullopt);
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20.Z"), std::nullopt);     // empty fraction
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20+0200"), std::nullopt);  // offset without ':'
  EXPECT_EQ(rfc3339_ms("2023-11-14T22:13:20Z "), std::nullopt);     // trailing bytes
  EXPECT_EQ(rfc3339_ms("2023/11/14T22:13:20Z"), std::nullopt);
  EXPECT_EQ(rfc3339_ms("1700000000"), std::nullopt);
}

TEST(Tolerance, BoundaryIsInclusiveInBothDirections) {
  const Timestamp ts{1700000000, false};
  EXPECT_EQ(check_tolerance(ts, at_unix(1700000000), 300s), Verdict::ok);
  EXPECT_EQ(check_tolerance(ts, at_unix(1700000300), 300s), Verdict::ok);
  EXPECT_EQ(check_tolerance(ts, at_unix(1700000301), 300s), Verdict::timestamp_too_old);
  EXPECT_EQ(check_tolerance(ts, at_unix(1699999700), 300s), Verdict::ok);
  EXPECT_EQ(check_tolerance(ts, at_unix(1699999699), 300s), Verdict::timestamp_in_future);
}

TEST(Tolerance, SecondsTimestampsCompareAgainstNowFloored) {
  // Stripe's and Svix's SDKs floor now to whole seconds: 300.9 s old is 300 s old.
  const Timestamp ts{1700000000, false};
  EXPECT_EQ(check_tolerance(ts, at_unix(1700000300) + 900ms, 300s), Verdict::ok);
}

TEST(Tolerance, MillisecondTimestampsUseMilliseconds) {
  const Timestamp ts{1700000000000, true};
  EXPECT_EQ(check_tolerance(ts, at_unix(1700000300), 300s), Verdict::ok);
  EXPECT_EQ(check_tolerance(ts, at_unix(1700000300) + 1ms, 300s), Verdict::timestamp_too_old);
  EXPECT_EQ(check_tolerance(ts, at_unix(1699999700) - 1ms, 300s), Verdict::timestamp_in_future);
}

TEST(Tolerance, FarFutureDoesNotOverflow) {
  EXPECT_EQ(check_tolerance(Timestamp{INT64_MAX, false}, at_unix(1700000000), 300s),
            Verdict::timestamp_in_future);
  EXPECT_EQ(check_tolerance(Timestamp{INT64_MAX, true}, at_unix(1700000000), 300s),
            Verdict::timestamp_in_future);
  EXPECT_EQ(check_tolerance(Timestamp{0, true}, at_unix(1700000000), std::chrono::seconds::max()),
            Verdict::ok);
}

TEST(FormatTimestamp, EachFormat) {
  const TimePoint now = at_unix(1700000000) + 123ms;
  EXPECT_EQ(format_timestamp(now, TimestampFormat::unix_seconds), "1700000000");
  EXPECT_EQ(format_timestamp(now, TimestampFormat::unix_millis), "1700000000123");
  EXPECT_EQ(format_timestamp(now, TimestampFormat::rfc3339), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_timestamp(at_unix(0), TimestampFormat::rfc3339), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace hookgate::verify
