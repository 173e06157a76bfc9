#include "verify/body_signed_schemes.h"

#include <simdjson.h>

#include <array>

#include "verify/encoding.h"
#include "verify/form.h"
#include "verify/json_edit.h"
#include "verify/json_text.h"
#include "verify/timestamp.h"

namespace hookgate::verify {
namespace {

bool looks_like_json(std::string_view body) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '{';
}

// A DOM string or number member as text ("" when absent), the way Adyen's SDK interpolates.
std::string member_text(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return {};
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    case simdjson::dom::element_type::INT64:
      return std::to_string(value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return std::to_string(value.get_uint64().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return value.get_bool().value_unsafe() ? "true" : "false";
    default:
      return {};
  }
}

std::string adyen_string(simdjson::dom::element item) {
  simdjson::dom::element amount;
  const bool has_amount = item.at_key("amount").get(amount) == simdjson::SUCCESS;
  std::string out;
  out.append(member_text(item, "pspReference")).append(":");
  out.append(member_text(item, "originalReference")).append(":");
  out.append(member_text(item, "merchantAccountCode")).append(":");
  out.append(member_text(item, "merchantReference")).append(":");
  out.append(has_amount ? member_text(amount, "value") : "").append(":");
  out.append(has_amount ? member_text(amount, "currency") : "").append(":");
  out.append(member_text(item, "eventCode")).append(":");
  out.append(member_text(item, "success"));
  return out;
}

// The NotificationRequestItem objects of an Adyen notification, or false.
bool adyen_items(simdjson::dom::parser& parser, std::string_view body,
                 std::vector<simdjson::dom::element>& items) {
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return false;
  simdjson::dom::array array;
  if (doc.at_key("notificationItems").get_array().get(array) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element wrapper : array) {
    simdjson::dom::element item;
    if (wrapper.at_key("NotificationRequestItem").get(item) != simdjson::SUCCESS ||
        !item.is_object()) {
      return false;
    }
    items.push_back(item);
  }
  return !items.empty();
}

}  // namespace

// ---- Mailgun ----

MailgunScheme::MailgunScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance,
                             FieldRef event_id, FieldRef event_type)
    : KeyedScheme(std::move(keys), tolerance, std::move(event_id), std::move(event_type)) {}

Verdict MailgunScheme::verify(const Request& request, TimePoint now) const {
  std::optional<std::string> timestamp, token, signature;
  if (looks_like_json(request.body)) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(request.body.data(), request.body.size()).get(doc) != simdjson::SUCCESS) {
      return Verdict::missing_signature;
    }
    simdjson::dom::element block;
    if (doc.at_key("signature").get(block) != simdjson::SUCCESS || !block.is_object()) {
      return Verdict::missing_signature;
    }
    const auto text = [&](std::string_view key) -> std::optional<std::string> {
      std::string value = member_text(block, key);
      if (value.empty()) return std::nullopt;
      return value;
    };
    timestamp = text("timestamp");
    token = text("token");
    signature = text("signature");
  } else {
    timestamp = form_value(request.body, "timestamp");
    token = form_value(request.body, "token");
    signature = form_value(request.body, "signature");
  }
  if (!signature) return Verdict::missing_signature;
  if (!timestamp) return Verdict::missing_timestamp;
  if (!token || token->empty()) return Verdict::missing_signature;
  const std::optional<Timestamp> ts = parse_timestamp(*timestamp, TimestampFormat::unix_seconds);
  if (!ts) return Verdict::malformed_timestamp;
  if (tolerance_.count() > 0) {
    if (const Verdict v = check_tolerance(*ts, now, tolerance_); v != Verdict::ok) return v;
  }
  Digest expected;
  if (signature->size() != 64 || hex_decode(*signature, expected.bytes) != 32) {
    return Verdict::malformed_signature;
  }
  expected.size = 32;
  const std::array<std::string_view, 2> pieces{*timestamp, *token};
  return keys_->matches_any(pieces, expected) ? Verdict::ok : Verdict::bad_signature;
}

