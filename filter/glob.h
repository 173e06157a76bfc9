// Shell-style globs, as route filters write event types.
#pragma once

#include <string_view>

namespace hookgate::filter {

// '*' matches any run of characters (dots included), '?' one character; everything else
// literally. "invoice.*" matches "invoice.paid". Linear per star: no pattern makes it slow.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace hookgate::filter
