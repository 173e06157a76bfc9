// Regular expressions for route filters, matched in time linear in the text: a Thompson NFA
// simulated over a set of states, never backtracking, so no body (the peer's bytes) can make a
// match slow, whatever pattern an operator wrote. The syntax is a subset of RE2's; see
// compile(). Bytes, not code points: `.` matches one byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hookgate::filter {

class Regex {
 public:
  static constexpr std::size_t kMaxPatternBytes = 1024;
  static constexpr std::size_t kMaxStates = 4096;  // after {n,m} expansion

  // The compiled pattern, or nullopt with `error` set to the reason and the byte offset
  // ("unbalanced ')' at offset 7"). Syntax: literals; `.`; classes `[a-z_]`, `[^...]`;
  // escapes \d \D \w \W \s \S \t \n \r and any escaped punctuation; anchors ^ $; groups (...)
  // and (?:...); alternation |; quantifiers * + ? {n} {n,} {n,m} (and their lazy forms, the
  // same for a yes/no match); a leading (?i) for case-insensitive ASCII. Backreferences and
  // lookaround are refused: they cannot run in linear time.
  [[nodiscard]] static std::optional<Regex> compile(std::string_view pattern, std::string& error);

  // Whether the pattern matches anywhere in `text` (unanchored, as RE2's PartialMatch).
  [[nodiscard]] bool search(std::string_view text) const;

  [[nodiscard]] const std::string& pattern() const { return pattern_; }

 private:
  struct Program;  // the compiled NFA, immutable and shared by copies
  std::string pattern_;
  std::shared_ptr<const Program> program_;
};

}  // namespace hookgate::filter
