// Contentful's request verification (webhooks and app actions): x-contentful-signature =
// hex(HMAC-SHA256(signing secret, canonical)), where canonical is
//   METHOD "\n" encoded path "\n" "name:value;name:value" "\n" body
// over the headers named in x-contentful-signed-headers (lower-cased, values trimmed, sorted
// by name), x-contentful-timestamp (unix ms) and x-contentful-signed-headers themselves always
// included, the latter with its value rebuilt as the sorted names. The path is encoded as
// the SDK does: encodeURI(pathname + "?" + querystring.escape(query)). Ground truth:
// @contentful/node-apps-toolkit, src/requests/{sign,verify}-request.ts and utils.ts.
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

inline constexpr std::size_t kMaxContentfulSignedHeaders = 32;
inline constexpr std::size_t kMaxContentfulSignedHeadersBytes = 1024;

class ContentfulScheme final : public KeyedScheme {
 public:
  ContentfulScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance,
                   FieldRef event_id, FieldRef event_type);

  // Signature, signed-headers or timestamp header absent → missing_signature /
  // missing_timestamp; any of them or a signed header repeated, the list longer than
  // kMaxContentfulSignedHeadersBytes or kMaxContentfulSignedHeaders names, the signature not
  // 64 hex characters → malformed_signature; the timestamp not decimal ms → malformed_timestamp;
  // outside tolerance (when > 0) → timestamp_too_old / _in_future; no secret matches →
  // bad_signature. The path is that of Request::public_url (the request's own when no
  // public_url is configured), query included. signs_url(): the path
  // must be the one Contentful calls, so sources need a public_url.
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  // Needs input.url (for its path); signs the timestamp and signed-headers headers only.
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override { return true; }

  // The SDK's getNormalizedEncodedURI() of the path[?query] part of `url` (exposed for tests).
  [[nodiscard]] static std::string encoded_path(std::string_view url);
};

}  // namespace hookgate::verify
