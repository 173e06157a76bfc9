// application/x-www-form-urlencoded bodies and URL query strings, decoded the way vendors'
// SDKs read them (Twilio's form parameters, Slack's ssl_check, handshake query parameters).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookgate::verify {

// Percent-decodes `text`; with `plus_is_space`, '+' becomes ' ' (form encoding). A '%' not
// followed by two hex digits is kept as is, as Node's querystring and most servers do.
[[nodiscard]] std::string percent_decode(std::string_view text, bool plus_is_space);

// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - . _ ~),
// for a value put into a query string.
[[nodiscard]] std::string percent_encode(std::string_view text);

// "a=1&b=x+y" → {{"a","1"},{"b","x y"}}, in order, names and values decoded. Empty pieces
// ("a=1&&b=2") are skipped; a piece without '=' is a name with an empty value.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

// The decoded value of the first parameter called `name` (compared after decoding), or
// nullopt.
[[nodiscard]] std::optional<std::string> form_value(std::string_view text, std::string_view name);

}  // namespace hookgate::verify
