// HMAC keyed once at build time and computed per request with OpenSSL 3's EVP_MAC.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verify/spec.h"

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX, kept out of this header

namespace hookgate::verify {

// A MAC value; `size` bytes of `bytes` are used (20, 32 or 64).
struct Digest {
  std::array<unsigned char, 64> bytes{};
  std::size_t size = 0;
};

[[nodiscard]] std::size_t digest_size(Algorithm algorithm);

// One secret, keyed for one algorithm. Thread-safe: compute() may run concurrently.
//
// OpenSSL derives the inner/outer padded-key states once, in a template context. compute()
// borrows a working context from a small pool and re-initialises it from that template
// (EVP_MAC_init with a NULL key reuses the key), which is about half the cost of duplicating
// the template per request. The pool grows to the number of threads that verify at once and
// is freed, with the key states wiped by OpenSSL, when the key is destroyed.
class HmacKey {
 public:
  // nullptr when OpenSSL cannot set up the key (allocation failure, algorithm unavailable).
  [[nodiscard]] static std::unique_ptr<HmacKey> create(Algorithm algorithm,
                                                       std::span<const unsigned char> key);
  ~HmacKey();
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;

  [[nodiscard]] Algorithm algorithm() const { return algorithm_; }

  // HMAC(key, concatenation of `pieces`) into `out`. false on an OpenSSL failure, which the
  // caller treats as a mismatch (fail closed).
  [[nodiscard]] bool compute(std::span<const std::string_view> pieces, Digest& out) const;

 private:
  struct CtxFree {
    void operator()(evp_mac_ctx_st* ctx) const;
  };
  using CtxPtr = std::unique_ptr<evp_mac_ctx_st, CtxFree>;

  HmacKey(Algorithm algorithm, CtxPtr keyed);
  [[nodiscard]] CtxPtr acquire() const;
  void release(CtxPtr ctx) const;

  Algorithm algorithm_;
  CtxPtr keyed_;  // never updated after create(); only duplicated, under mutex_
  mutable std::mutex mutex_;
  mutable std::vector<CtxPtr> idle_;
};

// The decoded secrets of a source, in configured order (the first one signs). Shared by the
// header-family variants of one preset.
class KeyRing {
 public:
  // Decodes every secret per `encoding` and keys it for `algorithm`. nullptr and `error` set
  // ("secrets[1] is not valid base64") when one does not decode; never echoes a secret.
  [[nodiscard]] static std::shared_ptr<const KeyRing> create(Algorithm algorithm,
                                                             SecretEncoding encoding,
                                                             std::span<const std::string> secrets,
                                                             std::string& error);

  [[nodiscard]] Algorithm algorithm() const { return algorithm_; }
  [[nodiscard]] SecretEncoding encoding() const { return encoding_; }
  [[nodiscard]] std::span<const std::unique_ptr<HmacKey>> keys() const { return keys_; }

  // True when HMAC(key, pieces) equals `expected` for any key. Every key is computed and
  // compared in constant time (CRYPTO_memcmp), so timing reveals neither which key matched nor
  // where a MAC differs; an OpenSSL failure counts as a mismatch.
  [[nodiscard]] bool matches_any(std::span<const std::string_view> pieces, const Digest& expected) const;

 private:
  Algorithm algorithm_ = Algorithm::sha256;
  SecretEncoding encoding_ = SecretEncoding::raw;
  std::vector<std::unique_ptr<HmacKey>> keys_;
};

}  // namespace hookgate::verify
