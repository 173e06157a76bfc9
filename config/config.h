// hookgate's configuration: typed, validated once by load_config(), immutable afterwards.
// Every limit has a safe default. Shared read-only between threads via shared_ptr<const Config>.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filter/filter.h"
#include "transform/script.h"
#include "verify/content_key.h"
#include "verify/spec.h"
#include "verify/verifier.h"

namespace hookgate::config {

using Duration = std::chrono::milliseconds;

// One certificate: a PEM chain (leaf first) and its private key, paths made absolute.
struct TlsCertificate {
  std::string cert;
  std::string key;
  bool operator==(const TlsCertificate&) const = default;
};

// The TLS side of a listener. `cert`/`key` is the default certificate: it answers clients
// that send no SNI or a name no certificate covers. `certificates` are more, each chosen when
// the client's SNI matches one of the names in its subjectAltName (an exact name before a
// wildcard, then file order). The files are read by the gateway at start and on SIGHUP.
struct TlsFiles {
  std::string cert;  // PEM chain
  std::string key;
  std::vector<TlsCertificate> certificates;
  bool operator==(const TlsFiles&) const = default;
};

struct Listener {
  std::string host;  // "0.0.0.0", "127.0.0.1", "::1" (brackets stripped)
  uint16_t port = 0; // 0 = pick a free port (tests)
  std::optional<TlsFiles> tls;
  bool operator==(const Listener&) const = default;
};

// HTTP/2 (h2 over TLS via ALPN, h2c with prior knowledge on any listener) on top of the
// limits every request has (max_body, max_header_bytes, max_headers, timeouts).
struct Http2Config {
  uint32_t max_concurrent_streams = 100;  // SETTINGS_MAX_CONCURRENT_STREAMS; more are refused
  // SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113: name + value + 32 per field); larger → 431.
  // When not configured: max_header_bytes + 32 × max_headers, so that whatever head
  // HTTP/1.1 accepts, HTTP/2 accepts too.
  uint32_t max_header_list_size = (16 << 10) + 32 * 100;
  bool operator==(const Http2Config&) const = default;
};

struct ServerConfig {
  std::vector<Listener> listen;           // at least one
  uint64_t max_body = 1 << 20;            // bytes; larger → 413
  uint32_t max_header_bytes = 16 << 10;   // request line + header block; larger → 431
  uint32_t max_headers = 100;             // header count; more → 431
  Duration header_timeout{10'000};        // first byte → end of headers
  Duration body_timeout{30'000};          // end of headers → end of body
  Duration idle_timeout{60'000};          // keep-alive idle
  Duration shutdown_grace{10'000};        // SIGTERM: time to finish in-flight requests
  uint32_t max_connections = 10'000;      // per process
  uint32_t io_threads = 0;                // 0 = one per core
  Http2Config http2;
  // Reloads compare: the listeners and limits apply from the next start only.
  bool operator==(const ServerConfig&) const = default;
};

enum class Synchronous { full, normal };

struct StorageConfig {
  // Exactly one of the two: `path` selects SQLite (the embedded default), `url` PostgreSQL,
  // which several gateway nodes share. `url` is a libpq URI or key=value string and may hold
  // a password: it is never logged.
  std::string path;                       // SQLite file
  std::string url;                        // PostgreSQL connection string
  Synchronous synchronous = Synchronous::full;
  uint32_t max_batch = 1024;              // records per transaction
  uint32_t queue_limit = 16384;           // pending writes before ingest answers 503
  std::optional<Duration> retention;      // used by the operations issue
  uint64_t max_size = 0;                  // bytes; 0 = no cap. At the cap ingest answers 503
  [[nodiscard]] bool is_postgres() const { return !url.empty(); }
  bool operator==(const StorageConfig&) const = default;
};

struct SourceConfig {
  std::string name;
  std::string path;                       // "/in/stripe", unique across sources
  std::string public_url;                 // optional; for schemes that sign the URL
  verify::VerifySpec verify;              // as written (secrets resolved)
  std::shared_ptr<const verify::Verifier> verifier;  // built and validated at load time
  // How events without a vendor event id are deduped: `dedupe:` as written, else the
  // provider's default; not enabled() = never.
  verify::DedupeSpec dedupe;
};

// A destination URL split for the HTTP client; validated at load time so the client never
// re-parses it with different rules.
struct Endpoint {
  bool tls = false;        // https://
  std::string host;        // "billing.internal", "10.0.0.5", "::1" (brackets stripped)
  uint16_t port = 0;       // as written, else 80 (http) / 443 (https)
  std::string authority;   // "host[:port]" exactly as written (brackets kept): the Host header
  std::string target;      // path plus optional "?query"; "/" when the URL has none
};

// Outbound rate limit: at most `count` requests started per `per`.
struct RateLimit {
  uint32_t count = 0;
  Duration per{1'000};
};

// parallel: up to `concurrency` deliveries in flight, in any order.
// fifo: one in flight; the next event waits until the previous one is delivered or dead.
enum class Ordering { parallel, fifo };

struct RetryPolicy {
  std::vector<Duration> schedule{Duration{5'000}, Duration{300'000}, Duration{1'800'000},
                                 Duration{7'200'000}, Duration{18'000'000},
                                 Duration{36'000'000}, Duration{36'000'000}};
  uint32_t jitter_percent = 20;
  std::optional<Duration> max_age;
  // 4xx statuses retried like 5xx (408, 425 and 429 always are); every other 4xx is dead.
  std::vector<int> retry_status;
};

// Outbound TLS for https:// destinations.
struct DestinationTls {
  std::string ca_file;                    // PEM bundle; empty = the system's trusted CAs
  bool verify = true;                     // verify the chain and the host name
};

// When a failing destination is left alone (gateway/delivery/circuit_breaker.h): open after
// `failures` consecutive failures, or when `failure_rate` percent of the last `window` results
// failed; then one probe after `probe_after`, doubling while probes fail up to `max_probe_after`.
struct CircuitBreakerConfig {
  uint32_t failures = 5;
  uint32_t failure_rate = 50;             // percent
  uint32_t window = 20;                   // results, 2..64
  Duration probe_after{10'000};
  Duration max_probe_after{60'000};
  bool operator==(const CircuitBreakerConfig&) const = default;
};

struct DestinationConfig {
  std::string name;
  std::string url;                        // http:// or https://, as written
  Endpoint endpoint;                      // `url`, parsed
  Duration timeout{15'000};               // whole attempt: connect, send, response
  Duration connect_timeout{5'000};
  uint32_t concurrency = 16;
  // Original request headers forwarded: unset = all of them except hop-by-hop and framing
  // headers; otherwise exactly these names (case-insensitive).
  std::optional<std::vector<std::string>> forward_headers;
  DestinationTls tls;
  std::map<std::string, std::string> headers;  // added to every forwarded request
  RetryPolicy retry;
  std::string sign_secret;                // outbound Standard Webhooks secret; empty = unsigned
  std::shared_ptr<const verify::Verifier> signer;  // built from sign_secret at load time
  std::optional<RateLimit> rate_limit;    // unset = unlimited
  Ordering ordering = Ordering::parallel;
  CircuitBreakerConfig circuit_breaker;
  // Failing this long without one success in between disables the destination: stored like a
  // pause (destination_states), its deliveries wait, until an operator resumes it. 0 = never.
  Duration disable_after{0};
  // Run on every delivery to this destination, after the route's; null = none.
  std::shared_ptr<const transform::Script> transform;
  // Set by the loader from the routes: their scripts for this destination, by source.
  std::map<std::string, std::shared_ptr<const transform::Script>, std::less<>> route_transforms;
};

struct RouteConfig {
  std::string from;                       // source name
  std::vector<std::string> to;            // destination names
  // Which of `from`'s events the route takes (event type, headers, query, body); empty: every
  // event. Regexes compiled, limits checked (filter/filter.h).
  filter::Filter filter;
  // Run on the deliveries of `from`'s events to `to`, before the destination's; null = none.
  // At most one route per (source, destination) has one.
  std::shared_ptr<const transform::Script> transform;
};

enum class LogFormat { text, json };

struct LogConfig {
  std::string level = "info";             // trace|debug|info|warn|error|off
  LogFormat format = LogFormat::text;
};

// The admin HTTP listener (/healthz, /metrics, /api/...). Absent section = no admin listener.
struct AdminConfig {
  Listener listen;                        // tls: HTTP/1.1 and h2 by ALPN, as on server.listen
  std::string token;                      // bearer token, required, resolved like a secret
  bool operator==(const AdminConfig&) const = default;
};

// What an alert is about. The names are config values and payload `type`s: never rename them.
enum class AlertKind : uint8_t {
  circuit_opened,
  circuit_closed,
  destination_disabled,
  delivery_dead,
  source_rejections,
  store_nearly_full,
};
inline constexpr size_t kAlertKindCount = 6;
// "circuit_opened", … as in the config and the payloads.
[[nodiscard]] std::string_view to_string(AlertKind kind);

// How an alert's body is written: hookgate's JSON document, or a Slack incoming-webhook
// message ({"text": ...}).
enum class AlertFormat : uint8_t { json, slack };

struct AlertTarget {
  std::string destination;            // a configured destination
  AlertFormat format = AlertFormat::json;
  std::vector<AlertKind> on;          // the kinds sent there; every kind when empty
  [[nodiscard]] bool wants(AlertKind kind) const;
  bool operator==(const AlertTarget&) const = default;
};

// alerts: operational events, stored and delivered like any event (signed, retried) to
// destinations of this config.
struct AlertsConfig {
  std::vector<AlertTarget> send;      // at least one
  // source_rejections: at least `rejection_percent` of a source's requests refused over
  // `rejection_window`, once it saw `rejection_min_requests` there.
  uint32_t rejection_percent = 20;
  Duration rejection_window{300'000};
  uint32_t rejection_min_requests = 20;
  // store_nearly_full: the store uses this share of storage.max_size (SQLite, with max_size).
  uint32_t store_usage_percent = 90;
  // The same alert about the same subject (a destination, a source) at most once per this;
  // what was held back is counted in the next one.
  Duration repeat_after{600'000};
  bool operator==(const AlertsConfig&) const = default;
};

struct Config {
  std::string file;                       // path it was loaded from
  ServerConfig server;
  StorageConfig storage;
  LogConfig log;
  std::vector<SourceConfig> sources;      // in file order
  std::vector<DestinationConfig> destinations;
  std::vector<RouteConfig> routes;
  std::optional<AdminConfig> admin;       // unset = no admin listener
  std::optional<AlertsConfig> alerts;     // unset = no alerts
  transform::Limits transform_limits;     // `transforms:`, the caps scripts are compiled with

  // Exact, case-sensitive match; nullptr when none. Linear scan (sources are few).
  [[nodiscard]] const SourceConfig* source_by_path(std::string_view path) const;
  [[nodiscard]] const SourceConfig* source_by_name(std::string_view name) const;
  [[nodiscard]] const DestinationConfig* destination_by_name(std::string_view name) const;
};

// One problem found while loading, e.g. "hookgate.yaml:12:5: sources.stripe.verify: unknown key 'secret'".
struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when not tied to a position
  int column = 0;  // 1-based
  std::string key_path;  // "sources.stripe.verify.secrets[0]"
  std::string message;
  // "file:line:col: key_path: message"; "file: key_path: message" when line == 0; the
  // "key_path: " part is left out when key_path is empty.
  [[nodiscard]] std::string to_string() const;
};

struct LoadResult {
  std::shared_ptr<const Config> config;  // null when errors is non-empty
  std::vector<ConfigError> errors;       // every error found, in file order
};

// Reads, interpolates and validates a config file. Never throws.
// `env` resolves ${NAME}; by default the process environment (std::getenv; do not call
// setenv concurrently). Relative paths in the file (storage.path, tls cert/key, `file:`
// secrets) resolve against the config file's directory, made absolute.
// Error messages never contain secret values nor the values of ${NAME} substitutions.
using EnvLookup = std::optional<std::string> (*)(const std::string& name);
[[nodiscard]] LoadResult load_config(const std::string& path, EnvLookup env = nullptr);
// Same, from text (tests); `display_name` appears in errors; relative paths (storage.path,
// tls files, `file:` secrets) resolve against `base_dir` (left relative when it is empty).
[[nodiscard]] LoadResult load_config_text(const std::string& text, const std::string& display_name,
                                          const std::string& base_dir, EnvLookup env = nullptr);

}  // namespace hookgate::config
