#include "verify/hmac_key.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "verify/encoding.h"

namespace hookgate::verify {
namespace {

// More idle contexts than this are freed rather than pooled: the pool only needs one per
// thread verifying at the same moment.
constexpr std::size_t kMaxIdle = 64;

const char* openssl_digest_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::sha1:
      return "SHA1";
    case Algorithm::sha256:
      return "SHA256";
    case Algorithm::sha512:
      return "SHA512";
  }
  return "SHA256";
}

struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};

}  // namespace

std::size_t digest_size(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::sha1:
      return 20;
    case Algorithm::sha256:
      return 32;
    case Algorithm::sha512:
      return 64;
  }
  return 0;
}

void HmacKey::CtxFree::operator()(evp_mac_ctx_st* ctx) const { EVP_MAC_CTX_free(ctx); }

HmacKey::HmacKey(Algorithm algorithm, CtxPtr keyed)
    : algorithm_(algorithm), keyed_(std::move(keyed)) {
  idle_.reserve(8);
}

HmacKey::~HmacKey() = default;

std::unique_ptr<HmacKey> HmacKey::create(Algorithm algorithm, std::span<const unsigned char> key) {
  const std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr));
  if (!mac) return nullptr;
  CtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) return nullptr;
  // OSSL_PARAM takes a non-const char* but only reads the digest name.
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                       const_cast<char*>(openssl_digest_name(algorithm)), 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) return nullptr;
  return std::unique_ptr<HmacKey>(new HmacKey(algorithm, std::move(ctx)));
}

HmacKey::CtxPtr HmacKey::acquire() const {
  const std::lock_guard lock(mutex_);
  if (!idle_.empty()) {
    CtxPtr ctx = std::move(idle_.back());
    idle_.pop_back();
    return ctx;
  }
  return CtxPtr(EVP_MAC_CTX_dup(keyed_.get()));
}

void HmacKey::release(CtxPtr ctx) const {
  const std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(ctx));
}

bool HmacKey::compute(std::span<const std::string_view> pieces, Digest& out) const {
  CtxPtr ctx = acquire();
  if (!ctx) return false;
  // A NULL key re-initialises from the padded-key states the context already holds.
  bool ok = EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) == 1;
  for (std::string_view piece : pieces) {
    if (!ok) break;
    if (piece.empty()) continue;
    ok = EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(piece.data()),
                        piece.size()) == 1;
  }
  std::size_t size = 0;
  ok = ok && EVP_MAC_final(ctx.get(), out.bytes.data(), &size, out.bytes.size()) == 1;
  if (!ok) return false;  // the context may be in a bad state: let it be freed
  out.size = size;
  release(std::move(ctx));
  return true;
}

std::shared_ptr<const KeyRing> KeyRing::create(Algorithm algorithm, SecretEncoding encoding,
                                               std::span<const std::string> secrets,
                                               std::string& error) {
  auto ring = std::make_shared<KeyRing>();
  ring->algorithm_ = algorithm;
  ring->encoding_ = encoding;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    const std::string where = "secrets[" + std::to_string(i) + "]";
    if (secrets[i].empty()) {
      error = where + " is empty";
      return nullptr;
    }
    std::optional<std::vector<unsigned char>> key = decode_secret(encoding, secrets[i]);
    if (!key) {
      const std::string_view as = encoding == SecretEncoding::hex ? "hex" : "base64";
      error = where + " is not valid " + std::string(as);
      return nullptr;
    }
    std::unique_ptr<HmacKey> hmac = HmacKey::create(algorithm, *key);
    OPENSSL_cleanse(key->data(), key->size());
    if (!hmac) {
      error = where + ": OpenSSL could not set up HMAC-" + openssl_digest_name(algorithm);
      return nullptr;
    }
    ring->keys_.push_back(std::move(hmac));
  }
  return ring;
}

bool KeyRing::matches_any(std::span<const std::string_view> pieces, const Digest& expected) const {
  bool match = false;
  for (const std::unique_ptr<HmacKey>& key : keys_) {
    Digest mac;
    if (key->compute(pieces, mac) && mac.size == expected.size) {
      match |= CRYPTO_memcmp(mac.bytes.data(), expected.bytes.data(), mac.size) == 0;
    }
  }
  return match;
}

}  // namespace hookgate::verify
