// The inbound request as verifiers see it: a read-only view, valid for the duration of one
// verify() or extract call. Protocol-independent: HTTP/1.1 and HTTP/2 both produce it.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace hookgate::verify {

class JsonBody;

struct HeaderView {
  std::string_view name;   // as received; compare case-insensitively
  std::string_view value;  // leading/trailing whitespace already trimmed
};

struct Request {
  std::string_view method;      // "POST"
  std::string_view path;        // "/in/stripe" (no query)
  std::string_view query;       // without '?', may be empty
  std::string_view public_url;  // source's public_url + ("?" + query if any); else path[?query]
  std::span<const HeaderView> headers;
  // The connection's peer address, without port or brackets ("203.0.113.7", "2001:db8::1");
  // empty when unknown. IP allowlists read it.
  std::string_view peer_ip;
  std::string_view body;        // raw bytes exactly as received
  // True when body.data() has at least 64 readable bytes after body.size() (simdjson padding),
  // so JSON extraction can parse in place without a copy.
  bool body_padded = false;
  // The body's JSON, parsed once for every lookup of this request (see json_body.h); null:
  // each lookup parses the body itself.
  JsonBody* json = nullptr;

  // First header with this name (case-insensitive), or nullopt.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  // Number of headers with this name (a repeated signature header is ambiguous: reject it).
  [[nodiscard]] std::size_t header_count(std::string_view name) const;
};

}  // namespace hookgate::verify
