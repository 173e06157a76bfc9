// Header fields hookgate never passes on from a stored request, nor lets a transform script set:
// hop-by-hop and framing fields, which describe one connection and not the event (RFC 9110
// section 7.6.1), and hookgate's own fields, written fresh on every attempt: its webhook-* id,
// time and signature, its attempt counter and the trace context (each attempt is a span).
#pragma once

#include <array>
#include <string_view>

#include "gateway/http1/syntax.h"

namespace hookgate::http1 {

inline constexpr std::array<std::string_view, 17> kReservedOutboundFields{
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection",
    "te", "trailer", "upgrade", "expect", "http2-settings", "webhook-id", "webhook-timestamp",
    "webhook-signature", "hookgate-attempt", "traceparent", "tracestate"};

// Case-insensitive, as field names are.
[[nodiscard]] constexpr bool is_reserved_outbound_field(std::string_view name) {
  for (const std::string_view reserved : kReservedOutboundFields) {
    if (syntax::equals_lower(name, reserved)) return true;
  }
  return false;
}

}  // namespace hookgate::http1
