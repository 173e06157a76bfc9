// Tells HTTP/2 with prior knowledge (h2c, or h2 over TLS without ALPN) from HTTP/1.1 by the
// first bytes of a connection, sans I/O. An HTTP/2 client starts with the 24-byte preface
// "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"; no valid HTTP/1.1 request does, and the first byte
// that differs from it settles the question.
#pragma once

#include <string_view>

namespace hookgate::gateway::connections {

inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

enum class Sniffed {
  need_more,  // every byte so far is a prefix of the preface (or there are none): wait
  http1,      // some byte differs from the preface
  http2,      // the whole preface is there (the bytes go to the HTTP/2 session as they are)
};

// `first_bytes`: the connection's first bytes, however many have arrived (may be more than
// the preface). The answer for a given byte string never changes as more bytes arrive.
[[nodiscard]] constexpr Sniffed sniff_protocol(std::string_view first_bytes) {
  const std::size_t n = first_bytes.size() < kHttp2Preface.size() ? first_bytes.size() : kHttp2Preface.size();
  if (first_bytes.substr(0, n) != kHttp2Preface.substr(0, n)) return Sniffed::http1;
  return n == kHttp2Preface.size() ? Sniffed::http2 : Sniffed::need_more;
}

}  // namespace hookgate::gateway::connections
