// The scalar grammars (durations, sizes, percentages, addresses, URLs, ${NAME}) in isolation.
#include <gtest/gtest.h>

#include <array>
#include <string_view>

#include "config/address.h"
#include "config/interpolate.h"
#include "config/suggest.h"
#include "config/values.h"
#include "test_support.h"

namespace hookgate::config::detail {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, AcceptsEveryUnitAndBareSeconds) {
  EXPECT_EQ(parse_duration("250ms").value, milliseconds(250));
  EXPECT_EQ(parse_duration("5s").value, milliseconds(5'000));
  EXPECT_EQ(parse_duration("5m").value, milliseconds(300'000));
  EXPECT_EQ(parse_duration("2h").value, milliseconds(7'200'000));
  EXPECT_EQ(parse_duration("7d").value, milliseconds(604'800'000));
  EXPECT_EQ(parse_duration("30").value, milliseconds(30'000));
  EXPECT_EQ(parse_duration("0").value, milliseconds(0));
  EXPECT_EQ(parse_duration("10 s").value, milliseconds(10'000));
}

TEST(ParseDuration, RejectsNegativeJunkFractionsUnknownUnitsAndOverflow) {
  EXPECT_EQ(parse_duration("-5s").error, "must not be negative");
  EXPECT_EQ(parse_duration("").error, "empty value");
  EXPECT_EQ(parse_duration("soon").error,
            "expected a number followed by a unit: ms, s, m, h or d (e.g. 250ms, 5s, 5m)");
  EXPECT_EQ(parse_duration("1.5s").error, "only whole numbers are allowed (use a smaller unit)");
  EXPECT_EQ(parse_duration("5 minutes").error, "unknown unit 'minutes' (use ms, s, m, h or d)");
  EXPECT_EQ(parse_duration("5S").error, "unknown unit 'S' (use ms, s, m, h or d)");
  EXPECT_EQ(parse_duration("200000000000000d").error, "duration too large");
  EXPECT_EQ(parse_duration("99999999999999999999999").error, "number too large");
  EXPECT_FALSE(parse_duration("+5s").value);
}

TEST(ParseSize, AcceptsBinaryUnits) {
  EXPECT_EQ(parse_size("512").value, 512u);
  EXPECT_EQ(parse_size("512B").value, 512u);
  EXPECT_EQ(parse_size("64KiB").value, 64u * 1024);
  EXPECT_EQ(parse_size("64K").value, 64u * 1024);
  EXPECT_EQ(parse_size("1MiB").value, 1u << 20);
  EXPECT_EQ(parse_size("1M").value, 1u << 20);
  EXPECT_EQ(parse_size("1GiB").value, 1u << 30);
  EXPECT_EQ(parse_size("2G").value, 2ULL << 30);
  EXPECT_EQ(parse_size("16 KiB").value, 16u * 1024);
}

TEST(ParseSize, RejectsDecimalUnitsNegativesJunkAndOverflow) {
  EXPECT_EQ(parse_size("1MB").error, "unknown unit 'MB' (use K/KiB, M/MiB or G/GiB; units are binary, 1K = 1024)");
  EXPECT_FALSE(parse_size("1kb").value);
  EXPECT_FALSE(parse_size("1TiB").value);
  EXPECT_EQ(parse_size("-1").error, "must not be negative");
  EXPECT_EQ(parse_size("1.5MiB").error, "only whole numbers are allowed (use a smaller unit)");
  EXPECT_EQ(parse_size("lots").error,
            "expected a number followed by an optional unit: K/KiB, M/MiB or G/GiB (e.g. 64KiB)");
  EXPECT_EQ(parse_size("17179869184GiB").error, "size too large");
}

TEST(ParsePercent, AcceptsWithAndWithoutSign) {
  EXPECT_EQ(parse_percent("20%").value, 20u);
  EXPECT_EQ(parse_percent("20").value, 20u);
  EXPECT_EQ(parse_percent("0%").value, 0u);
  EXPECT_EQ(parse_percent("100%").value, 100u);
  EXPECT_EQ(parse_percent("101%").error, "must be between 0% and 100%");
  EXPECT_FALSE(parse_percent("-5%").value);
  EXPECT_FALSE(parse_percent("12.5%").value);
  EXPECT_FALSE(parse_percent("%").value);
}

TEST(ParseRateLimit, CountPerUnit) {
  const auto limit = parse_rate_limit("200/s");
  ASSERT_TRUE(limit.value);
  EXPECT_EQ(limit.value->count, 200u);
  EXPECT_EQ(limit.value->per, milliseconds(1'000));
  EXPECT_EQ(parse_rate_limit("10/m").value->per, milliseconds(60'000));
  EXPECT_EQ(parse_rate_limit("10/h").value->per, milliseconds(3'600'000));
  EXPECT_FALSE(parse_rate_limit("0/s").value);
  EXPECT_FALSE(parse_rate_limit("200").value);
  EXPECT_FALSE(parse_rate_limit("200/d").value);
}

TEST(FormatForMessages, PicksTheLargestExactUnit) {
  EXPECT_EQ(format_duration(milliseconds(300'000)), "5m");
  EXPECT_EQ(format_duration(milliseconds(1'500)), "1500ms");
  EXPECT_EQ(format_duration(milliseconds(0)), "0ms");
  EXPECT_EQ(format_duration(milliseconds(86'400'000)), "1d");
  EXPECT_EQ(format_size(1ULL << 30), "1GiB");
  EXPECT_EQ(format_size(256), "256");
  EXPECT_EQ(format_size(1536), "1536");
}

TEST(Names, LowercaseDigitsUnderscoreDash) {
  EXPECT_TRUE(is_valid_name("stripe"));
  EXPECT_TRUE(is_valid_name("billing-v2_eu"));
  EXPECT_FALSE(is_valid_name("Stripe"));
  EXPECT_FALSE(is_valid_name("a b"));
  EXPECT_FALSE(is_valid_name("a'b"));
  EXPECT_FALSE(is_valid_name(""));
  EXPECT_FALSE(is_valid_name(std::string(65, 'a')));
}

TEST(ListenAddress, Ipv4Ipv6AndPortZero) {
  auto v4 = parse_listen_address("0.0.0.0:8080");
  ASSERT_TRUE(v4.value);
  EXPECT_EQ(v4.value->host, "0.0.0.0");
  EXPECT_EQ(v4.value->port, 8080);
  auto v6 = parse_listen_address("[::1]:8443");
  ASSERT_TRUE(v6.value);
  EXPECT_EQ(v6.value->host, "::1");
  EXPECT_EQ(v6.value->port, 8443);
  EXPECT_EQ(parse_listen_address("127.0.0.1:0").value->port, 0);
}

TEST(ListenAddress, RejectsMissingPortNamesBareIpv6AndBadPorts) {
  EXPECT_EQ(parse_listen_address("0.0.0.0").error, "expected host:port, e.g. 0.0.0.0:8080 or [::1]:8080");
  EXPECT_EQ(parse_listen_address("::1:8080").error, "IPv6 addresses must be in brackets, e.g. [::1]:8080");
  EXPECT_EQ(parse_listen_address("localhost:8080").error,
            "host must be an IP address (e.g. 0.0.0.0, 127.0.0.1 or [::1])");
  EXPECT_EQ(parse_listen_address("0.0.0.0:65536").error, "port must be a number from 0 to 65535");
  EXPECT_FALSE(parse_listen_address("0.0.0.0:").value);
  EXPECT_FALSE(parse_listen_address("[::1]8080").value);
  EXPECT_FALSE(parse_listen_address("[nope]:80").value);
  EXPECT_FALSE(parse_listen_address(":8080").value);
}

TEST(HttpUrl, SplitsSchemeHostPortTarget) {
  auto url = parse_http_url("http://billing.internal:8000/webhooks?x=1");
  ASSERT_TRUE(url.value) << url.error;
  EXPECT_FALSE(url.value->tls);
  EXPECT_EQ(url.value->host, "billing.internal");
  EXPECT_EQ(url.value->port, 8000);
  EXPECT_EQ(url.value->authority, "billing.internal:8000");
  EXPECT_EQ(url.value->target, "/webhooks?x=1");

  auto tls = parse_http_url("HTTPS://audit.internal");
  ASSERT_TRUE(tls.value);
  EXPECT_TRUE(tls.value->tls);
  EXPECT_EQ(tls.value->port, 443);
  EXPECT_EQ(tls.value->target, "/");

  auto v6 = parse_http_url("http://[::1]:9000/in");
  ASSERT_TRUE(v6.value);
  EXPECT_EQ(v6.value->host, "::1");
  EXPECT_EQ(v6.value->authority, "[::1]:9000");
  EXPECT_EQ(parse_http_url("http://a?b=1").value->target, "/?b=1");
  EXPECT_EQ(parse_http_url("http://a").value->port, 80);
}

TEST(HttpUrl, RejectsOtherSchemesCredentialsFragmentsAndBadPorts) {
  EXPECT_EQ(parse_http_url("ftp://x/").error, "unsupported scheme (use http:// or https://)");
  EXPECT_EQ(parse_http_url("billing.internal/hooks").error, "expected an absolute URL: http://host[:port]/path");
  EXPECT_EQ(parse_http_url("http://user:pw@x/").error,
            "credentials in the URL are not supported (send them with `headers`)");
  EXPECT_EQ(parse_http_url("http://x/#frag").error, "fragments (#...) are not allowed");
  EXPECT_EQ(parse_http_url("http://x:0/").error, "port must be a number from 1 to 65535");
  EXPECT_EQ(parse_http_url("http:///path").error, "missing host");
  EXPECT_FALSE(parse_http_url("http://x:/").value);
  EXPECT_FALSE(parse_http_url("http://x y/").value);
  EXPECT_FALSE(parse_http_url("http://bad!host/").value);
}

TEST(Interpolate, ReplacesNamesAndUnescapesDollars) {
  auto out = interpolate("a ${PORT} b $${PORT} c $$ d $x $", &testing::fake_env);
  EXPECT_TRUE(out.unset.empty());
  EXPECT_TRUE(out.substituted);
  EXPECT_EQ(out.value, "a 9000 b ${PORT} c $ d $x $");
  auto plain = interpolate("no references", &testing::fake_env);
  EXPECT_FALSE(plain.substituted);
  EXPECT_EQ(plain.value, "no references");
  EXPECT_EQ(interpolate("${EMPTY}", &testing::fake_env).value, "");
}

TEST(Interpolate, ReportsUnsetNamesOnceAndSyntaxErrors) {
  auto out = interpolate("${NOPE}${NOPE}${ALSO_NOPE}", &testing::fake_env);
  EXPECT_EQ(out.unset, (std::vector<std::string>{"NOPE", "ALSO_NOPE"}));
  EXPECT_TRUE(interpolate("${PORT", &testing::fake_env).unterminated);
  EXPECT_TRUE(interpolate("${}", &testing::fake_env).bad_name);
  EXPECT_TRUE(interpolate("${A-B}", &testing::fake_env).bad_name);
  EXPECT_TRUE(interpolate("${1A}", &testing::fake_env).bad_name);
}

TEST(ClosestMatch, SuggestsNearbyKeysOnly) {
  static constexpr std::array<std::string_view, 4> kKeys{"secrets", "provider", "tolerance", "hmac"};
  EXPECT_EQ(closest_match("secret", kKeys), "secrets");
  EXPECT_EQ(closest_match("provdier", kKeys), "provider");
  EXPECT_EQ(closest_match("Tolerance", kKeys), "tolerance");
  EXPECT_EQ(closest_match("hamc", kKeys), "hmac");
  EXPECT_FALSE(closest_match("colour", kKeys));
  EXPECT_FALSE(closest_match("x", kKeys));
}

}  // namespace
}  // namespace hookgate::config::detail
