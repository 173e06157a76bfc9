#include "verify/hmac_scheme.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/event_fields.h"
#include "verify/timestamp.h"

namespace hookgate::verify {

std::unique_ptr<HmacScheme> HmacScheme::create(HmacSchemeOptions options, std::string& error) {
  std::optional<SignedTemplate> parsed = parse(options, "hmac", error);
  if (!parsed) return nullptr;
  if (!options.keys || options.keys->keys().empty()) {
    error = "no secrets";
    return nullptr;
  }
  if (options.keys->algorithm() != options.spec.algorithm) {
    error = "internal: keys were made for another algorithm";
    return nullptr;
  }
  return std::unique_ptr<HmacScheme>(new HmacScheme(std::move(options), std::move(*parsed)));
}

HmacScheme::HmacScheme(HmacSchemeOptions options, SignedTemplate signed_template)
    : EnvelopeScheme(std::move(options), std::move(signed_template)),
      mac_size_(digest_size(options_.spec.algorithm)) {}

bool HmacScheme::decode_candidate(std::string_view candidate, Digest& out) const {
  // Length first: candidates of other lengths cannot be a MAC of this algorithm, and the check
  // keeps decoding bounded.
  const Encoding encoding = options_.spec.envelope.encoding;
  if (candidate.size() != encoded_signature_size(encoding, mac_size_)) return false;
  const std::span<unsigned char> buffer(out.bytes.data(), mac_size_);
  const std::optional<std::size_t> size = decode_signature(encoding, candidate, buffer);
  if (!size || *size != mac_size_) return false;
  out.size = *size;
  return true;
}

Verdict HmacScheme::verify(const Request& request, TimePoint now) const {
  // 1-4. Signature header, timestamp and its age, signed id.
  Envelope envelope;
  if (const Verdict v = envelope_.open(request, now, envelope); v != Verdict::ok) return v;

  // 5. Candidates, decoded once, then the MAC under each secret (rotation: any may match).
  std::array<Digest, kMaxCandidates> candidates;
  std::size_t count = 0;
  const bool too_many = envelope_.for_each_candidate(envelope.signature, [&](std::string_view candidate) {
    Digest decoded;
    if (!decode_candidate(candidate, decoded)) return false;
    if (count == candidates.size()) return true;
    candidates[count++] = decoded;
    return false;
  });
  if (count == 0 || too_many) return Verdict::malformed_signature;

  const TemplateValues values{request.body, envelope.timestamp, envelope.id, request.method,
                              request.public_url};
  SignedTemplate::Pieces storage;
  const std::span<const std::string_view> pieces = envelope_.signed_template().pieces(values, storage);
  for (const std::unique_ptr<HmacKey>& key : options_.keys->keys()) {
    Digest mac;
    if (!key->compute(pieces, mac)) continue;  // an OpenSSL failure matches nothing
    for (std::size_t i = 0; i < count; ++i) {
      // Sizes are equal by construction (decode_candidate); the check keeps it local.
      if (candidates[i].size == mac.size &&
          CRYPTO_memcmp(candidates[i].bytes.data(), mac.bytes.data(), mac.size) == 0) {
        return Verdict::ok;
      }
    }
  }
  return Verdict::bad_signature;
}

bool HmacScheme::sign(const SignInput& input, SignedHeaders& out) const {
  const SignatureEnvelope& spec = options_.spec.envelope;
  const SignedTemplate& signed_template = envelope_.signed_template();
  const std::string_view id = input.id;
  out.headers.clear();
  out.body.reset();
  if (signed_template.uses(SignedTemplate::Var::url) && input.url.empty()) return false;
  if (envelope_.signs_id() && id.empty()) return false;

  std::string timestamp_text;
  const bool sends_timestamp = spec.timestamp.kind == TimestampSource::Kind::header ||
                               spec.timestamp.kind == TimestampSource::Kind::signature_key ||
                               spec.timestamp.kind == TimestampSource::Kind::first_entry;
  if (sends_timestamp) {
    timestamp_text = format_timestamp(input.now, spec.timestamp.format);
  } else if (spec.timestamp.kind == TimestampSource::Kind::json) {
    Request body_only;
    body_only.body = input.body;
    timestamp_text =
        extract_field(FieldRef{.kind = FieldRef::Kind::json, .name = spec.timestamp.name}, body_only)
            .value_or("");
  }

  const TemplateValues values{input.body, timestamp_text, id, input.method, input.url};
  SignedTemplate::Pieces storage;
  Digest mac;
  if (!options_.keys->keys().front()->compute(signed_template.pieces(values, storage), mac)) return false;
  const std::span<const unsigned char> mac_bytes(mac.bytes.data(), mac.size);

  std::string signature;
  if (spec.timestamp.kind == TimestampSource::Kind::signature_key) {
    signature = spec.timestamp.name + "=" + timestamp_text + spec.separator;
  } else if (spec.timestamp.kind == TimestampSource::Kind::first_entry) {
    signature = timestamp_text + spec.separator;
  }
  signature += spec.prefix;
  signature += encode_signature(spec.encoding, mac_bytes);

  auto written = [&](std::string_view name) {
    return std::any_of(out.headers.begin(), out.headers.end(),
                       [&](const auto& header) { return ascii_iequals(header.first, name); });
  };
  if (!spec.id_header.empty() && !id.empty()) {
    out.headers.emplace_back(spec.id_header, std::string(id));
  }
  if (spec.timestamp.kind == TimestampSource::Kind::header) {
    out.headers.emplace_back(spec.timestamp.name, timestamp_text);
  }
  out.headers.emplace_back(spec.header, std::move(signature));
  const FieldRef& type = options_.event_type;
  if (type.kind == FieldRef::Kind::header && !written(type.name)) {
    out.headers.emplace_back(type.name, options_.sample_event_type);
  }
  const FieldRef& event_id = options_.event_id;
  if (event_id.kind == FieldRef::Kind::header && !id.empty() && !written(event_id.name) &&
      (event_id.fallback_header.empty() || !written(event_id.fallback_header))) {
    out.headers.emplace_back(event_id.name, std::string(id));
  }
  return true;
}

}  // namespace hookgate::verify
