// What the admin API never shows of a stored request: the values of fields that carry a
// credential (signatures, tokens, secrets, cookies, authorization). The stored request keeps
// them (a replay re-verifies nothing, but an investigation may need the raw bytes through
// `hookgate events show` on the host); the API and the console, which may be open on an
// operator's screen, show `***` instead.
#pragma once

#include <string>
#include <string_view>

namespace hookgate::gateway::admin {

inline constexpr std::string_view kMasked = "***";

// A header or query parameter whose value is a credential, by name (ASCII case-insensitive):
// one that contains signature, token, secret, auth (Authorization, X-Auth-…), cookie, hmac,
// password, api-key/apikey/api_key, or is `sig`/`key`.
[[nodiscard]] bool is_sensitive_field(std::string_view name);

// A stored header block ("Name: value\r\n" lines) with the values of sensitive fields masked.
[[nodiscard]] std::string mask_header_block(std::string_view headers);
// A query string ("a=1&signature=…") with the values of sensitive parameters masked.
[[nodiscard]] std::string mask_query(std::string_view query);

}  // namespace hookgate::gateway::admin
