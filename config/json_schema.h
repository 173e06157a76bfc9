// The config file's JSON Schema (draft 2020-12), generated from the key tables (keys.h) that
// the parsers read through: `hookgate config-schema` prints it, docs/config.schema.json is
// its committed copy, and YAML language servers use it for completion and checks.
//
// The schema checks each value's form, bounds and choices, required and unknown keys, and the
// "exactly one of" rules; `hookgate check-config` remains the authority (names that must
// exist, files that must load, secrets that must decode, rules across sections).
#pragma once

#include <string>

namespace hookgate::config {

// Pretty-printed JSON, two-space indent, keys in table order, ending with a newline. The same
// text for the same build.
[[nodiscard]] std::string config_json_schema();

}  // namespace hookgate::config
