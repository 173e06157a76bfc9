#include "verify/credential_schemes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/form.h"
#include "verify/json_edit.h"
#include "verify/json_text.h"
#include "verify/sign_headers.h"

namespace hookgate::verify {
namespace {

using Sha256 = std::array<unsigned char, 32>;

bool sha256(std::string_view text, Sha256& out) {
  unsigned int size = 0;
  return EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_sha256(), nullptr) == 1 &&
         size == out.size();
}

// Longest credential read from a request: far beyond any real token, and a bound on work.
constexpr std::size_t kMaxCredential = 4096;

}  // namespace

SecretMatcher::SecretMatcher(std::span<const std::string> secrets) {
  for (const std::string& secret : secrets) {
    Sha256 digest;
    if (sha256(secret, digest)) digests_.push_back(digest);
  }
}

bool SecretMatcher::matches(std::string_view presented) const {
  if (presented.empty() || presented.size() > kMaxCredential) return false;
  Sha256 digest;
  if (!sha256(presented, digest)) return false;
  bool match = false;
  for (const Sha256& secret : digests_) {
    // No early exit: the time does not depend on which secret (if any) matched.
    match |= CRYPTO_memcmp(secret.data(), digest.data(), digest.size()) == 0;
  }
  return match;
}

// ---- CredentialScheme ----

CredentialScheme::CredentialScheme(CredentialOptions options)
    : options_(std::move(options)), matcher_(options_.secrets) {}

void CredentialScheme::sign_header(std::string name, std::string value, std::string_view id,
                                   SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  out.headers.emplace_back(std::move(name), std::move(value));
  append_event_headers(out, options_.event_id, options_.event_type, options_.sample_event_type, id);
}

// ---- TokenScheme ----

TokenScheme::TokenScheme(TokenSpec spec, CredentialOptions options)
    : CredentialScheme(std::move(options)), spec_(std::move(spec)) {}

Verdict TokenScheme::verify(const Request& request, TimePoint) const {
  if (!spec_.body_member.empty()) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(request.body.data(), request.body.size()).get_object().get(object) != simdjson::SUCCESS) {
      return Verdict::missing_credentials;
    }
    std::string_view value;
    if (object.at_key(spec_.body_member).get_string().get(value) != simdjson::SUCCESS) {
      return Verdict::missing_credentials;
    }
    return matcher_.matches(value) ? Verdict::ok : Verdict::bad_credentials;
  }
  if (!spec_.query.empty()) {
    std::size_t count = 0;
    std::string value;
    for (auto& [name, decoded] : parse_form(request.query)) {
      if (name == spec_.query && count++ == 0) value = std::move(decoded);
    }
    if (count == 0) return Verdict::missing_credentials;
    if (count > 1) return Verdict::bad_credentials;
    const bool ok = matcher_.matches(value);
    OPENSSL_cleanse(value.data(), value.size());
    return ok ? Verdict::ok : Verdict::bad_credentials;
  }
  const SingleHeader token = single_header(request, spec_.header);
  if (token.count == 0) return Verdict::missing_credentials;
  if (token.count > 1 || !token.value.starts_with(spec_.prefix)) return Verdict::bad_credentials;
  return matcher_.matches(token.value.substr(spec_.prefix.size())) ? Verdict::ok
                                                                   : Verdict::bad_credentials;
}

