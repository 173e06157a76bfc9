// Grammar of the field values that decide framing and connection handling. Each function
// takes a value already trimmed of OWS and reports only whether it is well-formed, so the
// parser alone decides what a duplicate or a combination means.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hookgate::gateway::http {

// Content-Length = 1*DIGIT. No sign, no inner whitespace, no list ("5, 5"), no overflow.
[[nodiscard]] std::optional<std::uint64_t> parse_content_length(std::string_view value);

// Transfer-Encoding naming exactly one coding, "chunked" (case-insensitive); a list such as
// "chunked, chunked" or "gzip, chunked" is not.
[[nodiscard]] bool is_single_chunked(std::string_view value);

// Expect = "100-continue" (case-insensitive), the only expectation HTTP/1.1 defines.
[[nodiscard]] bool is_100_continue(std::string_view value);

struct ConnectionOptions {
  bool close = false;
  bool keep_alive = false;
};

// Connection = #connection-option (token list, empty elements allowed). Adds "close" and
// "keep-alive" (case-insensitive) to `options`; other tokens are ignored. False when an element
// is not a token.
[[nodiscard]] bool parse_connection(std::string_view value, ConnectionOptions& options);

// Host = uri-host [ ":" port ] (RFC 9110 §7.2), also used for an absolute-form authority.
// Empty is valid (RFC 9112 §3.2). Refuses whitespace, '/', '@', bytes >= 0x80 and anything
// else a reg-name, an IP-literal or a port cannot hold.
[[nodiscard]] bool is_valid_host(std::string_view value);

}  // namespace hookgate::gateway::http
