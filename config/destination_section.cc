// destinations: the internal services events are delivered to, and how.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>

#include "config/address.h"
#include "config/sections.h"
#include "config/values.h"
#include "verify/registry.h"

namespace hookgate::config::detail {
namespace {

// Headers hookgate itself owns on a forwarded request: framing (a configured value would
// desynchronise the connection) and the Standard Webhooks headers (which must be the ones
// hookgate signs).
std::string to_lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return lower;
}

bool is_reserved_header(std::string_view name) {
  static constexpr std::array<std::string_view, 13> kReserved{
      "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te",
      "trailer", "proxy-connection", "expect", "webhook-id", "webhook-timestamp", "webhook-signature"};
  return std::find(kReserved.begin(), kReserved.end(), to_lower(name)) != kReserved.end();
}

void parse_headers(const Value& value, std::map<std::string, std::string>& out) {
  const auto headers = MapReader::open(value);
  for (const auto& entry : headers.entries()) {
    if (!is_header_name(entry.key)) {
      entry.value.context().diagnostics.report(entry.key_position, entry.value.path(), "invalid header name");
      continue;
    }
    if (is_reserved_header(entry.key)) {
      entry.value.context().diagnostics.report(entry.key_position, entry.value.path(),
                                               "header '" + entry.key + "' is set by hookgate");
      continue;
    }
    const auto lower = to_lower(entry.key);
    const bool repeated = std::any_of(out.begin(), out.end(),
                                      [&lower](const auto& header) { return to_lower(header.first) == lower; });
    if (repeated) {
      // Header names are case-insensitive: "Authorization" and "authorization" collide.
      entry.value.context().diagnostics.report(entry.key_position, entry.value.path(),
                                               "header '" + entry.key + "' is set twice");
      continue;
    }
    // Header values often carry credentials: treat them as secrets in messages.
    auto text = entry.value.text();
    if (!text) continue;
    const bool clean = std::none_of(text->begin(), text->end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte == '\r' || byte == '\n' || byte == '\0';
    });
    if (!clean) {
      entry.value.error("header value contains CR, LF or NUL");
      continue;
    }
    out.emplace(entry.key, std::move(*text));
  }
}

void parse_retry(const Value& value, RetryPolicy& out) {
  MapReader map(value);
  if (auto v = map.get("schedule")) {
    std::vector<Duration> schedule;
    bool ok = true;
    const auto items = v->items();
    if (items.size() > v->shape().max_items) {
      v->error("at most " + std::to_string(v->shape().max_items) + " retries");
      ok = false;
    }
    for (const auto& item : items) {
      if (auto d = item.duration()) {
        schedule.push_back(*d);
      } else {
        ok = false;
      }
    }
    if (ok && (v->is_list() || v->is_null())) out.schedule = std::move(schedule);
  }
  if (auto v = map.get("jitter")) {
    if (auto percent = v->percent()) out.jitter_percent = *percent;
  }
  if (auto v = map.get("max_age")) {
    if (auto d = v->duration()) out.max_age = *d;
  }
  // Client errors that mean "not yet" for this service (a 404 while it deploys, a 409 while
  // it catches up): retried on the schedule instead of dead.
  if (auto v = map.get("retry_status")) {
    for (const auto& item : v->items()) {
      if (auto status = item.integer()) out.retry_status.push_back(static_cast<int>(*status));
    }
  }
}

void parse_circuit_breaker(const Value& section, CircuitBreakerConfig& out) {
  MapReader map(section);
  if (auto v = map.get("failures")) {
    if (auto n = v->integer()) out.failures = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("failure_rate")) {
    if (auto p = v->percent()) {
      if (*p == 0) v->error("a failure rate of 0% would keep the circuit open: give 1% to 100%");
      else out.failure_rate = *p;
    }
  }
  if (auto v = map.get("window")) {
    if (auto n = v->integer()) out.window = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("probe_after")) {
    if (auto d = v->duration()) out.probe_after = *d;
  }
  const auto max_probe = map.get("max_probe_after");
  if (max_probe) {
    if (auto d = max_probe->duration()) out.max_probe_after = *d;
  }
  if (out.max_probe_after < out.probe_after) {
    (max_probe ? *max_probe : section).error("max_probe_after must not be shorter than probe_after");
  }
}

}  // namespace

