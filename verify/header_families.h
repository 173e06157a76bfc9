// A vendor that signs under more than one set of header names: Standard Webhooks senders use
// webhook-*, Svix senders svix-*; GitHub sends X-Hub-Signature-256 and the legacy SHA-1
// X-Hub-Signature. One scheme (HMAC or public-key) per family, in order of preference.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "verify/verifier.h"

namespace hookgate::verify {

// verify(): the first family whose signature header is present decides. A request that also
// carries any header of a preferred family (say webhook-id next to svix-signature) is
// malformed_signature: mixing families would let an unsigned header of one family supply the
// event id while the other family's signature is checked. No family present:
// missing_signature. sign(): the family at `sign_family`.
class HeaderFamilies final : public Verifier {
 public:
  // Preconditions: `families` non-empty, sign_family < families.size().
  HeaderFamilies(std::vector<std::unique_ptr<HeaderScheme>> families, std::size_t sign_family,
                 FieldRef event_id, FieldRef event_type);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override;
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

 private:
  std::vector<std::unique_ptr<HeaderScheme>> families_;
  std::size_t sign_family_;
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
