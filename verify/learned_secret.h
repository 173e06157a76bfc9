// A secret a vendor hands over at runtime, in a handshake (Asana's X-Hook-Secret), held in
// memory for the verifier. verify/ does no I/O: the gateway makes the secret durable
// (storage/) and then calls set(); at startup it set()s what it stored earlier.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verify/verifier.h"

namespace hookgate::verify {

// Thread-safe: set() may run on any thread while others verify.
class LearnedSecret {
 public:
  // Builds the verifier for a set of secrets (configured ones first, then the learned one).
  using Factory =
      std::function<std::shared_ptr<const Verifier>(std::span<const std::string> secrets)>;

  // Longest secret accepted from a vendor.
  static constexpr std::size_t kMaxSecretBytes = 256;

  LearnedSecret(std::vector<std::string> configured, Factory factory);

  // False (nothing changes) when `secret` is empty, longer than kMaxSecretBytes, contains
  // anything but visible ASCII, or the factory cannot use it.
  [[nodiscard]] bool set(std::string_view secret);
  [[nodiscard]] bool has_learned() const;
  // Constant-time comparison with the learned secret; false when none.
  [[nodiscard]] bool matches_learned(std::string_view secret) const;
  // The verifier over configured + learned secrets; null while there are none.
  [[nodiscard]] std::shared_ptr<const Verifier> verifier() const;

  // True when `secret` is acceptable to set() as far as its shape goes.
  [[nodiscard]] static bool well_formed(std::string_view secret);

 private:
  const std::vector<std::string> configured_;
  const Factory factory_;
  mutable std::mutex mutex_;
  std::string learned_;
  std::shared_ptr<const Verifier> verifier_;
};

// The verifier of a source whose secret may be learned: verifies with LearnedSecret's current
// verifier, or answers secret_not_established while there is none.
class LearnedSecretVerifier final : public Verifier {
 public:
  LearnedSecretVerifier(std::shared_ptr<LearnedSecret> cell, FieldRef event_id,
                        FieldRef event_type);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] LearnedSecret* learned_secret() const override { return cell_.get(); }
  [[nodiscard]] const FieldRef& event_id_field() const override { return event_id_; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return event_type_; }

 private:
  std::shared_ptr<LearnedSecret> cell_;
  FieldRef event_id_;
  FieldRef event_type_;
};

}  // namespace hookgate::verify
