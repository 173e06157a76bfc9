// A set of RSA / ECDSA P-256 public keys for the JWT scheme (JWKS, Google's OIDC tokens, Kinde,
// Wix…) and the certificate-signed schemes (Amazon SNS), parsed once from the text an operator
// configures. Keys are configured or cached locally: hookgate never fetches a JWKS or a
// certificate itself.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace hookgate::verify {

enum class KeySignature {
  rsa_sha256,    // RSASSA-PKCS1-v1_5 with SHA-256 (JWT RS256, SNS SignatureVersion 2)
  rsa_sha1,      // RSASSA-PKCS1-v1_5 with SHA-1 (SNS SignatureVersion 1)
  ecdsa_p256_raw,  // ECDSA P-256 / SHA-256, signature as JOSE's 64-byte r || s (JWT ES256)
};

// Immutable after parse(); verify() is thread-safe.
class KeySet {
 public:
  // Accepted text: a JWKS document ({"keys":[…]}), one JWK object (kty RSA with n/e, or kty
  // EC with crv P-256 and x/y), or one or more PEM blocks ("PUBLIC KEY", "RSA PUBLIC KEY" or
  // "CERTIFICATE": a certificate contributes its public key; its validity dates are not
  // checked, so rotate certificates by configuration). JWKs without "use":"sig" or "alg" are
  // kept; keys of other types are skipped. nullptr and `error` (never echoing the text) when
  // nothing usable is found.
  [[nodiscard]] static std::shared_ptr<const KeySet> parse(std::string_view text, std::string& error);
  ~KeySet();
  KeySet(const KeySet&) = delete;
  KeySet& operator=(const KeySet&) = delete;

  // True when a key whose id is `kid` (any key when `kid` is empty, or when no key has an
  // id) and whose type fits `algorithm` verifies `signature` over the concatenation of
  // `message`.
  [[nodiscard]] bool verify(std::string_view kid, KeySignature algorithm,
                            std::span<const std::string_view> message,
                            std::span<const unsigned char> signature) const;

  [[nodiscard]] std::size_t size() const;

 private:
  struct Key;
  KeySet() = default;
  std::vector<Key> keys_;
};

}  // namespace hookgate::verify
