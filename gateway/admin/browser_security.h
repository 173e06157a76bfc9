// What the admin listener does for the browsers of the web console: the session cookie (read
// and written), the same-origin check on state-changing requests, and the headers every
// answer carries (a strict Content-Security-Policy: no inline script, no eval, no framing).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/connections/exchange.h"

namespace hookgate::gateway::admin {

inline constexpr std::string_view kSessionCookie = "hookgate_session";

// The value of the first header named `name` (ASCII case-insensitive), or "".
[[nodiscard]] std::string_view header_value(const connections::InboundRequest& request, std::string_view name);

// The hookgate_session cookie of the request's Cookie headers, if any.
[[nodiscard]] std::optional<std::string_view> session_cookie_of(const connections::InboundRequest& request);

// False when the request has an Origin (or, without one, a Referer) that is not this
// listener: scheme://host[:port] against the Host header (HTTP/2: :authority). A request
// without either is a script's, not a page's, and passes.
[[nodiscard]] bool same_origin(const connections::InboundRequest& request);

// Set-Cookie values: a session for `max_age_s` seconds, and one that clears it.
[[nodiscard]] std::string session_set_cookie(std::string_view value, int64_t max_age_s, bool secure);
[[nodiscard]] std::string session_clear_cookie(bool secure);

// Content-Security-Policy, nosniff, no framing, no referrer, no caching: on every answer of
// the admin listener (JSON and pages alike; none of them may be cached by a shared proxy).
void add_security_headers(connections::Response& response);

}  // namespace hookgate::gateway::admin
