// Lookups on a loaded Config.
#include "config/config.h"

#include <algorithm>

namespace hookgate::config {

const SourceConfig* Config::source_by_path(std::string_view path) const {
  const auto it = std::find_if(sources.begin(), sources.end(),
                               [path](const SourceConfig& s) { return s.path == path; });
  return it == sources.end() ? nullptr : &*it;
}

const SourceConfig* Config::source_by_name(std::string_view name) const {
  const auto it = std::find_if(sources.begin(), sources.end(),
                               [name](const SourceConfig& s) { return s.name == name; });
  return it == sources.end() ? nullptr : &*it;
}

const DestinationConfig* Config::destination_by_name(std::string_view name) const {
  const auto it = std::find_if(destinations.begin(), destinations.end(),
                               [name](const DestinationConfig& d) { return d.name == name; });
  return it == destinations.end() ? nullptr : &*it;
}

}  // namespace hookgate::config
