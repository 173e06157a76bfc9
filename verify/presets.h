// The registered presets: each vendor as data over a few schemes (most of them the generic
// HMAC scheme). The same table drives `hookgate providers` and docs/providers.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "verify/content_key.h"
#include "verify/preset_verifier.h"
#include "verify/spec.h"

namespace hookgate::verify {

enum class Scheme {
  none,                // `provider: none`: nothing checked
  hmac,                // the generic HMAC scheme, one HmacSpec per header family
  standard_webhooks,   // HMAC v1 with secrets and/or Ed25519 v1a with public_key, one list
  public_key,          // Ed25519 / ECDSA P-256 over key_families, with public_key
  token,               // a static token in a header (TokenSpec)
  basic_auth,          // HTTP Basic, secrets "user:password"
  client_state,        // Microsoft Graph clientState in each notification
  learned_hmac,        // the HMAC scheme keyed by a secret learned in the handshake (Asana)
  twilio,              // HMAC-SHA1 over URL + sorted form params, or URL with bodySHA256
  hubspot_v3,          // HMAC-SHA256 over method + decoded URI + body + timestamp (ms)
  hubspot_v2,          // SHA-256(secret + method + URI + body)
  hubspot_v1,          // SHA-256(secret + body)
  mailgun,             // HMAC-SHA256(timestamp + token) inside the body
  adyen_notification,  // HMAC-SHA256 of each NotificationRequestItem's fields, in the body
  jwt,                 // a JSON Web Token (JwtSpec): HS256 with secrets, RS256/ES256 with public_key
  mandrill,            // Twilio's form scheme (URL + sorted params, HMAC-SHA1) in X-Mandrill-Signature
  query_hmac,          // the HMAC scheme with its signature in a query parameter (families[0].header)
  sns,                 // Amazon SNS: RSA signature in the JSON body, certificate in public_key, topics in secrets
  paypal,              // PayPal: RSA-SHA256 over id|time|webhook id|CRC32(body), certificate in public_key
  braintree,           // Braintree: form bt_signature / bt_payload, HMAC-SHA1 keyed with SHA-1(private key)
  plivo_v3,            // Plivo V3: HMAC-SHA256 over URL + sorted params + "." + nonce
  contentful,          // Contentful: HMAC-SHA256 over method, path, signed headers and body
  dropbox_sign,        // Dropbox Sign: HMAC-SHA256(event_time + event_type) in the multipart "json" field
};

// How the tests show that a preset agrees with the vendor (`hookgate providers` prints it):
//  sdk:       the vendor's own SDK (npm, pinned in tests/conformance) signs requests the
//             gateway must accept, or verifies what `hookgate sign` prints;
//  vector:    a test vector the vendor publishes (docs or its SDK's tests), in a unit test;
//  documented: a vector built from the vendor's documentation (node:crypto in the
//             conformance tests, a unit test), the documentation URL cited beside it.
enum class ProofKind { sdk, vector, documented };

[[nodiscard]] std::string_view to_string(ProofKind kind);

struct Preset {
  std::string name = {};
  std::string vendor = {};    // as people call it: "Stripe", "Meta (Facebook, Instagram, WhatsApp)"
  std::string alias_of = {};  // non-empty: another name for that preset (listed, same behaviour)
  Scheme scheme = Scheme::none;
  // hmac, standard_webhooks, learned_hmac, hubspot_v3: one HmacSpec per header family, in
  // order of preference (see header_families.h); most vendors have one.
  std::vector<HmacSpec> families = {};
  std::size_t sign_family = 0;  // the family sign() writes
  // public_key, standard_webhooks (v1a): the public-key families, same order rules.
  std::vector<PublicKeySpec> key_families = {};
  TokenSpec token = {};         // token
  JwtSpec jwt = {};             // jwt
  // The window for a signed timestamp, checked in both directions; 0 only for presets that
  // sign no timestamp (a test holds every preset to this). `tolerance:` overrides it.
  std::chrono::seconds default_tolerance{0};
  // False when the vendor documents no window and default_tolerance is kDefaultTolerance,
  // hookgate's choice (the docs say so).
  bool tolerance_documented = true;
  FieldRef event_id = {};
  FieldRef event_type = {};
  // Vendors that send no event id: the content key a retry is recognised by (event_id none,
  // else unused), and why that default; `dedupe:` on the source overrides it.
  DedupeSpec dedupe = {};
  std::string dedupe_basis = {};
  std::string sample_event_type = "test";  // sign(): value of a header event type
  HandshakeKind handshake = HandshakeKind::none;
  int success_status = 200;
  std::string success_body = {};
  // For `hookgate providers` and the docs. `signature` overrides the description derived from
  // the scheme (special schemes); `proof` says how hookgate checks that it matches the vendor
  // (published vectors, the vendor's SDK in tests/conformance, node:crypto per the docs).
  std::string signature = {};
  std::string proof = {};
  ProofKind proof_kind = ProofKind::documented;
  std::string docs = {};  // the vendor's documentation of the scheme (public URL)
  std::string notes = {};
};

// Every preset, aliases as rows of their own, in table order. Built on first use; immutable.
[[nodiscard]] const std::vector<Preset>& presets();

// nullptr when `name` is not registered. Exact, case-sensitive match.
[[nodiscard]] const Preset* find_preset(std::string_view name);

// A preset as text, for listings and docs. Derived from the preset's data wherever possible,
// so that the docs cannot drift from what hookgate does.
struct PresetDescription {
  std::string name;
  std::string vendor;
  std::string alias_of;
  std::string scheme;     // "HMAC-SHA256 hex, prefix sha256=" / "Ed25519 hex" / "static token" …
  std::string headers;    // the headers read, signature first
  std::string signed_bytes;  // "{timestamp}.{body}", or a sentence for special schemes
  std::string key;        // what goes in secrets / public_key
  std::string tolerance;  // "5m", "5m (hookgate default)" or "none" (no signed timestamp)
  std::string event_id;   // "header X-GitHub-Delivery" / "json /id" / "none"
  std::string event_type;
  std::string dedupe;     // without an event id: "body within 24h (why)", or "none (why)"; else empty
  std::string handshake;  // empty: none
  std::string success;    // "200", "204", "200 [accepted]"
  bool get_handshake = false;
  bool can_sign = false;  // `hookgate sign` supports it
  bool signs_url = false; // needs sources.NAME.public_url
  std::string proof;
  std::string proof_kind;  // "sdk", "vector" or "documented"
  std::string docs;
  std::string notes;
};

[[nodiscard]] PresetDescription describe(const Preset& preset);

}  // namespace hookgate::verify
