#include "gateway/admin/browser_security.h"

#include "verify/ascii.h"

namespace hookgate::gateway::admin {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "http://host:port/path" → "host:port"; empty when it is not an http(s) origin.
std::string_view authority_of(std::string_view url) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (url.size() > scheme.size() && verify::ascii_iequals(url.substr(0, scheme.size()), scheme)) {
      url.remove_prefix(scheme.size());
      return url.substr(0, url.find('/'));
    }
  }
  return {};
}

}  // namespace

std::string_view header_value(const connections::InboundRequest& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (verify::ascii_iequals(header.name, name)) return header.value;
  }
  return {};
}

std::optional<std::string_view> session_cookie_of(const connections::InboundRequest& request) {
  for (const auto& header : request.headers) {
    if (!verify::ascii_iequals(header.name, "cookie")) continue;
    std::string_view rest = header.value;
    while (!rest.empty()) {
      const size_t semicolon = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const size_t equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == kSessionCookie) return pair.substr(equals + 1);
    }
  }
  return std::nullopt;
}

bool same_origin(const connections::InboundRequest& request) {
  std::string_view origin = header_value(request, "origin");
  if (origin.empty()) origin = header_value(request, "referer");
  if (origin.empty()) return true;
  std::string_view host = header_value(request, "host");
  if (host.empty()) host = request.authority;
  const std::string_view authority = authority_of(origin);
  return !host.empty() && !authority.empty() && verify::ascii_iequals(authority, host);
}

std::string session_set_cookie(std::string_view value, int64_t max_age_s, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age_s) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string session_clear_cookie(bool secure) { return session_set_cookie("", 0, secure); }

void add_security_headers(connections::Response& response) {
  response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with a
  // same-origin POST, which same_origin() must refuse; other sites still get no referrer.
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  response.headers.emplace_back("Cache-Control", "no-store");
}

}  // namespace hookgate::gateway::admin
