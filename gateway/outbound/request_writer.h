// Serializes the head of an outbound HTTP/1.1 request, sans I/O. The caller's header fields
// are checked so that nothing they hold can change the request's framing: a header name that is
// not a token, a value with CR, LF, NUL or another control byte, or a field the client owns
// (Host, Content-Length, Transfer-Encoding, Connection, Upgrade) makes the request unsendable.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookgate::gateway::outbound {

struct RequestHead {
  std::string_view method;     // a token: "POST"
  std::string_view target;     // origin-form: "/webhooks?x=1"
  std::string_view authority;  // the Host header: "billing.internal:8000"
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;  // may be null
  size_t body_size = 0;
};

// Appends "METHOD target HTTP/1.1", "Host", the caller's fields in order, "Content-Length" and
// the empty line to `out`. Content-Length is left out only for GET and HEAD without a body.
// Returns nullopt on success; otherwise a fixed phrase saying why the request cannot be sent
// (it never contains header values), and `out` is left as it was.
[[nodiscard]] std::optional<std::string_view> write_request_head(std::string& out, const RequestHead& head);

}  // namespace hookgate::gateway::outbound
