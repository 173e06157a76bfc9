// What a source's `verify:` block says, as plain data. config/ fills it from YAML;
// registry.h turns it into a Verifier. No behaviour here.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hookgate::verify {

enum class Algorithm { sha1, sha256, sha512 };

// The window for a signed timestamp when the vendor documents none (presets) or the source's
// own block signs one (generic schemes), and the config sets no `tolerance:`. The common
// choice of the vendors that do document one (Stripe, Slack, Standard Webhooks, HubSpot).
inline constexpr std::chrono::seconds kDefaultTolerance{300};
// Signature text: lowercase hex, standard base64 with padding, or URL-safe base64 without
// padding (Sanity).
enum class Encoding { hex, base64, base64url };
// How a configured secret string becomes key bytes.
//  raw:    the UTF-8 bytes of the string (Stripe, GitHub, most vendors)
//  base64: standard base64 decode
//  hex:    hex decode (Adyen)
//  whsec:  strip an optional "whsec_" (or Supabase's "v1,whsec_") prefix, then base64 decode
//          (Standard Webhooks, Svix)
enum class SecretEncoding { raw, base64, hex, whsec };
enum class TimestampFormat { unix_seconds, unix_millis, rfc3339 };

// Where a field lives in the request.
struct FieldRef {
  enum class Kind { none, header, json };
  Kind kind = Kind::none;
  std::string name = {};  // header name, or an RFC 6901 JSON pointer such as "/type"
  // kind == header only: a second header read when `name` is absent. Standard Webhooks
  // senders use webhook-id where Svix senders use svix-id. Empty: none.
  std::string fallback_header = {};
  // kind == json only: more pointers whose values are appended, each after a ':', to make one
  // key (Adyen identifies a notification by pspReference and eventCode together). The field
  // is absent when any of them is.
  std::vector<std::string> more_json = {};
};

struct TimestampSource {
  // json: a member of the (signed) JSON body, `name` being its JSON pointer (Linear's
  // webhookTimestamp); a JSON number or string of the configured format.
  // first_entry: the first entry of the signature header itself, the signatures following
  // it (Recurly's "<ms>,<sig>,<sig>"); `name` only labels it in listings.
  enum class Kind { none, header, signature_key, json, first_entry };
  Kind kind = Kind::none;
  // Header name, the key inside the signature header ("t" for Stripe), or a JSON pointer.
  std::string name = {};
  TimestampFormat format = TimestampFormat::unix_seconds;
};

// How a header-signed request carries its signature, whatever key checks it (HmacSpec,
// PublicKeySpec). The signature header is split on `separator` (empty: the whole value is one
// entry); entries are trimmed; every entry that starts with `prefix` is a candidate signature
// (prefix stripped), written in `encoding`; an entry "k=v" whose k is timestamp.name supplies
// the timestamp when timestamp.kind == signature_key. Entries of other schemes are ignored.
// Plain data: envelope.h checks it once (parse_envelope_spec) when a scheme is built.
struct SignatureEnvelope {
  std::string header = {};           // e.g. "Stripe-Signature"; required
  Encoding encoding = Encoding::hex;
  std::string prefix = {};           // "sha256=", "v1=", "v1,", or empty
  std::string separator = {};        // "", ",", ";" or " "
  // Signed bytes: literals plus {body} {timestamp} {id} {method} {url}.
  std::string signed_template = "{body}";
  TimestampSource timestamp = {};
  std::string id_header = {};        // supplies {id}
};

// The generic HMAC scheme: a MAC of the envelope's signed bytes under each of the secrets.
struct HmacSpec {
  SignatureEnvelope envelope = {};
  Algorithm algorithm = Algorithm::sha256;
  SecretEncoding secret_encoding = SecretEncoding::raw;
};

enum class PublicKeyAlgorithm {
  ed25519,     // RFC 8032 Ed25519 (Discord, Standard Webhooks v1a)
  ecdsa_p256,  // ECDSA over P-256 with SHA-256, DER-encoded signature (SendGrid)
};

