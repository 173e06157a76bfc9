// A request as the HTTP/1.1 request parser (gateway/http1/) hands it over: owned, framing removed,
// every field validated. The HTTP/2 session and the ingest pipeline rely on its body padding.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hookgate::gateway::http {

struct Header {
  std::string name;   // as received (a token); compare case-insensitively
  std::string value;  // leading and trailing OWS removed; may hold obs-text bytes (0x80-0xFF)
};

struct Request {
  // Readable bytes guaranteed after body.data() + body.size(): pass
  // (body.data(), body.size(), body.capacity()) to simdjson's padded_string_view without a copy.
  // The padding bytes are zero. Moving the Request keeps the guarantee; copying does not.
  static constexpr std::size_t kBodyPadding = 64;

  std::string method;  // a token, as sent (case-sensitive)
  std::string target;  // request-target exactly as sent
  std::string path;    // target up to '?', not percent-decoded, not normalised; for absolute-form
                       // the path part only ("/" when empty); "*" for asterisk-form OPTIONS
  std::string query;   // after the first '?', without it; empty when absent
  int version_minor = 1;              // HTTP/1.<version_minor>: 0 or 1
  std::vector<Header> headers;        // in arrival order; trailer fields are not included
  std::string body;                   // decoded (chunk framing removed); see kBodyPadding
  bool keep_alive = true;             // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
                                      // "Connection: keep-alive" (and no "close")
  bool expect_continue = false;       // HTTP/1.1 "Expect: 100-continue" was present
};

}  // namespace hookgate::gateway::http
