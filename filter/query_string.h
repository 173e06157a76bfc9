// A URL's query string as name/value pairs, for filters on query parameters.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookgate::filter {

struct QueryParameter {
  std::string name;
  std::string value;
};

// "a=1&b=x%20y&c" → {a, 1}, {b, "x y"}, {c, ""}: split on '&', then on the first '=';
// '+' is a space and %XX a byte (as HTML forms encode); a '%' not followed by two hex digits
// stays as it is. Empty pairs ("a=1&&b") are skipped; repeated names are kept, in order.
// Never fails: a peer's malformed query still yields pairs.
[[nodiscard]] std::vector<QueryParameter> parse_query(std::string_view raw);

// "x%20y+z" → "x y z", as parse_query() decodes names and values.
[[nodiscard]] std::string percent_decode(std::string_view text);

}  // namespace hookgate::filter
