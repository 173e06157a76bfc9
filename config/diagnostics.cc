#include "config/diagnostics.h"

#include <algorithm>
#include <climits>
#include <utility>

namespace hookgate::config {

std::string ConfigError::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line) + ':' + std::to_string(column);
  }
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += message;
  return out;
}

namespace detail {

Position position_of(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

void Diagnostics::report(Position at, std::string key_path, std::string message) {
  ConfigError error;
  error.file = file_;
  error.line = at.line;
  error.column = at.line > 0 ? at.column : 0;
  error.key_path = std::move(key_path);
  error.message = std::move(message);
  errors_.push_back(std::move(error));
}

std::vector<ConfigError> Diagnostics::take_sorted() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    const int line_a = a.line > 0 ? a.line : INT_MAX;
    const int line_b = b.line > 0 ? b.line : INT_MAX;
    if (line_a != line_b) return line_a < line_b;
    return a.column < b.column;
  });
  return std::move(errors_);
}

}  // namespace detail
}  // namespace hookgate::config
