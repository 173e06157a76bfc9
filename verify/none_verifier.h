// `provider: none`: a source that takes requests unverified (an internal sender, a vendor
// with no signature such as Postmark behind basic auth at the edge).
#pragma once

#include "verify/verifier.h"

namespace hookgate::verify {

// verify() is always ok; sign() always false. Event fields as configured, else none.
class NoneVerifier final : public Verifier {
 public:
  NoneVerifier(FieldRef event_id, FieldRef event_type)
      : event_id_(std::move(event_id)), event_type_(std::move(event_type)) {}

  [[nodiscard]] Verdict verify(const Request&, TimePoint) const override {
    return Verdict::ok;
  }
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput&, SignedHeaders& out) const override {
    out.headers.clear();
    out.body.reset();
    return false;
  }
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

 private:
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
