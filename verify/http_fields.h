// HTTP field rules every module shares: what a field name may be, and the fields hookgate
// never passes on from a stored request nor lets a transform script set. Those are the
// hop-by-hop and framing fields, which describe one connection and not the event (RFC 9110
// section 7.6.1), and hookgate's own, written fresh on every attempt: its webhook-* id, time
// and signature, its attempt counter and the trace context (each attempt is a span).
#pragma once

#include <array>
#include <string_view>

#include "verify/ascii.h"

namespace hookgate::verify {

// An RFC 9110 token (a field name): one or more of A-Z a-z 0-9 ! # $ % & ' * + - . ^ _ ` | ~.
[[nodiscard]] constexpr bool is_field_name(std::string_view name) noexcept {
  constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (const char c : name) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && kSpecials.find(c) == std::string_view::npos) return false;
  }
  return true;
}

inline constexpr std::array<std::string_view, 17> kReservedOutboundFields{
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection",
    "te", "trailer", "upgrade", "expect", "http2-settings", "webhook-id", "webhook-timestamp",
    "webhook-signature", "hookgate-attempt", "traceparent", "tracestate"};

// Case-insensitive, as field names are.
[[nodiscard]] constexpr bool is_reserved_outbound_field(std::string_view name) noexcept {
  for (const std::string_view reserved : kReservedOutboundFields) {
    if (ascii_iequals(name, reserved)) return true;
  }
  return false;
}

}  // namespace hookgate::verify
