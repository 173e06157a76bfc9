// A Verifier that wraps another and forwards every call to it: the base of decorators that
// add one behaviour (an IP allowlist, a preset's handshake) to any scheme.
#pragma once

#include <cstdlib>
#include <memory>
#include <utility>

#include "verify/verifier.h"

namespace hookgate::verify {

class ForwardingVerifier : public Verifier {
 public:
  // Precondition: `inner` is not null (built from the preset table or a validated spec).
  explicit ForwardingVerifier(std::shared_ptr<const Verifier> inner) : inner_(std::move(inner)) {
    if (!inner_) std::abort();
  }

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override {
    return inner_->verify(request, now);
  }
  [[nodiscard]] std::optional<HandshakeOutcome> handshake(const Request& request,
                                                          TimePoint now) const override {
    return inner_->handshake(request, now);
  }
  [[nodiscard]] bool answers_get() const override { return inner_->answers_get(); }
  [[nodiscard]] int success_status() const override { return inner_->success_status(); }
  [[nodiscard]] std::string_view success_body() const override { return inner_->success_body(); }
  [[nodiscard]] bool signs_url() const override { return inner_->signs_url(); }
  [[nodiscard]] LearnedSecret* learned_secret() const override { return inner_->learned_secret(); }
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override {
    return inner_->sign(input, out);
  }
  [[nodiscard]] const FieldRef& event_id_field() const override { return inner_->event_id_field(); }
  [[nodiscard]] const FieldRef& event_type_field() const override {
    return inner_->event_type_field();
  }

 protected:
  [[nodiscard]] const Verifier& inner() const { return *inner_; }

 private:
  std::shared_ptr<const Verifier> inner_;
};

}  // namespace hookgate::verify
