#include "gateway/outbound/request_writer.h"

#include <array>

#include "gateway/http/syntax.h"

namespace hookgate::gateway::outbound {

namespace syntax = http::syntax;

namespace {

// Fields that decide framing or the connection's fate: only the client writes them.
constexpr std::array<std::string_view, 5> kClientOwnedFields = {"host", "content-length", "transfer-encoding",
                                                                "connection", "upgrade"};

bool is_field_value(std::string_view value) {
  for (const char c : value) {
    if (!syntax::is_field_value_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool is_target(std::string_view target) {
  if (target.empty()) return false;
  for (const char c : target) {
    if (!syntax::is_target_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> write_request_head(std::string& out, const RequestHead& head) {
  if (!syntax::is_token(head.method)) return "invalid method";
  if (!is_target(head.target)) return "invalid request target";
  if (head.authority.empty() || !is_field_value(head.authority)) return "invalid host";
  if (head.headers) {
    for (const auto& [name, value] : *head.headers) {
      if (!syntax::is_token(name)) return "invalid header name";
      if (!is_field_value(value)) return "invalid header value";
      for (const std::string_view owned : kClientOwnedFields) {
        if (syntax::equals_lower(name, owned)) return "header set by the client";
      }
    }
  }

  out.append(head.method).append(" ").append(head.target).append(" HTTP/1.1\r\nHost: ").append(head.authority);
  out.append("\r\n");
  if (head.headers) {
    for (const auto& [name, value] : *head.headers) out.append(name).append(": ").append(value).append("\r\n");
  }
  const bool bodiless_method = head.method == "GET" || head.method == "HEAD";
  if (head.body_size > 0 || !bodiless_method) {
    out.append("Content-Length: ").append(std::to_string(head.body_size)).append("\r\n");
  }
  out.append("\r\n");
  return std::nullopt;
}

}  // namespace hookgate::gateway::outbound
