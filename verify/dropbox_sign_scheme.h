// Dropbox Sign (formerly HelloSign) event callbacks: a multipart/form-data POST whose "json"
// field is the event; event.event_hash = hex(HMAC-SHA256(API key, event.event_time +
// event.event_type)). The receiver answers "Hello API Event Received". Ground truth:
// @dropbox/sign npm SDK, EventCallbackHelper.isValid (model/eventCallbackHelper.ts).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "verify/hmac_key.h"
#include "verify/keyed_scheme.h"
#include "verify/verifier.h"

namespace hookgate::verify {

class DropboxSignScheme final : public KeyedScheme {
 public:
  DropboxSignScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance,
                    FieldRef event_id, FieldRef event_type);

  // The event JSON is the multipart "json" field (Content-Type multipart/form-data), the
  // "json" form field (application/x-www-form-urlencoded), or the body itself when it is a
  // JSON object. No event JSON, or no event.event_time (string or integer), event_type or
  // event_hash → missing_signature; event_time not unix seconds → malformed_timestamp;
  // outside tolerance (when > 0; the SDK checks none) → timestamp_too_old / _in_future;
  // event_hash not 64 hex characters → malformed_signature; no secret matches → bad_signature. The hash covers only time and type, as the SDK's: the
  // rest of the event is not authenticated.
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  // input.body: the event JSON with event.event_time and event.event_type; sets its
  // event.event_hash and wraps it as the multipart "json" field (Content-Type header written).
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;

  // The event JSON of a request as described for verify(), or nullopt (exposed for tests).
  [[nodiscard]] static std::optional<std::string> event_json(const Request& request);
};

}  // namespace hookgate::verify
