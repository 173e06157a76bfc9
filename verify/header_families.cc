#include "verify/header_families.h"

#include <cstdlib>

namespace hookgate::verify {

HeaderFamilies::HeaderFamilies(std::vector<std::unique_ptr<HeaderScheme>> families,
                               std::size_t sign_family, FieldRef event_id, FieldRef event_type)
    : families_(std::move(families)),
      sign_family_(sign_family),
      event_id_(std::move(event_id)),
      event_type_(std::move(event_type)) {
  // Built from the preset table: a violation is a programming error, not input.
  if (families_.empty() || sign_family_ >= families_.size()) std::abort();
}

Verdict HeaderFamilies::verify(const Request& request, TimePoint now) const {
  for (std::size_t i = 0; i < families_.size(); ++i) {
    if (!request.header(families_[i]->signature_header())) continue;
    for (std::size_t preferred = 0; preferred < i; ++preferred) {
      if (families_[preferred]->has_any_header(request)) return Verdict::malformed_signature;
    }
    return families_[i]->verify(request, now);
  }
  return Verdict::missing_signature;
}

bool HeaderFamilies::sign(const SignInput& input, SignedHeaders& out) const {
  return families_[sign_family_]->sign(input, out);
}

bool HeaderFamilies::signs_url() const {
  for (const auto& family : families_) {
    if (family->signs_url()) return true;
  }
  return false;
}

}  // namespace hookgate::verify
