// What HmacScheme and PublicKeyScheme share: their options, the envelope reader over them, and
// every HeaderScheme answer that follows from the envelope alone. Only the candidates (a MAC
// under a key ring, or a signature under a public key) are each scheme's own.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "verify/envelope.h"
#include "verify/signed_template.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// Options: a struct with `spec` (carrying `envelope`, a SignatureEnvelope), `tolerance`,
// `event_id` and `event_type`, as HmacSchemeOptions and PublicKeySchemeOptions are.
template <typename Options>
class EnvelopeScheme : public HeaderScheme {
 public:
  // Vendors send one signature, two while a secret rolls over. The bound keeps the decoded
  // candidates on the stack and the work per request small.
  static constexpr std::size_t kMaxCandidates = 8;

  [[nodiscard]] bool signs_url() const override {
    return envelope_.signed_template().uses(SignedTemplate::Var::url);
  }
  [[nodiscard]] const FieldRef& event_id_field() const override { return options_.event_id; }
  [[nodiscard]] const FieldRef& event_type_field() const override { return options_.event_type; }
  [[nodiscard]] std::string_view signature_header() const override { return options_.spec.envelope.header; }
  [[nodiscard]] bool has_any_header(const Request& request) const override {
    return envelope_.carries_any_header(request);
  }
  [[nodiscard]] const decltype(Options::spec)& spec() const { return options_.spec; }

 protected:
  // The template of `options`' envelope, or nullopt and `error`: what parse_envelope_spec()
  // refuses (its messages name the YAML keys under `block`), or a negative tolerance.
  [[nodiscard]] static std::optional<SignedTemplate> parse(const Options& options, std::string_view block,
                                                           std::string& error) {
    std::optional<SignedTemplate> parsed = parse_envelope_spec(options.spec.envelope, block, error);
    if (parsed && options.tolerance.count() < 0) {
      error = "tolerance must not be negative";
      return std::nullopt;
    }
    return parsed;
  }

  EnvelopeScheme(Options options, SignedTemplate parsed)
      : options_(std::move(options)),
        envelope_(options_.spec.envelope, std::move(parsed), options_.tolerance) {}

  Options options_;
  EnvelopeReader envelope_;  // refers to options_.spec.envelope
};

}  // namespace hookgate::verify
