// Request-target forms (RFC 9112 §3.2): which ones hookgate accepts and how it splits them.
#pragma once

#include <string_view>

namespace hookgate::gateway::http {

struct TargetParts {
  bool ok = false;
  std::string_view path;    // views into the target, or a static "/" for an absolute-form
                            // target without a path
  std::string_view query;   // without the '?'
  std::string_view detail;  // why not ok; a fixed phrase, never input bytes
};

// Accepts origin-form ("/p?q"), absolute-form with an http or https scheme ("http://host/p?q",
// authority checked, userinfo refused) and asterisk-form for OPTIONS only; authority-form and
// everything else is refused. Also refuses a fragment ('#') and a ".." path segment: routing is
// exact-match on the raw path, so nothing is percent-decoded or normalised, and a path that a
// later hop might normalise differently is refused instead.
[[nodiscard]] TargetParts split_request_target(std::string_view method, std::string_view target);

}  // namespace hookgate::gateway::http
