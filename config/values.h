// Scalar value grammars of the config file: unsigned integers, durations, sizes, percentages,
// names. Pure functions over text; they never see where the text came from, so their error
// reasons never quote it (the caller decides whether the text may be shown).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace hookgate::config::detail {

// A parsed value, or the reason it could not be parsed ("unknown unit 'MB' (...)").
template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error;  // set iff !value

  static Parsed ok(T v) { return Parsed{std::move(v), {}}; }
  static Parsed fail(std::string reason) { return Parsed{std::nullopt, std::move(reason)}; }
};

// Decimal digits only: no sign, no spaces, no "0x", no fraction.
[[nodiscard]] Parsed<uint64_t> parse_unsigned(std::string_view text);

// "<n><unit>" with unit ms, s, m, h or d; a bare integer is seconds. An optional space may
// separate number and unit. Whole numbers only ("1500ms", not "1.5s").
[[nodiscard]] Parsed<Duration> parse_duration(std::string_view text);

// "<n>" or "<n><unit>" (bytes), unit B, K/KiB, M/MiB, G/GiB: all binary (1K = 1024).
// Decimal units (KB, MB, GB) are rejected rather than guessed.
[[nodiscard]] Parsed<uint64_t> parse_size(std::string_view text);

// "20%" or "20"; 0..100.
[[nodiscard]] Parsed<uint32_t> parse_percent(std::string_view text);

// "<n>/<unit>" with unit s, m or h ("200/s"); n >= 1.
[[nodiscard]] Parsed<RateLimit> parse_rate_limit(std::string_view text);

// The shortest exact spelling of a duration / size, for messages: "5m", "1500ms", "1GiB".
[[nodiscard]] std::string format_duration(Duration d);
[[nodiscard]] std::string format_size(uint64_t bytes);

// Source and destination names: [a-z0-9_-]{1,64}. They become SQL values, metric labels and
// URL path segments of the admin API, so the alphabet is deliberately small.
[[nodiscard]] bool is_valid_name(std::string_view name);

// An HTTP field name (RFC 9110 token).
[[nodiscard]] bool is_header_name(std::string_view name);

}  // namespace hookgate::config::detail
