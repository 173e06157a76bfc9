// Extraction of the vendor's event id and event type from a request.
#pragma once

#include <optional>
#include <string>

#include "verify/request.h"
#include "verify/spec.h"

namespace hookgate::verify {

// The value at `field`: a header's value, or the JSON value at a JSON pointer in the body
// (strings as their unescaped text, numbers as their literal text). nullopt when absent,
// when the body is not JSON, or when the value is an object/array/null. Never throws.
[[nodiscard]] std::optional<std::string> extract_field(const FieldRef& field, const Request& request);

}  // namespace hookgate::verify
