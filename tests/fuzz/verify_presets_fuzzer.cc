// Every provider preset's verifier (and the generic blocks) on a request made of the input:
// handshake() then verify(), and the event id / type extraction that follows, exactly as the
// ingest pipeline calls them. This reaches each signature-header parser, timestamp source,
// signed-bytes builder and body-signed scheme through its real entry point, with the secrets
// fixed (the same key material as the unit tests).
//
// Input:
//   byte 0  flags: bit 0 body with simdjson padding; bit 1 GET instead of POST; bit 2 the
//           source has a public_url (https://hooks.example.com); bit 3 sign-then-verify
//   then    text: "verifier\n" "target\n" "Name: value\n"… "\n" body
// where verifier is a preset name ("stripe") or generic-0…generic-5; any other name picks a
// verifier by a hash of its bytes, so mutations of the name still reach every verifier.
// A header "X-Fuzz-Now: <unix seconds>" sets the clock (default 2024-01-01), so that seeds
// with a vendor's published signature and timestamp verify.
//
// Properties: a handshake or verification never crashes, whatever the request; a handshake
// answer is writable as it stands (status 1xx..5xx, no CR/LF in header fields); with bit 3,
// what sign() produces for the input's body, id and URL verifies (a scheme is only useful if
// it accepts its own signatures, for every body).
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_input.h"
#include "tests/unit/verify/test_keys.h"
#include "verify/event_fields.h"
#include "verify/form.h"
#include "verify/presets.h"
#include "verify/registry.h"
#include "verify/timestamp.h"

