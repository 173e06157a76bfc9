#include "verify/timestamp.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>

namespace hookgate::verify {
namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Non-empty run of ASCII digits that fits in int64. No sign, no whitespace.
std::optional<std::int64_t> parse_digits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    const int digit = c - '0';
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// Exactly `n` digits at text[pos…].
std::optional<int> fixed_digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<Timestamp> parse_rfc3339(std::string_view t) {
  // 0123456789012345678
  // YYYY-MM-DDTHH:MM:SS
  if (t.size() < 20) return std::nullopt;
  const auto year = fixed_digits(t, 0, 4), month = fixed_digits(t, 5, 2),
             day = fixed_digits(t, 8, 2);
  const auto hour = fixed_digits(t, 11, 2), minute = fixed_digits(t, 14, 2),
             second = fixed_digits(t, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (t[4] != '-' || t[7] != '-' || t[13] != ':' || t[16] != ':') return std::nullopt;
  if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;

  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (t[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < t.size() && is_digit(t[pos])) {
      if (pos - start < 3) millis = millis * 10 + (t[pos] - '0');
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 3; ++n) millis *= 10;
  }

  if (pos >= t.size()) return std::nullopt;
  std::int64_t offset_seconds = 0;
  if (t[pos] == 'Z' || t[pos] == 'z') {
    ++pos;
  } else if (t[pos] == '+' || t[pos] == '-') {
    const auto oh = fixed_digits(t, pos + 1, 2), om = fixed_digits(t, pos + 4, 2);
    if (!oh || !om || t[pos + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
    offset_seconds = (*oh * 60 + *om) * 60;
    if (t[pos] == '-') offset_seconds = -offset_seconds;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;

  // A leap second (:60) is folded into :59; the window is minutes wide anyway.
  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t seconds =
      days * 86400 + *hour * 3600 + *minute * 60 + std::min(*second, 59) - offset_seconds;
  return Timestamp{seconds * 1000 + millis, true};
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text, TimestampFormat format) {
  switch (format) {
    case TimestampFormat::unix_seconds:
      if (auto v = parse_digits(text)) return Timestamp{*v, false};
      return std::nullopt;
    case TimestampFormat::unix_millis:
      if (auto v = parse_digits(text)) return Timestamp{*v, true};
      return std::nullopt;
    case TimestampFormat::rfc3339:
      return parse_rfc3339(text);
  }
  return std::nullopt;
}

Verdict check_tolerance(Timestamp ts, TimePoint now, std::chrono::seconds tolerance) {
  using std::chrono::floor;
  const std::int64_t now_value =
      ts.millis ? floor<std::chrono::milliseconds>(now).time_since_epoch().count()
                : floor<std::chrono::seconds>(now).time_since_epoch().count();
  // Saturate: a tolerance of more than ~292 million years is "forever", not an overflow.
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t tol_seconds = std::max<std::int64_t>(tolerance.count(), 0);
  const std::int64_t window =
      !ts.millis ? tol_seconds : (tol_seconds > max / 1000 ? max : tol_seconds * 1000);
  // now_value is a present-day clock reading and ts.value is non-negative for the unix formats
  // and bounded by years 0000..9999 for rfc3339, so neither difference overflows.
  if (now_value >= ts.value) {
    return now_value - ts.value > window ? Verdict::timestamp_too_old : Verdict::ok;
  }
  return ts.value - now_value > window ? Verdict::timestamp_in_future : Verdict::ok;
}

std::string format_timestamp(TimePoint now, TimestampFormat format) {
  using namespace std::chrono;
  switch (format) {
    case TimestampFormat::unix_seconds:
      return std::to_string(floor<seconds>(now).time_since_epoch().count());
    case TimestampFormat::unix_millis:
      return std::to_string(floor<milliseconds>(now).time_since_epoch().count());
    case TimestampFormat::rfc3339: {
      const sys_days days = floor<std::chrono::days>(now);
      const year_month_day date{days};
      const hh_mm_ss<seconds> time{floor<seconds>(now - days)};
      std::array<char, 32> buf{};
      const int n = std::snprintf(
          buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
          static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
          static_cast<int>(time.seconds().count()));
      return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
    }
  }
  return {};
}

}  // namespace hookgate::verify
