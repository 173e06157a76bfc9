#include "verify/certificate_schemes.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <array>

#include "verify/envelope.h"
#include "verify/timestamp.h"

namespace hookgate::verify {
namespace {

// RSA signatures of 2048 to 4096 bits are 344 to 684 base64 characters: more than the
// signature decoder of the HMAC schemes accepts, so they are decoded here.
constexpr std::size_t kMaxSignatureChars = 1024;

std::optional<std::vector<unsigned char>> decode_rsa_signature(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > kMaxSignatureChars) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || (c == '=' && i + 2 >= text.size());
    if (!ok) return std::nullopt;
  }
  std::vector<unsigned char> out(text.size() / 4 * 3);
  const int written = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(written);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with("=")) {
    size -= 1;
  }
  out.resize(size);
  return out;
}

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

struct SnsFields {
  std::string type, signature, version, topic;
  std::string to_sign;
};

// The message's fields and the string SNS signs for it; nullopt when the body is not an SNS
// message.
std::optional<SnsFields> sns_fields(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  auto string_of = [&](const char* key) -> std::optional<std::string> {
    std::string_view value;
    if (object.at_key(key).get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
    return std::string(value);
  };
  SnsFields fields;
  const std::optional<std::string> type = string_of("Type");
  const std::optional<std::string> signature = string_of("Signature");
  if (!type || !signature) return std::nullopt;
  fields.type = *type;
  fields.signature = *signature;
  fields.version = string_of("SignatureVersion").value_or("");
  fields.topic = string_of("TopicArn").value_or("");
  const bool confirmation = *type == "SubscriptionConfirmation" || *type == "UnsubscribeConfirmation";
  static constexpr const char* kNotification[] = {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"};
  static constexpr const char* kConfirmation[] = {"Message", "MessageId", "SubscribeURL", "Timestamp",
                                                  "Token", "TopicArn", "Type"};
  auto append = [&](const char* key, bool optional) {
    const std::optional<std::string> value = string_of(key);
    if (!value) return optional;
    fields.to_sign.append(key).append("\n").append(*value).append("\n");
    return true;
  };
  if (confirmation) {
    for (const char* key : kConfirmation) {
      if (!append(key, false)) return std::nullopt;
    }
  } else {
    for (const char* key : kNotification) {
      if (!append(key, std::string_view(key) == "Subject")) return std::nullopt;
    }
  }
  return fields;
}

}  // namespace

SnsScheme::SnsScheme(std::shared_ptr<const KeySet> keys, std::vector<std::string> topics, FieldRef event_id,
                     FieldRef event_type)
    : keys_(std::move(keys)),
      topics_(std::move(topics)),
      event_id_(std::move(event_id)),
      event_type_(std::move(event_type)) {}

std::optional<std::string> SnsScheme::string_to_sign(std::string_view body) {
  std::optional<SnsFields> fields = sns_fields(body);
  if (!fields) return std::nullopt;
  return std::move(fields->to_sign);
}

Verdict SnsScheme::verify(const Request& request, TimePoint) const {
  const std::optional<SnsFields> fields = sns_fields(request.body);
  if (!fields) return Verdict::missing_signature;
  if (fields->version != "1" && fields->version != "2") return Verdict::malformed_signature;
  const std::optional<std::vector<unsigned char>> signature = decode_rsa_signature(fields->signature);
  if (!signature) return Verdict::malformed_signature;
  const std::string_view message[] = {fields->to_sign};
  const KeySignature algorithm = fields->version == "1" ? KeySignature::rsa_sha1 : KeySignature::rsa_sha256;
  if (!keys_->verify("", algorithm, message, *signature)) return Verdict::bad_signature;
  // Checked after the signature: the topic is only worth reading once AWS vouches for it.
  if (std::find(topics_.begin(), topics_.end(), fields->topic) == topics_.end()) return Verdict::bad_credentials;
  return Verdict::ok;
}

bool SnsScheme::sign(const SignInput&, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  return false;
}

PaypalScheme::PaypalScheme(std::shared_ptr<const KeySet> keys, std::vector<std::string> webhook_ids,
                           std::chrono::seconds tolerance, FieldRef event_id, FieldRef event_type)
    : keys_(std::move(keys)),
      webhook_ids_(std::move(webhook_ids)),
      tolerance_(tolerance),
      event_id_(std::move(event_id)),
      event_type_(std::move(event_type)) {}

std::uint32_t PaypalScheme::crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (const char byte : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(byte)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Verdict PaypalScheme::verify(const Request& request, TimePoint now) const {
  const SingleHeader sig = single_header(request, "PAYPAL-TRANSMISSION-SIG");
  if (sig.count == 0) return Verdict::missing_signature;
  if (sig.count > 1) return Verdict::malformed_signature;
  const SingleHeader time = single_header(request, "PAYPAL-TRANSMISSION-TIME");
  if (time.count == 0) return Verdict::missing_timestamp;
  if (time.count > 1) return Verdict::malformed_timestamp;
  const std::optional<Timestamp> parsed = parse_timestamp(time.value, TimestampFormat::rfc3339);
  if (!parsed) return Verdict::malformed_timestamp;
  if (tolerance_.count() > 0) {
    if (const Verdict v = check_tolerance(*parsed, now, tolerance_); v != Verdict::ok) return v;
  }
  const SingleHeader id = single_header(request, "PAYPAL-TRANSMISSION-ID");
  if (id.count != 1 || id.value.empty()) return Verdict::missing_id;
  const SingleHeader algo = single_header(request, "PAYPAL-AUTH-ALGO");
  if (algo.count > 1 || (algo.count == 1 && algo.value != "SHA256withRSA")) return Verdict::malformed_signature;
  const std::optional<std::vector<unsigned char>> signature = decode_rsa_signature(sig.value);
  if (!signature) return Verdict::malformed_signature;
  const std::string crc = "|" + std::to_string(crc32(request.body));
  for (const std::string& webhook_id : webhook_ids_) {
    const std::string_view message[] = {id.value, "|", time.value, "|", webhook_id, crc};
    if (keys_->verify("", KeySignature::rsa_sha256, message, *signature)) return Verdict::ok;
  }
  return Verdict::bad_signature;
}

bool PaypalScheme::sign(const SignInput&, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  return false;
}

}  // namespace hookgate::verify
