// W3C Trace Context (traceparent, tracestate) on deliveries, so that a destination's traces
// join the vendor's. Pure: no I/O, no clock; the caller supplies the span id.
//
// Each attempt is a span of its own: its traceparent carries the trace-id of the vendor's
// traceparent when the vendor sent exactly one valid one (flags kept, tracestate passed on),
// else a trace-id made from the event's evt_… id (its 128-bit ULID, so every attempt and
// replay of one event is one trace; flags 01, sampled), and the attempt's own parent-id.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookgate::gateway::delivery {

struct TraceParent {
  std::string trace_id;   // 32 lowercase hex digits, not all zero
  std::string parent_id;  // 16 lowercase hex digits, not all zero
  uint8_t flags = 0;
};

// A traceparent header value as W3C Trace Context level 1 reads it: version 00 exactly
// "00-<trace-id>-<parent-id>-<flags>"; a later version (not ff) may append "-…", which is
// ignored. Uppercase hex, all-zero ids and anything else malformed: nullopt.
[[nodiscard]] std::optional<TraceParent> parse_traceparent(std::string_view value);
[[nodiscard]] std::string format_traceparent(const TraceParent& trace);  // version 00

// 16 lowercase hex digits from 8 bytes (an attempt's span id; all-zero bytes are the caller's
// to avoid).
[[nodiscard]] std::string span_id_hex(const std::array<uint8_t, 8>& bytes);

struct AttemptTrace {
  TraceParent traceparent;             // parent_id: the attempt's span id
  std::optional<std::string> tracestate;  // the vendor's, when its trace is continued
  bool continued = false;              // from the vendor's traceparent
};

// The trace of one attempt of the event whose stored request headers are `headers` (name,
// value, as received) and whose id is `public_id` (evt_ + 26 Crockford base32 digits).
[[nodiscard]] AttemptTrace attempt_trace(const std::vector<std::pair<std::string, std::string>>& headers,
                                         std::string_view public_id, std::string_view span_id);

}  // namespace hookgate::gateway::delivery
