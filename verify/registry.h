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

// Builds the verifier a spec describes: the preset's (or generic block's) scheme, wrapped with
// the preset's handshake / acknowledgement behaviour (preset_verifier.h) and, outermost, the
// source's ip_allowlist. Errors: unknown provider; not exactly one of provider, hmac,
// ed25519/ecdsa_p256, token, basic_auth; no secrets (or no public_key) for a scheme that needs
// them; secrets, public_key or verify_token given where the scheme would ignore them; a secret
// or key that does not decode; a template with an unknown variable; a bad allowlist.
// spec.provider == "none" builds a verifier that accepts everything (its event fields come
// from spec.event_id / event_type, else none). Messages never contain secret values.
[[nodiscard]] BuildResult build_verifier(const VerifySpec& spec);

// Names of every registered preset (aliases included), sorted.
[[nodiscard]] std::vector<std::string> preset_names();

}  // namespace hookgate::verify
