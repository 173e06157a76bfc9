// Plivo's V3 request signature: X-Plivo-Signature-V3 = base64(HMAC-SHA256(auth token,
// base + "." + X-Plivo-Signature-V3-Nonce)), comma-separated when Plivo signs with more than
// one token. For a POST, base is scheme://host[:port]path of the URL Plivo called, then, when
// the URL has a query or the body has parameters, "?" + the query's decoded name=value pairs
// sorted and joined by '&', then "." when both are present, then every POST parameter as
// name + value, sorted. Ground truth: plivo npm SDK, dist/utils/v3Security.js.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "verify/hmac_key.h"
#include "verify/keyed_scheme.h"
#include "verify/verifier.h"

namespace hookgate::verify {

inline constexpr std::size_t kMaxPlivoNonceBytes = 256;
inline constexpr std::size_t kMaxPlivoSignatures = 8;

class PlivoScheme final : public KeyedScheme {
 public:
  PlivoScheme(std::shared_ptr<const KeyRing> keys, FieldRef event_id, FieldRef event_type);

  // Signature or nonce header absent → missing_signature; either repeated, the nonce longer
  // than kMaxPlivoNonceBytes, more than kMaxPlivoSignatures entries or none that is base64 of
  // 32 bytes → malformed_signature; no entry matching any token → bad_signature. The URL is
  // Request::public_url; a method other than POST → bad_signature (Plivo's GET callbacks are
  // not ingested).
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  // Needs input.url, a POST and input.id (the nonce); writes a form Content-Type.
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override { return true; }

  // The bytes before "." + nonce for a POST of `body` (form) to `url` (exposed for tests).
  [[nodiscard]] static std::string post_base(std::string_view url, std::string_view body);
};

}  // namespace hookgate::verify
