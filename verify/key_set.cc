#include "verify/key_set.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <simdjson.h>
#include <sodium.h>

#include <optional>

namespace hookgate::verify {

struct KeySet::Key {
  std::string kid;
  bool rsa = false;  // otherwise ECDSA P-256
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey{nullptr, &EVP_PKEY_free};
};

namespace {

// RSA moduli below this are refused: 2048 bits is what every vendor here uses.
constexpr int kMinRsaBits = 2048;
// Bounds on what a configured key text may make us parse.
constexpr std::size_t kMaxKeys = 64;
constexpr std::size_t kMaxKeyField = 2048;

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
PkeyPtr null_pkey() { return PkeyPtr(nullptr, &EVP_PKEY_free); }

// JWK members are base64url without padding (RFC 7515 §2); padding is tolerated.
std::optional<std::vector<unsigned char>> b64url(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.empty() || text.size() > kMaxKeyField) return std::nullopt;
  std::vector<unsigned char> out(text.size() * 3 / 4 + 3);
  std::size_t written = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

PkeyPtr rsa_from_jwk(const std::vector<unsigned char>& n, const std::vector<unsigned char>& e) {
  PkeyPtr key = null_pkey();
  BIGNUM* bn_n = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  if (bn_n && bn_e && build && ctx && OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1 &&
      (params = OSSL_PARAM_BLD_to_param(build)) != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_PUBLIC_KEY, params) == 1) key.reset(raw);
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  BN_free(bn_n);
  BN_free(bn_e);
  return key;
}

PkeyPtr p256_from_jwk(const std::vector<unsigned char>& x, const std::vector<unsigned char>& y) {
  PkeyPtr key = null_pkey();
  if (x.size() != 32 || y.size() != 32) return key;
  std::vector<unsigned char> point{0x04};
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  char group[] = "prime256v1";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* raw = nullptr;
  if (ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) == 1) {
    key.reset(raw);
  }
  EVP_PKEY_CTX_free(ctx);
  return key;
}

// The key's kind when it is one this set uses: RSA of at least kMinRsaBits, or EC P-256.
std::optional<bool> usable_rsa(const EVP_PKEY* pkey) {
  if (!pkey) return std::nullopt;
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    if (EVP_PKEY_get_bits(pkey) < kMinRsaBits) return std::nullopt;
    return true;
  }
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64];
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1 ||
        std::string_view(group, length) != "prime256v1") {
      return std::nullopt;
    }
    return false;
  }
  return std::nullopt;
}

