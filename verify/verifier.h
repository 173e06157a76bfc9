// The verification contract. Verifiers are immutable after construction and safe to call
// from any thread concurrently. They do no I/O and read no clock: `now` is passed in.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verify/request.h"
#include "verify/spec.h"

namespace hookgate::verify {

class LearnedSecret;

// Every denial has exactly one reason; the gateway counts and logs it and answers 401.
// Append only: the values index counters, and the names are a contract with operators.
enum class Verdict {
  ok,
  missing_signature,     // signature header absent
  malformed_signature,   // header repeated (ambiguous), or no parseable candidate of the scheme
  bad_signature,         // no candidate matched any configured secret
  missing_timestamp,
  malformed_timestamp,
  timestamp_too_old,
  timestamp_in_future,
  missing_id,            // the scheme signs an id header that is absent
  missing_credentials,   // token / basic auth / clientState absent
  bad_credentials,       // token / basic auth / clientState does not match
  bad_body_hash,         // Twilio: the body does not hash to the signed bodySHA256
  ip_not_allowed,        // the client address is outside the source's ip_allowlist
  bad_verify_token,      // Meta GET handshake: hub.verify_token does not match
  secret_not_established,       // Asana: no X-Hook-Secret handshake yet, nothing to verify with
  secret_already_established,   // Asana: a handshake offering a different secret than the stored one
};

inline constexpr std::size_t kVerdictCount =
    static_cast<std::size_t>(Verdict::secret_already_established) + 1;

// Stable snake_case names, used in 401 bodies, logs and metric labels.
[[nodiscard]] std::string_view to_string(Verdict v);

// A wall-clock instant. verify/ never reads a clock: its callers pass the time they read
// from their injected gateway::loop::Clock, so every check runs the same in simulated time.
using TimePoint = std::chrono::system_clock::time_point;

struct SignedHeaders {
  std::vector<std::pair<std::string, std::string>> headers;  // in the order a vendor sends them
  // Set by schemes whose signature lives inside the body (Mailgun, Adyen notifications): the
  // body as the vendor would send it, signature included. Empty otherwise.
  std::optional<std::string> body;
  // Set by schemes whose credential is in the URL (a query token): the URL the vendor calls,
  // credential included. Empty otherwise.
  std::optional<std::string> url;
};

// What sign() signs. `url` is the full public URL the vendor calls (query included), for
// schemes that sign it (Twilio, Square, HubSpot); empty when unknown.
struct SignInput {
  std::string_view body;
  TimePoint now;
  std::string_view id;
  std::string_view url = {};
  std::string_view method = "POST";
};

// The answer to a handshake or challenge (Slack url_verification, Meta hub.challenge, …).
// Sent as is and never stored as an event.
struct HandshakeReply {
  int status = 200;
  std::string content_type;  // empty: no Content-Type and, normally, no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Non-empty: a secret the vendor handed over (Asana's X-Hook-Secret). The gateway must make
  // it durable for the source, then call learned_secret()->set(), and only then answer.
  std::string learned_secret;
};

struct HandshakeOutcome {
  Verdict verdict = Verdict::ok;  // not ok: deny like a failed verification; `reply` unused
  HandshakeReply reply;
};

class Verifier {
 public:
  virtual ~Verifier() = default;

  [[nodiscard]] virtual Verdict verify(const Request& request, TimePoint now) const = 0;

  // When `request` is the vendor's handshake or challenge: the reply (or the denial) the
  // protocol asks for. nullopt: an ordinary event, to be verified and stored. The gateway
  // calls this before verify(); a preset whose handshake is signed checks the signature here.
  [[nodiscard]] virtual std::optional<HandshakeOutcome> handshake(const Request& request,
                                                                  TimePoint now) const {
    (void)request;
    (void)now;
    return std::nullopt;
  }
  // True when the vendor's handshake arrives as a GET (Meta, Twitter/X, Dropbox, Okta): the
  // gateway then passes GET requests to handshake() instead of answering 405.
  [[nodiscard]] virtual bool answers_get() const { return false; }
  // The status a stored event is acknowledged with (Discord expects 204, Microsoft Graph 202).
  [[nodiscard]] virtual int success_status() const { return 200; }
  // A non-empty body replaces the usual {"id":"evt_…"} acknowledgement (Adyen: "[accepted]").
  [[nodiscard]] virtual std::string_view success_body() const { return {}; }
  // True when the signature covers the public URL (Twilio, Square, HubSpot v2/v3): the source
  // must then have a public_url.
  [[nodiscard]] virtual bool signs_url() const { return false; }
  // The cell a handshake-learned secret goes into (Asana), or nullptr. Thread-safe.
  [[nodiscard]] virtual LearnedSecret* learned_secret() const { return nullptr; }

  // The headers the vendor would send for `input`, signed with the first secret; `id` is used
  // where the scheme carries a delivery/message id. Returns false when the scheme cannot sign
  // (asymmetric, none, or it needs input.url and none was given). Replaces `out`.
  [[nodiscard]] virtual bool sign(const SignInput& input, SignedHeaders& out) const = 0;
  // Shorthand for sign({body, now, id}, out).
  [[nodiscard]] bool sign(std::string_view body, TimePoint now, std::string_view id,
                          SignedHeaders& out) const {
    return sign(SignInput{.body = body, .now = now, .id = id}, out);
  }

  // Where this source's vendor event id and event type live.
  [[nodiscard]] virtual const FieldRef& event_id_field() const = 0;
  [[nodiscard]] virtual const FieldRef& event_type_field() const = 0;
};

// A scheme signed in request headers: what HeaderFamilies needs to choose between the header
// sets a vendor may use.
class HeaderScheme : public Verifier {
 public:
  // The header that carries the signature; its presence selects the family.
  [[nodiscard]] virtual std::string_view signature_header() const = 0;
  // True when the request carries any header this scheme reads (signature, timestamp, id).
  [[nodiscard]] virtual bool has_any_header(const Request& request) const = 0;
};

}  // namespace hookgate::verify
