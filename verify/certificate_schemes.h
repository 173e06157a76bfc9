// Schemes signed with a vendor's RSA certificate rather than a shared secret. The certificates
// (or their public keys) are configured locally in `public_key` (a KeySet): hookgate never
// fetches the SigningCertURL / PAYPAL-CERT-URL a request names, so a request cannot choose
// the key it is checked with. Keep the configured certificates current by hand or a cron job
// (then SIGHUP) when the vendor rotates them.
//   Amazon SNS (and SES notifications through it): the JSON body's Signature = base64
//        RSA-SHA1 (SignatureVersion 1) or RSA-SHA256 (2) over "Key\nValue\n" for Message,
//        MessageId, Subject (when present), Timestamp, TopicArn, Type; confirmation messages
//        sign Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type instead.
//   PayPal: PAYPAL-TRANSMISSION-SIG = base64 RSA-SHA256 over
//        "<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, decimal>".
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verify/key_set.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// The body not an SNS message (JSON object with string Type, Signature…) → missing_signature;
// SignatureVersion other than "1"/"2", or a Signature that is not base64 →
// malformed_signature; no configured key verifies → bad_signature; TopicArn not one of
// `topics` → bad_credentials (AWS signs every topic's messages with the same certificate).
// sign(): false (hookgate holds no private key).
class SnsScheme final : public Verifier {
 public:
  SnsScheme(std::shared_ptr<const KeySet> keys, std::vector<std::string> topics, FieldRef event_id,
            FieldRef event_type);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

  // The string SNS signs for a message given as JSON text, or nullopt (tests).
  [[nodiscard]] static std::optional<std::string> string_to_sign(std::string_view body);

 private:
  std::shared_ptr<const KeySet> keys_;
  std::vector<std::string> topics_;
  FieldRef event_id_;
  FieldRef event_type_;
};

// PAYPAL-TRANSMISSION-SIG absent → missing_signature; PAYPAL-TRANSMISSION-ID or -TIME absent
// → missing_id / missing_timestamp; the time not RFC 3339 → malformed_timestamp; outside
// `tolerance` (when > 0) → timestamp_too_old / _in_future; PAYPAL-AUTH-ALGO present and not
// SHA256withRSA, or the signature not base64 → malformed_signature; no configured key and
// webhook id (`webhook_ids`, several while a webhook is replaced) verifies → bad_signature.
// sign(): false.
class PaypalScheme final : public Verifier {
 public:
  PaypalScheme(std::shared_ptr<const KeySet> keys, std::vector<std::string> webhook_ids,
               std::chrono::seconds tolerance, FieldRef event_id, FieldRef event_type);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

  // CRC-32 (IEEE 802.3, as zlib's crc32 and PayPal's SDKs compute it).
  [[nodiscard]] static std::uint32_t crc32(std::string_view bytes);

 private:
  std::shared_ptr<const KeySet> keys_;
  std::vector<std::string> webhook_ids_;
  std::chrono::seconds tolerance_;
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
