// "did you mean ...?" for misspelt keys and enum values.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace hookgate::config::detail {

// The candidate closest to `word` by edit distance (insert, delete, substitute, swap two
// adjacent letters; case-insensitive), if it is close enough to be a plausible typo:
// distance <= 2, and <= 1 for words of up to 5 letters. Ties go to the earliest candidate.
[[nodiscard]] std::optional<std::string_view> closest_match(std::string_view word,
                                                            std::span<const std::string_view> candidates);

}  // namespace hookgate::config::detail