namespace hookgate::fuzz {
namespace {

using namespace hookgate::verify;

constexpr const char* kHexSecret = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";
constexpr const char* kWhsecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
using verify::testing::kEd25519Whpk;
using verify::testing::kP256PublicB64;
using verify::testing::kRsaCertificatePem;
using verify::testing::kTestJwks;

// The key material each preset's scheme needs (as tests/unit/verify's sample_spec).
VerifySpec preset_spec(const std::string& name) {
  VerifySpec spec;
  spec.provider = name;
  const Preset* p = find_preset(name);
  if (!p) return spec;
  switch (p->scheme) {
    case Scheme::none:
      break;
    case Scheme::public_key:
      spec.public_key =
          p->key_families.front().algorithm == PublicKeyAlgorithm::ed25519 ? kEd25519Whpk : kP256PublicB64;
      break;
    case Scheme::basic_auth:
      spec.secrets = {"user:password"};
      break;
    case Scheme::sns:
    case Scheme::paypal:  // the vendor's certificate; secrets: the accepted topics / webhook ids
      spec.public_key = kRsaCertificatePem;
      spec.secrets = {"arn:aws:sns:us-east-1:123456789012:t"};
      break;
    case Scheme::adyen_notification:
      spec.secrets = {kHexSecret};
      break;
    case Scheme::braintree:  // "public_key:private_key"
      spec.secrets = {"pub_test:priv_test"};
      break;
    case Scheme::jwt:
      if (p->jwt.asymmetric) spec.public_key = kTestJwks;
      if (!p->jwt.secrets_claim.empty()) {
        spec.secrets = {"push@proj.iam.gserviceaccount.com"};
      } else if (p->jwt.hs256) {
        spec.secrets = {kWhsecSecret};
      }
      break;
    default:
      // kHexSecret is also valid base64, for the presets whose keys are base64.
      spec.secrets = {!p->families.empty() && (p->families.front().secret_encoding == SecretEncoding::hex ||
                                               p->families.front().secret_encoding == SecretEncoding::base64)
                          ? kHexSecret
                          : kWhsecSecret};
  }
  if (p->handshake == HandshakeKind::meta) spec.verify_token = "meta-verify-token";
  return spec;
}

// Generic blocks a source may configure instead of a preset.
std::vector<VerifySpec> generic_specs() {
  std::vector<VerifySpec> specs;
  {
    VerifySpec spec;  // rfc3339 timestamp header, base64, ';'-separated, {method}{url}
    HmacSpec hmac;
    hmac.envelope.header = "X-Sig";
    hmac.algorithm = Algorithm::sha512;
    hmac.envelope.encoding = Encoding::base64;
    hmac.envelope.prefix = "s=";
    hmac.envelope.separator = ";";
    hmac.envelope.signed_template = "{method} {url}\n{timestamp}\n{id}\n{body}";
    hmac.envelope.timestamp.kind = TimestampSource::Kind::header;
    hmac.envelope.timestamp.name = "X-Time";
    hmac.envelope.timestamp.format = TimestampFormat::rfc3339;
    hmac.envelope.id_header = "X-Id";
    spec.hmac = hmac;
    spec.secrets = {"first", "second"};
    spec.tolerance = std::chrono::minutes(5);
    specs.push_back(spec);
  }
  {
    VerifySpec spec;  // JSON timestamp in the body, millis, sha1 hex
    HmacSpec hmac;
    hmac.envelope.header = "X-Sig";
    hmac.algorithm = Algorithm::sha1;
    hmac.envelope.signed_template = "{timestamp}:{body}";
    hmac.envelope.timestamp.kind = TimestampSource::Kind::json;
    hmac.envelope.timestamp.name = "/meta/ts";
    hmac.envelope.timestamp.format = TimestampFormat::unix_millis;
    spec.hmac = hmac;
    spec.secrets = {"s3cr3t"};
    spec.event_id = FieldRef{.kind = FieldRef::Kind::json, .name = "/id", .more_json = {"/type"}};
    specs.push_back(spec);
  }
  {
    VerifySpec spec;  // Ed25519 generic block
    PublicKeySpec key;
    key.envelope.header = "X-Ed";
    key.envelope.encoding = Encoding::hex;
    key.envelope.signed_template = "{timestamp}{body}";
    key.envelope.timestamp.kind = TimestampSource::Kind::header;
    key.envelope.timestamp.name = "X-Ts";
    spec.signature = key;
    spec.public_key = kEd25519Whpk;
    specs.push_back(spec);
  }
  {
    VerifySpec spec;  // ECDSA generic block with a separator
    PublicKeySpec key;
    key.algorithm = PublicKeyAlgorithm::ecdsa_p256;
    key.envelope.header = "X-Ec";
    key.envelope.separator = ",";
    key.envelope.prefix = "v1=";
    spec.signature = key;
    spec.public_key = kP256PublicB64;
    specs.push_back(spec);
  }
  {
    VerifySpec spec;  // token behind an IP allowlist with a trusted proxy
    spec.token = TokenSpec{.header = "Authorization", .prefix = "Bearer "};
    spec.secrets = {"tok"};
    spec.ip_allowlist = IpAllowlistSpec{.allow = {"10.0.0.0/8", "2001:db8::/32"},
                                        .proxy_header = "X-Forwarded-For",
                                        .trusted_proxies = {"127.0.0.1"}};
    specs.push_back(spec);
  }
  {
    VerifySpec spec;  // basic auth
    spec.basic_auth = true;
    spec.secrets = {"user:pa:ss"};
    specs.push_back(spec);
  }
  return specs;
}

struct Verifiers {
  std::vector<std::string> names;
  std::vector<std::shared_ptr<const Verifier>> all;
  // The timestamp is a member of the signed body (Linear): sign() signs the body as given, so a
  // body without a valid, current timestamp cannot verify.
  std::vector<bool> body_timestamp;
};

bool has_body_timestamp(const VerifySpec& spec) {
  const auto in_body = [](const TimestampSource& ts) { return ts.kind == TimestampSource::Kind::json; };
  if (spec.hmac) return in_body(spec.hmac->envelope.timestamp);
  if (const Preset* p = find_preset(spec.provider)) {
    if (p->scheme == Scheme::dropbox_sign) return true;  // event.event_time inside the body
    for (const HmacSpec& family : p->families) {
      if (in_body(family.envelope.timestamp)) return true;
    }
  }
  return false;
}

const Verifiers& verifiers() {
  static const Verifiers built = [] {
    Verifiers v;
    for (const std::string& name : preset_names()) {
      BuildResult result = build_verifier(preset_spec(name));
      HOOKGATE_FUZZ_CHECK(result.verifier != nullptr);
      v.names.push_back(name);
      v.all.push_back(std::move(result.verifier));
      v.body_timestamp.push_back(has_body_timestamp(preset_spec(name)));
    }
    for (const VerifySpec& spec : generic_specs()) {
      BuildResult result = build_verifier(spec);
      if (!result.verifier) std::fprintf(stderr, "generic spec: %s\n", result.error.c_str());
      HOOKGATE_FUZZ_CHECK(result.verifier != nullptr);
      v.names.push_back("generic-" + std::to_string(v.names.size() - preset_names().size()));
      v.all.push_back(std::move(result.verifier));
      v.body_timestamp.push_back(has_body_timestamp(spec));
    }
    return v;
  }();
  return built;
}

// A request as the ingest pipeline builds it, owning its bytes.
struct OwnedRequest {
  std::string method = "POST";
  std::string path;
  std::string query;
  std::string public_url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // with 64 zero bytes of padding past body_size when padded
  std::size_t body_size = 0;
  bool padded = false;
  std::string peer_ip = "127.0.0.1";  // generic-4 trusts it as a proxy
  std::vector<HeaderView> views;