bool TokenScheme::sign(const SignInput& input, SignedHeaders& out) const {
  if (!spec_.body_member.empty()) {
    out.headers.clear();
    out.url.reset();
    const std::string_view path[] = {spec_.body_member};
    const std::string value[] = {json_quote(options_.secrets.front())};
    out.body = set_json_member(input.body, "", {}, path, value);
    if (!out.body) return false;
    append_event_headers(out, options_.event_id, options_.event_type, options_.sample_event_type, input.id);
    return true;
  }
  if (!spec_.query.empty()) {
    out.headers.clear();
    out.body.reset();
    out.url.reset();
    if (input.url.empty()) return false;
    // A URL that already names the parameter would reach verify() with two, which it refuses as
    // ambiguous: no URL can be made that verifies (the caller gives the URL without it).
    const std::size_t mark = input.url.find('?');
    if (mark != std::string_view::npos) {
      for (const auto& [name, value] : parse_form(input.url.substr(mark + 1))) {
        if (name == spec_.query) return false;
      }
    }
    std::string url(input.url);
    url += mark == std::string_view::npos ? '?' : '&';
    url += spec_.query + "=" + percent_encode(options_.secrets.front());
    out.url = std::move(url);
    append_event_headers(out, options_.event_id, options_.event_type, options_.sample_event_type, input.id);
    return true;
  }
  sign_header(spec_.header, spec_.prefix + options_.secrets.front(), input.id, out);
  return true;
}

// ---- BasicAuthScheme ----

BasicAuthScheme::BasicAuthScheme(CredentialOptions options)
    : CredentialScheme(std::move(options)) {}

Verdict BasicAuthScheme::verify(const Request& request, TimePoint) const {
  const SingleHeader authorization = single_header(request, "Authorization");
  if (authorization.count == 0) return Verdict::missing_credentials;
  if (authorization.count > 1) return Verdict::bad_credentials;
  std::string_view value = authorization.value;
  constexpr std::string_view kScheme = "basic";
  if (value.size() <= kScheme.size() || !ascii_iequals(value.substr(0, kScheme.size()), kScheme) ||
      (value[kScheme.size()] != ' ' && value[kScheme.size()] != '\t')) {
    return Verdict::missing_credentials;  // another scheme (Bearer…): no Basic credentials
  }
  value = trim_ows(value.substr(kScheme.size()));
  if (value.size() > kMaxCredential) return Verdict::bad_credentials;
  // decode_secret(), not base64_decode(): the latter is bounded for signatures.
  std::optional<std::vector<unsigned char>> bytes = decode_secret(SecretEncoding::base64, value);
  if (!bytes) return Verdict::bad_credentials;
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  const bool ok = matcher_.matches(text);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return ok ? Verdict::ok : Verdict::bad_credentials;
}

bool BasicAuthScheme::sign(const SignInput& input, SignedHeaders& out) const {
  const std::string& secret = options_.secrets.front();
  sign_header("Authorization",
              "Basic " + base64_encode({reinterpret_cast<const unsigned char*>(secret.data()), secret.size()}),
              input.id, out);
  return true;
}

// ---- ClientStateScheme ----

ClientStateScheme::ClientStateScheme(CredentialOptions options)
    : CredentialScheme(std::move(options)) {}

Verdict ClientStateScheme::verify(const Request& request, TimePoint) const {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(request.body.data(), request.body.size()).get(doc) != simdjson::SUCCESS) {
    return Verdict::missing_credentials;
  }
  simdjson::dom::array items;
  if (doc.at_key("value").get_array().get(items) != simdjson::SUCCESS) {
    return Verdict::missing_credentials;
  }
  std::size_t count = 0;
  bool all_match = true;
  for (simdjson::dom::element item : items) {
    std::string_view state;
    if (item.at_key("clientState").get_string().get(state) != simdjson::SUCCESS) {
      return Verdict::missing_credentials;
    }
    all_match &= matcher_.matches(state);
    ++count;
  }
  if (count == 0) return Verdict::missing_credentials;
  return all_match ? Verdict::ok : Verdict::bad_credentials;
}

bool ClientStateScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  // verify() wants at least one notification, each carrying the secret: a body with an empty
  // (or no) "value" array has nowhere to put it (Graph never sends one).
  thread_local simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(input.body.data(), input.body.size()).at_key("value").get_array().get(items) !=
          simdjson::SUCCESS ||
      items.size() == 0) {
    return false;
  }
  constexpr std::string_view kPath[] = {"clientState"};
  const std::string value[] = {json_quote(options_.secrets.front())};
  out.body = set_json_member(input.body, "/value", {}, kPath, value);
  return out.body.has_value();
}

}  // namespace hookgate::verify
