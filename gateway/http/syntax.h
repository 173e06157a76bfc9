// Character classes of RFC 9110 §5.6 and RFC 3986 as the HTTP/1.1 core uses them.
// Table lookups, because the parser asks these questions once per input byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hookgate::gateway::http::syntax {

namespace detail {

enum : std::uint8_t {
  kToken = 1 << 0,        // tchar
  kFieldValue = 1 << 1,   // field-vchar / SP / HTAB, obs-text included
  kTargetChar = 1 << 2,   // visible ASCII: what a request-target may hold before form checks
  kHexDigit = 1 << 3,
  kHostChar = 1 << 4,     // unreserved / pct-encoded / sub-delims (reg-name and IP-literal bodies)
  kQdText = 1 << 5,       // qdtext of a quoted-string (RFC 9110 §5.6.4)
};

constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t bits = 0;
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    const bool visible = c >= 0x21 && c <= 0x7e;
    if (alpha || digit || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
      bits |= kToken;
    }
    if (visible || c == ' ' || c == '\t' || c >= 0x80) bits |= kFieldValue;
    if (visible) bits |= kTargetChar;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) bits |= kHexDigit;
    if (alpha || digit || std::string_view("-._~%!$&'()*+,;=").find(static_cast<char>(c)) != std::string_view::npos) {
      bits |= kHostChar;
    }
    if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80) {
      bits |= kQdText;
    }
    t[static_cast<std::size_t>(c)] = bits;
  }
  return t;
}

inline constexpr std::array<std::uint8_t, 256> kTable = make_table();

}  // namespace detail

inline constexpr bool is_tchar(unsigned char c) { return (detail::kTable[c] & detail::kToken) != 0; }
// A byte allowed inside a field value (leading/trailing OWS included); excludes CR, LF, NUL,
// the other CTLs and DEL.
inline constexpr bool is_field_value_char(unsigned char c) { return (detail::kTable[c] & detail::kFieldValue) != 0; }
inline constexpr bool is_target_char(unsigned char c) { return (detail::kTable[c] & detail::kTargetChar) != 0; }
inline constexpr bool is_hex_digit(unsigned char c) { return (detail::kTable[c] & detail::kHexDigit) != 0; }
inline constexpr bool is_host_char(unsigned char c) { return (detail::kTable[c] & detail::kHostChar) != 0; }
inline constexpr bool is_qdtext(unsigned char c) { return (detail::kTable[c] & detail::kQdText) != 0; }
inline constexpr bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline constexpr bool is_ows(unsigned char c) { return c == ' ' || c == '\t'; }

// Length of the run of bytes at the front of `s` that `accept` admits: lets a parser take a
// run in one step where the per-byte rule would accept each byte alike.
template <typename Accept>
constexpr std::size_t run_length(std::string_view s, Accept accept) {
  std::size_t n = 0;
  while (n < s.size() && accept(static_cast<unsigned char>(s[n]))) ++n;
  return n;
}

inline constexpr unsigned hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10u;
  return c - 'A' + 10u;
}

inline constexpr bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// ASCII case-insensitive equality; `lower` must already be lower case.
inline constexpr bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c != static_cast<unsigned char>(lower[i])) return false;
  }
  return true;
}

inline constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_ows(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace hookgate::gateway::http::syntax
