#include "verify/twilio_scheme.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/form.h"
#include "verify/sign_headers.h"

namespace hookgate::verify {
namespace {

struct UrlParts {
  std::string_view scheme;     // "https://"
  std::string_view user_info;  // "user:pass@" or empty
  std::string_view host;
  std::string_view port;       // ":8443" or empty
  std::string_view rest;       // path, query, fragment
};

// Twilio's splitUrl(): scheme://authority, without normalising anything.
std::optional<UrlParts> split_url(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  for (std::size_t i = 0; i < sep; ++i) {
    const char c = url[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'));
    if (!ok) return std::nullopt;
  }
  UrlParts parts;
  parts.scheme = url.substr(0, sep + 3);
  const std::string_view after = url.substr(sep + 3);
  const std::size_t authority_end = after.find_first_of("/?#");
  const std::string_view authority = after.substr(0, authority_end);
  parts.rest = authority_end == std::string_view::npos ? std::string_view{} : after.substr(authority_end);
  const std::size_t at = authority.rfind('@');
  parts.user_info = at == std::string_view::npos ? std::string_view{} : authority.substr(0, at + 1);
  const std::string_view host_port = at == std::string_view::npos ? authority : authority.substr(at + 1);
  const std::size_t bracket = host_port.rfind(']');
  const std::size_t colon =
      host_port.find(':', bracket == std::string_view::npos ? 0 : bracket + 1);
  parts.host = host_port.substr(0, colon);
  parts.port = colon == std::string_view::npos ? std::string_view{} : host_port.substr(colon);
  return parts;
}

bool sha256_hex_equals(std::string_view body, std::string_view expected_hex) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (EVP_Digest(body.data(), body.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    return false;
  }
  const std::string hex = hex_encode(digest);
  // The SDK compares the lowercase hex exactly.
  return expected_hex.size() == hex.size() &&
         CRYPTO_memcmp(hex.data(), expected_hex.data(), hex.size()) == 0;
}

std::optional<std::string> body_hash_param(std::string_view url) {
  const std::size_t query = url.find('?');
  if (query == std::string_view::npos) return std::nullopt;
  std::string_view q = url.substr(query + 1);
  if (const std::size_t hash = q.find('#'); hash != std::string_view::npos) q = q.substr(0, hash);
  return form_value(q, "bodySHA256");
}

}  // namespace

TwilioScheme::TwilioScheme(std::shared_ptr<const KeyRing> keys, FieldRef event_id, FieldRef event_type,
                           std::string signature_header)
    : KeyedScheme(std::move(keys), std::chrono::seconds(0), std::move(event_id), std::move(event_type)),
      signature_header_(std::move(signature_header)) {}

std::vector<std::string> TwilioScheme::url_variants(std::string_view url) {
  const std::optional<UrlParts> parts = split_url(url);
  if (!parts) return {std::string(url)};
  std::string without_port;
  without_port.append(parts->scheme).append(parts->user_info).append(parts->host).append(parts->rest);
  if (!parts->port.empty()) return {without_port, std::string(url)};
  const std::string_view port = ascii_iequals(parts->scheme, "https://") ? ":443" : ":80";
  std::string with_port;
  with_port.append(parts->scheme).append(parts->user_info).append(parts->host).append(port).append(parts->rest);
  return {without_port, with_port};
}

std::vector<std::string> TwilioScheme::signed_pieces(std::string_view url, std::string_view body) {
  std::vector<std::string> pieces{std::string(url)};
  if (body_hash_param(url)) return pieces;  // JSON: the URL alone
  std::map<std::string, std::set<std::string>> params;
  for (auto& [name, value] : parse_form(body)) params[std::move(name)].insert(std::move(value));
  for (const auto& [name, values] : params) {
    for (const std::string& value : values) pieces.push_back(name + value);
  }
  return pieces;
}

Verdict TwilioScheme::verify(const Request& request, TimePoint) const {
  const SingleHeader header = single_header(request, signature_header_);
  if (header.count == 0) return Verdict::missing_signature;
  if (header.count > 1) return Verdict::malformed_signature;
  Digest expected;
  const std::optional<std::size_t> size =
      header.value.size() == 28 ? base64_decode(header.value, expected.bytes) : std::nullopt;
  if (!size || *size != 20) return Verdict::malformed_signature;

  bool matched = false;
  for (const std::string& url : url_variants(request.public_url)) {
    const std::vector<std::string> owned = signed_pieces(url, request.body);
    const std::vector<std::string_view> pieces(owned.begin(), owned.end());
    for (const std::unique_ptr<HmacKey>& key : keys_->keys()) {
      Digest mac;
      if (key->compute(pieces, mac) && mac.size == 20 &&
          CRYPTO_memcmp(mac.bytes.data(), expected.bytes.data(), 20) == 0) {
        matched = true;
      }
    }
    if (matched) break;
  }
  if (!matched) return Verdict::bad_signature;
  if (const std::optional<std::string> hash = body_hash_param(request.public_url)) {
    if (!sha256_hex_equals(request.body, *hash)) return Verdict::bad_body_hash;
  }
  return Verdict::ok;
}

bool TwilioScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  if (input.url.empty()) return false;
  const std::vector<std::string> owned = signed_pieces(input.url, input.body);
  const std::vector<std::string_view> pieces(owned.begin(), owned.end());
  Digest mac;
  if (!keys_->keys().front()->compute(pieces, mac)) return false;
  out.headers.emplace_back(signature_header_, base64_encode({mac.bytes.data(), mac.size}));
  append_event_headers(out, event_id_, event_type_, "test", input.id);
  return true;
}

}  // namespace hookgate::verify
