// sources: where vendors post, and how each request is verified. The `verify` block is read
// into a verify::VerifySpec and handed to verify::build_verifier, so a config that loads is
// one whose every verifier could be built.
#include <algorithm>
#include <exception>
#include <map>
#include <span>
#include <utility>

#include "config/address.h"
#include "config/sections.h"
#include "config/suggest.h"
#include "verify/ip_allowlist.h"
#include "verify/presets.h"
#include "verify/registry.h"

namespace hookgate::config::detail {
namespace {

using verify::FieldRef;
using verify::TimestampSource;

// A duration that must be whole seconds (its bounds are the key table's); `message` otherwise.
std::optional<std::chrono::seconds> whole_seconds(const Value& value, const std::string& message) {
  const auto d = value.duration();
  if (!d) return std::nullopt;
  if (d->count() % 1000 != 0) {
    value.error(message);
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*d);
}

// Where a vendor event field lives: {header: X-Id} or {json: /id}.
std::optional<FieldRef> parse_field_ref(const Value& value) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  auto header = map.get("header");
  auto json = map.get("json");
  if (header.has_value() == json.has_value()) {
    value.error("expected exactly one of 'header' or 'json'");
    return std::nullopt;
  }
  FieldRef field;
  if (header) {
    auto name = header->header_name();
    if (!name) return std::nullopt;
    field.kind = FieldRef::Kind::header;
    field.name = std::move(*name);
    return field;
  }
  auto text = json->quotable_text();
  if (!text) return std::nullopt;
  const std::string* pointer = &text->value;
  // RFC 6901: "/a/b", with "~0" and "~1" the only escapes. The root ("") is an object, never
  // an id or a type, so it is not accepted.
  bool valid = !pointer->empty() && pointer->front() == '/';
  for (std::size_t i = 0; valid && i < pointer->size(); ++i) {
    if ((*pointer)[i] == '~') valid = i + 1 < pointer->size() && ((*pointer)[i + 1] == '0' || (*pointer)[i + 1] == '1');
  }
  if (!valid) {
    json->error("invalid JSON pointer " + text->shown + " (expected e.g. /type or /data/id)");
    return std::nullopt;
  }
  field.kind = FieldRef::Kind::json;
  field.name = std::move(text->value);
  return field;
}

std::optional<TimestampSource> parse_timestamp(const Value& value) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  TimestampSource source;
  bool ok = true;
  auto header = map.get("header");
  auto key = map.get("key");
  auto json = map.get("json");
  if (int{header.has_value()} + int{key.has_value()} + int{json.has_value()} != 1) {
    value.error("expected exactly one of 'header' (a header of its own), 'key' (a key inside "
                "the signature header) or 'json' (a JSON pointer into the signed body)");
    ok = false;
  } else if (json) {
    auto pointer = json->non_empty_text();
    if (pointer && pointer->front() == '/') {
      source.kind = TimestampSource::Kind::json;
      source.name = std::move(*pointer);
    } else {
      if (pointer) json->error("expected a JSON pointer such as /webhookTimestamp");
      ok = false;
    }
  } else if (header) {
    auto name = header->header_name();
    if (name) {
      source.kind = TimestampSource::Kind::header;
      source.name = std::move(*name);
    } else {
      ok = false;
    }
  } else {
    auto name = key->non_empty_text();
    if (name) {
      source.kind = TimestampSource::Kind::signature_key;
      source.name = std::move(*name);
    } else {
      ok = false;
    }
  }
  if (auto format = map.get("format")) {
    using F = verify::TimestampFormat;
    auto parsed = format->choice<F>({{"unix", F::unix_seconds}, {"unix_ms", F::unix_millis}, {"rfc3339", F::rfc3339}});
    if (parsed) {
      source.format = *parsed;
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return source;
}

// Moves a parsed value into `field`; false when parsing failed (the value reported why).
template <class Parsed, class Field>
bool store(Parsed parsed, Field& field) {
  if (!parsed) return false;
  field = std::move(*parsed);
  return true;
}

// The envelope keys `hmac:`, `ed25519:` and `ecdsa_p256:` share (header, encoding, prefix,
// separator, signed, timestamp, id_header), read from `map` into `envelope`, whose unset keys
// keep their defaults; each block reads its own keys besides. False when any was wrong
// (reported). Every key is read even after an error, so that all are reported.
bool read_envelope(const MapReader& map, verify::SignatureEnvelope& envelope) {
  bool ok = true;
  if (auto v = map.require("header")) {
    ok &= store(v->header_name(), envelope.header);
  } else {
    ok = false;
  }
  if (auto v = map.get("encoding")) {
    using E = verify::Encoding;
    ok &= store(v->choice<E>({{"hex", E::hex}, {"base64", E::base64}, {"base64url", E::base64url}}),
                envelope.encoding);
  }
  if (auto v = map.get("prefix")) ok &= store(v->text(), envelope.prefix);
  if (auto v = map.get("separator")) ok &= store(v->text(), envelope.separator);
  if (auto v = map.get("signed")) ok &= store(v->non_empty_text(), envelope.signed_template);
  if (auto v = map.get("timestamp")) ok &= store(parse_timestamp(*v), envelope.timestamp);
  if (auto v = map.get("id_header")) ok &= store(v->header_name(), envelope.id_header);
  return ok;
}

std::optional<verify::HmacSpec> parse_hmac(const Value& value) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  verify::HmacSpec spec;
  bool ok = read_envelope(map, spec.envelope);
  if (auto v = map.get("algorithm")) {
    using A = verify::Algorithm;
    ok &= store(v->choice<A>({{"sha1", A::sha1}, {"sha256", A::sha256}, {"sha512", A::sha512}}), spec.algorithm);
  }
  if (auto v = map.get("secret_encoding")) {
    using S = verify::SecretEncoding;
    ok &= store(v->choice<S>({{"raw", S::raw}, {"base64", S::base64}, {"hex", S::hex}, {"whsec", S::whsec}}),
                spec.secret_encoding);
  }
  if (!ok) return std::nullopt;
  return spec;
}

// `ed25519:` / `ecdsa_p256:`: the envelope keys of `hmac:`, verified with verify.public_key.
std::optional<verify::PublicKeySpec> parse_public_key_scheme(const Value& value,
                                                             verify::PublicKeyAlgorithm algorithm) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  verify::PublicKeySpec spec;
  spec.algorithm = algorithm;
  if (!read_envelope(map, spec.envelope)) return std::nullopt;
  return spec;
}

