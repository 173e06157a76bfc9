// The parsers of verify/ that read what a vendor (or a config file) sends, each called
// directly: signature-header entries, timestamps, forms and query strings, hex and base64,
// signed-bytes templates, public keys, IP networks, HubSpot and Twilio URL handling, Adyen's
// signing string, event id / type extraction, JSON edits and JSON quoting.
//
// Input: byte 0 picks the parser (byte 0 % 13), byte 1 is an option byte (separator, format,
// encoding…), the rest is the text. Each case checks a property of its parser besides "no
// crash, no leak, no undefined behaviour"; see the comment on each.
#include <simdjson.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "verify/body_signed_schemes.h"
#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/event_fields.h"
#include "verify/form.h"
#include "verify/hubspot_schemes.h"
#include "verify/ip_allowlist.h"
#include "verify/json_edit.h"
#include "verify/json_text.h"
#include "verify/public_key.h"
#include "verify/signature_header.h"
#include "verify/signed_template.h"
#include "verify/timestamp.h"
#include "verify/twilio_scheme.h"

namespace hookgate::fuzz {
namespace {

using namespace hookgate::verify;

// The lines of `text` split on '\n'.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return lines;
    text.remove_prefix(end + 1);
  }
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const TimePoint kNow = TimePoint{std::chrono::seconds{1'704'067'200}};  // 2024-01-01

// Entries are trimmed and non-empty; find_keyed_entry counts what for_each_entry shows.
void signature_entries(std::uint8_t option, std::string_view text) {
  static constexpr std::array<std::optional<char>, 4> kSeparators = {std::nullopt, ',', ';', ' '};
  const std::optional<char> separator = kSeparators[option % 4];
  const std::string_view key = text.substr(0, std::min<std::size_t>(text.size(), option % 3 + 1));
  std::size_t keyed = 0;
  for_each_entry(text, separator, [&](std::string_view entry) {
    HOOKGATE_FUZZ_CHECK(!entry.empty());
    HOOKGATE_FUZZ_CHECK(entry.front() != ' ' && entry.front() != '\t');
    HOOKGATE_FUZZ_CHECK(entry.back() != ' ' && entry.back() != '\t');
    if (separator) HOOKGATE_FUZZ_CHECK(entry.find(*separator) == std::string_view::npos);
    if (entry.size() > key.size() && entry.starts_with(key) && entry[key.size()] == '=') ++keyed;
    return false;
  });
  const KeyedEntry found = find_keyed_entry(text, separator, key);
  HOOKGATE_FUZZ_CHECK(found.count == keyed);
}

// A parsed timestamp gets a tolerance verdict (no overflow for any value); what
// format_timestamp writes parses back.
void timestamps(std::uint8_t option, std::string_view text) {
  for (const TimestampFormat format :
       {TimestampFormat::unix_seconds, TimestampFormat::unix_millis, TimestampFormat::rfc3339}) {
    if (const std::optional<Timestamp> ts = parse_timestamp(text, format)) {
      (void)check_tolerance(*ts, kNow, std::chrono::seconds(option * 60));
      (void)check_tolerance(*ts, kNow, std::chrono::seconds::max());
      if (format != TimestampFormat::rfc3339) HOOKGATE_FUZZ_CHECK(ts->value >= 0);
    }
  }
  std::int64_t seconds = 0;
  for (const char c : text.substr(0, 10)) seconds = seconds * 31 + static_cast<unsigned char>(c);
  // Before 2255: later seconds overflow system_clock's nanoseconds.
  const TimePoint at{std::chrono::seconds{seconds % 9'000'000'000}};
  for (const TimestampFormat format :
       {TimestampFormat::unix_seconds, TimestampFormat::unix_millis, TimestampFormat::rfc3339}) {
    const std::string written = format_timestamp(at, format);
    const std::optional<Timestamp> read = parse_timestamp(written, format);
    HOOKGATE_FUZZ_CHECK(read.has_value());
    HOOKGATE_FUZZ_CHECK(check_tolerance(*read, at, std::chrono::seconds(0)) == Verdict::ok);
  }
}

// Decoding never grows text; every parsed name is found again by form_value.
void forms(std::string_view text) {
  HOOKGATE_FUZZ_CHECK(percent_decode(text, true).size() <= text.size());
  HOOKGATE_FUZZ_CHECK(percent_decode(text, false).size() <= text.size());
  const auto params = parse_form(text);
  for (const auto& [name, value] : params) {
    const std::optional<std::string> first = form_value(text, name);
    HOOKGATE_FUZZ_CHECK(first.has_value());
  }
  if (!params.empty()) HOOKGATE_FUZZ_CHECK(form_value(text, params.front().first) == params.front().second);
}

// Hex decodes to what encodes back (lowercased); base64 of any bytes decodes to them.
void encodings(std::uint8_t option, std::string_view text) {
  std::array<unsigned char, 64> out{};
  if (const std::optional<std::size_t> n = hex_decode(text, out)) {
    HOOKGATE_FUZZ_CHECK(hex_encode(std::span(out.data(), *n)) == lowercase(text));
  }
  (void)base64_decode(text, out);
  const auto bytes = std::span(reinterpret_cast<const unsigned char*>(text.data()), std::min<std::size_t>(text.size(), 48));
  if (!bytes.empty()) {  // base64_decode refuses an empty signature
    const std::string encoded = base64_encode(bytes);
    const std::optional<std::size_t> back = base64_decode(encoded, out);
    HOOKGATE_FUZZ_CHECK(back.has_value() && *back == bytes.size() && std::equal(bytes.begin(), bytes.end(), out.begin()));
  }
  static constexpr std::array<SecretEncoding, 4> kEncodings = {SecretEncoding::raw, SecretEncoding::base64,
                                                               SecretEncoding::hex, SecretEncoding::whsec};
  if (const auto secret = decode_secret(kEncodings[option % 4], text)) HOOKGATE_FUZZ_CHECK(!secret->empty());
}

// A template that parses gives at most kMaxParts pieces, whose literals appear in the text.
void templates(std::string_view text) {
  std::string error;
  const std::optional<SignedTemplate> parsed = SignedTemplate::parse(text, error);
  if (!parsed) {
    HOOKGATE_FUZZ_CHECK(!error.empty());
    return;
  }
  const TemplateValues values{.body = "B", .timestamp = "T", .id = "I", .method = "M", .url = "U"};
  SignedTemplate::Pieces storage;
  const auto pieces = parsed->pieces(values, storage);
  HOOKGATE_FUZZ_CHECK(pieces.size() <= SignedTemplate::kMaxParts);
}

// A key that parses verifies nothing made of the input.
void public_keys(std::string_view text) {
  for (const PublicKeyAlgorithm algorithm : {PublicKeyAlgorithm::ed25519, PublicKeyAlgorithm::ecdsa_p256}) {
    std::string error;
    const auto key = PublicKey::parse(algorithm, text, error);
    if (!key) {
      HOOKGATE_FUZZ_CHECK(!error.empty());
      continue;
    }
    const std::string_view message[] = {text};
    const auto signature = std::span(reinterpret_cast<const unsigned char*>(text.data()), text.size());
    HOOKGATE_FUZZ_CHECK(!key->verify(message, signature));
  }
}

// A network contains the address it was written with.
void networks(std::string_view text) {
  std::vector<std::string> entries;
  for (const std::string_view line : lines_of(text)) entries.emplace_back(line);
  std::string error;
  const std::optional<IpNetworks> all = IpNetworks::parse(entries, error);
  for (const std::string& entry : entries) {
    std::string one_error;
    const std::optional<IpNetworks> one = IpNetworks::parse(std::span(&entry, 1), one_error);
    if (!one) continue;
    const std::string_view trimmed = trim_ows(entry);
    const std::string address(trimmed.substr(0, trimmed.find('/')));
    HOOKGATE_FUZZ_CHECK(one->contains(address));
    if (all) HOOKGATE_FUZZ_CHECK(all->contains(address));
    (void)one->contains(entry);
  }
}

// HubSpot's decoding never grows the URL; Twilio's variants and pieces start with a URL.
void urls(std::string_view text) {
  HOOKGATE_FUZZ_CHECK(hubspot_decode_uri(text).size() <= text.size());
  const std::size_t newline = text.find('\n');
  const std::string_view url = text.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  const std::vector<std::string> variants = TwilioScheme::url_variants(url);
  HOOKGATE_FUZZ_CHECK(!variants.empty());
  const std::vector<std::string> pieces = TwilioScheme::signed_pieces(url, body);
  HOOKGATE_FUZZ_CHECK(!pieces.empty() && pieces.front() == url);
}

void adyen(std::string_view text) { (void)AdyenNotificationScheme::signing_string(text); }

// Event id / type extraction from headers and JSON, padded and not: the same answer, bounded.
void event_fields(std::uint8_t option, std::string_view text) {
  const std::size_t newline = text.find('\n');
  const std::string_view pointer = text.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
  FieldRef field;
  field.kind = FieldRef::Kind::json;
  field.name = std::string(pointer);
  if (option & 1) field.more_json = {"/type", std::string(pointer) + "/id"};
  const HeaderView headers[] = {{"X-Id", body.substr(0, 300)}, {"x-id", "second"}};

  std::string padded(body);
  padded.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  Request request;
  request.headers = headers;
  request.body = padded;
  request.body_padded = false;
  const std::optional<std::string> unpadded_value = extract_field(field, request);
  // Zero padding past the end, as the HTTP sessions provide it.
  std::string storage(body);
  storage.append(simdjson::SIMDJSON_PADDING, '\0');
  request.body = std::string_view(storage.data(), body.size());
  request.body_padded = true;
  const std::optional<std::string> padded_value = extract_field(field, request);
  HOOKGATE_FUZZ_CHECK(unpadded_value == padded_value);
  if (padded_value) HOOKGATE_FUZZ_CHECK(!padded_value->empty() && padded_value->size() <= kMaxFieldBytes);

  FieldRef header;
  header.kind = FieldRef::Kind::header;
  header.name = "x-ID";
  const std::optional<std::string> from_header = extract_field(header, request);
  if (!body.substr(0, 300).empty() && body.size() <= kMaxFieldBytes) {
    HOOKGATE_FUZZ_CHECK(from_header == std::string(body));
  }
}

// An edit of a valid JSON document is a valid JSON document.
void json_edits(std::string_view text) {
  const std::vector<std::string_view> lines = lines_of(text);
  if (lines.size() < 4) return;
  const std::string_view where = lines[0];
  std::vector<std::string_view> inner;
  if (!lines[1].empty()) inner.push_back(lines[1]);
  std::vector<std::string_view> path;  // keys separated by ','
  for (std::string_view keys = lines[2]; !keys.empty();) {
    const std::size_t comma = keys.find(',');
    if (comma != 0) {
      path.push_back(keys.substr(0, comma));
      // Keys are the schemes' own constants ("additionalData"), never peer bytes: plain ASCII.
      for (const char c : path.back()) {
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return;
      }
    }
    keys.remove_prefix(comma == std::string_view::npos ? keys.size() : comma + 1);
  }
  if (path.empty()) return;
  const std::string_view body = text.substr(lines[0].size() + lines[1].size() + lines[2].size() + 3);
  const std::vector<std::string> values = {R"("fuzz")"};
  const std::optional<std::string> edited = set_json_member(body, where, inner, path, values);
  if (!edited) return;
  simdjson::dom::parser parser;
  simdjson::dom::element ignored;
  if (parser.parse(body.data(), body.size()).get(ignored) == simdjson::SUCCESS) {
    HOOKGATE_FUZZ_CHECK(parser.parse(*edited).get(ignored) == simdjson::SUCCESS);
  }
}

// json_quote of valid UTF-8 is a JSON string holding exactly that text.
void json_quoting(std::string_view text) {
  const std::string quoted = json_quote(text);
  if (!simdjson::validate_utf8(text.data(), text.size())) return;
  simdjson::dom::parser parser;
  std::string_view back;
  HOOKGATE_FUZZ_CHECK(parser.parse(quoted).get_string().get(back) == simdjson::SUCCESS);
  HOOKGATE_FUZZ_CHECK(back == text);
  HOOKGATE_FUZZ_CHECK(quoted.find('<') == std::string::npos && quoted.find('>') == std::string::npos);
}

}  // namespace
}  // namespace hookgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate::fuzz;
  if (size < 2) return 0;
  const std::uint8_t option = data[1];
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  switch (data[0] % 13) {
    case 0: signature_entries(option, text); break;
    case 1: timestamps(option, text); break;
    case 2: forms(text); break;
    case 3: encodings(option, text); break;
    case 4: templates(text); break;
    case 5: public_keys(text); break;
    case 6: networks(text); break;
    case 7: urls(text); break;
    case 8: adyen(text); break;
    case 9: event_fields(option, text); break;
    case 10: json_edits(text); break;
    case 11: json_quoting(text); break;
    case 12: signature_entries(option, text), forms(text), urls(text); break;
  }
  return 0;
}
