// The registered presets: each vendor as data over the generic HMAC scheme.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "verify/spec.h"

namespace hookgate::verify {

struct Preset {
  std::string name = {};
  // Empty: `provider: none` (no verification). Otherwise one HmacSpec per header family, in
  // order of preference (see header_families.h); most vendors have one.
  std::vector<HmacSpec> families = {};
  std::size_t sign_family = 0;  // the family sign() writes
  std::chrono::seconds default_tolerance{0};
  FieldRef event_id = {};
  FieldRef event_type = {};
  std::string sample_event_type = "test";  // sign(): value of a header event type
};

// Every preset, aliases as rows of their own, in table order. Built on first use; immutable.
[[nodiscard]] const std::vector<Preset>& presets();

// nullptr when `name` is not registered. Exact, case-sensitive match.
[[nodiscard]] const Preset* find_preset(std::string_view name);

}  // namespace hookgate::verify
