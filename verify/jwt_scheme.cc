#include "verify/jwt_scheme.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <simdjson.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/json_text.h"
#include "verify/sign_headers.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;

// A token in a header is short; one that is the whole body is bounded by the body limit.
constexpr std::size_t kMaxHeaderToken = 16 * 1024;
// nbf may be a little ahead of our clock (RFC 7519 §4.1.5 allows "some small leeway").
constexpr std::chrono::seconds kNotBeforeLeeway{30};

std::optional<std::string> b64url_decode(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t written = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &written, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

std::string b64url_encode(std::string_view bytes) {
  return base64url_encode({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
}

// SHA-256 of `text`, hex (lowercase) or standard base64 as the vendor writes its hash claims.
std::string sha256_text(std::string_view text, bool base64) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) return {};
  return base64 ? base64_encode(digest) : hex_encode(digest);
}

// Hex compares case-insensitively; base64 exactly.
bool equal_hash(std::string_view claimed, std::string_view expected, bool base64) {
  if (claimed.size() != expected.size() || expected.empty()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < claimed.size(); ++i) {
    const char c = base64 ? claimed[i] : ascii_lower(claimed[i]);
    diff |= static_cast<unsigned char>(c) ^ static_cast<unsigned char>(expected[i]);
  }
  return diff == 0;
}

std::optional<std::int64_t> number(simdjson::dom::element object, std::string_view name) {
  simdjson::dom::element value;
  if (object.at_key(name).get(value) != simdjson::SUCCESS) return std::nullopt;
  std::int64_t integer = 0;
  if (value.get_int64().get(integer) == simdjson::SUCCESS) return integer;
  double real = 0;
  if (value.get_double().get(real) == simdjson::SUCCESS && real > -9e15 && real < 9e15) {
    return static_cast<std::int64_t>(real);
  }
  return std::nullopt;
}

std::optional<std::string_view> text(simdjson::dom::element object, std::string_view name) {
  std::string_view value;
  if (object.at_key(name).get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

// "aud" is a string or an array of strings (RFC 7519 §4.1.3).
bool audience_contains(simdjson::dom::element payload, std::string_view audience) {
  simdjson::dom::element aud;
  if (payload.at_key("aud").get(aud) != simdjson::SUCCESS) return false;
  std::string_view one;
  if (aud.get_string().get(one) == simdjson::SUCCESS) return one == audience;
  simdjson::dom::array many;
  if (aud.get_array().get(many) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element item : many) {
    if (item.get_string().get(one) == simdjson::SUCCESS && one == audience) return true;
  }
  return false;
}

}  // namespace

JwtScheme::JwtScheme(JwtSchemeOptions options) : options_(std::move(options)) {}

Verdict JwtScheme::verify(const Request& request, TimePoint now) const {
  const JwtSpec& spec = options_.spec;

  // 1. The token.
  std::string_view token;
  if (spec.header.empty()) {
    token = trim_ows(request.body);
    while (!token.empty() && (token.back() == '\r' || token.back() == '\n')) token.remove_suffix(1);
    if (token.empty()) return Verdict::missing_signature;
  } else {
    const SingleHeader found = single_header(request, spec.header);
    if (found.count == 0) return Verdict::missing_signature;
    if (found.count > 1 || found.value.size() > kMaxHeaderToken) return Verdict::malformed_signature;
    token = trim_ows(found.value);
    if (!spec.prefix.empty() && token.size() > spec.prefix.size() &&
        ascii_iequals(token.substr(0, spec.prefix.size()), spec.prefix)) {
      token = trim_ows(token.substr(spec.prefix.size()));
    }
  }

  // 2. Three base64url parts.
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Verdict::malformed_signature;
  }
  const std::string_view header_b64 = token.substr(0, first);
  const std::string_view payload_b64 = token.substr(first + 1, second - first - 1);
  const std::string_view signature_b64 = token.substr(second + 1);
  const std::optional<std::string> header_json = b64url_decode(header_b64);
  const std::optional<std::string> payload_json = b64url_decode(payload_b64);
  const std::optional<std::string> signature = b64url_decode(signature_b64);
  if (!header_json || !payload_json || !signature) return Verdict::malformed_signature;

  thread_local simdjson::dom::parser header_parser;
  simdjson::dom::element header;
  if (header_parser.parse(*header_json).get(header) != simdjson::SUCCESS || !header.is_object()) {
    return Verdict::malformed_signature;
  }
  const std::string_view alg = text(header, "alg").value_or("");
  const std::string_view kid = text(header, "kid").value_or("");

  // 3. The signature, over "header.payload" as sent.
  const std::array<std::string_view, 3> signed_parts{header_b64, ".", payload_b64};
  const auto* sig = reinterpret_cast<const unsigned char*>(signature->data());
  const std::span<const unsigned char> sig_bytes(sig, signature->size());
  bool verified = false;
  if (alg == "HS256" && spec.hs256 && options_.hmac_keys) {
    if (signature->size() != 32) return Verdict::malformed_signature;
    for (const std::unique_ptr<HmacKey>& key : options_.hmac_keys->keys()) {
      Digest mac;
      if (key->compute(signed_parts, mac) && mac.size == 32 && CRYPTO_memcmp(mac.bytes.data(), sig, 32) == 0) {
        verified = true;
      }
    }
  } else if (alg == "RS256" && spec.asymmetric && options_.keys) {
    verified = options_.keys->verify(kid, KeySignature::rsa_sha256, signed_parts, sig_bytes);
  } else if (alg == "ES256" && spec.asymmetric && options_.keys) {
    if (signature->size() != 64) return Verdict::malformed_signature;
    verified = options_.keys->verify(kid, KeySignature::ecdsa_p256_raw, signed_parts, sig_bytes);
  } else {
    return Verdict::malformed_signature;  // "none", an algorithm not configured, or no alg
  }
  if (!verified) return Verdict::bad_signature;

  // 4. Claims, now that they are authenticated.
  thread_local simdjson::dom::parser payload_parser;
  simdjson::dom::element payload;
  if (payload_parser.parse(*payload_json).get(payload) != simdjson::SUCCESS || !payload.is_object()) {
    return Verdict::malformed_signature;
  }
  const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::optional<std::int64_t> exp = number(payload, "exp");
  const std::optional<std::int64_t> nbf = number(payload, "nbf");
  const std::optional<std::int64_t> iat = number(payload, "iat");
  if (exp && now_s >= *exp) return Verdict::timestamp_too_old;
  if (nbf && *nbf > now_s + kNotBeforeLeeway.count()) return Verdict::timestamp_in_future;
  if (options_.tolerance.count() > 0) {
    const std::optional<std::int64_t> issued = iat ? iat : exp;
    if (!issued) return Verdict::missing_timestamp;
    if (iat) {
      if (now_s - *iat > options_.tolerance.count()) return Verdict::timestamp_too_old;
      if (*iat - now_s > options_.tolerance.count()) return Verdict::timestamp_in_future;
    } else if (*exp - now_s > options_.tolerance.count() + 3600) {
      return Verdict::timestamp_in_future;  // a token valid for far longer than any vendor issues
    }
  }
  if (!spec.issuers.empty()) {
    const std::optional<std::string_view> iss = text(payload, "iss");
    if (!iss || std::find(spec.issuers.begin(), spec.issuers.end(), *iss) == spec.issuers.end()) {
      return Verdict::bad_signature;
    }
  }
  if (spec.audience_is_url && (request.public_url.empty() || !audience_contains(payload, request.public_url))) {
    return Verdict::bad_signature;
  }
  if (!spec.secrets_claim.empty()) {
    const std::optional<std::string_view> value = text(payload, spec.secrets_claim);
    if (!value || std::find(options_.claim_values.begin(), options_.claim_values.end(), *value) ==
                      options_.claim_values.end()) {
      return Verdict::bad_signature;
    }
  }
  if (!spec.body_sha256_claim.empty()) {
    const std::optional<std::string_view> claimed = text(payload, spec.body_sha256_claim);
    if (!claimed || !equal_hash(*claimed, sha256_text(request.body, spec.hash_base64), spec.hash_base64)) {
      return Verdict::bad_body_hash;
    }
  }
  if (!spec.url_sha256_claim.empty()) {
    const std::optional<std::string_view> claimed = text(payload, spec.url_sha256_claim);
    if (!claimed || !equal_hash(*claimed, sha256_text(request.public_url, spec.hash_base64), spec.hash_base64)) {
      return Verdict::bad_body_hash;
    }
  }
  return Verdict::ok;
}

bool JwtScheme::sign(const SignInput& input, SignedHeaders& out) const {
  const JwtSpec& spec = options_.spec;
  out.headers.clear();
  out.body.reset();
  if (!spec.hs256 || !options_.hmac_keys || spec.header.empty() || options_.hmac_keys->keys().empty()) return false;
  if (signs_url() && input.url.empty()) return false;
  const std::int64_t iat =
      std::chrono::duration_cast<std::chrono::seconds>(input.now.time_since_epoch()).count();
  std::string claims = "{";
  const auto add = [&claims](std::string_view name, const std::string& json_value) {
    if (claims.size() > 1) claims += ",";
    claims += json_quote(name) + ":" + json_value;
  };
  if (!spec.issuers.empty()) add("iss", json_quote(spec.issuers.front()));
  add("iat", std::to_string(iat));
  if (!input.id.empty()) add("jti", json_quote(input.id));
  if (spec.audience_is_url) add("aud", json_quote(input.url));
  if (!spec.body_sha256_claim.empty()) add(spec.body_sha256_claim, json_quote(sha256_text(input.body, spec.hash_base64)));
  if (!spec.url_sha256_claim.empty()) add(spec.url_sha256_claim, json_quote(sha256_text(input.url, spec.hash_base64)));
  claims += "}";
  const std::string signing_input = b64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + b64url_encode(claims);
  const std::array<std::string_view, 1> pieces{signing_input};
  Digest mac;
  if (!options_.hmac_keys->keys().front()->compute(pieces, mac)) return false;
  const std::string token =
      signing_input + "." + base64url_encode({mac.bytes.data(), mac.size});
  out.headers.emplace_back(spec.header, spec.prefix + token);
  append_event_headers(out, options_.event_id, options_.event_type, "test", input.id);
  return true;
}

}  // namespace hookgate::verify
