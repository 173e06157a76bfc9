// Building blocks for the preset table (presets.cc and the presets_*.cc catalogue files):
// the shapes most vendors share, so that each preset reads as the vendor's data. Internal to
// verify/; nothing here is used at request time.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "verify/presets.h"

namespace hookgate::verify::preset_builders {

using namespace std::chrono_literals;

inline FieldRef header(std::string name, std::string fallback = {}) {
  return FieldRef{.kind = FieldRef::Kind::header, .name = std::move(name), .fallback_header = std::move(fallback)};
}
inline FieldRef json(std::string pointer) {
  return FieldRef{.kind = FieldRef::Kind::json, .name = std::move(pointer)};
}

inline TimestampSource header_ts(std::string name, TimestampFormat format = TimestampFormat::unix_seconds) {
  TimestampSource ts;
  ts.kind = TimestampSource::Kind::header;
  ts.name = std::move(name);
  ts.format = format;
  return ts;
}
inline TimestampSource keyed_ts(std::string key, TimestampFormat format = TimestampFormat::unix_seconds) {
  TimestampSource ts;
  ts.kind = TimestampSource::Kind::signature_key;
  ts.name = std::move(key);
  ts.format = format;
  return ts;
}
inline TimestampSource json_ts(std::string pointer, TimestampFormat format) {
  TimestampSource ts;
  ts.kind = TimestampSource::Kind::json;
  ts.name = std::move(pointer);
  ts.format = format;
  return ts;
}

// HMAC of the body alone: the most common shape.
inline HmacSpec body_hmac(std::string header_name, Algorithm algorithm, Encoding encoding,
                          std::string prefix = {}, SecretEncoding secret = SecretEncoding::raw) {
  return HmacSpec{.envelope = {.header = std::move(header_name),
                               .encoding = encoding,
                               .prefix = std::move(prefix),
                               .signed_template = "{body}"},
                  .algorithm = algorithm,
                  .secret_encoding = secret};
}

// "<key>=<unix>,<prefix><hex>" over "{timestamp}.{body}" (Stripe, Mux, Calendly: "t", "v1=").
inline HmacSpec t_v1_hmac(std::string header_name, std::string timestamp_key = "t",
                          std::string prefix = "v1=",
                          TimestampFormat format = TimestampFormat::unix_seconds) {
  HmacSpec spec = body_hmac(std::move(header_name), Algorithm::sha256, Encoding::hex, std::move(prefix));
  spec.envelope.separator = ",";
  spec.envelope.signed_template = "{timestamp}.{body}";
  spec.envelope.timestamp = keyed_ts(std::move(timestamp_key), format);
  return spec;
}

// The envelope Standard Webhooks v1 and v1a share under `prefix`-signature, -timestamp and
// -id: a space-separated list of "<version>,<base64 signature>" (several for rotation) over
// "id.timestamp.body".
inline SignatureEnvelope standard_webhooks_envelope(const std::string& prefix, std::string version_prefix) {
  return SignatureEnvelope{.header = prefix + "-signature",
                           .encoding = Encoding::base64,
                           .prefix = std::move(version_prefix),
                           .separator = " ",
                           .signed_template = "{id}.{timestamp}.{body}",
                           .timestamp = header_ts(prefix + "-timestamp"),
                           .id_header = prefix + "-id"};
}

// Standard Webhooks v1: base64 HMAC-SHA256 of "id.timestamp.body", key = base64 after
// "whsec_", space-separated "v1,<sig>" list for rotation. Svix sends the same under svix-*.
inline HmacSpec standard_webhooks_family(const std::string& prefix) {
  return HmacSpec{.envelope = standard_webhooks_envelope(prefix, "v1,"),
                  .algorithm = Algorithm::sha256,
                  .secret_encoding = SecretEncoding::whsec};
}

// Standard Webhooks v1a: Ed25519 over the same bytes, "v1a,<base64 64-byte signature>".
inline PublicKeySpec v1a_family(const std::string& prefix) {
  return PublicKeySpec{.algorithm = PublicKeyAlgorithm::ed25519,
                       .envelope = standard_webhooks_envelope(prefix, "v1a,")};
}

// "v0=<hex>" over "v0:{timestamp}:{body}" (Slack, Zoom).
inline HmacSpec v0_hmac(std::string header_name, std::string timestamp_header) {
  HmacSpec spec = body_hmac(std::move(header_name), Algorithm::sha256, Encoding::hex, "v0=");
  spec.envelope.signed_template = "v0:{timestamp}:{body}";
  spec.envelope.timestamp = header_ts(std::move(timestamp_header));
  return spec;
}

// For a vendor without an event id: a retry is the same body within `window` of the first.
inline void dedupe_body(Preset& p, std::chrono::seconds window, std::string basis) {
  p.dedupe = DedupeSpec{{DedupeField{}}, window};
  p.dedupe_basis = std::move(basis);
}

inline Preset alias(const Preset& of, std::string name) {
  Preset copy = of;
  copy.name = std::move(name);
  copy.alias_of = of.name;
  return copy;
}

// The vendor signs a timestamp but documents no window: hookgate's default, marked as such.
inline void undocumented_window(Preset& p) {
  p.default_tolerance = kDefaultTolerance;
  p.tolerance_documented = false;
}

// Standard Webhooks' headers first, Svix's second (header_families.h picks by presence).
inline std::vector<HmacSpec> svix_families() {
  return {standard_webhooks_family("webhook"), standard_webhooks_family("svix")};
}
inline FieldRef svix_event_id() { return header("webhook-id", "svix-id"); }

// A vendor that delivers through Svix (Clerk, Resend): Svix's headers and v1 scheme, signed
// with Svix's header names, its ±5 min window; event type in the body.
inline Preset svix_delivered(std::string name, std::string vendor, std::string proof, std::string docs) {
  Preset p;
  p.name = std::move(name);
  p.vendor = std::move(vendor);
  p.scheme = Scheme::hmac;
  p.families = svix_families();
  p.sign_family = 1;
  p.default_tolerance = 300s;
  p.event_id = svix_event_id();
  p.event_type = json("/type");
  p.proof = std::move(proof);
  p.proof_kind = ProofKind::sdk;
  p.docs = std::move(docs);
  return p;
}

// A vendor that signs by the Standard Webhooks specification itself (webhook-* headers, v1
// HMAC, whsec_ secrets, ±5 min): the webhook-* family only, event type in the body.
inline Preset standard_webhooks_sender(std::string name, std::string vendor) {
  Preset p;
  p.name = std::move(name);
  p.vendor = std::move(vendor);
  p.scheme = Scheme::hmac;
  p.families = {standard_webhooks_family("webhook")};
  p.default_tolerance = 300s;
  p.event_id = header("webhook-id");
  p.event_type = json("/type");
  return p;
}

// A shared token the vendor sends as is in `header_name` (no signature).
inline Preset token_preset(std::string name, std::string vendor, std::string header_name,
                           std::string prefix = {}) {
  Preset p;
  p.name = std::move(name);
  p.vendor = std::move(vendor);
  p.scheme = Scheme::token;
  p.token = TokenSpec{.header = std::move(header_name), .prefix = std::move(prefix)};
  return p;
}

// A vendor that sends no credential at all: the operator puts a token into the webhook URL's
// query (?<parameter>=<secret>) and the preset compares it.
inline Preset query_token_preset(std::string name, std::string vendor, std::string parameter = "token") {
  Preset p;
  p.name = std::move(name);
  p.vendor = std::move(vendor);
  p.scheme = Scheme::token;
  p.token = TokenSpec{.header = {}, .prefix = {}, .query = std::move(parameter)};
  p.notes = "secrets: the token put in the webhook URL's query; the events table keeps each "
            "request's query, token included: protect the database like the config";
  return p;
}

// HTTP Basic credentials the operator puts into the webhook URL or the vendor's form.
inline Preset basic_auth_preset(std::string name, std::string vendor) {
  Preset p;
  p.name = std::move(name);
  p.vendor = std::move(vendor);
  p.scheme = Scheme::basic_auth;
  p.signature = "no signature: HTTP Basic credentials set on the webhook";
  p.notes = "secrets: \"user:password\"";
  return p;
}

// The catalogue files, each appending its vendors to the table (presets.cc sorts it).
void add_commerce_presets(std::vector<Preset>& table);
void add_developer_presets(std::vector<Preset>& table);
void add_messaging_presets(std::vector<Preset>& table);
void add_business_presets(std::vector<Preset>& table);
void add_identity_presets(std::vector<Preset>& table);

}  // namespace hookgate::verify::preset_builders
