// ${NAME} substitution in scalar strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hookgate::config::detail {

// The process environment (std::getenv). The default EnvLookup.
[[nodiscard]] std::optional<std::string> process_environment(const std::string& name);

struct Interpolation {
  std::string value;                // text with every reference replaced
  bool substituted = false;         // at least one ${NAME} was replaced
  std::vector<std::string> unset;   // names that `env` did not resolve, first occurrence order
  // Syntax problems. The offending text is not kept: in a secret it could be secret material.
  bool unterminated = false;        // "${" without "}"
  bool bad_name = false;            // a name outside [A-Za-z_][A-Za-z0-9_]*
};

// Grammar: "${NAME}" is replaced by env(NAME); "$$" is a literal "$"; any other "$" is kept.
// `value` is meaningful only when there are no unset names and no syntax problems.
[[nodiscard]] Interpolation interpolate(std::string_view text, EnvLookup env);

}  // namespace hookgate::config::detail
