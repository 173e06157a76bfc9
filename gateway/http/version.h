// The HTTP-version of an HTTP/1 start line (RFC 9112 §2.3): "HTTP/" DIGIT "." DIGIT, case-sensitive.
// Both the request line and the status line read it through here; what a version means (505,
// or a higher minor read as 1) is each parser's decision.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "gateway/http/syntax.h"

namespace hookgate::gateway::http {

inline constexpr std::size_t kVersionLength = 8;  // "HTTP/1.1"

// Whether `c` may be appended to a version token that holds `size` bytes so far (a tchar or '/',
// at most kVersionLength bytes), so that a parser refuses at the first byte that cannot belong to
// a version rather than buffering an unbounded token.
[[nodiscard]] inline constexpr bool may_extend_version(std::size_t size, unsigned char c) {
  return (syntax::is_tchar(c) || c == '/') && size < kVersionLength;
}

struct Version {
  int major = 0;
  int minor = 0;
};

// The digits of a complete version token; nullopt unless it is exactly "HTTP/" DIGIT "." DIGIT.
[[nodiscard]] inline constexpr std::optional<Version> parse_version(std::string_view token) {
  if (token.size() != kVersionLength || token.substr(0, 5) != "HTTP/" ||
      !syntax::is_digit(static_cast<unsigned char>(token[5])) || token[6] != '.' ||
      !syntax::is_digit(static_cast<unsigned char>(token[7]))) {
    return std::nullopt;
  }
  return Version{token[5] - '0', token[7] - '0'};
}

}  // namespace hookgate::gateway::http