void parse_destinations(const Value& section, const transform::Limits& limits, std::vector<DestinationConfig>& out) {
  const auto destinations = MapReader::open(section);
  for (const auto& entry : destinations.entries()) {
    DestinationConfig destination;
    destination.name = entry.key;
    (void)check_name(entry, "destination");
    MapReader map(entry.value);
    if (auto v = map.require("url")) {
      if (auto url = v->text()) {
        // The URL is not quoted back: it may carry a token in its query string.
        auto parsed = parse_http_url(*url);
        if (parsed.value) {
          destination.url = std::move(*url);
          destination.endpoint = std::move(*parsed.value);
        } else {
          v->error("invalid URL: " + parsed.error);
        }
      }
    }
    if (auto v = map.get("timeout")) {
      if (auto d = v->duration()) destination.timeout = *d;
    }
    if (auto v = map.get("connect_timeout")) {
      if (auto d = v->duration()) destination.connect_timeout = *d;
    }
    if (auto v = map.get("transform")) destination.transform = load_transform(*v, limits);
    if (auto v = map.get("forward_headers")) {
      std::vector<std::string> names;
      for (const auto& item : v->items()) {
        auto name = item.text();
        if (!name) continue;
        if (!is_header_name(*name)) {
          item.error("invalid header name");
          continue;
        }
        names.push_back(std::move(*name));
      }
      if (v->is_list() || v->is_null()) destination.forward_headers = std::move(names);
      else v->error("expected a list of header names");
    }
    if (auto v = map.get("tls")) {
      MapReader tls(*v);
      if (auto ca = tls.get("ca_file")) {
        if (auto path = ca->file_path()) destination.tls.ca_file = std::move(*path);
      }
      if (auto verify = tls.get("verify")) {
        if (auto flag = verify->choice<bool>({{"true", true}, {"false", false}})) destination.tls.verify = *flag;
      }
    }
    if (auto v = map.get("concurrency")) {
      if (auto n = v->integer()) destination.concurrency = static_cast<uint32_t>(*n);
    }
    if (auto v = map.get("headers")) parse_headers(*v, destination.headers);
    if (auto v = map.get("retry")) parse_retry(*v, destination.retry);
    if (auto v = map.get("sign")) {
      MapReader sign(*v);
      if (auto secret = sign.require("secret")) {
        if (auto value = secret->secret()) {
          // The outbound signature is Standard Webhooks v1: the secret must be a whsec_ key.
          verify::VerifySpec spec;
          spec.provider = "standard-webhooks";
          spec.secrets = {*value};
          auto built = verify::build_verifier(spec);
          if (built.verifier) {
            destination.sign_secret = std::move(*value);
            destination.signer = std::move(built.verifier);
          } else {
            secret->error("not a Standard Webhooks secret (whsec_ followed by base64): " + built.error);
          }
        }
      }
    }
    if (auto v = map.get("rate_limit")) {
      if (auto text = v->quotable_text()) {
        auto parsed = parse_rate_limit(text->value);
        if (parsed.value) {
          destination.rate_limit = *parsed.value;
        } else {
          v->error("invalid rate limit " + text->shown + ": " + parsed.error);
        }
      }
    }
    if (auto v = map.get("circuit_breaker")) parse_circuit_breaker(*v, destination.circuit_breaker);
    if (auto v = map.get("disable_after")) {
      if (auto d = v->duration()) destination.disable_after = *d;
    }
    if (auto v = map.get("ordering")) {
      if (auto ordering = v->choice<Ordering>({{"parallel", Ordering::parallel}, {"fifo", Ordering::fifo}})) {
        destination.ordering = *ordering;
      }
    }
    out.push_back(std::move(destination));
  }
}

}  // namespace hookgate::config::detail
