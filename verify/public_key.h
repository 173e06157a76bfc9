// Public keys of the asymmetric schemes, parsed from the text vendors hand out, and signature
// checks with them: Ed25519 through libsodium, ECDSA P-256 through OpenSSL.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "verify/spec.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace hookgate::verify {

// Immutable after parse(); verify() is thread-safe.
class PublicKey {
 public:
  // Accepted forms.
  //   Ed25519: "whpk_" + base64 of the 32-byte key (Standard Webhooks); 64 hex characters
  //            (Discord); base64 of the 32 bytes; base64 DER SubjectPublicKeyInfo; PEM.
  //   ECDSA P-256: base64 DER SubjectPublicKeyInfo (SendGrid's "verification key"); PEM.
  // Whitespace and line breaks are ignored. nullptr and `error` set (naming the expected
  // form, never echoing the key) otherwise, or for a key of another curve or algorithm.
  [[nodiscard]] static std::unique_ptr<PublicKey> parse(PublicKeyAlgorithm algorithm,
                                                        std::string_view text, std::string& error);
  ~PublicKey();
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;

  [[nodiscard]] PublicKeyAlgorithm algorithm() const { return algorithm_; }

  // True when `signature` (Ed25519: 64 raw bytes; ECDSA: DER) signs the concatenation of
  // `message`. False on any failure.
  [[nodiscard]] bool verify(std::span<const std::string_view> message,
                            std::span<const unsigned char> signature) const;

 private:
  struct PkeyFree {
    void operator()(evp_pkey_st* key) const;
  };
  explicit PublicKey(PublicKeyAlgorithm algorithm) : algorithm_(algorithm) {}

  PublicKeyAlgorithm algorithm_;
  std::array<unsigned char, 32> ed25519_{};               // Ed25519
  std::unique_ptr<evp_pkey_st, PkeyFree> ecdsa_;          // ECDSA P-256
};

}  // namespace hookgate::verify
