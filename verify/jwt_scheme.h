// Vendors that send a JSON Web Token instead of a MAC of the request (Netlify, Vonage,
// MessageBird, monday.com with HS256; Google Pub/Sub push / Firebase, Kinde, Wix with RS256 or
// ES256 and keys configured locally). Some tokens carry a hash of the body or of the URL
// (JwtSpec::body_sha256_claim / url_sha256_claim); those that do not authenticate the caller
// only, which the preset's docs say.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "verify/hmac_key.h"
#include "verify/key_set.h"
#include "verify/verifier.h"

namespace hookgate::verify {

struct JwtSchemeOptions {
  JwtSpec spec;
  std::shared_ptr<const KeyRing> hmac_keys;  // HS256 (spec.hs256)
  std::shared_ptr<const KeySet> keys;        // RS256 / ES256 (spec.asymmetric)
  std::vector<std::string> claim_values;     // spec.secrets_claim: the accepted values
  // exp is always enforced; with tolerance > 0, iat (or, without iat, exp) must also lie within
  // it of now in both directions and a token with neither is missing_timestamp.
  std::chrono::seconds tolerance{0};
  FieldRef event_id;
  FieldRef event_type;
};

// verify(), in this order:
//   token absent → missing_signature; repeated header, not three base64url parts, header or
//   payload not a JSON object, or an alg other than the configured ones (never "none") →
//   malformed_signature; signature not matching → bad_signature;
//   exp passed → timestamp_too_old; nbf ahead (30 s leeway) → timestamp_in_future; the
//   tolerance on iat → timestamp_too_old / timestamp_in_future / missing_timestamp;
//   iss, aud or the secrets_claim value not as configured → bad_signature (a token for
//   someone else); body or URL hash claim absent or different → bad_body_hash.
// sign(): HS256 header tokens only: {"alg":"HS256","typ":"JWT"} with iss, iat, jti (the id),
// aud and the hash claims the spec names; no exp, so the configured window alone applies.
class JwtScheme final : public Verifier {
 public:
  explicit JwtScheme(JwtSchemeOptions options);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override {
    return !options_.spec.url_sha256_claim.empty() || options_.spec.audience_is_url;
  }
  [[nodiscard]] const FieldRef& event_id_field() const override { return options_.event_id; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return options_.event_type; }

 private:
  JwtSchemeOptions options_;
};

}  // namespace hookgate::verify
