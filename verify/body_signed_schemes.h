// Schemes whose signature lives inside the body rather than in a header.
//   Mailgun: {"signature":{"timestamp":…,"token":…,"signature":hex(HMAC-SHA256(signing key,
//            timestamp + token))},"event-data":{…}}, or the same three as form fields (legacy).
//            The signature does not cover the event data: the preset dedupes on the token,
//            so a captured signature cannot carry a second, forged event.
//   Adyen standard notifications: every NotificationRequestItem carries
//            additionalData.hmacSignature = base64(HMAC-SHA256(hex-decoded key,
//            pspReference:originalReference:merchantAccountCode:merchantReference:
//            amount.value:amount.currency:eventCode:success)); absent fields are empty.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "verify/hmac_key.h"
#include "verify/keyed_scheme.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// signature, timestamp or token absent (or the body neither JSON nor a form) →
// missing_signature / missing_timestamp; signature not 64 hex characters →
// malformed_signature; timestamp not unix seconds → malformed_timestamp; outside tolerance
// (when > 0) → timestamp_too_old / _in_future; no secret matches → bad_signature.
// sign(): sets the body's "signature" member (JSON) or appends the three form fields, with
// input.id as the token; no headers.
class MailgunScheme final : public KeyedScheme {
 public:
  MailgunScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance,
                FieldRef event_id, FieldRef event_type);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
};

// Every item must verify. Body not a notification with items → missing_signature; an item
// without hmacSignature → missing_signature; one that is not base64 of 32 bytes →
// malformed_signature; any item matching no secret → bad_signature.
// sign(): sets each item's additionalData.hmacSignature in the body; no headers.
class AdyenNotificationScheme final : public KeyedScheme {
 public:
  AdyenNotificationScheme(std::shared_ptr<const KeyRing> keys, FieldRef event_id,
                          FieldRef event_type);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;

  // The string Adyen signs for one NotificationRequestItem given as JSON text (tests).
  [[nodiscard]] static std::optional<std::string> signing_string(std::string_view item_json);
};

}  // namespace hookgate::verify
