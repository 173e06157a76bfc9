#include "filter/query_string.h"

#include "verify/form.h"

namespace hookgate::filter {

// The same decoding as a form body's (verify/form.h): one implementation for both.
std::vector<QueryParameter> parse_query(std::string_view raw) {
  std::vector<QueryParameter> out;
  for (auto& [name, value] : verify::parse_form(raw)) out.push_back({std::move(name), std::move(value)});
  return out;
}

std::string percent_decode(std::string_view text) { return verify::percent_decode(text, /*plus_is_space=*/true); }

}  // namespace hookgate::filter
