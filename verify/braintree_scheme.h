// Braintree webhook notifications: a form POST of bt_signature and bt_payload, where
// bt_payload is base64 of the notification XML (the SDK's sample adds a trailing "\n") and
// bt_signature is "public_key|hex(HMAC-SHA1(key = SHA-1(private_key), bt_payload))", several
// such pairs joined by '&' when Braintree signs for more than one key. Ground truth: the
// braintree npm SDK (webhook_notification_gateway.js, digest.js).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verify/hmac_key.h"
#include "verify/verifier.h"

namespace hookgate::verify {

inline constexpr std::size_t kMaxBraintreeSignatureBytes = 2048;
inline constexpr std::size_t kMaxBraintreePairs = 16;

class BraintreeScheme final : public Verifier {
 public:
  // One configured credential: "public_key:private_key" (split at the first ':').
  struct Credential {
    std::string public_key;
    std::unique_ptr<HmacKey> key;  // HMAC-SHA1 keyed with SHA-1(private_key)
  };

  // nullptr and `error` set when a secret is not "public_key:private_key" (never echoes it).
  [[nodiscard]] static std::shared_ptr<const BraintreeScheme> create(
      std::span<const std::string> secrets, FieldRef event_id, FieldRef event_type, std::string& error);

  // bt_signature or bt_payload absent → missing_signature; bt_signature longer than
  // kMaxBraintreeSignatureBytes, more than kMaxBraintreePairs pairs, or bt_payload with a
  // character outside [A-Za-z0-9+/=\n] (the SDK refuses those) → malformed_signature; no pair
  // for a configured public key → bad_signature; that pair's MAC not 40 hex characters →
  // malformed_signature; the MAC matching neither bt_payload nor bt_payload + "\n" (the SDK
  // accepts both) → bad_signature.
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  // The body becomes the form Braintree posts: bt_payload = base64(input.body) + "\n",
  // bt_signature for the first credential; a Content-Type header is written.
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

  BraintreeScheme(std::vector<Credential> credentials, FieldRef event_id, FieldRef event_type);

 private:
  std::vector<Credential> credentials_;
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
