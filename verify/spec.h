// What a source's `verify:` block says, as plain data. config/ fills it from YAML;
// registry.h turns it into a Verifier. No behaviour here.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hookgate::verify {

enum class Algorithm { sha1, sha256, sha512 };
enum class Encoding { hex, base64 };
// How a configured secret string becomes key bytes.
//  raw:    the UTF-8 bytes of the string (Stripe, GitHub, most vendors)
//  base64: standard base64 decode
//  hex:    hex decode (Adyen)
//  whsec:  strip an optional "whsec_" prefix, then base64 decode (Standard Webhooks, Svix)
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
};

struct TimestampSource {
  enum class Kind { none, header, signature_key };
  Kind kind = Kind::none;
  std::string name = {};  // header name, or the key inside the signature header ("t" for Stripe)
  TimestampFormat format = TimestampFormat::unix_seconds;
};

// The generic HMAC scheme. The signature header is split on `separator` (empty: the whole
// value is one entry); entries are trimmed; every entry that starts with `prefix` is a
// candidate signature (prefix stripped); an entry "k=v" whose k is timestamp.name supplies
// the timestamp when timestamp.kind == signature_key. Entries of other schemes are ignored.
struct HmacSpec {
  std::string header = {};           // e.g. "Stripe-Signature"
  Algorithm algorithm = Algorithm::sha256;
  Encoding encoding = Encoding::hex;
  std::string prefix = {};           // "sha256=", "v1=", "v1,", or empty
  std::string separator = {};        // "", ",", ";" or " "
  // Signed bytes: literals plus {body} {timestamp} {id} {method} {url}.
  std::string signed_template = "{body}";
  TimestampSource timestamp = {};
  std::string id_header = {};        // supplies {id}
  SecretEncoding secret_encoding = SecretEncoding::raw;
};

struct VerifySpec {
  // A registered preset ("stripe", "github", "standard-webhooks", "svix", …), "none" for no
  // verification, or empty when `hmac` describes a generic scheme.
  std::string provider = {};
  std::optional<HmacSpec> hmac = {};
  std::vector<std::string> secrets = {};               // resolved values, several for rotation
  std::optional<std::chrono::seconds> tolerance = {};  // unset: the preset's default
  std::string public_key = {};                         // public-key schemes (later presets)
  std::string verify_token = {};                       // GET handshakes (later presets)
  // Overrides of the preset's event id / type locations (unset: preset default).
  std::optional<FieldRef> event_id = {};
  std::optional<FieldRef> event_type = {};
};

}  // namespace hookgate::verify
