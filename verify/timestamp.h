// Signature timestamps: strict parsing of the formats vendors send, the tolerance window, and
// formatting for sign().
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// A parsed timestamp at the resolution its format carries: unix_seconds in seconds,
// unix_millis and rfc3339 in milliseconds (RFC 3339 fractions beyond ms are truncated).
struct Timestamp {
  std::int64_t value = 0;
  bool millis = false;
};

// Strict: unix formats are ASCII digits only (no sign, no spaces, no exponent) that fit in
// int64; rfc3339 is "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" with valid calendar values
// ('t', 'z' and a space separator accepted as RFC 3339 §5.6 allows; second 60 counts as 59).
[[nodiscard]] std::optional<Timestamp> parse_timestamp(std::string_view text,
                                                       TimestampFormat format);

// Verdict::ok when `ts` is within `tolerance` of `now` in both directions, inclusive (a
// timestamp exactly `tolerance` old passes); else timestamp_too_old / timestamp_in_future.
// `now` is floored to the timestamp's resolution first, as the vendors' SDKs do. The caller
// skips this call for tolerance 0 ("do not check").
[[nodiscard]] Verdict check_tolerance(Timestamp ts, TimePoint now,
                                      std::chrono::seconds tolerance);

// `now` in `format`, as a vendor would send it (rfc3339: UTC, whole seconds, 'Z').
[[nodiscard]] std::string format_timestamp(TimePoint now, TimestampFormat format);

}  // namespace hookgate::verify
