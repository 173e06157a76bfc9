// What every scheme's sign() appends after its own headers: the event type and event id
// headers, when the preset reads those from headers, so a signed test request routes and
// dedupes like a real one.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "verify/ascii.h"
#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

[[nodiscard]] inline bool has_header(const SignedHeaders& out, std::string_view name) {
  return std::any_of(out.headers.begin(), out.headers.end(),
                     [&](const auto& header) { return ascii_iequals(header.first, name); });
}

// Adds `event_type`'s header with `sample_type`, and `event_id`'s header with `id` (when not
// empty), unless already written.
inline void append_event_headers(SignedHeaders& out, const FieldRef& event_id,
                                 const FieldRef& event_type, std::string_view sample_type,
                                 std::string_view id) {
  if (event_type.kind == FieldRef::Kind::header && !has_header(out, event_type.name)) {
    out.headers.emplace_back(event_type.name, std::string(sample_type));
  }
  if (event_id.kind == FieldRef::Kind::header && !id.empty() && !has_header(out, event_id.name) &&
      (event_id.fallback_header.empty() || !has_header(out, event_id.fallback_header))) {
    out.headers.emplace_back(event_id.name, std::string(id));
  }
}

}  // namespace hookgate::verify
