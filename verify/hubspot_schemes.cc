#include "verify/hubspot_schemes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/sign_headers.h"

namespace hookgate::verify {
namespace {

constexpr std::string_view kSignatureHeader = "X-HubSpot-Signature";
constexpr std::string_view kVersionHeader = "X-HubSpot-Signature-Version";

}  // namespace

std::string hubspot_decode_uri(std::string_view url) {
  constexpr std::string_view kDecoded = ":/?@!$'()*,;";
  std::string out;
  out.reserve(url.size());
  for (std::size_t i = 0; i < url.size(); ++i) {
    if (url[i] == '%' && i + 2 < url.size() && hex_digit_value(url[i + 1]) >= 0 && hex_digit_value(url[i + 2]) >= 0) {
      const char c = static_cast<char>(hex_digit_value(url[i + 1]) * 16 + hex_digit_value(url[i + 2]));
      if (kDecoded.find(c) != std::string_view::npos) {
        out.push_back(c);
        i += 2;
        continue;
      }
    }
    out.push_back(url[i]);
  }
  return out;
}

Verdict HubspotUriVerifier::verify(const Request& request, TimePoint now) const {
  const std::string decoded = hubspot_decode_uri(request.public_url);
  Request view = request;
  view.public_url = decoded;
  const Verdict verdict = ForwardingVerifier::verify(view, now);
  // Only a MAC mismatch is worth a second try: every other verdict is about the headers.
  if (verdict != Verdict::bad_signature || decoded == request.public_url) return verdict;
  return ForwardingVerifier::verify(request, now);
}

bool HubspotUriVerifier::sign(const SignInput& input, SignedHeaders& out) const {
  const std::string decoded = hubspot_decode_uri(input.url);
  SignInput copy = input;
  copy.url = decoded;
  return ForwardingVerifier::sign(copy, out);
}

HubspotLegacyScheme::HubspotLegacyScheme(int version, std::vector<std::string> secrets,
                                         FieldRef event_id, FieldRef event_type)
    : version_(version),
      secrets_(std::move(secrets)),
      event_id_(std::move(event_id)),
      event_type_(std::move(event_type)) {}

HubspotLegacyScheme::~HubspotLegacyScheme() {
  for (std::string& secret : secrets_) OPENSSL_cleanse(secret.data(), secret.size());
}

bool HubspotLegacyScheme::digest(const std::string& secret, std::string_view method,
                                 std::string_view url, std::string_view body,
                                 unsigned char* out) const {
  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  const std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return false;
  std::array<std::string_view, 4> pieces{secret, body, {}, {}};
  if (version_ == 2) pieces = {secret, method, url, body};
  for (const std::string_view piece : pieces) {
    if (!piece.empty() && EVP_DigestUpdate(ctx.get(), piece.data(), piece.size()) != 1) return false;
  }
  unsigned int size = 0;
  return EVP_DigestFinal_ex(ctx.get(), out, &size) == 1 && size == 32;
}

Verdict HubspotLegacyScheme::verify(const Request& request, TimePoint) const {
  const SingleHeader header = single_header(request, kSignatureHeader);
  if (header.count == 0) return Verdict::missing_signature;
  if (header.count > 1) return Verdict::malformed_signature;
  if (const std::optional<std::string_view> version = request.header(kVersionHeader)) {
    if (*version != (version_ == 1 ? "v1" : "v2")) return Verdict::malformed_signature;
  }
  std::array<unsigned char, 32> expected{};
  if (header.value.size() != 64 || hex_decode(header.value, expected) != 32) {
    return Verdict::malformed_signature;
  }
  bool match = false;
  for (const std::string& secret : secrets_) {
    std::array<unsigned char, 32> actual{};
    if (digest(secret, request.method, request.public_url, request.body, actual.data())) {
      match |= CRYPTO_memcmp(actual.data(), expected.data(), 32) == 0;
    }
  }
  return match ? Verdict::ok : Verdict::bad_signature;
}

bool HubspotLegacyScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  if (version_ == 2 && input.url.empty()) return false;
  std::array<unsigned char, 32> mac{};
  if (!digest(secrets_.front(), input.method, input.url, input.body, mac.data())) return false;
  out.headers.emplace_back(std::string(kSignatureHeader), hex_encode(mac));
  out.headers.emplace_back(std::string(kVersionHeader), version_ == 1 ? "v1" : "v2");
  append_event_headers(out, event_id_, event_type_, "test", input.id);
  return true;
}

}  // namespace hookgate::verify
