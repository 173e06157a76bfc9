// transforms: the caps on script runs; and the `transform:` of routes and destinations, each
// read and compiled here so that a broken script is a config error (its file:line in the message).
#include "config/files.h"
#include "config/sections.h"

namespace hookgate::config::detail {
namespace {

// Far above any sensible script; keeps a mistaken path (a log file, say) from being read whole.
constexpr size_t kMaxScriptBytes = 1u << 20;

}  // namespace

void parse_transforms(const Value& section, transform::Limits& out) {
  MapReader map(section);
  if (auto v = map.get("max_instructions")) {
    if (auto n = v->integer()) out.instructions = *n;
  }
  if (auto v = map.get("max_memory")) {
    if (auto n = v->size()) out.memory_bytes = static_cast<size_t>(*n);
  }
  if (auto v = map.get("timeout")) {
    if (auto d = v->duration()) out.wall = *d;
  }
}

std::shared_ptr<const transform::Script> load_transform(const Value& value, const transform::Limits& limits) {
  const auto path = value.file_path();
  if (!path) return nullptr;
  const FileRead read = read_file(*path, kMaxScriptBytes);
  if (!read.content) {
    value.error("cannot read transform script " + *path + ": " + read.error);
    return nullptr;
  }
  std::string error;
  auto script = transform::Script::compile(*path, *read.content, limits, error);
  if (!script) value.error("transform script: " + error);
  return script;
}

}  // namespace hookgate::config::detail
