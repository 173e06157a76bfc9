// Why the HTTP/1.1 core refused a request, and the status the gateway answers with.
// After any of these the connection is closed: the framing of what follows is unknown.
#pragma once

#include <string_view>

namespace hookgate::gateway::http1 {

enum class Error {
  none,
  bad_request,              // 400: malformed or ambiguous (every smuggling shape lands here)
  header_fields_too_large,  // 431: head or trailer section over its byte budget, or too many fields
  uri_too_long,             // 414
  payload_too_large,        // 413: declared or accumulated body over Limits::max_body
  not_implemented,          // 501: a transfer coding other than a single "chunked"
  version_not_supported,    // 505: well-formed HTTP/d.d other than 1.0 and 1.1
  length_required,          // 411: never produced by the parser (a request without framing has an
                            // empty body, RFC 9112 §6.3); kept for callers that require a length
  expectation_failed,       // 417: an Expect value other than 100-continue
};

// The status code to answer with; 0 for Error::none.
[[nodiscard]] int status_of(Error error);

// Stable snake_case name of the error (the enumerator's name), for metric labels and logs.
[[nodiscard]] std::string_view reason_of(Error error);

}  // namespace hookgate::gateway::http1
