// Splitting a signature header value into entries ("t=1,v1=ab", "v1,xx v1,yy").
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "verify/ascii.h"

namespace hookgate::verify {

// Calls `fn(entry)` for every non-empty entry of `value`, split on `separator` (no separator:
// the whole value is one entry) and trimmed of spaces and tabs. Stops early and returns true
// as soon as `fn` returns true; returns false otherwise. No allocation.
template <class Fn>
bool for_each_entry(std::string_view value, std::optional<char> separator, Fn&& fn) {
  while (true) {
    std::size_t end = separator ? value.find(*separator) : std::string_view::npos;
    const std::string_view entry = trim_ows(value.substr(0, end));
    if (!entry.empty() && fn(entry)) return true;
    if (end == std::string_view::npos) return false;
    value.remove_prefix(end + 1);
  }
}

// The value of the entries "key=value" in `value`, e.g. the "t" of Stripe's header.
struct KeyedEntry {
  std::size_t count = 0;   // how many entries have this key; more than one is ambiguous
  std::string_view value;  // of the first such entry, exactly as sent
};

[[nodiscard]] inline KeyedEntry find_keyed_entry(std::string_view header_value,
                                                 std::optional<char> separator,
                                                 std::string_view key) {
  KeyedEntry found;
  for_each_entry(header_value, separator, [&](std::string_view entry) {
    if (entry.size() > key.size() && entry[key.size()] == '=' && entry.starts_with(key)) {
      if (found.count++ == 0) found.value = entry.substr(key.size() + 1);
    }
    return false;
  });
  return found;
}

}  // namespace hookgate::verify
