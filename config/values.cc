#include "config/values.h"

#include <array>
#include <limits>
#include <utility>

namespace hookgate::config::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits "<digits><rest>"; rest has one optional leading space removed.
struct NumberAndUnit {
  std::string_view digits;
  std::string_view unit;
};

// Shared front half of the unit grammars. Returns a reason on failure.
std::optional<std::string> split_number(std::string_view text, NumberAndUnit& out,
                                        std::string_view unit_hint) {
  if (text.empty()) return "empty value";
  if (text.front() == '-') return "must not be negative";
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0) return "expected a number followed by " + std::string(unit_hint);
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    return "only whole numbers are allowed (use a smaller unit)";
  }
  out.digits = text.substr(0, i);
  out.unit = text.substr(i);
  if (!out.unit.empty() && out.unit.front() == ' ') out.unit.remove_prefix(1);
  return std::nullopt;
}

}  // namespace

Parsed<uint64_t> parse_unsigned(std::string_view text) {
  using P = Parsed<uint64_t>;
  if (text.empty()) return P::fail("empty value");
  if (text.front() == '-') return P::fail("must not be negative");
  uint64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) return P::fail("not a whole number");
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return P::fail("number too large");
    value = value * 10 + digit;
  }
  return P::ok(value);
}

Parsed<Duration> parse_duration(std::string_view text) {
  using P = Parsed<Duration>;
  constexpr std::string_view kHint = "a unit: ms, s, m, h or d (e.g. 250ms, 5s, 5m)";
  NumberAndUnit parts;
  if (auto reason = split_number(text, parts, kHint)) return P::fail(*reason);
  static constexpr std::array<std::pair<std::string_view, int64_t>, 5> kUnits{{
      {"ms", 1}, {"s", 1'000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};
  int64_t multiplier = 0;
  if (parts.unit.empty()) {
    multiplier = 1'000;  // a bare number is seconds
  } else {
    for (const auto& [name, ms] : kUnits) {
      if (parts.unit == name) multiplier = ms;
    }
    if (multiplier == 0) {
      return P::fail("unknown unit '" + std::string(parts.unit) + "' (use ms, s, m, h or d)");
    }
  }
  const auto number = parse_unsigned(parts.digits);
  if (!number.value) return P::fail(number.error);
  const auto max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / multiplier);
  if (*number.value > max) return P::fail("duration too large");
  return P::ok(Duration{static_cast<int64_t>(*number.value) * multiplier});
}

Parsed<uint64_t> parse_size(std::string_view text) {
  using P = Parsed<uint64_t>;
  constexpr std::string_view kHint = "an optional unit: K/KiB, M/MiB or G/GiB (e.g. 64KiB)";
  NumberAndUnit parts;
  if (auto reason = split_number(text, parts, kHint)) return P::fail(*reason);
  static constexpr std::array<std::pair<std::string_view, uint64_t>, 7> kUnits{{
      {"B", 1}, {"K", 1ULL << 10}, {"KiB", 1ULL << 10}, {"M", 1ULL << 20}, {"MiB", 1ULL << 20},
      {"G", 1ULL << 30}, {"GiB", 1ULL << 30}}};
  uint64_t multiplier = parts.unit.empty() ? 1 : 0;
  for (const auto& [name, bytes] : kUnits) {
    if (parts.unit == name) multiplier = bytes;
  }
  if (multiplier == 0) {
    // KB/MB/GB are ambiguous (1000 or 1024?): refuse rather than guess.
    return P::fail("unknown unit '" + std::string(parts.unit) +
                   "' (use K/KiB, M/MiB or G/GiB; units are binary, 1K = 1024)");
  }
  const auto number = parse_unsigned(parts.digits);
  if (!number.value) return P::fail(number.error);
  if (*number.value > std::numeric_limits<uint64_t>::max() / multiplier) return P::fail("size too large");
  return P::ok(*number.value * multiplier);
}

Parsed<uint32_t> parse_percent(std::string_view text) {
  using P = Parsed<uint32_t>;
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  if (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const auto number = parse_unsigned(text);
  if (!number.value) return P::fail(number.error + " (expected a percentage such as 20%)");
  if (*number.value > 100) return P::fail("must be between 0% and 100%");
  return P::ok(static_cast<uint32_t>(*number.value));
}

Parsed<RateLimit> parse_rate_limit(std::string_view text) {
  using P = Parsed<RateLimit>;
  constexpr std::string_view kShape = "expected <count>/<unit> with unit s, m or h (e.g. 200/s)";
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return P::fail(std::string(kShape));
  auto count_text = text.substr(0, slash);
  auto unit = text.substr(slash + 1);
  if (!count_text.empty() && count_text.back() == ' ') count_text.remove_suffix(1);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const auto count = parse_unsigned(count_text);
  if (!count.value) return P::fail(count.error + "; " + std::string(kShape));
  if (*count.value < 1 || *count.value > 1'000'000'000) {
    return P::fail("count must be between 1 and 1000000000");
  }
  RateLimit limit;
  limit.count = static_cast<uint32_t>(*count.value);
  if (unit == "s") {
    limit.per = Duration{1'000};
  } else if (unit == "m") {
    limit.per = Duration{60'000};
  } else if (unit == "h") {
    limit.per = Duration{3'600'000};
  } else {
    return P::fail(std::string(kShape));
  }
  return P::ok(limit);
}

std::string format_duration(Duration d) {
  const int64_t ms = d.count();
  static constexpr std::array<std::pair<std::string_view, int64_t>, 4> kUnits{{
      {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}}};
  if (ms != 0) {
    for (const auto& [name, size] : kUnits) {
      if (ms % size == 0) return std::to_string(ms / size) + std::string(name);
    }
  }
  return std::to_string(ms) + "ms";
}

std::string format_size(uint64_t bytes) {
  static constexpr std::array<std::pair<std::string_view, uint64_t>, 3> kUnits{{
      {"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}}};
  if (bytes != 0) {
    for (const auto& [name, size] : kUnits) {
      if (bytes % size == 0) return std::to_string(bytes / size) + std::string(name);
    }
  }
  return std::to_string(bytes);
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_header_name(std::string_view name) {
  if (name.empty()) return false;
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
                    kTokenSymbols.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace hookgate::config::detail
