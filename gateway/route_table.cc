#include "gateway/route_table.h"

#include <algorithm>

namespace hookgate::gateway {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

RouteTable::RouteTable(const config::Config& config) {
  for (const auto& route : config.routes) {
    by_source_[route.from].push_back(Route{route.event_types, route.to});
  }
}

std::vector<std::string> RouteTable::destinations_for(std::string_view source,
                                                      std::string_view event_type) const {
  std::vector<std::string> out;
  const auto it = by_source_.find(std::string(source));
  if (it == by_source_.end()) return out;
  for (const Route& route : it->second) {
    const bool matches = route.event_types.empty() ||
        std::any_of(route.event_types.begin(), route.event_types.end(),
                    [&](const std::string& glob) { return glob_match(glob, event_type); });
    if (!matches) continue;
    for (const std::string& name : route.to) {
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

}  // namespace hookgate::gateway
