#include "verify/braintree_scheme.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "verify/encoding.h"
#include "verify/form.h"

namespace hookgate::verify {
namespace {

bool payload_characters_ok(std::string_view payload) {
  for (const char c : payload) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=' || c == '\n';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

BraintreeScheme::BraintreeScheme(std::vector<Credential> credentials, FieldRef event_id, FieldRef event_type)
    : credentials_(std::move(credentials)), event_id_(std::move(event_id)), event_type_(std::move(event_type)) {}

std::shared_ptr<const BraintreeScheme> BraintreeScheme::create(std::span<const std::string> secrets,
                                                               FieldRef event_id, FieldRef event_type,
                                                               std::string& error) {
  std::vector<Credential> credentials;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    const std::string& secret = secrets[i];
    const std::size_t colon = secret.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == secret.size() ||
        secret.find('|') < colon) {
      error = "secrets[" + std::to_string(i) + "] must be public_key:private_key";
      return nullptr;
    }
    // The SDK keys HMAC-SHA1 with the SHA-1 digest of the private key.
    std::array<unsigned char, 20> digest{};
    unsigned int size = 0;
    if (EVP_Digest(secret.data() + colon + 1, secret.size() - colon - 1, digest.data(), &size,
                   EVP_sha1(), nullptr) != 1) {
      error = "OpenSSL could not compute SHA-1";
      return nullptr;
    }
    std::unique_ptr<HmacKey> key = HmacKey::create(Algorithm::sha1, digest);
    OPENSSL_cleanse(digest.data(), digest.size());
    if (!key) {
      error = "OpenSSL could not set up HMAC-SHA1";
      return nullptr;
    }
    credentials.push_back(Credential{secret.substr(0, colon), std::move(key)});
  }
  return std::make_shared<BraintreeScheme>(std::move(credentials), std::move(event_id), std::move(event_type));
}

Verdict BraintreeScheme::verify(const Request& request, TimePoint) const {
  const std::optional<std::string> signature = form_value(request.body, "bt_signature");
  const std::optional<std::string> payload = form_value(request.body, "bt_payload");
  if (!signature || signature->empty() || !payload || payload->empty()) return Verdict::missing_signature;
  if (signature->size() > kMaxBraintreeSignatureBytes || !payload_characters_ok(*payload)) {
    return Verdict::malformed_signature;
  }
  // "pub|hex&pub|hex": pieces without '|' are skipped, as the SDK does.
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  std::string_view rest = *signature;
  while (true) {
    const std::size_t amp = rest.find('&');
    const std::string_view piece = rest.substr(0, amp);
    if (const std::size_t bar = piece.find('|'); bar != std::string_view::npos) {
      if (pairs.size() == kMaxBraintreePairs) return Verdict::malformed_signature;
      const std::string_view mac = piece.substr(bar + 1);
      pairs.emplace_back(piece.substr(0, bar), mac.substr(0, mac.find('|')));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  bool matched = false;
  bool malformed = false;
  for (const Credential& credential : credentials_) {
    // The first pair for this public key is the one the SDK checks.
    const auto pair = std::find_if(pairs.begin(), pairs.end(),
                                   [&](const auto& p) { return p.first == credential.public_key; });
    if (pair == pairs.end()) continue;
    Digest expected;
    if (pair->second.size() != 40 || hex_decode(pair->second, expected.bytes) != 20) {
      malformed = true;
      continue;
    }
    const std::string with_newline = *payload + "\n";
    for (const std::string_view data : {std::string_view(*payload), std::string_view(with_newline)}) {
      const std::array<std::string_view, 1> pieces{data};
      Digest mac;
      if (credential.key->compute(pieces, mac) && mac.size == 20) {
        matched |= CRYPTO_memcmp(mac.bytes.data(), expected.bytes.data(), 20) == 0;
      }
    }
  }
  if (matched) return Verdict::ok;
  return malformed ? Verdict::malformed_signature : Verdict::bad_signature;
}

bool BraintreeScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  if (credentials_.empty()) return false;
  const std::string payload =
      base64_encode({reinterpret_cast<const unsigned char*>(input.body.data()), input.body.size()}) + "\n";
  const std::array<std::string_view, 1> pieces{payload};
  Digest mac;
  if (!credentials_.front().key->compute(pieces, mac)) return false;
  const std::string signature = credentials_.front().public_key + "|" + hex_encode({mac.bytes.data(), mac.size});
  out.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  out.body = "bt_signature=" + percent_encode(signature) + "&bt_payload=" + percent_encode(payload);
  return true;
}

}  // namespace hookgate::verify