std::optional<std::string_view> member(simdjson::dom::element object, std::string_view name) {
  std::string_view value;
  if (object.at_key(name).get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

// One JWK object. The kid may be empty. Keys of other types, or marked for encryption, are
// skipped (nullptr key).
PkeyPtr jwk_key(simdjson::dom::element jwk, std::string& kid) {
  kid = std::string(member(jwk, "kid").value_or(""));
  const std::optional<std::string_view> use = member(jwk, "use");
  if (use && *use != "sig") return null_pkey();
  const std::string_view kty = member(jwk, "kty").value_or("");
  if (kty == "RSA") {
    const auto n = b64url(member(jwk, "n").value_or(""));
    const auto e = b64url(member(jwk, "e").value_or(""));
    if (!n || !e) return null_pkey();
    return rsa_from_jwk(*n, *e);
  }
  if (kty == "EC" && member(jwk, "crv") == "P-256") {
    const auto x = b64url(member(jwk, "x").value_or(""));
    const auto y = b64url(member(jwk, "y").value_or(""));
    if (!x || !y) return null_pkey();
    return p256_from_jwk(*x, *y);
  }
  return null_pkey();
}

// Every PEM block of `text`: public keys and certificates.
std::vector<PkeyPtr> pem_keys(std::string_view text) {
  std::vector<PkeyPtr> keys;
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  if (!bio) return keys;
  while (keys.size() < kMaxKeys) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    if (PEM_read_bio(bio, &name, &header, &data, &length) != 1) break;
    const std::string_view kind = name;
    const unsigned char* cursor = data;
    EVP_PKEY* pkey = nullptr;
    if (kind == "PUBLIC KEY") {
      pkey = d2i_PUBKEY(nullptr, &cursor, length);
    } else if (kind == "RSA PUBLIC KEY") {
      pkey = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, length);
    } else if (kind == "CERTIFICATE") {
      if (X509* cert = d2i_X509(nullptr, &cursor, length)) {
        pkey = X509_get_pubkey(cert);  // a new reference
        X509_free(cert);
      }
    }
    if (pkey) keys.emplace_back(pkey, &EVP_PKEY_free);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  BIO_free(bio);
  return keys;
}

// JOSE's r || s as the DER ECDSA-Sig-Value EVP_DigestVerify expects.
std::optional<std::vector<unsigned char>> der_signature(std::span<const unsigned char> raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    ECDSA_SIG_free(sig);
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (size <= 0) return std::nullopt;
  std::vector<unsigned char> out(der, der + size);
  OPENSSL_free(der);
  return out;
}

bool digest_verify(EVP_PKEY* pkey, const EVP_MD* md, std::span<const std::string_view> message,
                   std::span<const unsigned char> signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, pkey) == 1;
  for (const std::string_view piece : message) {
    if (ok && !piece.empty()) ok = EVP_DigestVerifyUpdate(ctx, piece.data(), piece.size()) == 1;
  }
  ok = ok && EVP_DigestVerifyFinal(ctx, signature.data(), signature.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

KeySet::~KeySet() = default;

std::size_t KeySet::size() const { return keys_.size(); }

std::shared_ptr<const KeySet> KeySet::parse(std::string_view text, std::string& error) {
  std::shared_ptr<KeySet> set(new KeySet());
  const auto add = [&set](PkeyPtr pkey, std::string kid) {
    const std::optional<bool> rsa = usable_rsa(pkey.get());
    if (!rsa || set->keys_.size() >= kMaxKeys) return;
    Key key;
    key.kid = std::move(kid);
    key.rsa = *rsa;
    key.pkey = std::move(pkey);
    set->keys_.push_back(std::move(key));
  };

  std::string_view trimmed = text;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n' || trimmed.front() == '\r' ||
                              trimmed.front() == '\t')) {
    trimmed.remove_prefix(1);
  }
  if (trimmed.starts_with("{")) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(trimmed.data(), trimmed.size()).get(doc) != simdjson::SUCCESS) {
      error = "public_key: not valid JSON (expected a JWKS {\"keys\":[…]} or one JWK)";
      return nullptr;
    }
    simdjson::dom::array keys;
    if (doc.at_key("keys").get_array().get(keys) == simdjson::SUCCESS) {
      for (simdjson::dom::element jwk : keys) {
        std::string kid;
        PkeyPtr pkey = jwk_key(jwk, kid);
        add(std::move(pkey), std::move(kid));
      }
    } else {
      std::string kid;
      PkeyPtr pkey = jwk_key(doc, kid);
      add(std::move(pkey), std::move(kid));
    }
  } else if (trimmed.starts_with("-----BEGIN")) {
    for (PkeyPtr& pkey : pem_keys(trimmed)) add(std::move(pkey), "");
  } else {
    error = "public_key: expected a JWKS, a JWK, or PEM public keys or certificates";
    return nullptr;
  }
  if (set->keys_.empty()) {
    error = "public_key: no usable key (RSA of at least 2048 bits, or EC P-256, for signatures)";
    return nullptr;
  }
  return set;
}

bool KeySet::verify(std::string_view kid, KeySignature algorithm, std::span<const std::string_view> message,
                    std::span<const unsigned char> signature) const {
  const bool wants_rsa = algorithm != KeySignature::ecdsa_p256_raw;
  std::optional<std::vector<unsigned char>> der;
  if (!wants_rsa) {
    der = der_signature(signature);
    if (!der) return false;
  }
  bool any_kid = kid.empty();
  if (!any_kid) {
    any_kid = true;
    for (const Key& key : keys_) {
      if (!key.kid.empty()) any_kid = false;
    }
  }
  for (const Key& key : keys_) {
    if (key.rsa != wants_rsa) continue;
    if (!any_kid && key.kid != kid) continue;
    const EVP_MD* md = algorithm == KeySignature::rsa_sha1 ? EVP_sha1() : EVP_sha256();
    const std::span<const unsigned char> sig = der ? std::span<const unsigned char>(*der) : signature;
    if (digest_verify(key.pkey.get(), md, message, sig)) return true;
  }
  return false;
}

}  // namespace hookgate::verify