  void set_body(std::string_view bytes, bool with_padding) {
    body.assign(bytes);
    body_size = bytes.size();
    padded = with_padding;
    if (with_padding) body.append(64, '\0');
  }

  Request view() {
    views.clear();
    for (const auto& [name, value] : headers) views.push_back({name, value});
    Request r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.public_url = public_url;
    r.headers = views;
    r.peer_ip = peer_ip;
    r.body = std::string_view(body.data(), body_size);
    r.body_padded = padded;
    return r;
  }
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void check_reply(const HandshakeOutcome& outcome) {
  if (outcome.verdict != Verdict::ok) return;
  HOOKGATE_FUZZ_CHECK(outcome.reply.status >= 100 && outcome.reply.status <= 599);
  for (const auto& [name, value] : outcome.reply.headers) {
    HOOKGATE_FUZZ_CHECK(!name.empty());
    for (const char c : name + value + outcome.reply.content_type) HOOKGATE_FUZZ_CHECK(c != '\r' && c != '\n' && c != '\0');
  }
}

}  // namespace
}  // namespace hookgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate::fuzz;
  using namespace hookgate::verify;
  if (size < 1) return 0;
  const Verifiers& all = verifiers();
  const std::uint8_t flags = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t name_end = text.find('\n');
  const std::string_view name = text.substr(0, name_end);
  text.remove_prefix(name_end == std::string_view::npos ? text.size() : name_end + 1);
  std::size_t which = all.names.size();
  for (std::size_t i = 0; i < all.names.size(); ++i) {
    if (all.names[i] == name) which = i;
  }
  if (which == all.names.size()) {
    std::size_t hash = 0;
    for (const char c : name) hash = hash * 31 + static_cast<unsigned char>(c);
    which = hash % all.all.size();
  }
  const Verifier& verifier = *all.all[which];

  OwnedRequest request;
  request.method = (flags & 2) ? "GET" : "POST";
  const std::size_t line_end = text.find('\n');
  const std::string_view target = trim(text.substr(0, line_end));
  text.remove_prefix(line_end == std::string_view::npos ? text.size() : line_end + 1);
  const std::size_t q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
  request.public_url = ((flags & 4) ? "https://hooks.example.com" : "") + request.path;
  if (!request.query.empty()) request.public_url += "?" + request.query;

