// The protocol-neutral request and response: HTTP/1.1 and HTTP/2 sessions produce an
// InboundRequest and send back a Response; nothing behind them knows which protocol it was.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace hookgate::gateway::connections {

struct HeaderField {
  std::string name;   // as received
  std::string value;
};

struct InboundRequest {
  std::string method;
  std::string path;   // without query
  std::string query;  // without '?'
  std::vector<HeaderField> headers;
  std::string body;   // raw; capacity >= size() + 64 when the session can afford it
  std::string peer;   // "ip:port", for logs
  std::string request_id;  // "<connection>.<n>" (request_id.h), for logs
  std::string authority;   // HTTP/2's :authority (not stored); HTTP/1.1 has its Host header
};

struct Response {
  int status = 500;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Retry-After, Allow…)
  std::string body;
};

// Called exactly once per request, on the thread of the loop that owns the connection.
using Respond = std::function<void(Response)>;

// Builds `{"error":"<reason>"}` responses; `reason` is snake_case and safe to echo.
[[nodiscard]] Response error_response(int status, std::string_view reason);

}  // namespace hookgate::gateway::connections
