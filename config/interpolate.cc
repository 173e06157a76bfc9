#include "config/interpolate.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace hookgate::config::detail {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_valid_variable_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Interpolation interpolate(std::string_view text, EnvLookup env) {
  Interpolation out;
  out.value.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out.value += c;
      ++i;
      continue;
    }
    const char next = text[i + 1];
    if (next == '$') {
      out.value += '$';
      i += 2;
      continue;
    }
    if (next != '{') {
      out.value += c;
      ++i;
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.unterminated = true;
      break;
    }
    const std::string name(text.substr(i + 2, close - (i + 2)));
    i = close + 1;
    if (!is_valid_variable_name(name)) {
      out.bad_name = true;
      continue;
    }
    auto resolved = env(name);
    if (!resolved) {
      if (std::find(out.unset.begin(), out.unset.end(), name) == out.unset.end()) {
        out.unset.push_back(name);
      }
      continue;
    }
    out.value += *resolved;
    out.substituted = true;
  }
  return out;
}

}  // namespace hookgate::config::detail
