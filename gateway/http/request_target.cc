#include "gateway/http/request_target.h"

#include "gateway/http/field_values.h"
#include "gateway/http/syntax.h"

namespace hookgate::gateway::http {
namespace {

TargetParts refuse(std::string_view detail) {
  TargetParts parts;
  parts.detail = detail;
  return parts;
}

// A segment ".." means different resources before and after normalisation; "." is harmless
// for exact-match routing (it only fails to match) and stays allowed.
bool has_dot_dot_segment(std::string_view path) {
  std::size_t pos = 0;
  while ((pos = path.find("/..", pos)) != std::string_view::npos) {
    const std::size_t end = pos + 3;
    if (end == path.size() || path[end] == '/') return true;
    pos = end;
  }
  return false;
}

TargetParts split_path_and_query(std::string_view rest) {
  TargetParts parts;
  const std::size_t q = rest.find('?');
  parts.path = rest.substr(0, q);
  if (q != std::string_view::npos) parts.query = rest.substr(q + 1);
  if (parts.path.empty()) parts.path = "/";
  if (has_dot_dot_segment(parts.path)) return refuse("dot-dot segment in path");
  parts.ok = true;
  return parts;
}

std::size_t scheme_length(std::string_view target) {
  constexpr std::string_view kHttp = "http://";
  constexpr std::string_view kHttps = "https://";
  if (target.size() >= kHttp.size() && syntax::equals_lower(target.substr(0, kHttp.size()), kHttp)) {
    return kHttp.size();
  }
  if (target.size() >= kHttps.size() && syntax::equals_lower(target.substr(0, kHttps.size()), kHttps)) {
    return kHttps.size();
  }
  return 0;
}

}  // namespace

TargetParts split_request_target(std::string_view method, std::string_view target) {
  if (target.empty()) return refuse("empty request-target");
  for (const char c : target) {
    if (!syntax::is_target_char(static_cast<unsigned char>(c))) return refuse("invalid byte in request-target");
  }
  if (target.find('#') != std::string_view::npos) return refuse("fragment in request-target");

  if (target.front() == '/') return split_path_and_query(target);

  if (target == "*") {
    if (method != "OPTIONS") return refuse("asterisk-form outside OPTIONS");
    TargetParts parts;
    parts.ok = true;
    parts.path = target;
    return parts;
  }

  if (const std::size_t scheme = scheme_length(target); scheme != 0) {
    const std::string_view after_scheme = target.substr(scheme);
    const std::size_t authority_end = after_scheme.find_first_of("/?");
    const std::string_view authority = after_scheme.substr(0, authority_end);
    if (authority.empty()) return refuse("absolute-form without authority");
    if (authority.find('@') != std::string_view::npos) return refuse("userinfo in request-target");
    if (!is_valid_host(authority)) return refuse("invalid authority in request-target");
    return split_path_and_query(authority_end == std::string_view::npos ? std::string_view{}
                                                                        : after_scheme.substr(authority_end));
  }
  return refuse("unsupported request-target form");
}

}  // namespace hookgate::gateway::http