std::optional<verify::TokenSpec> parse_token(const Value& value) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  verify::TokenSpec spec;
  bool ok = true;
  if (auto v = map.require("header")) {
    if (auto name = v->header_name()) {
      spec.header = std::move(*name);
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto v = map.get("prefix")) {
    if (auto prefix = v->text()) {
      spec.prefix = std::move(*prefix);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return spec;
}

// A list (or one string) of IP addresses and CIDR networks, each checked here so that an error
// points at the entry and quotes it as written: an entry may be a ${NAME} whose value must not
// reach a message (verify's own check only names the entry's position).
std::optional<std::vector<std::string>> ip_networks(const Value& value) {
  if (!value.is_scalar() && !value.is_null() && !value.is_list()) {
    value.error("expected a list of IP addresses or CIDR networks, got " + std::string(value.kind()));
    return std::nullopt;
  }
  const std::vector<Value> entries = value.is_scalar() ? std::vector<Value>{value} : value.items();
  std::vector<std::string> out;
  bool ok = true;
  for (const Value& entry : entries) {
    if (!entry.is_scalar()) {
      entry.error("expected an IP address or CIDR network, got " + std::string(entry.kind()));
      ok = false;
      continue;
    }
    auto text = entry.quotable_text();
    std::string error;
    if (text && verify::IpNetworks::parse(std::span(&text->value, 1), error)) {
      out.push_back(std::move(text->value));
      continue;
    }
    if (text) entry.error("invalid IP address or CIDR network " + text->shown);
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<verify::IpAllowlistSpec> parse_ip_allowlist(const Value& value) {
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  verify::IpAllowlistSpec spec;
  bool ok = true;
  if (auto v = map.require("allow")) {
    if (auto list = ip_networks(*v)) {
      spec.allow = std::move(*list);
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto v = map.get("proxy_header")) {
    if (auto name = v->header_name()) {
      spec.proxy_header = std::move(*name);
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("trusted_proxies")) {
    if (auto list = ip_networks(*v)) {
      spec.trusted_proxies = std::move(*list);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return spec;
}

// `basic_auth: true` (or an empty map): credentials come from secrets.
std::optional<bool> parse_basic_auth(const Value& value) {
  if (value.is_map()) {
    MapReader map(value);
    if (!map.valid()) return std::nullopt;
    return true;
  }
  auto flag = value.choice<bool>({{"true", true}, {"false", false}});
  return flag;
}

const std::vector<std::string>& provider_names() {
  static const std::vector<std::string> names = verify::preset_names();  // sorted
  return names;
}

bool known_provider(const std::string& name) {
  return std::binary_search(provider_names().begin(), provider_names().end(), name);
}

void report_unknown_provider(const Value& value, const Value::Text& name) {
  std::string message = "unknown provider " + name.shown;
  const std::vector<std::string_view> candidates(provider_names().begin(), provider_names().end());
  // No suggestion drawn from a substituted value: it would hint at the variable's content.
  if (auto match = name.substituted ? std::nullopt : closest_match(name.value, candidates)) {
    message += " (did you mean '" + std::string(*match) + "'?)";
  } else {
    message += " (`hookgate providers` lists them)";
  }
  value.error(std::move(message));
}

// Fills `spec` from the verify block. False when anything in it was wrong (already reported).
bool parse_verify(const Value& value, verify::VerifySpec& spec) {
  if (value.is_scalar()) {
    auto text = value.text();
    if (!text) return false;
    if (*text != "none") {
      value.error("expected a map, or 'none' to accept unsigned requests");
      return false;
    }
    spec.provider = "none";
    return true;
  }
  if (value.is_null()) {
    value.error("empty verify block (write `verify: none` to accept unsigned requests)");
    return false;
  }
  MapReader map(value);
  if (!map.valid()) return false;
  bool ok = true;
  if (auto v = map.get("provider")) {
    // Checked here, not left to build_verifier, so the message quotes the name as written:
    // `provider: ${X}` must not show X's value.
    if (auto provider = v->quotable_text(); provider && known_provider(provider->value)) {
      spec.provider = std::move(provider->value);
    } else {
      if (provider) report_unknown_provider(*v, *provider);
      ok = false;
    }
  }
  if (auto v = map.get("secrets")) {
    if (v->is_scalar()) {
      // The common slip `secrets: "${X}"`: say what shape is wanted, without the value.
      v->error("expected a list of strings, e.g. [\"${SECRET}\"]");
      ok = false;
    } else if (!v->is_null() && !v->is_list()) {
      v->error("expected a list of strings, got " + std::string(v->kind()));
      ok = false;
    } else {
      for (const auto& item : v->items()) {
        if (!item.is_scalar() && !item.is_null()) {
          item.error("expected a string, got " + std::string(item.kind()));
          ok = false;
        } else if (auto secret = item.secret()) {
          spec.secrets.push_back(std::move(*secret));
        } else {
          ok = false;
        }
      }
    }
  }
  if (auto v = map.get("tolerance")) {
    if (auto seconds = whole_seconds(*v, "tolerance must be a whole number of seconds")) {
      spec.tolerance = *seconds;
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("public_key")) {
    // Not secret, but read like one: PEM keys usually live in files.
    if (auto key = v->secret()) {
      spec.public_key = std::move(*key);
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("verify_token")) {
    if (auto token = v->secret()) {
      spec.verify_token = std::move(*token);
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("hmac")) {
    if (auto hmac = parse_hmac(*v)) {
      spec.hmac = std::move(*hmac);
    } else {
      ok = false;
    }
  }
  for (const auto& [key, algorithm] : {std::pair{"ed25519", verify::PublicKeyAlgorithm::ed25519},
                                       std::pair{"ecdsa_p256", verify::PublicKeyAlgorithm::ecdsa_p256}}) {
    auto v = map.get(key);
    if (!v) continue;
    if (spec.signature) {
      v->error("give either ed25519 or ecdsa_p256, not both");
      ok = false;
    } else if (auto scheme = parse_public_key_scheme(*v, algorithm)) {
      spec.signature = std::move(*scheme);
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("token")) {
    if (auto token = parse_token(*v)) {
      spec.token = std::move(*token);
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("basic_auth")) {
    if (auto flag = parse_basic_auth(*v)) {
      spec.basic_auth = *flag;
    } else {
      ok = false;
    }
  }
  if (auto v = map.get("ip_allowlist")) {
    if (auto allowlist = parse_ip_allowlist(*v)) {
      spec.ip_allowlist = std::move(*allowlist);
    } else {
      ok = false;
    }
  }
  return ok;
}

// The path vendors post to: absolute, no query or fragment, visible ASCII only.
bool valid_source_path(const std::string& path) {
  if (path.empty() || path.front() != '/' || path.size() > 1024) return false;
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '?' || c == '#') return false;
  }
  return true;
}

void build(const Value& verify_value, SourceConfig& source) {
  verify::BuildResult built;
  try {
    built = verify::build_verifier(source.verify);
  } catch (const std::exception&) {
    // Its contract says it does not throw; if it does, load_config still must not.
    built.verifier = nullptr;
    built.error = "internal error while building the verifier";
  }
  if (!built.verifier) {
    verify_value.error(built.error.empty() ? "cannot build the verifier" : built.error);
    return;
  }
  source.verifier = std::move(built.verifier);
}

constexpr std::chrono::seconds kDefaultDedupeWindow{24 * 3600};
constexpr std::size_t kMaxDedupeFields = 16;

// dedupe: none | {fields: [body | {header: NAME} | {json: /pointer}, ...], window: 1h}.
// Unset parts come from the provider's default (fields: [body], window: 24h without one).
std::optional<verify::DedupeSpec> parse_dedupe(const Value& value, const verify::DedupeSpec& fallback) {
  if (value.is_scalar()) {
    auto text = value.quotable_text();
    if (!text) return std::nullopt;
    if (text->value != "none") {
      value.error("expected none or {fields: [...], window: DURATION}, got " + text->shown);
      return std::nullopt;
    }
    return verify::DedupeSpec{};
  }
  MapReader map(value);
  if (!map.valid()) return std::nullopt;
  verify::DedupeSpec spec;
  spec.fields = fallback.enabled() ? fallback.fields : std::vector<verify::DedupeField>{verify::DedupeField{}};
  spec.window = fallback.enabled() ? fallback.window : kDefaultDedupeWindow;
  bool ok = true;
  if (auto v = map.get("fields")) {
    spec.fields.clear();
    const std::vector<Value> items = v->is_scalar() ? std::vector<Value>{*v} : v->items();
    if (items.empty()) {
      v->error("expected a non-empty list of fields: body, {header: NAME} or {json: /pointer} (or `dedupe: none`)");
      ok = false;
    } else if (items.size() > kMaxDedupeFields) {
      v->error("at most " + std::to_string(kMaxDedupeFields) + " fields");
      ok = false;
    }
    for (const Value& item : items) {
      verify::DedupeField field;
      if (item.is_scalar()) {
        auto text = item.quotable_text();
        if (!text || text->value != "body") {
          if (text) item.error("expected body, {header: NAME} or {json: /pointer}, got " + text->shown);
          ok = false;
          continue;
        }
      } else if (auto ref = parse_field_ref(item)) {
        field.kind = ref->kind == FieldRef::Kind::header ? verify::DedupeField::Kind::header
                                                          : verify::DedupeField::Kind::json;
        field.name = std::move(ref->name);
      } else {
        ok = false;
        continue;
      }
      if (std::find(spec.fields.begin(), spec.fields.end(), field) != spec.fields.end()) {
        item.error("this field is listed twice");
        ok = false;
        continue;
      }
      spec.fields.push_back(std::move(field));
    }
  }
  if (auto v = map.get("window")) {  // 1s to 30d: keys.cc
    if (auto seconds = whole_seconds(*v, "window must be whole seconds, from 1s to 30d")) {
      spec.window = *seconds;
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return spec;
}

}  // namespace

void parse_sources(const Value& section, std::vector<SourceConfig>& out) {
  const auto sources = MapReader::open(section);
  std::map<std::string, std::string> source_by_path;
  for (const auto& entry : sources.entries()) {
    SourceConfig source;
    source.name = entry.key;
    (void)check_name(entry, "source");
    MapReader map(entry.value);
    if (!map.valid()) {
      out.push_back(std::move(source));
      continue;
    }
    if (auto v = map.require("path")) {
      if (auto path = v->quotable_text()) {
        if (!valid_source_path(path->value)) {
          v->error("invalid path " + path->shown + ": must start with '/' and contain no spaces, '?' or '#'");
        } else if (auto [it, inserted] = source_by_path.emplace(path->value, source.name); !inserted) {
          v->error("path " + path->shown + " is already used by source '" + it->second + "'");
        } else {
          source.path = std::move(path->value);
        }
      }
    }
    if (auto v = map.get("public_url")) {
      if (auto url = v->text()) {
        auto parsed = parse_http_url(*url);  // not quoted back: it may carry a token
        if (parsed.value) {
          source.public_url = std::move(*url);
        } else {
          v->error("invalid URL: " + parsed.error);
        }
      }
    }
    // Only a spec whose every part read cleanly (unknown keys included) is worth building:
    // otherwise build_verifier would repeat, less precisely, what was already reported.
    Diagnostics& diagnostics = entry.value.context().diagnostics;
    const std::size_t errors_before = diagnostics.count();
    if (auto v = map.get("event_id")) {
      if (auto field = parse_field_ref(*v)) source.verify.event_id = std::move(*field);
    }
    if (auto v = map.get("event_type")) {
      if (auto field = parse_field_ref(*v)) source.verify.event_type = std::move(*field);
    }
    // Required, deliberately without a default (keys.cc): forgetting to configure verification
    // must not silently accept unsigned requests.
    auto verify_value = map.require("verify");
    if (verify_value && parse_verify(*verify_value, source.verify) && diagnostics.count() == errors_before) {
      build(*verify_value, source);
      if (source.verifier && source.verifier->signs_url() && source.public_url.empty()) {
        // The vendor signs the URL it calls; behind proxies and TLS offload, only the operator
        // knows it.
        verify_value->error("this scheme signs the URL the vendor calls: set sources." + source.name +
                            ".public_url (e.g. https://hooks.example.com" +
                            (source.path.empty() ? std::string("/in/") + source.name : source.path) + ")");
      }
    }
    const verify::Preset* preset = verify::find_preset(source.verify.provider);
    const verify::DedupeSpec provider_default = preset ? preset->dedupe : verify::DedupeSpec{};
    source.dedupe = provider_default;
    if (auto v = map.get("dedupe")) {
      if (auto spec = parse_dedupe(*v, provider_default)) source.dedupe = std::move(*spec);
    }
    out.push_back(std::move(source));
  }
}

}  // namespace hookgate::config::detail
