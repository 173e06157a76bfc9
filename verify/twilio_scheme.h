// Twilio's request signature: X-Twilio-Signature = base64(HMAC-SHA1(auth token, data)), where
// data is the full URL Twilio called, then, for form posts, every POST parameter as name +
// value in name order. JSON posts carry bodySHA256=<hex sha256(body)> in the query instead
// and sign the URL alone. Mandrill signs its form posts the same way, in X-Mandrill-Signature
// with the webhook's key.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "verify/hmac_key.h"
#include "verify/keyed_scheme.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// verify(): signature header absent → missing_signature; repeated or not a base64 SHA-1 →
// malformed_signature. The URL is Request::public_url; like Twilio's SDKs, it is tried
// without any port and with the scheme's default port (:443 / :80) added when it has none.
// Form parameters are percent-decoded, sorted by name (byte order; equal to the SDK's UTF-16
// order for every ASCII name), and a repeated name contributes its distinct values sorted.
// No URL/secret matches → bad_signature. With bodySHA256 in the query, a body that does not
// hash to it → bad_body_hash (checked after the signature).
class TwilioScheme final : public KeyedScheme {
 public:
  // `signature_header`: X-Twilio-Signature, or X-Mandrill-Signature for Mandrill.
  TwilioScheme(std::shared_ptr<const KeyRing> keys, FieldRef event_id, FieldRef event_type,
               std::string signature_header = "X-Twilio-Signature");

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  // Needs input.url (the URL Twilio would call, query included). With bodySHA256 in its query
  // the URL alone is signed (the caller puts hex(sha256(body)) there); otherwise the body is
  // read as form parameters.
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override { return true; }

  // The signed data for `url` and `body` (exposed for tests): URL, then sorted parameters.
  [[nodiscard]] static std::vector<std::string> signed_pieces(std::string_view url,
                                                              std::string_view body);
  // Twilio's URL variants: without port, and with the default port when there is none.
  [[nodiscard]] static std::vector<std::string> url_variants(std::string_view url);

 private:
  std::string signature_header_;
};

}  // namespace hookgate::verify
