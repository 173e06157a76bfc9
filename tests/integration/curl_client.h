// Requests through the real `curl` binary, speaking one of the three protocols a listener
// offers: HTTP/1.1, h2c with prior knowledge, or h2 over TLS (ALPN).
#pragma once

#include <ostream>
#include <string>

#include "harness.h"

namespace hookgate::testing {

enum class Protocol { http1, h2c, h2_tls };
[[nodiscard]] std::string to_string(Protocol protocol);
// For GoogleTest's test names and messages.
inline void PrintTo(Protocol protocol, std::ostream* out) { *out << to_string(protocol); }

struct CurlResponse {
  int status = 0;            // 0: no answer
  std::string http_version;  // "1.1" or "2", as curl reports it
  Headers headers;           // names as received (lowercase over HTTP/2)
  std::string body;
  std::string error;         // curl's stderr
  [[nodiscard]] std::optional<std::string> header(const std::string& name) const;
};

struct CurlTarget {
  uint16_t port = 0;      // cleartext listener (http1, h2c)
  uint16_t tls_port = 0;  // TLS listener (h2_tls)
  std::string ca_cert;    // the CA that signed the TLS listener's certificate
};

// `method` to `path` with `headers` and `body` (no body sent when empty and method is GET).
// Scratch files go to `dir`.
[[nodiscard]] CurlResponse curl_request(Protocol protocol, const CurlTarget& target, const TempDir& dir,
                                        const std::string& method, const std::string& path,
                                        const Headers& headers, const std::string& body);

}  // namespace hookgate::testing
