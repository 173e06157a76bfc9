// Serialises HTTP/1.1 responses. The writer owns framing (Content-Length) and connection
// management (Connection), so a caller cannot emit a second, conflicting length.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace hookgate::gateway::http1 {

using HeaderPair = std::pair<std::string_view, std::string_view>;  // name, value

struct ResponseOptions {
  // An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") from the caller's clock; emitted as the
  // first header when not empty.
  std::string_view date = {};
  // The request's HTTP/1.<minor>. An HTTP/1.0 client only keeps the connection open when the
  // response says "Connection: keep-alive", which the writer then adds.
  int request_version_minor = 1;
  // A response to HEAD: the Content-Length of `body`, but not its bytes.
  bool head = false;
};

// The standard reason phrase (RFC 9110 §15), or "" for a code without one.
[[nodiscard]] std::string_view reason_phrase(int status);

// Appends one final response to `out` (which may already hold earlier pipelined responses):
//   HTTP/1.1 <status> <reason>\r\n [Date]\r\n <headers>\r\n Content-Length: <n>\r\n
//   [Connection: close | keep-alive]\r\n \r\n <body>
// Connection is "close" when !keep_alive, "keep-alive" for a kept HTTP/1.0 client, else absent.
// 204 and 304 carry no Content-Length and must have an empty body.
// Returns false, leaving `out` untouched, when status is outside 200..599, a header name is not
// a token, a value or the date holds CR, LF, NUL or another CTL (response splitting), a header
// is Content-Length, Transfer-Encoding or Connection, or a 204/304 has a body.
[[nodiscard]] bool write_response(std::string& out, int status, std::span<const HeaderPair> headers,
                                  std::string_view body, bool keep_alive, const ResponseOptions& options = {});

// Appends the interim "HTTP/1.1 100 Continue\r\n\r\n" (RFC 9110 §15.2.1).
void write_continue(std::string& out);

}  // namespace hookgate::gateway::http1
