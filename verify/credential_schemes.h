// Schemes without a signature, where the vendor presents a shared secret itself: a static
// token in a header (GitLab, Okta), HTTP Basic credentials (Postmark), and the clientState
// inside each Microsoft Graph notification.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// The configured secrets as SHA-256 digests. matches() hashes the presented value and
// compares digests in constant time, so neither a secret's bytes nor its length leak through
// timing. Immutable; thread-safe.
class SecretMatcher {
 public:
  explicit SecretMatcher(std::span<const std::string> secrets);
  [[nodiscard]] bool matches(std::string_view presented) const;

 private:
  std::vector<std::array<unsigned char, 32>> digests_;
};

struct CredentialOptions {
  std::vector<std::string> secrets;  // non-empty; the first one signs
  FieldRef event_id;
  FieldRef event_type;
  std::string sample_event_type = "test";
};

// What the three schemes below share: the secrets, a matcher over them, the event fields.
class CredentialScheme : public Verifier {
 public:
  [[nodiscard]] const FieldRef& event_id_field() const override { return options_.event_id; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return options_.event_type; }

 protected:
  explicit CredentialScheme(CredentialOptions options);
  // sign() for a credential in a header: `name: value`, then the event id / type headers.
  void sign_header(std::string name, std::string value, std::string_view id, SignedHeaders& out) const;

  CredentialOptions options_;
  SecretMatcher matcher_;
};

// `header: <prefix><secret>`, or with spec.query the query parameter `query=<secret>`, or with
// spec.body_member that string member of the JSON body (sign() then sets it in the body). Absent
// → missing_credentials; repeated, wrong prefix or no match → bad_credentials. sign(): that
// header with the first secret; for a query token, SignedHeaders::url = input.url with the
// parameter appended (false without input.url, or when input.url already has that parameter:
// verify() refuses a repeated one).
class TokenScheme final : public CredentialScheme {
 public:
  TokenScheme(TokenSpec spec, CredentialOptions options);
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override { return !spec_.query.empty(); }

 private:
  TokenSpec spec_;
};

// `Authorization: Basic base64(user:password)` (RFC 7617), each secret being "user:password".
// Absent or another scheme → missing_credentials; undecodable or no match → bad_credentials.
class BasicAuthScheme final : public CredentialScheme {
 public:
  explicit BasicAuthScheme(CredentialOptions options);
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
};

// Microsoft Graph change notifications: {"value":[{…,"clientState":"<secret>"},…]}. Every
// item must carry a clientState equal to a secret. Body not such a JSON object, or an item
// without clientState → missing_credentials; any mismatch → bad_credentials.
// sign(): sets every item's clientState in the body to the first secret (SignedHeaders::body);
// no headers. false when "value" is not a non-empty array (nothing would verify).
class ClientStateScheme final : public CredentialScheme {
 public:
  explicit ClientStateScheme(CredentialOptions options);
  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
};

}  // namespace hookgate::verify
