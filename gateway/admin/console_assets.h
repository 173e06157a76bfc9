// The web console's files (gateway/admin/console/), compiled into the binary by
// scripts/embed_files.cmake: the admin listener serves them without reading the disk, and
// what a release serves is what was reviewed.
#pragma once

#include <span>
#include <string_view>

namespace hookgate::gateway::admin {

struct EmbeddedFile {
  std::string_view name;   // relative to gateway/admin/console: "console.js"
  std::string_view bytes;
};

[[nodiscard]] std::span<const EmbeddedFile> console_assets();

}  // namespace hookgate::gateway::admin
