#include "verify/envelope.h"

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
  }
  if (count == 0) return Verdict::missing_timestamp;
  if (count > 1) return Verdict::malformed_timestamp;
  return Verdict::ok;
}

}  // namespace

SingleHeader single_header(const Request& request, std::string_view name) {
  SingleHeader found;
  for (const HeaderView& h : request.headers) {
    if (ascii_iequals(h.name, name) && found.count++ == 0) found.value = h.value;
  }
  return found;
}

Verdict open_envelope(const Request& request, const EnvelopeRules& rules, Clock::time_point now,
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
