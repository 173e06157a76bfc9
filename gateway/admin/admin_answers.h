// The admin API's answer builders and id reader, shared by its handler files.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/connections/exchange.h"
#include "verify/json_text.h"

namespace hookgate::gateway::admin::admin_answers {

// A JSON answer; `body` is one JSON value, a newline is added.
inline connections::Response json(int status, std::string body) {
  connections::Response response;
  response.status = status;
  response.body = std::move(body);
  response.body.push_back('\n');
  return response;
}

// {"error":"<reason>","detail":"<text>"}: `detail` is for people and may quote the input.
inline connections::Response error_with_detail(int status, std::string_view reason, std::string_view detail) {
  std::string body = "{\"error\":\"" + std::string(reason) + "\",\"detail\":";
  verify::append_json_string(body, detail);
  body += "}";
  return json(status, std::move(body));
}

// 303 See Other to `location` (a path of this listener).
inline connections::Response see_other(std::string_view location) {
  connections::Response response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", std::string(location));
  return response;
}

// A positive decimal id, all of `text`.
inline std::optional<int64_t> parse_id(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace hookgate::gateway::admin::admin_answers
