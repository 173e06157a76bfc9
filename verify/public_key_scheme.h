// The public-key signature scheme (PublicKeySpec in spec.h): Discord and Standard Webhooks
// v1a (Ed25519), SendGrid (ECDSA P-256), and a source's own `ed25519:` / `ecdsa_p256:` block.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "verify/envelope_scheme.h"
#include "verify/public_key.h"
#include "verify/signed_template.h"
#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

struct PublicKeySchemeOptions {
  PublicKeySpec spec;
  std::shared_ptr<const PublicKey> key;  // of spec.algorithm
  std::chrono::seconds tolerance{0};
  FieldRef event_id;
  FieldRef event_type;
};

// Checks the envelope as HmacScheme does (envelope.h: signature header, timestamp, age, id),
// then the candidates: entries carrying the prefix that decode to a signature of plausible
// size (Ed25519 exactly 64 bytes, ECDSA DER at most 72); none, or more than kMaxCandidates →
// malformed_signature; ok when any verifies, else bad_signature. sign() always returns false:
// hookgate holds no private key. Immutable; thread-safe.
class PublicKeyScheme final : public EnvelopeScheme<PublicKeySchemeOptions> {
 public:
  // nullptr and `error` set for the same inconsistencies HmacScheme::create() reports, or a
  // key of another algorithm.
  [[nodiscard]] static std::unique_ptr<PublicKeyScheme> create(PublicKeySchemeOptions options,
                                                               std::string& error);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;

 private:
  PublicKeyScheme(PublicKeySchemeOptions options, SignedTemplate signed_template);
};

}  // namespace hookgate::verify
