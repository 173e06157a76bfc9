#include "verify/envelope.h"

#include <utility>

#include "verify/ascii.h"
#include "verify/event_fields.h"
#include "verify/signature_header.h"
#include "verify/timestamp.h"

namespace hookgate::verify {
namespace {

Verdict find_timestamp(const Request& request, const EnvelopeRules& rules, Envelope& out) {
  const TimestampSource& ts = *rules.timestamp;
  std::size_t count = 0;
  switch (ts.kind) {
    case TimestampSource::Kind::none:
      return Verdict::ok;
    case TimestampSource::Kind::json: {
      // The body is covered by the signature, so its timestamp is as trustworthy as the MAC;
      // reading it first only turns replays away earlier.
      std::optional<std::string> value =
          extract_field(FieldRef{.kind = FieldRef::Kind::json, .name = ts.name}, request);
      if (!value) return Verdict::missing_timestamp;
      out.timestamp_storage = std::move(*value);
      out.timestamp = out.timestamp_storage;
      return Verdict::ok;
    }
    case TimestampSource::Kind::header: {
      const SingleHeader found = single_header(request, ts.name);
      count = found.count;
      out.timestamp = found.value;
      break;
    }
    case TimestampSource::Kind::signature_key: {
      const KeyedEntry found = find_keyed_entry(out.signature, rules.separator, ts.name);
      count = found.count;
      out.timestamp = found.value;
      break;
    }
    case TimestampSource::Kind::first_entry:
      for_each_entry(out.signature, rules.separator, [&](std::string_view entry) {
        out.timestamp = entry;
        count = 1;
        return true;  // the first non-empty entry only
      });
      break;
  }
  if (count == 0) return Verdict::missing_timestamp;
  if (count > 1) return Verdict::malformed_timestamp;
  return Verdict::ok;
}

}  // namespace

std::optional<SignedTemplate> parse_envelope_spec(const SignatureEnvelope& spec, std::string_view block,
                                                  std::string& error) {
  const std::string key = std::string(block) + ".";
  if (spec.header.empty()) {
    error = key + "header is empty";
    return std::nullopt;
  }
  std::string template_error;
  std::optional<SignedTemplate> parsed = SignedTemplate::parse(spec.signed_template, template_error);
  if (!parsed) {
    error = key + "signed: " + template_error;
    return std::nullopt;
  }
  if (!parsed->uses(SignedTemplate::Var::body)) {
    // A signature that does not cover the body proves nothing about it.
    error = key + "signed must include {body}";
    return std::nullopt;
  }
  const TimestampSource& ts = spec.timestamp;
  if (parsed->uses(SignedTemplate::Var::timestamp) && ts.kind == TimestampSource::Kind::none) {
    error = key + "signed uses {timestamp} but " + key + "timestamp is not set";
    return std::nullopt;
  }
  if (parsed->uses(SignedTemplate::Var::id) && spec.id_header.empty()) {
    error = key + "signed uses {id} but " + key + "id_header is not set";
    return std::nullopt;
  }
  if (spec.separator.size() > 1) {
    error = key + "separator must be empty or one character (\",\", \";\" or \" \")";
    return std::nullopt;
  }
  if (ts.kind != TimestampSource::Kind::none && ts.name.empty()) {
    error = key + "timestamp needs a name (a header, or the key inside the signature header)";
    return std::nullopt;
  }
  if (ts.kind == TimestampSource::Kind::json && ts.name.front() != '/') {
    error = key + "timestamp.json must be a JSON pointer such as /webhookTimestamp";
    return std::nullopt;
  }
  if ((ts.kind == TimestampSource::Kind::signature_key || ts.kind == TimestampSource::Kind::first_entry) &&
      spec.separator.empty()) {
    error = key + "timestamp in the signature header needs " + key + "separator";
    return std::nullopt;
  }
  return parsed;
}

EnvelopeReader::EnvelopeReader(const SignatureEnvelope& spec, SignedTemplate parsed,
                               std::chrono::seconds tolerance)
    : spec_(&spec),
      template_(std::move(parsed)),
      rules_{.header = spec.header,
             .separator = spec.separator.empty() ? std::nullopt : std::optional<char>(spec.separator[0]),
             .timestamp = &spec.timestamp,
             .tolerance = tolerance,
             // An id the template does not sign is not required.
             .id_header = template_.uses(SignedTemplate::Var::id) ? std::string_view(spec.id_header)
                                                                  : std::string_view()} {}

bool EnvelopeReader::carries_any_header(const Request& request) const {
  const SignatureEnvelope& spec = *spec_;
  if (request.header(spec.header)) return true;
  if (spec.timestamp.kind == TimestampSource::Kind::header && request.header(spec.timestamp.name)) {
    return true;
  }
  return !spec.id_header.empty() && request.header(spec.id_header).has_value();
}

SingleHeader single_header(const Request& request, std::string_view name) {
  SingleHeader found;
  for (const HeaderView& h : request.headers) {
    if (ascii_iequals(h.name, name) && found.count++ == 0) found.value = h.value;
  }
  return found;
}

Verdict open_envelope(const Request& request, const EnvelopeRules& rules, TimePoint now,
                      Envelope& out) {
  // 1. Signature header. A repeated one is ambiguous: which one did the vendor send?
  const SingleHeader signature = single_header(request, rules.header);
  if (signature.count == 0) return Verdict::missing_signature;
  if (signature.count > 1) return Verdict::malformed_signature;
  out.signature = signature.value;

  // 2-3. Timestamp and its age: cheap checks that turn away replays before any crypto.
  const TimestampSource& ts = *rules.timestamp;
  if (ts.kind != TimestampSource::Kind::none) {
    if (const Verdict v = find_timestamp(request, rules, out); v != Verdict::ok) return v;
    const std::optional<Timestamp> parsed = parse_timestamp(out.timestamp, ts.format);
    if (!parsed) return Verdict::malformed_timestamp;
    if (rules.tolerance.count() > 0) {
      if (const Verdict v = check_tolerance(*parsed, now, rules.tolerance); v != Verdict::ok) {
        return v;
      }
    }
  }

  // 4. Id, when signed.
  if (!rules.id_header.empty()) {
    const SingleHeader found = single_header(request, rules.id_header);
    if (found.count != 1 || found.value.empty()) return Verdict::missing_id;
    out.id = found.value;
  }
  return Verdict::ok;
}

}  // namespace hookgate::verify
