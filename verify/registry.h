// Presets keyed by `provider:` and the factory that builds a Verifier from a VerifySpec.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

struct BuildResult {
  std::shared_ptr<const Verifier> verifier;  // null on error
  std::string error;                         // human-readable, no secret values in it
};

// Builds the verifier a spec describes. Errors: unknown provider, no secrets for a scheme that
// needs them, a secret that does not decode, an hmac template with an unknown variable, both
// provider and hmac given, neither given. spec.provider == "none" builds a verifier that
// accepts everything (its event fields come from spec.event_id / event_type, else none).
[[nodiscard]] BuildResult build_verifier(const VerifySpec& spec);

// Names of every registered preset (aliases included), sorted.
[[nodiscard]] std::vector<std::string> preset_names();

}  // namespace hookgate::verify
