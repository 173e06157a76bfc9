#include "verify/plivo_scheme.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/form.h"
#include "verify/sign_headers.h"

namespace hookgate::verify {
namespace {

constexpr std::string_view kSignatureHeader = "X-Plivo-Signature-V3";
constexpr std::string_view kNonceHeader = "X-Plivo-Signature-V3-Nonce";

// name → values, each list sorted, names in byte order (the SDK's sort() for ASCII names).
using SortedParams = std::map<std::string, std::vector<std::string>>;

SortedParams sorted(std::vector<std::pair<std::string, std::string>> pairs) {
  SortedParams params;
  for (auto& [name, value] : pairs) params[std::move(name)].push_back(std::move(value));
  for (auto& [name, values] : params) std::sort(values.begin(), values.end());
  return params;
}

}  // namespace

PlivoScheme::PlivoScheme(std::shared_ptr<const KeyRing> keys, FieldRef event_id, FieldRef event_type)
    : KeyedScheme(std::move(keys), std::chrono::seconds(0), std::move(event_id), std::move(event_type)) {}

std::string PlivoScheme::post_base(std::string_view url, std::string_view body) {
  if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  const std::size_t question = url.find('?');
  std::string base(url.substr(0, question));
  const std::string_view query = question == std::string_view::npos ? std::string_view{} : url.substr(question + 1);
  std::string query_text;
  for (const auto& [name, values] : sorted(parse_form(query))) {
    for (const std::string& value : values) {
      if (!query_text.empty()) query_text.push_back('&');
      query_text.append(name).append("=").append(value);
    }
  }
  std::string params_text;
  for (const auto& [name, values] : sorted(parse_form(body))) {
    for (const std::string& value : values) params_text.append(name).append(value);
  }
  if (!query_text.empty() || !params_text.empty()) base.append("?").append(query_text);
  if (!query_text.empty() && !params_text.empty()) base.push_back('.');
  base.append(params_text);
  return base;
}

Verdict PlivoScheme::verify(const Request& request, TimePoint) const {
  const SingleHeader signature = single_header(request, kSignatureHeader);
  const SingleHeader nonce = single_header(request, kNonceHeader);
  if (signature.count == 0 || nonce.count == 0) return Verdict::missing_signature;
  if (signature.count > 1 || nonce.count > 1 || nonce.value.size() > kMaxPlivoNonceBytes) {
    return Verdict::malformed_signature;
  }
  std::vector<Digest> candidates;
  std::string_view rest = signature.value;
  for (std::size_t entries = 0;; ++entries) {
    if (entries == kMaxPlivoSignatures) return Verdict::malformed_signature;
    const std::size_t comma = rest.find(',');
    const std::string_view entry = rest.substr(0, comma);
    Digest digest;
    const std::optional<std::size_t> size =
        entry.size() == 44 ? base64_decode(entry, digest.bytes) : std::nullopt;
    if (size && *size == 32) {
      digest.size = 32;
      candidates.push_back(digest);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (candidates.empty()) return Verdict::malformed_signature;
  if (request.method != "POST") return Verdict::bad_signature;
  const std::string base = post_base(request.public_url, request.body);
  const std::array<std::string_view, 3> pieces{base, ".", nonce.value};
  bool matched = false;
  for (const std::unique_ptr<HmacKey>& key : keys_->keys()) {
    Digest mac;
    if (!key->compute(pieces, mac) || mac.size != 32) continue;
    for (const Digest& candidate : candidates) {
      matched |= CRYPTO_memcmp(mac.bytes.data(), candidate.bytes.data(), 32) == 0;
    }
  }
  return matched ? Verdict::ok : Verdict::bad_signature;
}

bool PlivoScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  if (input.method != "POST" || input.url.empty() || input.id.empty() || input.id.size() > kMaxPlivoNonceBytes) return false;
  const std::string base = post_base(input.url, input.body);
  const std::array<std::string_view, 3> pieces{base, ".", input.id};
  Digest mac;
  if (!keys_->keys().front()->compute(pieces, mac)) return false;
  out.headers.emplace_back(std::string(kSignatureHeader), base64_encode({mac.bytes.data(), mac.size}));
  out.headers.emplace_back(std::string(kNonceHeader), std::string(input.id));
  out.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  append_event_headers(out, event_id_, event_type_, "test", input.id);
  return true;
}

}  // namespace hookgate::verify
