#include "verify/public_key_scheme.h"

#include <array>

#include "verify/encoding.h"
#include "verify/envelope.h"

namespace hookgate::verify {
namespace {

// DER ECDSA-Sig-Value of P-256: SEQUENCE of two INTEGERs of at most 33 bytes each.
constexpr std::size_t kMaxEcdsaDer = 72;
constexpr std::size_t kEd25519Signature = 64;

struct Candidate {
  std::array<unsigned char, kMaxEcdsaDer> bytes{};
  std::size_t size = 0;
};

}  // namespace

std::unique_ptr<PublicKeyScheme> PublicKeyScheme::create(PublicKeySchemeOptions options,
                                                         std::string& error) {
  const PublicKeyAlgorithm algorithm = options.spec.algorithm;
  std::optional<SignedTemplate> parsed =
      parse(options, algorithm == PublicKeyAlgorithm::ed25519 ? "ed25519" : "ecdsa_p256", error);
  if (!parsed) return nullptr;
  if (!options.key || options.key->algorithm() != algorithm) {
    error = "internal: no public key of the scheme's algorithm";
    return nullptr;
  }
  return std::unique_ptr<PublicKeyScheme>(new PublicKeyScheme(std::move(options), std::move(*parsed)));
}

PublicKeyScheme::PublicKeyScheme(PublicKeySchemeOptions options, SignedTemplate signed_template)
    : EnvelopeScheme(std::move(options), std::move(signed_template)) {}

Verdict PublicKeyScheme::verify(const Request& request, TimePoint now) const {
  const PublicKeySpec& spec = options_.spec;
  Envelope envelope;
  if (const Verdict v = envelope_.open(request, now, envelope); v != Verdict::ok) return v;

  const bool ed25519 = spec.algorithm == PublicKeyAlgorithm::ed25519;
  std::array<Candidate, kMaxCandidates> candidates;
  std::size_t count = 0;
  const bool too_many = envelope_.for_each_candidate(envelope.signature, [&](std::string_view candidate) {
    Candidate decoded;
    const std::optional<std::size_t> size =
        decode_signature(spec.envelope.encoding, candidate, decoded.bytes);
    if (!size || (ed25519 ? *size != kEd25519Signature : *size < 8)) return false;
    if (count == candidates.size()) return true;
    decoded.size = *size;
    candidates[count++] = decoded;
    return false;
  });
  if (count == 0 || too_many) return Verdict::malformed_signature;

  const TemplateValues values{request.body, envelope.timestamp, envelope.id, request.method,
                              request.public_url};
  SignedTemplate::Pieces storage;
  const std::span<const std::string_view> pieces = envelope_.signed_template().pieces(values, storage);
  for (std::size_t i = 0; i < count; ++i) {
    if (options_.key->verify(pieces, {candidates[i].bytes.data(), candidates[i].size})) {
      return Verdict::ok;
    }
  }
  return Verdict::bad_signature;
}

bool PublicKeyScheme::sign(const SignInput&, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  return false;
}

}  // namespace hookgate::verify
