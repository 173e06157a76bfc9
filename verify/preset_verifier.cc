#include "verify/preset_verifier.h"

#include <openssl/crypto.h>
#include <simdjson.h>

#include <array>

#include "verify/encoding.h"
#include "verify/event_fields.h"
#include "verify/form.h"
#include "verify/json_text.h"

namespace hookgate::verify {
namespace {

// Echoed challenges are short tokens; anything longer is not a vendor's handshake.
constexpr std::size_t kMaxChallengeBytes = 2048;

std::optional<std::string> json_at(const Request& request, std::string_view pointer) {
  return extract_field(FieldRef{.kind = FieldRef::Kind::json, .name = std::string(pointer)}, request);
}

HandshakeOutcome deny(Verdict verdict) { return HandshakeOutcome{verdict, {}}; }

HandshakeOutcome reply(int status, std::string content_type, std::string body) {
  HandshakeOutcome outcome;
  outcome.reply.status = status;
  outcome.reply.content_type = std::move(content_type);
  outcome.reply.body = std::move(body);
  return outcome;
}

HandshakeOutcome json_reply(std::string body) {
  return reply(200, "application/json", std::move(body));
}

// An echoed value as text/plain; nosniff so no client reads it as anything else.
HandshakeOutcome text_echo(std::string value) {
  HandshakeOutcome outcome = reply(200, "text/plain; charset=utf-8", std::move(value));
  outcome.reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return outcome;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> bounded(std::optional<std::string> value) {
  if (!value || value->empty() || value->size() > kMaxChallengeBytes) return std::nullopt;
  return value;
}

// X's CRC answer is the HMAC of the token under the same key and in the same format as event
// signatures (and Zoom's encryptedToken nearly so): answered for any text, it would sign a
// forged event body. Vendors' tokens are short base64/URL-safe strings, and no JSON body (nor
// Zoom's "v0:…:" signed text) fits that alphabet, so only such tokens are answered.
bool token_like(const std::optional<std::string>& value) {
  if (!value || value->empty() || value->size() > 512) return false;
  for (const char c : *value) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view describe(HandshakeKind kind) {
  switch (kind) {
    case HandshakeKind::none:
      return "";
    case HandshakeKind::slack:
      return "url_verification (signed) -> {\"challenge\":...}; ssl_check -> 200";
    case HandshakeKind::zoom:
      return "endpoint.url_validation (signed) -> {plainToken, encryptedToken}";
    case HandshakeKind::meta:
      return "GET hub.mode=subscribe + hub.verify_token -> hub.challenge";
    case HandshakeKind::twitter_crc:
      return "GET crc_token -> {\"response_token\":\"sha256=...\"} (token-shaped values only: never an oracle for event signatures)";
    case HandshakeKind::twitch:
      return "webhook_callback_verification (signed) -> challenge as text/plain";
    case HandshakeKind::asana:
      return "X-Hook-Secret -> echoed; the secret is stored and signs later events";
    case HandshakeKind::dropbox:
      return "GET ?challenge= -> echoed as text/plain";
    case HandshakeKind::microsoft_graph:
      return "?validationToken= -> echoed (decoded) as text/plain";
    case HandshakeKind::okta:
      return "GET X-Okta-Verification-Challenge -> {\"verification\":...}";
    case HandshakeKind::discord:
      return "PING (signed): {\"type\":1} -> {\"type\":1}; webhook-events type 0 -> 204; bad signatures 401";
    case HandshakeKind::woocommerce_ping:
      return "unsigned ping webhook_id=<n> on creation -> 200 (nothing stored)";
    case HandshakeKind::challenge_echo:
      return "{\"challenge\":...} on creation -> echoed as JSON (token-shaped values only)";
    case HandshakeKind::get_ok:
      return "GET on creation (credential checked) -> 200";
    case HandshakeKind::notion:
      return "{\"verification_token\":...} (unsigned) -> 200; the token is stored and signs later events";
    case HandshakeKind::front:
      return "X-Front-Challenge (signed, on saving the webhook) -> the challenge as text/plain";
  }
  return "";
}

bool handshake_uses_get(HandshakeKind kind) {
  return kind == HandshakeKind::meta || kind == HandshakeKind::twitter_crc ||
         kind == HandshakeKind::dropbox || kind == HandshakeKind::okta || kind == HandshakeKind::get_ok;
}

PresetVerifier::PresetVerifier(std::shared_ptr<const Verifier> inner, PresetBehaviour behaviour)
    : ForwardingVerifier(std::move(inner)), behaviour_(std::move(behaviour)) {}

bool PresetVerifier::answers_get() const {
  return handshake_uses_get(behaviour_.handshake) || inner().answers_get();
}

std::optional<HandshakeOutcome> PresetVerifier::handshake(const Request& request,
                                                          TimePoint now) const {
  switch (behaviour_.handshake) {
    case HandshakeKind::none:
      break;
    case HandshakeKind::slack:
      return slack(request, now);
    case HandshakeKind::zoom:
      return zoom(request, now);
    case HandshakeKind::meta:
      return meta(request);
    case HandshakeKind::twitter_crc:
      return twitter_crc(request);
    case HandshakeKind::twitch:
      return twitch(request, now);
    case HandshakeKind::asana:
      return asana(request);
    case HandshakeKind::dropbox:
      return dropbox(request);
    case HandshakeKind::microsoft_graph:
      return microsoft_graph(request);
    case HandshakeKind::okta:
      return okta(request);
    case HandshakeKind::discord:
      return discord(request, now);
    case HandshakeKind::woocommerce_ping:
      return woocommerce_ping(request);
    case HandshakeKind::challenge_echo:
      return challenge_echo(request);
    case HandshakeKind::get_ok:
      return get_ok(request, now);
    case HandshakeKind::notion:
      return notion(request);
    case HandshakeKind::front:
      return front(request, now);
  }
  return inner().handshake(request, now);
}

std::optional<HandshakeOutcome> PresetVerifier::slack(const Request& request,
                                                      TimePoint now) const {
  if (request.method != "POST") return std::nullopt;
  // Slash commands' ssl_check: unsigned, and Bolt answers it without verifying. Nothing in it
  // is kept, so nothing an attacker sends this way has any effect.
  if (!request.body.starts_with("{") && form_value(request.body, "ssl_check") == "1") {
    return reply(200, "text/plain; charset=utf-8", "");
  }
  if (request.body.find("url_verification") == std::string_view::npos) return std::nullopt;
  if (json_at(request, "/type") != "url_verification") return std::nullopt;
  const std::optional<std::string> challenge = bounded(json_at(request, "/challenge"));
  if (!challenge) return std::nullopt;
  if (const Verdict v = inner().verify(request, now); v != Verdict::ok) return deny(v);
  return json_reply("{\"challenge\":" + json_quote(*challenge) + "}");
}

std::optional<HandshakeOutcome> PresetVerifier::zoom(const Request& request,
                                                     TimePoint now) const {
  if (request.method != "POST") return std::nullopt;
  if (request.body.find("endpoint.url_validation") == std::string_view::npos) return std::nullopt;
  if (json_at(request, "/event") != "endpoint.url_validation") return std::nullopt;
  const std::optional<std::string> plain = bounded(json_at(request, "/payload/plainToken"));
  if (!plain || !behaviour_.challenge_key) return std::nullopt;
  if (!token_like(plain)) return deny(Verdict::malformed_signature);
  // Zoom's sample verifies x-zm-signature on the validation request too.
  if (const Verdict v = inner().verify(request, now); v != Verdict::ok) return deny(v);
  const std::array<std::string_view, 1> pieces{*plain};
  Digest mac;
  if (!behaviour_.challenge_key->compute(pieces, mac)) return deny(Verdict::bad_signature);
  return json_reply("{\"plainToken\":" + json_quote(*plain) + ",\"encryptedToken\":\"" +
                    hex_encode({mac.bytes.data(), mac.size}) + "\"}");
}

std::optional<HandshakeOutcome> PresetVerifier::meta(const Request& request) const {
  if (request.method != "GET") return std::nullopt;
  const std::optional<std::string> mode = form_value(request.query, "hub.mode");
  const std::optional<std::string> challenge = bounded(form_value(request.query, "hub.challenge"));
  if (mode != "subscribe" || !challenge) return std::nullopt;
  const std::optional<std::string> token = form_value(request.query, "hub.verify_token");
  if (behaviour_.verify_token.empty() || !token ||
      !constant_time_equals(*token, behaviour_.verify_token)) {
    return deny(Verdict::bad_verify_token);
  }
  return text_echo(*challenge);
}

std::optional<HandshakeOutcome> PresetVerifier::twitter_crc(const Request& request) const {
  if (request.method != "GET") return std::nullopt;
  const std::optional<std::string> token = bounded(form_value(request.query, "crc_token"));
  if (!token || !behaviour_.challenge_key) return std::nullopt;
  if (!token_like(token)) return deny(Verdict::malformed_signature);
  const std::array<std::string_view, 1> pieces{*token};
  Digest mac;
  if (!behaviour_.challenge_key->compute(pieces, mac)) return deny(Verdict::bad_signature);
  return json_reply("{\"response_token\":\"sha256=" + base64_encode({mac.bytes.data(), mac.size}) +
                    "\"}");
}

std::optional<HandshakeOutcome> PresetVerifier::twitch(const Request& request,
                                                       TimePoint now) const {
  if (request.method != "POST") return std::nullopt;
  const std::optional<std::string_view> type = request.header("Twitch-Eventsub-Message-Type");
  if (type != "webhook_callback_verification") return std::nullopt;
  if (const Verdict v = inner().verify(request, now); v != Verdict::ok) return deny(v);
  const std::optional<std::string> challenge = bounded(json_at(request, "/challenge"));
  if (!challenge) return deny(Verdict::malformed_signature);
  return text_echo(*challenge);
}

std::optional<HandshakeOutcome> PresetVerifier::front(const Request& request,
                                                      TimePoint now) const {
  // Front saves an application webhook only after the URL answers its validation request
  // with the x-front-challenge value; that request is signed like every event.
  if (request.method != "POST" || request.header_count("X-Front-Challenge") == 0) return std::nullopt;
  const std::optional<std::string_view> challenge = request.header("X-Front-Challenge");
  if (request.header_count("X-Front-Challenge") != 1 || !token_like(std::string(*challenge))) {
    return deny(Verdict::malformed_signature);
  }
  if (const Verdict v = inner().verify(request, now); v != Verdict::ok) return deny(v);
  return text_echo(std::string(*challenge));
}

std::optional<HandshakeOutcome> PresetVerifier::asana(const Request& request) const {
  if (request.method != "POST" || !behaviour_.learned) return std::nullopt;
  if (request.header_count("X-Hook-Secret") == 0) return std::nullopt;
  const std::optional<std::string_view> secret = request.header("X-Hook-Secret");
  if (request.header_count("X-Hook-Secret") != 1 || !LearnedSecret::well_formed(*secret)) {
    return deny(Verdict::malformed_signature);
  }
  HandshakeOutcome outcome = reply(200, "", "");
  outcome.reply.headers.emplace_back("X-Hook-Secret", std::string(*secret));
  if (behaviour_.learned->has_learned()) {
    // Asana may repeat the handshake: the same secret is answered again. A different one
    // would let anyone who can reach the endpoint replace the key: refused.
    if (!behaviour_.learned->matches_learned(*secret)) return deny(Verdict::secret_already_established);
    return outcome;
  }
  outcome.reply.learned_secret = std::string(*secret);
  return outcome;
}

std::optional<HandshakeOutcome> PresetVerifier::dropbox(const Request& request) const {
  if (request.method != "GET") return std::nullopt;
  const std::optional<std::string> challenge = bounded(form_value(request.query, "challenge"));
  if (!challenge) return std::nullopt;
  return text_echo(*challenge);
}

std::optional<HandshakeOutcome> PresetVerifier::microsoft_graph(const Request& request) const {
  // Graph sends the token as a query parameter and wants it back URL-decoded.
  const std::optional<std::string> token = bounded(form_value(request.query, "validationToken"));
  if (!token) return std::nullopt;
  return text_echo(*token);
}

std::optional<HandshakeOutcome> PresetVerifier::okta(const Request& request) const {
  if (request.method != "GET") return std::nullopt;
  const std::optional<std::string_view> challenge = request.header("X-Okta-Verification-Challenge");
  if (!challenge || challenge->empty() || challenge->size() > kMaxChallengeBytes) return std::nullopt;
  return json_reply("{\"verification\":" + json_quote(*challenge) + "}");
}

std::optional<HandshakeOutcome> PresetVerifier::discord(const Request& request,
                                                        TimePoint now) const {
  if (request.method != "POST") return std::nullopt;
  const std::optional<std::string> type = json_at(request, "/type");
  // Interactions PING is type 1 with no "event"; Webhook Events PING is type 0. A Webhook
  // Event proper is type 1 with an "event" object: an ordinary event.
  const bool interactions_ping = type == "1" && !json_at(request, "/event/type");
  const bool events_ping = type == "0";
  if (!interactions_ping && !events_ping) return std::nullopt;
  // Discord probes with deliberately invalid signatures and expects 401.
  if (const Verdict v = inner().verify(request, now); v != Verdict::ok) return deny(v);
  if (interactions_ping) return json_reply("{\"type\":1}");
  return reply(204, "", "");
}

std::optional<HandshakeOutcome> PresetVerifier::woocommerce_ping(const Request& request) const {
  // WC_Webhook::deliver_ping() posts "webhook_id=<id>" with no signature headers when a
  // webhook is saved, and reports the webhook broken unless it gets a 200. The body is fixed
  // and carries nothing: answering it stores nothing and proves nothing, so only exactly that
  // shape without any signature header is answered.
  if (request.method != "POST" || request.header_count("X-WC-Webhook-Signature") != 0) return std::nullopt;
  constexpr std::string_view kPrefix = "webhook_id=";
  const std::string_view body = request.body;
  if (!body.starts_with(kPrefix) || body.size() == kPrefix.size() || body.size() > kPrefix.size() + 20) {
    return std::nullopt;
  }
  for (const char c : body.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return reply(200, "", "");
}

std::optional<HandshakeOutcome> PresetVerifier::challenge_echo(const Request& request) const {
  // monday.com proves the endpoint is live by posting {"challenge": …} and expecting it back,
  // unsigned. Only a body that is exactly that object is answered: an echo of a short token
  // stores nothing and signs nothing.
  if (request.method != "POST" || request.body.size() > kMaxChallengeBytes) return std::nullopt;
  if (request.body.find("challenge") == std::string_view::npos) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(request.body.data(), request.body.size()).get_object().get(object) != simdjson::SUCCESS ||
      object.size() != 1) {
    return std::nullopt;
  }
  std::string_view challenge;
  if (object.at_key("challenge").get_string().get(challenge) != simdjson::SUCCESS) return std::nullopt;
  if (!token_like(std::string(challenge))) return deny(Verdict::malformed_signature);
  return json_reply("{\"challenge\":" + json_quote(challenge) + "}");
}

std::optional<HandshakeOutcome> PresetVerifier::get_ok(const Request& request, TimePoint now) const {
  // Mailchimp checks a new webhook URL with a GET and keeps it only on a 200. The GET carries
  // the URL's token like every event, so it is checked the same way.
  if (request.method != "GET") return std::nullopt;
  if (const Verdict v = inner().verify(request, now); v != Verdict::ok) return deny(v);
  return reply(200, "", "");
}

std::optional<HandshakeOutcome> PresetVerifier::notion(const Request& request) const {
  // A new Notion subscription posts {"verification_token": "secret_…"} once, unsigned; the
  // same token then keys X-Notion-Signature. Kept like Asana's X-Hook-Secret: the first one
  // wins, a different one later is refused.
  if (request.method != "POST" || !behaviour_.learned) return std::nullopt;
  if (request.header_count("X-Notion-Signature") != 0 || request.body.size() > kMaxChallengeBytes) return std::nullopt;
  if (request.body.find("verification_token") == std::string_view::npos) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(request.body.data(), request.body.size()).get_object().get(object) != simdjson::SUCCESS ||
      object.size() != 1) {
    return std::nullopt;
  }
  std::string_view token;
  if (object.at_key("verification_token").get_string().get(token) != simdjson::SUCCESS) return std::nullopt;
  if (!LearnedSecret::well_formed(token)) return deny(Verdict::malformed_signature);
  HandshakeOutcome outcome = reply(200, "", "");
  if (behaviour_.learned->has_learned()) {
    if (!behaviour_.learned->matches_learned(token)) return deny(Verdict::secret_already_established);
    return outcome;
  }
  outcome.reply.learned_secret = std::string(token);
  return outcome;
}

}  // namespace hookgate::verify
