// The generic HMAC scheme (HmacSpec in spec.h): the verifier behind every HMAC preset and
// behind a source's own `hmac:` block.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "verify/envelope_scheme.h"
#include "verify/hmac_key.h"
#include "verify/signed_template.h"
#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::verify {

struct HmacSchemeOptions {
  HmacSpec spec;
  std::shared_ptr<const KeyRing> keys;  // non-empty, keyed for spec.algorithm
  std::chrono::seconds tolerance{0};    // 0: do not check the timestamp's age
  FieldRef event_id;
  FieldRef event_type;
  // sign(): the value of the event type header when event_type is a header ("ping" for
  // GitHub), so a signed test request reaches routing with a type.
  std::string sample_event_type = "test";
};

// Checks, in this order, each with its own verdict:
//   1. the signature header: absent → missing_signature; repeated → malformed_signature;
//   2. the timestamp, when the scheme has one: absent → missing_timestamp; repeated or not
//      in the configured format → malformed_timestamp (a json timestamp is read from the
//      body, which the MAC covers);
//   3. its age, when tolerance > 0: timestamp_too_old / timestamp_in_future;
//   4. the id header, when the template signs {id}: absent, empty or repeated → missing_id;
//   5. the candidates (entries carrying the prefix that decode to a MAC of the algorithm's
//      size): none, or more than kMaxCandidates → malformed_signature; else ok when any
//      candidate equals the MAC under any secret (constant-time compare), else bad_signature.
// Immutable after create(); verify() and sign() are thread-safe and do not allocate on the
// heap once the key pool is warm.
class HmacScheme final : public EnvelopeScheme<HmacSchemeOptions> {
 public:
  // nullptr and `error` set when the spec is inconsistent: empty header, a bad template, a
  // template without {body}, {timestamp} without a timestamp source, {id} without id_header,
  // a separator longer than one character, a signature_key timestamp without a separator or
  // key name, a timestamp header without a name, keys of another algorithm.
  [[nodiscard]] static std::unique_ptr<HmacScheme> create(HmacSchemeOptions options,
                                                          std::string& error);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;

  // Headers in the order Standard Webhooks senders use: id header (when id_header is set and
  // `id` is not empty), timestamp header, signature header (for a signature_key timestamp
  // "<key>=<ts><separator><prefix><mac>", for a first_entry one "<ts><separator><prefix><mac>"), then the event type and event id headers when
  // those are headers not already written. Returns false when the template signs {url} and
  // input.url is empty, or signs {id} and input.id is empty. A json timestamp is the body's
  // own: the body is signed as given. Replaces `out`.
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;

 private:
  HmacScheme(HmacSchemeOptions options, SignedTemplate signed_template);

  // A candidate (an entry, prefix removed) decoded into `out`, or false.
  [[nodiscard]] bool decode_candidate(std::string_view candidate, Digest& out) const;

  std::size_t mac_size_;
};

}  // namespace hookgate::verify
