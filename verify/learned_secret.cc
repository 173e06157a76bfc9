#include "verify/learned_secret.h"

#include <openssl/crypto.h>

namespace hookgate::verify {

LearnedSecret::LearnedSecret(std::vector<std::string> configured, Factory factory)
    : configured_(std::move(configured)), factory_(std::move(factory)) {
  if (!configured_.empty()) verifier_ = factory_(configured_);
}

bool LearnedSecret::well_formed(std::string_view secret) {
  if (secret.empty() || secret.size() > kMaxSecretBytes) return false;
  for (const char c : secret) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

bool LearnedSecret::set(std::string_view secret) {
  if (!well_formed(secret)) return false;
  std::vector<std::string> secrets = configured_;
  secrets.emplace_back(secret);
  std::shared_ptr<const Verifier> built = factory_(secrets);
  OPENSSL_cleanse(secrets.back().data(), secrets.back().size());
  if (!built) return false;
  const std::lock_guard lock(mutex_);
  if (!learned_.empty()) OPENSSL_cleanse(learned_.data(), learned_.size());
  learned_.assign(secret);
  verifier_ = std::move(built);
  return true;
}

bool LearnedSecret::has_learned() const {
  const std::lock_guard lock(mutex_);
  return !learned_.empty();
}

bool LearnedSecret::matches_learned(std::string_view secret) const {
  const std::lock_guard lock(mutex_);
  return !learned_.empty() && learned_.size() == secret.size() &&
         CRYPTO_memcmp(learned_.data(), secret.data(), secret.size()) == 0;
}

std::shared_ptr<const Verifier> LearnedSecret::verifier() const {
  const std::lock_guard lock(mutex_);
  return verifier_;
}

LearnedSecretVerifier::LearnedSecretVerifier(std::shared_ptr<LearnedSecret> cell, FieldRef event_id,
                                             FieldRef event_type)
    : cell_(std::move(cell)), event_id_(std::move(event_id)), event_type_(std::move(event_type)) {}

Verdict LearnedSecretVerifier::verify(const Request& request, TimePoint now) const {
  const std::shared_ptr<const Verifier> current = cell_->verifier();
  if (!current) return Verdict::secret_not_established;
  return current->verify(request, now);
}

bool LearnedSecretVerifier::sign(const SignInput& input, SignedHeaders& out) const {
  const std::shared_ptr<const Verifier> current = cell_->verifier();
  if (!current) {
    out.headers.clear();
    out.body.reset();
    return false;
  }
  return current->sign(input, out);
}

}  // namespace hookgate::verify
