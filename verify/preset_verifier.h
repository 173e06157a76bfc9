// What a preset adds around its signature scheme: the vendor's handshake or challenge, the
// status a stored event is acknowledged with, and a secret learned in a handshake.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "verify/forwarding_verifier.h"
#include "verify/hmac_key.h"
#include "verify/learned_secret.h"

namespace hookgate::verify {

enum class HandshakeKind {
  none,
  slack,            // POST url_verification (signed) → {"challenge":…}; ssl_check → 200 empty
  zoom,             // POST endpoint.url_validation (signed) → {plainToken, encryptedToken}
  meta,             // GET hub.mode=subscribe&hub.verify_token&hub.challenge → the challenge
  twitter_crc,      // GET crc_token → {"response_token":"sha256=<b64 HMAC>"}
  twitch,           // POST webhook_callback_verification (signed) → the challenge, text/plain
  asana,            // POST with X-Hook-Secret → 200 echoing it; the secret is learned
  dropbox,          // GET ?challenge= → the challenge, text/plain, nosniff
  microsoft_graph,  // ?validationToken= → the decoded token, text/plain
  okta,             // GET X-Okta-Verification-Challenge → {"verification":…}
  discord,          // PING (signed): interactions {"type":1} → {"type":1}; events type 0 → 204
  woocommerce_ping, // POST "webhook_id=<n>" without a signature (sent on creation) → 200 empty
  challenge_echo,   // POST {"challenge":"…"} (unsigned, on creation: monday.com) → the same JSON
  get_ok,           // GET (on creation: Mailchimp), credentials checked → 200 empty
  notion,           // POST {"verification_token":…} (unsigned) → 200; the token is learned (as Asana)
  front,            // POST with X-Front-Challenge (signed, on saving an app webhook) → the challenge, text/plain
};

// One line for `hookgate providers` and docs: what the handshake is and how it is answered.
[[nodiscard]] std::string_view describe(HandshakeKind kind);
// True when the handshake arrives as a GET.
[[nodiscard]] bool handshake_uses_get(HandshakeKind kind);

struct PresetBehaviour {
  HandshakeKind handshake = HandshakeKind::none;
  int success_status = 200;
  std::string success_body;  // empty: the gateway's {"id":…}
  std::string verify_token;  // meta
  // zoom, twitter_crc: HMAC-SHA256 keyed with the first secret, for the challenge answer.
  std::shared_ptr<const HmacKey> challenge_key;
  std::shared_ptr<LearnedSecret> learned;  // asana
};

// Handshakes per HandshakeKind (see each value). A signed handshake whose signature fails is
// a denial with the scheme's verdict; Meta's with a wrong token is bad_verify_token; Asana's
// offering a secret other than the one already learned is secret_already_established (an
// operator deletes the stored one to accept a new webhook). Everything else forwards.
class PresetVerifier final : public ForwardingVerifier {
 public:
  PresetVerifier(std::shared_ptr<const Verifier> inner, PresetBehaviour behaviour);

  [[nodiscard]] std::optional<HandshakeOutcome> handshake(const Request& request,
                                                          TimePoint now) const override;
  [[nodiscard]] bool answers_get() const override;
  [[nodiscard]] int success_status() const override { return behaviour_.success_status; }
  [[nodiscard]] std::string_view success_body() const override { return behaviour_.success_body; }
  [[nodiscard]] LearnedSecret* learned_secret() const override { return behaviour_.learned.get(); }

 private:
  [[nodiscard]] std::optional<HandshakeOutcome> slack(const Request& request, TimePoint now) const;
  [[nodiscard]] std::optional<HandshakeOutcome> zoom(const Request& request, TimePoint now) const;
  [[nodiscard]] std::optional<HandshakeOutcome> meta(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> twitter_crc(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> twitch(const Request& request, TimePoint now) const;
  [[nodiscard]] std::optional<HandshakeOutcome> asana(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> dropbox(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> microsoft_graph(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> okta(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> discord(const Request& request, TimePoint now) const;
  [[nodiscard]] std::optional<HandshakeOutcome> woocommerce_ping(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> challenge_echo(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> get_ok(const Request& request, TimePoint now) const;
  [[nodiscard]] std::optional<HandshakeOutcome> notion(const Request& request) const;
  [[nodiscard]] std::optional<HandshakeOutcome> front(const Request& request, TimePoint now) const;

  PresetBehaviour behaviour_;
};

}  // namespace hookgate::verify
