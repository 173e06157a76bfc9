// The part of a signature check that every header-signed scheme shares, whatever the
// algorithm: find the one signature header, the timestamp and its age, the signed id.
// HmacScheme and PublicKeyScheme both open the envelope first, then check the candidates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "verify/request.h"
#include "verify/signed_template.h"
#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// The envelope fields HmacSpec and PublicKeySpec share, as views into one of them.
struct EnvelopeSpec {
  std::string_view header;
  std::string_view separator;
  std::string_view signed_template;
  const TimestampSource* timestamp;  // never null
  std::string_view id_header;

  template <class Spec>  // HmacSpec or PublicKeySpec
  static EnvelopeSpec of(const Spec& spec) {
    return EnvelopeSpec{spec.header, spec.separator, spec.signed_template, &spec.timestamp,
                        spec.id_header};
  }
};

// The rules every header-signed spec obeys, checked once when its scheme is built: a signature
// header; a template that parses and covers {body}; {timestamp} only with a timestamp source and
// {id} only with id_header; a separator of at most one character, required when the timestamp
// is a key inside the signature header; a named timestamp source (a JSON pointer for one in the
// body). The parsed template, or nullopt and `error` naming the YAML keys under `block`
// ("hmac", "ed25519", "ecdsa_p256").
[[nodiscard]] std::optional<SignedTemplate> parse_envelope_spec(const EnvelopeSpec& spec,
                                                                std::string_view block,
                                                                std::string& error);

// True when the request carries any header `spec` reads (signature, timestamp, id): how
// HeaderFamilies tells a half-sent family from an absent one.
[[nodiscard]] bool carries_any_envelope_header(const Request& request, const EnvelopeSpec& spec);

struct EnvelopeRules {
  std::string_view header;            // the signature header
  std::optional<char> separator;      // between entries of the signature header
  const TimestampSource* timestamp;   // never null; kind none: no timestamp
  std::chrono::seconds tolerance{0};  // 0: the age is not checked
  std::string_view id_header;         // non-empty when the scheme signs {id}
};

// What open_envelope() found. Views into the request, except a json timestamp, which is
// copied into `timestamp_storage` (so an Envelope is neither copied nor moved).
struct Envelope {
  Envelope() = default;
  Envelope(const Envelope&) = delete;
  Envelope& operator=(const Envelope&) = delete;

  std::string_view signature;  // the signature header's value
  std::string_view timestamp;  // the timestamp exactly as sent; empty without one
  std::string_view id;         // the signed id; empty unless the scheme signs one
  std::string timestamp_storage;
};

// In this order, each with its own verdict:
//   1. the signature header: absent → missing_signature; repeated → malformed_signature;
//   2. the timestamp, when the rules have one: absent → missing_timestamp; repeated or not in
//      the configured format → malformed_timestamp;
//   3. its age, when tolerance > 0: timestamp_too_old / timestamp_in_future;
//   4. the id header, when signed: absent, empty or repeated → missing_id.
// Verdict::ok and `out` filled otherwise.
[[nodiscard]] Verdict open_envelope(const Request& request, const EnvelopeRules& rules,
                                    Clock::time_point now, Envelope& out);

// Exactly one header called `name`: its value; otherwise how many there were.
struct SingleHeader {
  std::size_t count = 0;
  std::string_view value;
};
[[nodiscard]] SingleHeader single_header(const Request& request, std::string_view name);

}  // namespace hookgate::verify
