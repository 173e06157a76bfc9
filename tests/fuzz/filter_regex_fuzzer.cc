// The linear-time matcher of route filters (filter::Regex), on operator patterns and peer texts.
// The input is "<pattern>\n<text>": the pattern up to the first '\n', the text after it (no
// '\n' means an empty text), so that a seed reads as a pattern and a text.
//
// Properties besides "no crash, no leak, no undefined behaviour, no deep recursion, no slow
// input" (a timeout is a finding: a search is linear by design):
//   - compile gives either a regex whose pattern() is the input, or a non-empty error;
//   - a pattern with no end anchor ('$' or \z) that matches a prefix of the text matches the
//     text (the search is unanchored, so a match inside the prefix is one inside the text);
//   - wrapping the pattern in a non-capturing group changes no answer;
//   - a copy answers as the original does.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "filter/regex.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hookgate::filter::Regex;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  std::string error;
  const std::optional<Regex> re = Regex::compile(pattern, error);
  HOOKGATE_FUZZ_CHECK(re.has_value() == error.empty());
  if (!re) return 0;
  HOOKGATE_FUZZ_CHECK(re->pattern() == pattern);

  const bool whole = re->search(text);
  const Regex copy = *re;
  HOOKGATE_FUZZ_CHECK(copy.search(text) == whole);

  // A few prefixes, not all: each search costs states × bytes.
  const bool end_anchor = pattern.find('$') != std::string_view::npos || pattern.find("\\z") != std::string_view::npos;
  constexpr std::size_t kPrefixes = 8;
  for (std::size_t i = 0; i < kPrefixes && !text.empty(); ++i) {
    const std::size_t length = text.size() * i / kPrefixes;
    const bool prefix = re->search(text.substr(0, length));
    if (!end_anchor && prefix) HOOKGATE_FUZZ_CHECK(whole);
  }

  // A leading (?i) must stay leading, and the group adds a nesting level that may exceed the cap.
  if (!pattern.starts_with("(?i)")) {
    std::string wrapped_error;
    const std::optional<Regex> wrapped = Regex::compile("(?:" + std::string(pattern) + ")", wrapped_error);
    if (wrapped) HOOKGATE_FUZZ_CHECK(wrapped->search(text) == whole);
  }
  return 0;
}
