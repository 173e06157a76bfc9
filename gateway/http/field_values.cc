#include "gateway/http/field_values.h"

#include <limits>

#include "gateway/http/syntax.h"

namespace hookgate::gateway::http {
namespace {

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (!syntax::is_digit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::optional<std::uint64_t> parse_content_length(std::string_view value) {
  if (value.empty()) return std::nullopt;
  std::uint64_t n = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (!syntax::is_digit(c)) return std::nullopt;
    const std::uint64_t digit = c - '0';
    if (n > (kMax - digit) / 10) return std::nullopt;
    n = n * 10 + digit;
  }
  return n;
}

bool is_single_chunked(std::string_view value) { return syntax::equals_lower(value, "chunked"); }

bool is_100_continue(std::string_view value) { return syntax::equals_lower(value, "100-continue"); }

bool parse_connection(std::string_view value, ConnectionOptions& options) {
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view element = syntax::trim_ows(value.substr(0, comma));
    if (!element.empty()) {
      if (!syntax::is_token(element)) return false;
      if (syntax::equals_lower(element, "close")) options.close = true;
      if (syntax::equals_lower(element, "keep-alive")) options.keep_alive = true;
    }
    if (comma == std::string_view::npos) return true;
    value.remove_prefix(comma + 1);
  }
}

bool is_valid_host(std::string_view value) {
  std::string_view host = value;
  std::string_view port;
  if (!value.empty() && value.front() == '[') {
    const std::size_t close = value.find(']');
    if (close == std::string_view::npos) return false;
    host = value.substr(1, close - 1);
    if (host.empty()) return false;
    for (const char c : host) {
      if (c != ':' && !syntax::is_host_char(static_cast<unsigned char>(c))) return false;
    }
    const std::string_view rest = value.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else {
    const std::size_t colon = value.find(':');
    host = value.substr(0, colon);
    if (colon != std::string_view::npos) port = value.substr(colon + 1);
    for (const char c : host) {
      if (!syntax::is_host_char(static_cast<unsigned char>(c))) return false;
    }
  }
  return all_digits(port);
}

}  // namespace hookgate::gateway::http
