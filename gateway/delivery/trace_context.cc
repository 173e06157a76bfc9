#include "gateway/delivery/trace_context.h"

#include <strings.h>

namespace hookgate::gateway::delivery {
namespace {

bool lower_hex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(std::string_view text) { return text.find_first_not_of('0') == std::string_view::npos; }

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The 128 bits of a ULID (26 Crockford base32 digits, the top 2 bits zero) as 32 hex digits;
// empty when `ulid` is not one.
std::string ulid_hex(std::string_view ulid) {
  if (ulid.size() != 26) return {};
  uint64_t hi = 0, lo = 0;  // 128 bits, shifted in 5 at a time (130, the top 2 must be zero)
  for (const char c : ulid) {
    static constexpr std::string_view kDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const size_t value = kDigits.find(c);
    if (value == std::string_view::npos) return {};
    if (hi >> 59) return {};  // would overflow 128 bits
    hi = hi << 5 | lo >> 59;
    lo = lo << 5 | value;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[static_cast<size_t>(15 - i)] = kHex[(hi >> (4 * i)) & 15];
    out[static_cast<size_t>(31 - i)] = kHex[(lo >> (4 * i)) & 15];
  }
  return out;
}

}  // namespace

std::optional<TraceParent> parse_traceparent(std::string_view value) {
  // Optional whitespace around a header value is the HTTP layer's; tolerate it here too.
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') return std::nullopt;
  const std::string_view version = value.substr(0, 2);
  if (!lower_hex(version) || version == "ff") return std::nullopt;
  if (version == "00" ? value.size() != 55 : (value.size() > 55 && value[55] != '-')) return std::nullopt;
  TraceParent trace;
  trace.trace_id = std::string(value.substr(3, 32));
  trace.parent_id = std::string(value.substr(36, 16));
  const std::string_view flags = value.substr(53, 2);
  if (!lower_hex(trace.trace_id) || !lower_hex(trace.parent_id) || !lower_hex(flags)) return std::nullopt;
  if (all_zero(trace.trace_id) || all_zero(trace.parent_id)) return std::nullopt;
  trace.flags = static_cast<uint8_t>(hex_value(flags[0]) << 4 | hex_value(flags[1]));
  // Out as version 00: of a later version's flags, only "sampled" is known to mean the same.
  if (version != "00") trace.flags &= 0x01;
  return trace;
}

std::string format_traceparent(const TraceParent& trace) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "00-" + trace.trace_id + "-" + trace.parent_id + "-";
  out.push_back(kHex[trace.flags >> 4]);
  out.push_back(kHex[trace.flags & 15]);
  return out;
}

std::string span_id_hex(const std::array<uint8_t, 8>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

AttemptTrace attempt_trace(const std::vector<std::pair<std::string, std::string>>& headers,
                           std::string_view public_id, std::string_view span_id) {
  AttemptTrace out;
  std::string_view traceparent;
  size_t traceparents = 0;
  std::string tracestate;
  for (const auto& [name, value] : headers) {
    if (iequals(name, "traceparent")) {
      if (++traceparents == 1) traceparent = value;
    } else if (iequals(name, "tracestate")) {
      // Several tracestate fields are one list (RFC 9110 field combination).
      if (!tracestate.empty() && !value.empty()) tracestate += ",";
      tracestate += value;
    }
  }
  if (traceparents == 1) {  // two of them: neither is believed
    if (auto parsed = parse_traceparent(traceparent)) {
      out.traceparent = std::move(*parsed);
      out.continued = true;
      if (!tracestate.empty()) out.tracestate = std::move(tracestate);
    }
  }
  if (!out.continued) {
    const std::string_view ulid = public_id.size() == 30 ? public_id.substr(4) : std::string_view{};
    out.traceparent.trace_id = ulid_hex(ulid);
    // Not an evt_ id (never in practice): the span id twice is still a valid, stable-per-attempt id.
    if (out.traceparent.trace_id.empty() || all_zero(out.traceparent.trace_id)) {
      out.traceparent.trace_id = std::string(span_id) + std::string(span_id);
    }
    out.traceparent.flags = 0x01;
  }
  out.traceparent.parent_id = std::string(span_id);
  return out;
}

}  // namespace hookgate::gateway::delivery
