#include "verify/contentful_scheme.h"


#include <algorithm>
#include <array>
#include <map>

#include "verify/ascii.h"
#include "verify/encoding.h"
#include "verify/envelope.h"
#include "verify/sign_headers.h"
#include "verify/timestamp.h"

namespace hookgate::verify {
namespace {

constexpr std::string_view kSignature = "x-contentful-signature";
constexpr std::string_view kSignedHeaders = "x-contentful-signed-headers";
constexpr std::string_view kTimestamp = "x-contentful-timestamp";

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Percent-encodes every byte outside A-Z a-z 0-9 and `keep`, with uppercase hex, as
// JavaScript's encodeURI / encodeURIComponent do for UTF-8 text.
std::string escape(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    if (is_alnum(c) || keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}
constexpr std::string_view kEncodeUriKeeps = ";,/?:@&=+$-_.!~*'()#";
constexpr std::string_view kQuerystringEscapeKeeps = "-_.!~*'()";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// The canonical request the SDK hashes. `headers` maps lower-case names to trimmed values;
// the timestamp and signed-headers entries are (re)written here.
std::string canonical(std::string_view method, std::string_view path,
                      std::map<std::string, std::string> headers, std::string_view timestamp,
                      std::string_view body) {
  headers[std::string(kTimestamp)] = std::string(timestamp);
  headers[std::string(kSignedHeaders)] = "";
  std::string names;
  for (const auto& [name, value] : headers) names += (names.empty() ? "" : ",") + name;
  headers[std::string(kSignedHeaders)] = names;
  std::string out(method);
  out.append("\n").append(path).append("\n");
  bool first = true;
  for (const auto& [name, value] : headers) {
    if (!first) out.push_back(';');
    first = false;
    out.append(name).append(":").append(value);
  }
  out.append("\n").append(body);
  return out;
}

bool decimal_millis(std::string_view text) {
  if (text.empty() || text.size() > 16 || (text.size() > 1 && text.front() == '0')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

ContentfulScheme::ContentfulScheme(std::shared_ptr<const KeyRing> keys, std::chrono::seconds tolerance,
                                   FieldRef event_id, FieldRef event_type)
    : KeyedScheme(std::move(keys), tolerance, std::move(event_id), std::move(event_type)) {}

std::string ContentfulScheme::encoded_path(std::string_view url) {
  if (const std::size_t sep = url.find("://"); sep != std::string_view::npos) {
    const std::size_t slash = url.find_first_of("/?", sep + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  // uri.split("?"): the pathname and the text up to a second '?', if any.
  const std::size_t question = url.find('?');
  const std::string_view pathname = url.substr(0, question);
  std::string_view search = question == std::string_view::npos ? std::string_view{} : url.substr(question + 1);
  search = search.substr(0, search.find('?'));
  std::string joined(pathname);
  if (!search.empty()) joined.append("?").append(escape(search, kQuerystringEscapeKeeps));
  return escape(joined, kEncodeUriKeeps);
}

Verdict ContentfulScheme::verify(const Request& request, TimePoint now) const {
  const SingleHeader signature = single_header(request, kSignature);
  const SingleHeader signed_headers = single_header(request, kSignedHeaders);
  const SingleHeader timestamp = single_header(request, kTimestamp);
  if (signature.count == 0 || signed_headers.count == 0) return Verdict::missing_signature;
  if (timestamp.count == 0) return Verdict::missing_timestamp;
  if (signature.count > 1 || signed_headers.count > 1 || timestamp.count > 1 ||
      signed_headers.value.size() > kMaxContentfulSignedHeadersBytes) {
    return Verdict::malformed_signature;
  }
  Digest expected;
  if (signature.value.size() != 64 || hex_decode(signature.value, expected.bytes) != 32) {
    return Verdict::malformed_signature;
  }
  expected.size = 32;
  if (!decimal_millis(timestamp.value)) return Verdict::malformed_timestamp;
  const std::optional<Timestamp> ts = parse_timestamp(timestamp.value, TimestampFormat::unix_millis);
  if (!ts) return Verdict::malformed_timestamp;
  if (tolerance_.count() > 0) {
    if (const Verdict v = check_tolerance(*ts, now, tolerance_); v != Verdict::ok) return v;
  }
  // The names as listed (the SDK splits on ',' and trims nothing); at least two, as it requires.
  std::vector<std::string_view> names;
  std::string_view rest = signed_headers.value;
  while (true) {
    if (names.size() == kMaxContentfulSignedHeaders) return Verdict::malformed_signature;
    const std::size_t comma = rest.find(',');
    names.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (names.size() < 2) return Verdict::malformed_signature;
  std::map<std::string, std::string> picked;
  for (const HeaderView& header : request.headers) {
    const std::string name = lower(header.name);
    if (std::find(names.begin(), names.end(), name) == names.end()) continue;
    if (picked.contains(name)) return Verdict::malformed_signature;  // ambiguous
    picked.emplace(name, std::string(header.value));
  }
  const std::string data = canonical(request.method, encoded_path(request.public_url), std::move(picked),
                                     timestamp.value, request.body);
  const std::array<std::string_view, 1> pieces{data};
  return keys_->matches_any(pieces, expected) ? Verdict::ok : Verdict::bad_signature;
}

bool ContentfulScheme::sign(const SignInput& input, SignedHeaders& out) const {
  out.headers.clear();
  out.body.reset();
  if (input.url.empty()) return false;
  const std::string timestamp = format_timestamp(input.now, TimestampFormat::unix_millis);
  const std::string data = canonical(input.method, encoded_path(input.url), {}, timestamp, input.body);
  const std::array<std::string_view, 1> pieces{data};
  Digest mac;
  if (!keys_->keys().front()->compute(pieces, mac)) return false;
  out.headers.emplace_back(std::string(kSignature), hex_encode({mac.bytes.data(), mac.size}));
  out.headers.emplace_back(std::string(kSignedHeaders), std::string(kSignedHeaders) + "," + std::string(kTimestamp));
  out.headers.emplace_back(std::string(kTimestamp), timestamp);
  append_event_headers(out, event_id_, event_type_, "ContentManagement.Entry.publish", input.id);
  return true;
}

}  // namespace hookgate::verify