bool MailgunScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  if (input.id.empty()) return false;
  const std::string timestamp = format_timestamp(input.now, TimestampFormat::unix_seconds);
  const std::array<std::string_view, 2> pieces{timestamp, input.id};
  Digest mac;
  if (!keys_->keys().front()->compute(pieces, mac)) return false;
  const std::string hex = hex_encode({mac.bytes.data(), mac.size});
  if (looks_like_json(input.body)) {
    constexpr std::string_view kPath[] = {"signature"};
    const std::string value[] = {"{\"token\":" + json_quote(input.id) + ",\"timestamp\":" +
                                 json_quote(timestamp) + ",\"signature\":\"" + hex + "\"}"};
    out.body = set_json_member(input.body, "", {}, kPath, value);
    return out.body.has_value();
  }
  // Legacy form fields: the token is signed as it is and sent percent-encoded, so that an id
  // with reserved characters ('&', '=', '+', '%', space) decodes to the signed bytes.
  std::string body(input.body);
  if (!body.empty()) body.push_back('&');
  body.append("timestamp=").append(timestamp).append("&token=").append(percent_encode(input.id));
  body.append("&signature=").append(hex);
  out.body = std::move(body);
  return true;
}

// ---- Adyen ----

AdyenNotificationScheme::AdyenNotificationScheme(std::shared_ptr<const KeyRing> keys,
                                                 FieldRef event_id, FieldRef event_type)
    : KeyedScheme(std::move(keys), std::chrono::seconds(0), std::move(event_id), std::move(event_type)) {}

std::optional<std::string> AdyenNotificationScheme::signing_string(std::string_view item_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element item;
  if (parser.parse(item_json.data(), item_json.size()).get(item) != simdjson::SUCCESS ||
      !item.is_object()) {
    return std::nullopt;
  }
  return adyen_string(item);
}

Verdict AdyenNotificationScheme::verify(const Request& request, TimePoint) const {
  thread_local simdjson::dom::parser parser;
  std::vector<simdjson::dom::element> items;
  if (!adyen_items(parser, request.body, items)) return Verdict::missing_signature;
  bool all_match = true;
  for (const simdjson::dom::element item : items) {
    std::string_view signature;
    if (item.at_pointer("/additionalData/hmacSignature").get_string().get(signature) !=
        simdjson::SUCCESS) {
      return Verdict::missing_signature;
    }
    Digest expected;
    const std::optional<std::size_t> size =
        signature.size() == 44 ? base64_decode(signature, expected.bytes) : std::nullopt;
    if (!size || *size != 32) return Verdict::malformed_signature;
    expected.size = 32;
    const std::string data = adyen_string(item);
    const std::array<std::string_view, 1> pieces{data};
    all_match &= keys_->matches_any(pieces, expected);
  }
  return all_match ? Verdict::ok : Verdict::bad_signature;
}

bool AdyenNotificationScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  simdjson::dom::parser parser;
  std::vector<simdjson::dom::element> items;
  if (!adyen_items(parser, input.body, items)) return false;
  std::vector<std::string> signatures;
  for (const simdjson::dom::element item : items) {
    const std::string data = adyen_string(item);
    const std::array<std::string_view, 1> pieces{data};
    Digest mac;
    if (!keys_->keys().front()->compute(pieces, mac)) return false;
    std::string quoted(1, '"');
    quoted.append(base64_encode({mac.bytes.data(), mac.size})).push_back('"');
    signatures.push_back(std::move(quoted));
  }
  constexpr std::string_view kInner[] = {"NotificationRequestItem"};
  constexpr std::string_view kPath[] = {"additionalData", "hmacSignature"};
  out.body = set_json_member(input.body, "/notificationItems", kInner, kPath, signatures);
  return out.body.has_value();
}

}  // namespace hookgate::verify
