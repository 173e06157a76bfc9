// The part of a signature check that every header-signed scheme shares, whatever the
// algorithm: find the one signature header, the timestamp and its age, the signed id.
// HmacScheme and PublicKeyScheme both open the envelope first, then check the candidates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "verify/request.h"
#include "verify/signature_header.h"
#include "verify/signed_template.h"
#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// The rules every header-signed spec obeys, checked once when its scheme is built: a signature
// header; a template that parses and covers {body}; {timestamp} only with a timestamp source and
// {id} only with id_header; a separator of at most one character, required when the timestamp
// is a key inside the signature header; a named timestamp source (a JSON pointer for one in the
// body). The parsed template, or nullopt and `error` naming the YAML keys under `block`
// ("hmac", "ed25519", "ecdsa_p256").
[[nodiscard]] std::optional<SignedTemplate> parse_envelope_spec(const SignatureEnvelope& spec,
                                                                std::string_view block,
                                                                std::string& error);

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
                                    TimePoint now, Envelope& out);

// Exactly one header called `name`: its value; otherwise how many there were.
struct SingleHeader {
  std::size_t count = 0;
  std::string_view value;
};
[[nodiscard]] SingleHeader single_header(const Request& request, std::string_view name);

// What HmacScheme and PublicKeyScheme both keep of their envelope once parse_envelope_spec()
// accepted it: the parsed template and the rules open_envelope() applies. Refers to `spec`,
// which must outlive it (a scheme holds both, the spec in its options); for that reason it is
// neither copied nor moved. Immutable; thread-safe.
class EnvelopeReader {
 public:
  // `parsed` is parse_envelope_spec(spec, ...); `tolerance` as in EnvelopeRules.
  EnvelopeReader(const SignatureEnvelope& spec, SignedTemplate parsed, std::chrono::seconds tolerance);
  EnvelopeReader(const EnvelopeReader&) = delete;
  EnvelopeReader& operator=(const EnvelopeReader&) = delete;

  [[nodiscard]] const SignedTemplate& signed_template() const { return template_; }
  [[nodiscard]] bool signs_id() const { return template_.uses(SignedTemplate::Var::id); }

  // open_envelope() under this envelope's rules.
  [[nodiscard]] Verdict open(const Request& request, TimePoint now, Envelope& out) const {
    return open_envelope(request, rules_, now, out);
  }

  // True when the request carries any header the envelope reads (signature, timestamp, id):
  // how HeaderFamilies tells a half-sent family from an absent one.
  [[nodiscard]] bool carries_any_header(const Request& request) const;

  // Calls `fn(candidate)` for every entry of `signature` (an opened envelope's) that starts
  // with the prefix, the prefix removed; stops and returns true as soon as `fn` does.
  template <class Fn>
  bool for_each_candidate(std::string_view signature, Fn&& fn) const {
    const std::string_view prefix = spec_->prefix;
    return for_each_entry(signature, rules_.separator, [&](std::string_view entry) {
      if (!entry.starts_with(prefix)) return false;
      entry.remove_prefix(prefix.size());
      return fn(entry);
    });
  }

 private:
  const SignatureEnvelope* spec_;  // never null
  SignedTemplate template_;
  EnvelopeRules rules_;  // views into *spec_
};

}  // namespace hookgate::verify
