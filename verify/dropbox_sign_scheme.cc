#include "verify/dropbox_sign_scheme.h"

#include <simdjson.h>

#include <array>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/form.h"
#include "verify/json_edit.h"
#include "verify/json_text.h"
#include "verify/multipart.h"
#include "verify/timestamp.h"

namespace hookgate::verify {
namespace {

struct SignedFields {
  std::string time;
  std::string type;
  std::string hash;
};

// event.event_time (a string, or an integer as its decimal text), event_type, event_hash.
std::optional<SignedFields> signed_fields(std::string_view json, bool need_hash) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::element event;
  if (doc.at_key("event").get(event) != simdjson::SUCCESS || !event.is_object()) return std::nullopt;
  SignedFields out;
  simdjson::dom::element time;
  if (event.at_key("event_time").get(time) != simdjson::SUCCESS) return std::nullopt;
  if (time.is_string()) {
    out.time = std::string(time.get_string().value_unsafe());
  } else if (time.is_int64()) {
    out.time = std::to_string(time.get_int64().value_unsafe());
  } else {
    return std::nullopt;
  }
  std::string_view type, hash;
  if (event.at_key("event_type").get_string().get(type) != simdjson::SUCCESS) return std::nullopt;
  out.type = std::string(type);
  if (need_hash) {
    if (event.at_key("event_hash").get_string().get(hash) != simdjson::SUCCESS) return std::nullopt;
    out.hash = std::string(hash);
  }
  return out;
}

}  // namespace

DropboxSignScheme::DropboxSignScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance,
                                     FieldRef event_id, FieldRef event_type)
    : KeyedScheme(std::move(keys), tolerance, std::move(event_id), std::move(event_type)) {}

std::optional<std::string> DropboxSignScheme::event_json(const Request& request) {
  const std::string_view content_type = request.header("Content-Type").value_or("");
  if (const std::optional<std::string_view> boundary = multipart_boundary(content_type)) {
    const std::optional<std::string_view> field = multipart_field(request.body, *boundary, "json");
    if (!field) return std::nullopt;
    return std::string(*field);
  }
  const std::string_view type = trim_ows(content_type.substr(0, content_type.find(';')));
  if (ascii_iequals(type, "application/x-www-form-urlencoded")) return form_value(request.body, "json");
  const std::size_t first = request.body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && request.body[first] == '{') return std::string(request.body);
  return std::nullopt;
}

Verdict DropboxSignScheme::verify(const Request& request, TimePoint now) const {
  const std::optional<std::string> json = event_json(request);
  if (!json) return Verdict::missing_signature;
  const std::optional<SignedFields> fields = signed_fields(*json, true);
  if (!fields) return Verdict::missing_signature;
  const std::optional<Timestamp> ts = parse_timestamp(fields->time, TimestampFormat::unix_seconds);
  if (!ts) return Verdict::malformed_timestamp;
  if (tolerance_.count() > 0) {
    if (const Verdict v = check_tolerance(*ts, now, tolerance_); v != Verdict::ok) return v;
  }
  Digest expected;
  if (fields->hash.size() != 64 || hex_decode(fields->hash, expected.bytes) != 32) {
    return Verdict::malformed_signature;
  }
  expected.size = 32;
  const std::array<std::string_view, 2> pieces{fields->time, fields->type};
  return keys_->matches_any(pieces, expected) ? Verdict::ok : Verdict::bad_signature;
}

bool DropboxSignScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  const std::optional<SignedFields> fields = signed_fields(input.body, false);
  if (!fields) return false;
  const std::array<std::string_view, 2> pieces{fields->time, fields->type};
  Digest mac;
  if (!keys_->keys().front()->compute(pieces, mac)) return false;
  const std::string hex = hex_encode({mac.bytes.data(), mac.size});
  constexpr std::string_view kPath[] = {"event", "event_hash"};
  const std::string value[] = {"\"" + hex + "\""};
  const std::optional<std::string> json = set_json_member(input.body, "", {}, kPath, value);
  if (!json) return false;
  // A boundary the content cannot contain by chance: derived from the MAC.
  const std::string boundary = "hookgate-" + hex.substr(0, 40);
  if (json->find(boundary) != std::string::npos) return false;
  out.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
  out.body = multipart_body(boundary, "json", *json);
  return true;
}

}  // namespace hookgate::verify
