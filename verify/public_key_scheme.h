// The public-key signature scheme (PublicKeySpec in spec.h): Discord and Standard Webhooks
// v1a (Ed25519), SendGrid (ECDSA P-256), and a source's own `ed25519:` / `ecdsa_p256:` block.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "verify/envelope.h"
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
class PublicKeyScheme final : public HeaderScheme {
 public:
  static constexpr std::size_t kMaxCandidates = 8;

  // nullptr and `error` set for the same inconsistencies HmacScheme::create() reports, or a
  // key of another algorithm.
  [[nodiscard]] static std::unique_ptr<PublicKeyScheme> create(PublicKeySchemeOptions options,
                                                               std::string& error);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override {
    return envelope_.signed_template().uses(SignedTemplate::Var::url);
  }
  [[nodiscard]] const FieldRef& event_id_field() const override { return options_.event_id; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return options_.event_type; }

  [[nodiscard]] const PublicKeySpec& spec() const { return options_.spec; }
  [[nodiscard]] std::string_view signature_header() const override { return options_.spec.envelope.header; }
  [[nodiscard]] bool has_any_header(const Request& request) const override;

 private:
  PublicKeyScheme(PublicKeySchemeOptions options, SignedTemplate signed_template);

  PublicKeySchemeOptions options_;
  EnvelopeReader envelope_;  // refers to options_.spec.envelope
};

}  // namespace hookgate::verify
