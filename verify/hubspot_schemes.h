// HubSpot's request signatures (developers.hubspot.com "Validating requests"):
//   v3: X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client secret, method + uri + body +
//       timestamp)), X-HubSpot-Request-Timestamp in unix milliseconds. HubSpot's docs say the
//       URI is signed with these percent-encodings decoded: %3A %2F %3F %40 %21 %24 %27 %28 %29
//       %2A %2C %3B. HubSpot's own SDKs (Node src/utils/signature.ts, Python utils/signature.py)
//       sign whatever URL their caller passes, undecoded. The v3 preset is the generic HMAC scheme
//       over the decoded URL, and also accepts the URL as received (the same URL either way).
//   v1: X-HubSpot-Signature = hex(SHA-256(client secret + body))  (a plain hash, not an HMAC)
//   v2: X-HubSpot-Signature = hex(SHA-256(client secret + method + uri + body))
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "verify/forwarding_verifier.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// `url` with HubSpot's list of percent-encodings decoded (either hex case).
[[nodiscard]] std::string hubspot_decode_uri(std::string_view url);

// Wraps the v3 HMAC scheme: verify() checks the URL decoded as HubSpot's docs describe, then,
// when that differs and did not match, the URL as received; sign() signs the decoded URL.
class HubspotUriVerifier final : public ForwardingVerifier {
 public:
  using ForwardingVerifier::ForwardingVerifier;
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
};

// v1 / v2. X-HubSpot-Signature absent → missing_signature; repeated, not 64 hex characters, or
// X-HubSpot-Signature-Version present and naming another version → malformed_signature; no
// secret matches → bad_signature (constant-time compare).
class HubspotLegacyScheme final : public Verifier {
 public:
  HubspotLegacyScheme(int version, std::vector<std::string> secrets, FieldRef event_id,
                      FieldRef event_type);
  ~HubspotLegacyScheme() override;

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  // v2 needs input.url.
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override { return version_ == 2; }
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

 private:
  [[nodiscard]] bool digest(const std::string& secret, std::string_view method, std::string_view url,
                            std::string_view body, unsigned char* out) const;

  int version_;
  std::vector<std::string> secrets_;
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