  TimePoint now{std::chrono::seconds{1'704'067'200}};
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (trim(line).empty()) break;
    const std::size_t colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    const std::string_view value = colon == std::string_view::npos ? std::string_view{} : trim(line.substr(colon + 1));
    if (field == "X-Fuzz-Now") {
      if (const auto ts = parse_timestamp(value, TimestampFormat::unix_seconds)) {
        now = TimePoint{std::chrono::seconds{ts->value % 9'000'000'000}};  // within system_clock's range
      }
      continue;
    }
    request.headers.emplace_back(std::string(field), std::string(value));
  }
  request.set_body(text, (flags & 1) != 0);

  if (!(flags & 8)) {
    const Request view = request.view();
    if (const std::optional<HandshakeOutcome> handshake = verifier.handshake(view, now)) {
      check_reply(*handshake);
      return 0;
    }
    if (verifier.verify(view, now) == Verdict::ok) {
      (void)extract_field(verifier.event_id_field(), view);
      (void)extract_field(verifier.event_type_field(), view);
    }
    return 0;
  }

  // Sign-then-verify: the scheme accepts what it signs, for this body, id and URL.
  // Ids made of URL-unreserved characters, as vendors' are; anything else becomes '_'. (Mailgun's
  // sign() writes the id into a JSON or form body as it is, so bytes that are not UTF-8, or
  // '+', '&', '%' in a form, would change what verify() reads back.)
  std::string id = request.headers.empty() ? "msg_fuzz" : request.headers.front().second;
  for (char& c : id) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';
    if (!unreserved) c = '_';
  }
  // Vendors send well-formed JSON: a body that starts like JSON but is not is no input to sign
  // (schemes that sign inside the body edit it as JSON).
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
    simdjson::dom::parser parser;
    simdjson::dom::element ignored;
    if (parser.parse(text.data(), text.size()).get(ignored) != simdjson::SUCCESS) return 0;
  }
  // Nor does a vendor's form body already hold the fields a body-signing scheme adds (Mailgun
  // appends timestamp, token and signature; verify reads the first of each).
  for (const char* field : {"timestamp", "token", "signature"}) {
    if (form_value(text, field)) return 0;
  }
  SignedHeaders signed_headers;
  const SignInput input{.body = text, .now = now, .id = id, .url = request.public_url, .method = request.method};
  if (!verifier.sign(input, signed_headers)) return 0;
  OwnedRequest signed_request = request;
  signed_request.headers = signed_headers.headers;
  signed_request.peer_ip = "10.0.0.7";  // inside generic-4's allowlist
  signed_request.set_body(signed_headers.body ? std::string_view(*signed_headers.body) : text, (flags & 1) != 0);
  if (signed_headers.url) {
    // The credential is in the URL (a query token): the vendor calls that URL, so its query is
    // what the gateway receives. sign() appends to input.url, whose path holds no '?'.
    signed_request.public_url = *signed_headers.url;
    const std::size_t mark = signed_headers.url->find('?');
    HOOKGATE_FUZZ_CHECK(signed_headers.url->starts_with(request.public_url) && mark != std::string::npos);
    signed_request.query = signed_headers.url->substr(mark + 1);
  }
  const Request view = signed_request.view();
  if (const std::optional<HandshakeOutcome> handshake = verifier.handshake(view, now)) {
    // A POST handshake is signed like an event: the scheme's own signature passes it. (GET
    // challenges are not signed; they depend on their query alone: Twitter's CRC refuses a
    // token that is not token-shaped.) Zoom's url_validation is signed, yet it too refuses a
    // plainToken that is not token-shaped (malformed_signature, a verdict sign()'s own output
    // never earns): its encryptedToken is an HMAC under the event key, so answering any text
    // would be a signing oracle, and Zoom's plainTokens are base64url.
    if (request.method == "POST" && handshake->verdict != Verdict::ok &&
        handshake->verdict != Verdict::malformed_signature) {
      std::fprintf(stderr, "%s: handshake of a signed request denied: %s\n", all.names[which].c_str(),
                   std::string(to_string(handshake->verdict)).c_str());
      HOOKGATE_FUZZ_CHECK(false && "signed handshake denied");
    }
    check_reply(*handshake);
    return 0;
  }
  const Verdict verdict = verifier.verify(view, now);
  if (all.body_timestamp[which] && (verdict == Verdict::missing_timestamp || verdict == Verdict::malformed_timestamp ||
                                    verdict == Verdict::timestamp_too_old || verdict == Verdict::timestamp_in_future)) {
    return 0;  // the body did not carry a usable timestamp of its own
  }
  if (verdict == Verdict::bad_body_hash && request.query.find("bodySHA256") != std::string::npos) {
    return 0;  // Twilio: the URL's bodySHA256 is the caller's to compute, and this one is not it
  }
  if (verdict != Verdict::ok) {
    std::fprintf(stderr, "%s: sign() output does not verify: %s\n", all.names[which].c_str(),
                 std::string(to_string(verdict)).c_str());
    for (const auto& [field, value] : signed_request.headers) std::fprintf(stderr, "  %s: %s\n", field.c_str(), value.c_str());
    std::fprintf(stderr, "  body: %.*s\n", static_cast<int>(signed_request.body_size), signed_request.body.c_str());
  }
  HOOKGATE_FUZZ_CHECK(verdict == Verdict::ok);
  return 0;
}