// A public-key signature scheme: a signature envelope as HmacSpec's, verified with
// `VerifySpec::public_key` instead of a shared secret. Its encoding defaults to base64, not
// hex; a designated initializer that sets `envelope` replaces that default along with the
// others, so give `.encoding` there too.
struct PublicKeySpec {
  PublicKeyAlgorithm algorithm = PublicKeyAlgorithm::ed25519;
  SignatureEnvelope envelope = {.encoding = Encoding::base64};
};

// A static token the vendor sends in a header (GitLab's X-Gitlab-Token, Okta's Authorization
// value): the header's value, after `prefix`, must equal one of the secrets.
struct TokenSpec {
  std::string header = {};
  std::string prefix = {};  // e.g. "Bearer "; compared case-sensitively
  // Non-empty: the token is this query parameter of the URL called instead of a header (the
  // vendor sends no credential of its own; the operator puts one in the webhook URL).
  std::string query = {};
  // Non-empty: the token is this top-level string member of the JSON body (Figma's
  // "passcode"); the body is not authenticated by it.
  std::string body_member = {};
};

// A JSON Web Token the vendor sends (RFC 7519, JWS compact serialisation), verified with
// HS256 and `secrets`, or RS256 / ES256 and `public_key` (a JWKS, a JWK or PEM keys).
struct JwtSpec {
  std::string header = {};            // the header carrying the token; empty: the body is the token
  std::string prefix = {};            // stripped when present, e.g. "Bearer "
  bool hs256 = false;                 // HS256, keyed with each of `secrets`
  bool asymmetric = false;            // RS256 / ES256 with `public_key`
  std::vector<std::string> issuers = {};  // "iss" must be one of these; empty: not checked
  std::string body_sha256_claim = {}; // this claim must be the SHA-256 of the body
  bool hash_base64 = false;           // the hash claims are base64 (FusionAuth), else hex
  std::string url_sha256_claim = {};  // this claim must be the hex SHA-256 of the public URL
  bool audience_is_url = false;       // "aud" must be (or contain) the source's public_url
  // With `asymmetric`: this claim must equal one of `secrets` (Google's "email": the service
  // account a push subscription authenticates as). Empty: secrets are HS256 keys.
  std::string secrets_claim = {};
};

// Requests are accepted only from these networks; combines with any scheme (checked first).
struct IpAllowlistSpec {
  std::vector<std::string> allow = {};  // CIDRs or single addresses, IPv4 and IPv6
  // When set, the client address is read from this header (X-Forwarded-For style: a
  // comma-separated list, the nearest hop last), but only when the connection itself comes
  // from one of `trusted_proxies`; hops that are trusted proxies are skipped from the right.
  std::string proxy_header = {};
  std::vector<std::string> trusted_proxies = {};
};

struct VerifySpec {
  // A registered preset ("stripe", "github", "standard-webhooks", "svix", …), "none" for no
  // verification, or empty when a generic block (hmac, signature, token, basic_auth)
  // describes the scheme. Exactly one of the five is given.
  std::string provider = {};
  std::optional<HmacSpec> hmac = {};
  std::optional<PublicKeySpec> signature = {};  // YAML `ed25519:` or `ecdsa_p256:`
  std::optional<TokenSpec> token = {};
  bool basic_auth = false;                      // secrets are "user:password"
  std::vector<std::string> secrets = {};               // resolved values, several for rotation
  std::optional<std::chrono::seconds> tolerance = {};  // unset: the preset's default
  // Public-key schemes: as the vendor hands it out (hex or base64 raw key, whpk_…, base64
  // DER SubjectPublicKeyInfo, or PEM).
  std::string public_key = {};
  std::string verify_token = {};                       // Meta's GET handshake
  std::optional<IpAllowlistSpec> ip_allowlist = {};
  // Overrides of the preset's event id / type locations (unset: preset default).
  std::optional<FieldRef> event_id = {};
  std::optional<FieldRef> event_type = {};
};

}  // namespace hookgate::verify
