// Names of sources and destinations.
#include "config/sections.h"
#include "config/values.h"

namespace hookgate::config::detail {

bool check_name(const MapReader::Entry& entry, std::string_view what) {
  if (is_valid_name(entry.key)) return true;
  entry.value.context().diagnostics.report(
      entry.key_position, entry.value.path(),
      "invalid " + std::string(what) + " name '" + entry.key +
          "': use 1 to 64 lowercase letters, digits, '_' or '-'");
  return false;
}

}  // namespace hookgate::config::detail
