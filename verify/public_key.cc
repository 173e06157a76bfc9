#include "verify/public_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <cstring>
#include <optional>
#include <vector>

#include "verify/encoding.h"

namespace hookgate::verify {
namespace {

constexpr std::string_view kWhpkPrefix = "whpk_";
// DER SubjectPublicKeyInfo of an Ed25519 key: this 12-byte header, then the 32-byte key.
constexpr std::array<unsigned char, 12> kEd25519SpkiHeader = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                              0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

// Drops PEM armour lines ("-----BEGIN PUBLIC KEY-----") and all whitespace.
std::string strip_armour(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.find("-----") == std::string_view::npos) {
      for (const char c : line) {
        if (c != ' ' && c != '\t' && c != '\r') out.push_back(c);
      }
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

std::optional<std::vector<unsigned char>> base64_bytes(std::string_view text) {
  return decode_secret(SecretEncoding::base64, text);
}

}  // namespace

void PublicKey::PkeyFree::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

PublicKey::~PublicKey() = default;

std::unique_ptr<PublicKey> PublicKey::parse(PublicKeyAlgorithm algorithm, std::string_view text,
                                            std::string& error) {
  std::unique_ptr<PublicKey> key(new PublicKey(algorithm));
  const std::string compact = strip_armour(text);
  if (compact.empty()) {
    error = "public_key is empty";
    return nullptr;
  }

  if (algorithm == PublicKeyAlgorithm::ed25519) {
    std::optional<std::vector<unsigned char>> bytes;
    std::string_view body = compact;
    if (body.starts_with(kWhpkPrefix)) {
      body.remove_prefix(kWhpkPrefix.size());
      bytes = base64_bytes(body);
    } else if (body.size() == 64) {
      std::vector<unsigned char> raw(32);
      if (hex_decode(body, raw) == 32) bytes = std::move(raw);
    }
    if (!bytes) bytes = base64_bytes(body);
    if (bytes && bytes->size() == 44 &&
        std::memcmp(bytes->data(), kEd25519SpkiHeader.data(), kEd25519SpkiHeader.size()) == 0) {
      bytes->erase(bytes->begin(), bytes->begin() + kEd25519SpkiHeader.size());
    }
    if (!bytes || bytes->size() != 32) {
      error = "public_key is not an Ed25519 public key (expected 64 hex characters, whpk_ + "
              "base64, base64 of 32 bytes, or a DER/PEM SubjectPublicKeyInfo)";
      return nullptr;
    }
    std::memcpy(key->ed25519_.data(), bytes->data(), 32);
    return key;
  }

  const std::optional<std::vector<unsigned char>> der = base64_bytes(compact);
  if (!der) {
    error = "public_key is not base64 (expected the base64 DER SubjectPublicKeyInfo, or PEM)";
    return nullptr;
  }
  const unsigned char* cursor = der->data();
  EVP_PKEY* parsed = d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der->size()));
  key->ecdsa_.reset(parsed);
  char group[64] = {};
  std::size_t group_length = 0;
  if (!parsed || cursor != der->data() + der->size() || !EVP_PKEY_is_a(parsed, "EC") ||
      EVP_PKEY_get_utf8_string_param(parsed, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &group_length) != 1 ||
      std::string_view(group, group_length) != "prime256v1") {
    error = "public_key is not an ECDSA P-256 (prime256v1) SubjectPublicKeyInfo";
    return nullptr;
  }
  return key;
}

bool PublicKey::verify(std::span<const std::string_view> message,
                       std::span<const unsigned char> signature) const {
  if (algorithm_ == PublicKeyAlgorithm::ed25519) {
    if (signature.size() != crypto_sign_BYTES) return false;
    // libsodium's Ed25519 takes the message in one piece. Per-thread scratch: no allocation
    // once a thread has seen a body of this size.
    thread_local std::string joined;
    joined.clear();
    for (const std::string_view piece : message) joined.append(piece);
    return crypto_sign_verify_detached(signature.data(),
                                       reinterpret_cast<const unsigned char*>(joined.data()),
                                       joined.size(), ed25519_.data()) == 0;
  }
  if (!ecdsa_) return false;
  struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, ecdsa_.get()) != 1) {
    return false;
  }
  for (const std::string_view piece : message) {
    if (!piece.empty() && EVP_DigestVerifyUpdate(ctx.get(), piece.data(), piece.size()) != 1) {
      return false;
    }
  }
  return EVP_DigestVerifyFinal(ctx.get(), signature.data(), signature.size()) == 1;
}

}  // namespace hookgate::verify
