// Extraction of the vendor's event id and event type from a request.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "verify/request.h"
#include "verify/spec.h"

namespace hookgate::verify {

// Longest event id / event type extract_field returns.
inline constexpr std::size_t kMaxFieldBytes = 256;

// The value at `field`: a header's value (the first one; `fallback_header` when `name` is
// absent), or the JSON value at a JSON pointer in the body (strings as their unescaped text,
// numbers as their literal text, booleans as true/false; with `more_json`, the values at every
// pointer joined by ':'). nullopt when absent, when the body
// is not JSON, when the value is an object/array/null, when it is empty, or when it is longer
// than kMaxFieldBytes (these values become database keys). Never throws.
//
// The body is parsed lazily (simdjson On-Demand): only the path to the value is validated,
// so a body that is malformed after the value may still yield it. Verification runs first,
// so the body is the vendor's. With request.json set, every lookup of the request shares that
// one parse; without, each call parses the body. Thread-safe: each thread uses its own parser.
[[nodiscard]] std::optional<std::string> extract_field(const FieldRef& field, const Request& request);

}  // namespace hookgate::verify
