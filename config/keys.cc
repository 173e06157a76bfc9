// Every key of the config file, in one place (one table per map, as Redis keeps its options
// in one table with bounds and defaults). Bounds are what the parsers enforce: a parser reads
// them from here, never from a literal of its own. Defaults mirror config.h's member
// initializers; tests/unit/config/key_table_test.cc checks that they agree.
//
// Leaves first: a table may only point to tables defined above it.
#include "config/keys.h"

#include <algorithm>
#include <array>

#include "verify/registry.h"

namespace hookgate::config::keys {
namespace {

constexpr uint64_t kKiB = 1ULL << 10;
constexpr uint64_t kMiB = 1ULL << 20;
constexpr uint64_t kGiB = 1ULL << 30;
constexpr uint64_t kSecond = 1'000;
constexpr uint64_t kHour = 3'600 * kSecond;
constexpr uint64_t kDay = 24 * kHour;

// ---- shape helpers --------------------------------------------------------------------------

constexpr Shape scalar(Scalar kind) { return Shape{.scalar = kind}; }
constexpr Shape text(std::string_view pattern = {}, uint32_t min_length = 0) {
  return Shape{.scalar = Scalar::text, .pattern = pattern, .min_length = min_length};
}
constexpr Shape integer(uint64_t min, uint64_t max) { return Shape{.scalar = Scalar::integer, .min = min, .max = max}; }
constexpr Shape size(uint64_t min, uint64_t max) { return Shape{.scalar = Scalar::size, .min = min, .max = max}; }
constexpr Shape duration(uint64_t min_ms, uint64_t max_ms) {
  return Shape{.scalar = Scalar::duration, .min = min_ms, .max = max_ms};
}
constexpr Shape choice(std::span<const std::string_view> choices) {
  return Shape{.scalar = Scalar::choice, .choices = choices};
}
constexpr Shape map(const Map& table) { return Shape{.map = &table}; }
constexpr Shape list(const Shape& item, uint32_t min_items = 0, uint32_t max_items = 0) {
  return Shape{.list = &item, .min_items = min_items, .max_items = max_items};
}
// One `item`'s scalar form, or a list of items (of any of their forms).
constexpr Shape one_or_list(const Shape& item, uint32_t min_items = 0) {
  Shape shape = item;
  shape.map = nullptr;
  shape.named = nullptr;
  shape.list = &item;
  shape.min_items = min_items;
  return shape;
}

constexpr std::array<std::string_view, 2> kBooleans{"true", "false"};
constexpr std::array<std::string_view, 3> kEncodings{"hex", "base64", "base64url"};

constexpr Shape kHeaderName = scalar(Scalar::header_name);
constexpr Shape kSecret = scalar(Scalar::secret);
constexpr Shape kText = text();

// ---- server ---------------------------------------------------------------------------------

constexpr Field kCertificateFields[] = {
    {.name = "cert", .shape = scalar(Scalar::path), .required = true,
     .description = "PEM certificate chain, leaf first."},
    {.name = "key", .shape = scalar(Scalar::path), .required = true, .description = "PEM private key of `cert`."},
};
constexpr Map kCertificate{.title = "tls_certificate",
                           .description = "A certificate chosen by SNI: the client's name matches its subjectAltName.",
                           .fields = kCertificateFields};
constexpr Shape kCertificateShape = map(kCertificate);

constexpr Field kTlsFields[] = {
    {.name = "cert", .shape = scalar(Scalar::path), .required = true,
     .description = "PEM certificate chain, leaf first: the default certificate (no SNI, or a name no other covers)."},
    {.name = "key", .shape = scalar(Scalar::path), .required = true, .description = "PEM private key of `cert`."},
    {.name = "certificates", .shape = list(kCertificateShape),
     .description = "More certificates, chosen by SNI (an exact name before a wildcard, then file order)."},
};
constexpr Map kTls{.title = "tls",
                   .description = "TLS 1.2/1.3 with ALPN h2 and http/1.1. Files are re-read on SIGHUP.",
                   .fields = kTlsFields};

constexpr Field kListenerFields[] = {
    {.name = "address", .shape = scalar(Scalar::address), .required = true,
     .description = "IP address and port (IPv6 in brackets: [::]:8080; port 0: any free port)."},
    {.name = "tls", .shape = map(kTls), .description = "Serve TLS on this listener."},
};
constexpr Map kListener{.title = "listener",
                        .description = "A listener: HTTP/1.1 and HTTP/2 on the same port.",
                        .fields = kListenerFields};
constexpr Shape kListenerShape{.scalar = Scalar::address, .map = &kListener};

constexpr Field kHttp2Fields[] = {
    {.name = "max_concurrent_streams", .shape = integer(1, 10'000), .fallback = "100",
     .description = "Streams open at once per connection; more are refused (REFUSED_STREAM)."},
    {.name = "max_header_list_size", .shape = size(256, kMiB),
     .description = "SETTINGS_MAX_HEADER_LIST_SIZE (larger: 431). Default: max_header_bytes + 32 × max_headers."},
};
constexpr Map kHttp2{.title = "http2", .description = "HTTP/2 limits, beside those every request has.",
                     .fields = kHttp2Fields};

constexpr Field kServerFields[] = {
    {.name = "listen", .shape = one_or_list(kListenerShape, 1), .fallback = "\"0.0.0.0:8080\"",
     .description = "Where vendors connect: one address, or a list of addresses and {address, tls} maps."},
    {.name = "max_body", .shape = size(1, kGiB), .fallback = "\"1MiB\"", .description = "Largest request body; larger: 413."},
    {.name = "max_header_bytes", .shape = size(256, kMiB), .fallback = "\"16KiB\"",
     .description = "Largest request line and header block; larger: 431."},
    {.name = "max_headers", .shape = integer(1, 10'000), .fallback = "100", .description = "Most header fields; more: 431."},
    {.name = "header_timeout", .shape = duration(1, kDay), .fallback = "\"10s\"",
     .description = "From the first byte to the end of the headers; slower: 408."},
    {.name = "body_timeout", .shape = duration(1, kDay), .fallback = "\"30s\"",
     .description = "From the end of the headers to the end of the body; slower: 408."},
    {.name = "idle_timeout", .shape = duration(1, kDay), .fallback = "\"1m\"",
     .description = "How long an idle keep-alive connection stays open."},
    {.name = "shutdown_grace", .shape = duration(0, kHour), .fallback = "\"10s\"",
     .description = "On SIGTERM, the time in-flight requests get to finish."},
    {.name = "max_connections", .shape = integer(1, 1'000'000), .fallback = "10000",
     .description = "Open connections per process."},
    {.name = "io_threads", .shape = integer(0, 256), .fallback = "0", .description = "Event loops; 0: one per core."},
    {.name = "http2", .shape = map(kHttp2), .description = "HTTP/2 settings."},
};
constexpr Map kServer{.title = "server",
                      .description = "Listeners and the limits every inbound connection lives under. "
                                     "Changes apply at the next start.",
                      .fields = kServerFields};

// ---- admin ----------------------------------------------------------------------------------

// The keys of a server listener, but its certificates are read at start only: SIGHUP re-reads
// those of server.listen.
constexpr Field kAdminListenerFields[] = {
    {.name = "address", .shape = scalar(Scalar::address), .required = true,
     .description = "IP address and port (IPv6 in brackets; port 0: any free port); not one of server.listen."},
    {.name = "tls", .shape = map(kTls),
     .description = "Serve TLS on the admin listener, as on a server listener; SIGHUP re-reads its files "
                    "(a file that does not load keeps the current certificates)."},
};
constexpr Map kAdminListener{.title = "admin_listener",
                             .description = "The admin listener: HTTP/1.1 and HTTP/2 on the same port.",
                             .fields = kAdminListenerFields};

constexpr Field kAdminFields[] = {
    {.name = "listen", .shape = {.scalar = Scalar::address, .map = &kAdminListener}, .required = true,
     .description = "IP address and port of the admin listener, or {address, tls}; not one of server.listen."},
    {.name = "token", .shape = kSecret, .required = true,
     .description = "Bearer token every request must carry (a secret: ${NAME} or file:<path>)."},
};
constexpr Map kAdmin{.title = "admin",
                     .description = "The operator listener (/healthz, /readyz, /metrics, /api/...). "
                                    "No admin section: no admin listener.",
                     .fields = kAdminFields};

// ---- storage --------------------------------------------------------------------------------

constexpr std::array<std::string_view, 2> kSynchronous{"full", "normal"};
constexpr Field kStorageFields[] = {
    {.name = "path", .shape = scalar(Scalar::path), .description = "SQLite database file (the embedded store)."},
    {.name = "url", .shape = kSecret,
     .description = "PostgreSQL connection string (postgresql://... or 'host=... dbname=...'), shared by several nodes."},
    {.name = "synchronous", .shape = choice(kSynchronous), .fallback = "\"full\"",
     .description = "SQLite only. full: every acked event is fsync'd; normal: may lose the last commits on power loss."},
    {.name = "max_batch", .shape = integer(1, 100'000), .fallback = "1024", .description = "Records per transaction."},
    {.name = "queue_limit", .shape = integer(1, 10'000'000), .fallback = "16384",
     .description = "Writes waiting for the store before ingest answers 503."},
    {.name = "retention", .shape = duration(kSecond, 100 * 365 * kDay),
     .description = "Delete events older than this whose deliveries are all finished. Default: keep them."},
    {.name = "max_size", .shape = size(kMiB, 1ULL << 44),
     .description = "SQLite only: the database file's cap; at the cap ingest answers 503. Default: no cap."},
};
constexpr std::array<std::string_view, 2> kPathOrUrl{"path", "url"};
constexpr Map kStorage{.title = "storage",
                       .description = "Where events live: storage.path (SQLite) or storage.url (PostgreSQL).",
                       .fields = kStorageFields,
                       .exactly_one_of = kPathOrUrl};

// ---- log ------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> kLevels{"trace", "debug", "info", "warn", "error", "off"};
constexpr std::array<std::string_view, 2> kLogFormats{"text", "json"};
constexpr Field kLogFields[] = {
    {.name = "level", .shape = choice(kLevels), .fallback = "\"info\"", .description = "Least severe level logged."},
    {.name = "format", .shape = choice(kLogFormats), .fallback = "\"text\"",
     .description = "text: key=value lines; json: one JSON object per line."},
};
constexpr Map kLog{.title = "log", .description = "Log level and line format.", .fields = kLogFields};

// ---- sources --------------------------------------------------------------------------------

constexpr std::array<std::string_view, 2> kHeaderOrJson{"header", "json"};
constexpr Field kFieldRefFields[] = {
    {.name = "header", .shape = kHeaderName, .description = "A request header holding it."},
    {.name = "json", .shape = text("^/([^~]|~[01])*$"), .description = "A JSON pointer (RFC 6901) into the body: /id."},
};
constexpr Map kFieldRef{.title = "event_field",
                        .description = "Where the value is: a header or a JSON pointer into the body.",
                        .fields = kFieldRefFields,
                        .exactly_one_of = kHeaderOrJson};

constexpr std::array<std::string_view, 3> kTimestampFormats{"unix", "unix_ms", "rfc3339"};
constexpr std::array<std::string_view, 3> kTimestampSources{"header", "key", "json"};
constexpr Field kTimestampFields[] = {
    {.name = "header", .shape = kHeaderName, .description = "A header of its own."},
    {.name = "key", .shape = text({}, 1), .description = "A key inside the signature header (t in t=...,v1=...)."},
    {.name = "json", .shape = text("^/"), .description = "A JSON pointer into the signed body."},
    {.name = "format", .shape = choice(kTimestampFormats), .description = "unix seconds, unix_ms, or rfc3339."},
};
constexpr Map kTimestamp{.title = "timestamp",
                         .description = "Where the signed timestamp is (checked against verify.tolerance).",
                         .fields = kTimestampFields,
                         .exactly_one_of = kTimestampSources};

constexpr std::array<std::string_view, 3> kHmacAlgorithms{"sha1", "sha256", "sha512"};
constexpr std::array<std::string_view, 4> kSecretEncodings{"raw", "base64", "hex", "whsec"};
constexpr Field kHmacFields[] = {
    {.name = "header", .shape = kHeaderName, .required = true, .description = "The header carrying the signature."},
    {.name = "algorithm", .shape = choice(kHmacAlgorithms), .fallback = "\"sha256\"", .description = "The HMAC's hash."},
    {.name = "encoding", .shape = choice(kEncodings), .fallback = "\"hex\"", .description = "How the MAC is written."},
    {.name = "prefix", .shape = kText, .description = "Text before the MAC (\"sha256=\")."},
    {.name = "separator", .shape = kText, .description = "Separates several signatures in the header."},
    {.name = "signed", .shape = text({}, 1), .fallback = "\"{body}\"",
     .description = "The signed bytes: a template over {body}, {timestamp}, {id}, {url}."},
    {.name = "timestamp", .shape = map(kTimestamp), .description = "Where the signed timestamp is."},
    {.name = "id_header", .shape = kHeaderName, .description = "A header whose value {id} stands for."},
    {.name = "secret_encoding", .shape = choice(kSecretEncodings), .fallback = "\"raw\"",
     .description = "How the secrets are written (whsec: Standard Webhooks whsec_ keys)."},
};
constexpr Map kHmac{.title = "hmac", .description = "A generic HMAC scheme, for vendors without a preset.",
                    .fields = kHmacFields};

constexpr Field kPublicKeySchemeFields[] = {
    {.name = "header", .shape = kHeaderName, .required = true, .description = "The header carrying the signature."},
    {.name = "encoding", .shape = choice(kEncodings), .description = "How the signature is written."},
    {.name = "prefix", .shape = kText, .description = "Text before the signature."},
    {.name = "separator", .shape = kText, .description = "Separates several signatures in the header."},
    {.name = "signed", .shape = text({}, 1), .description = "The signed bytes: a template over {body}, {timestamp}, {id}, {url}."},
    {.name = "timestamp", .shape = map(kTimestamp), .description = "Where the signed timestamp is."},
    {.name = "id_header", .shape = kHeaderName, .description = "A header whose value {id} stands for."},
};
constexpr Map kPublicKeyScheme{.title = "public_key_scheme",
                               .description = "A signature checked with verify.public_key.",
                               .fields = kPublicKeySchemeFields};

constexpr Field kTokenFields[] = {
    {.name = "header", .shape = kHeaderName, .required = true, .description = "The header carrying the token."},
    {.name = "prefix", .shape = kText, .description = "Text before the token (\"Bearer \")."},
};
constexpr Map kToken{.title = "token", .description = "A shared token compared with verify.secrets.",
                     .fields = kTokenFields};

constexpr Map kEmpty{.title = "empty", .description = "No keys."};
constexpr Shape kBasicAuthShape{.scalar = Scalar::boolean, .map = &kEmpty};

constexpr Shape kNetwork = text();
constexpr Field kIpAllowlistFields[] = {
    {.name = "allow", .shape = one_or_list(kNetwork), .required = true,
     .description = "IP addresses and CIDR networks requests may come from."},
    {.name = "proxy_header", .shape = kHeaderName,
     .description = "A header naming the client (X-Forwarded-For), believed only from trusted_proxies."},
    {.name = "trusted_proxies", .shape = one_or_list(kNetwork), .description = "Proxies whose proxy_header is believed."},
};
constexpr Map kIpAllowlist{.title = "ip_allowlist", .description = "Accept requests only from these networks.",
                           .fields = kIpAllowlistFields};

std::vector<std::string> provider_names() { return verify::preset_names(); }

constexpr Shape kSecretList = list(kSecret);
constexpr Field kVerifyFields[] = {
    {.name = "provider", .shape = Shape{.scalar = Scalar::choice, .dynamic_choices = &provider_names},
     .description = "A vendor preset (`hookgate providers` lists them)."},
    {.name = "secrets", .shape = kSecretList,
     .description = "Shared secrets, each a string, ${NAME} or file:<path>; several while one is rotated."},
    {.name = "tolerance", .shape = duration(0, 7 * kDay),
     .description = "Largest age of a signed timestamp, whole seconds. Default: the provider's."},
    {.name = "public_key", .shape = kSecret, .description = "The vendor's public key as it hands it out (hex, base64, PEM...)."},
    {.name = "verify_token", .shape = kSecret, .description = "Meta's Verify Token, for its GET handshake."},
    {.name = "hmac", .shape = map(kHmac), .description = "A generic HMAC scheme."},
    {.name = "ed25519", .shape = map(kPublicKeyScheme), .description = "A generic Ed25519 scheme."},
    {.name = "ecdsa_p256", .shape = map(kPublicKeyScheme), .description = "A generic ECDSA P-256 scheme."},
    {.name = "token", .shape = map(kToken), .description = "A shared token in a header."},
    {.name = "basic_auth", .shape = kBasicAuthShape, .description = "HTTP Basic credentials, secrets as user:password."},
    {.name = "ip_allowlist", .shape = map(kIpAllowlist), .description = "Accept requests only from these networks."},
};
constexpr std::array<std::string_view, 1> kNone{"none"};
constexpr Map kVerify{.title = "verify", .description = "How requests are verified.", .fields = kVerifyFields};
constexpr Shape kVerifyShape{.scalar = Scalar::choice, .choices = kNone, .map = &kVerify};

constexpr std::array<std::string_view, 1> kBody{"body"};
constexpr Shape kDedupeFieldShape{.scalar = Scalar::choice, .choices = kBody, .map = &kFieldRef};
constexpr Field kDedupeFields[] = {
    {.name = "fields", .shape = one_or_list(kDedupeFieldShape, 1),
     .description = "What identifies a repeat: body (the raw bytes), {header: NAME}, {json: /pointer}. Default: "
                    "the provider's, else [body]."},
    {.name = "window", .shape = duration(kSecond, 30 * kDay),
     .description = "How long after the first event a repeat is acked as its duplicate, whole seconds. Default: "
                    "the provider's, else 24h."},
};
constexpr Map kDedupe{.title = "dedupe",
                      .description = "Dedupe on content, for events without a vendor event id.",
                      .fields = kDedupeFields};
constexpr Shape kDedupeShape{.scalar = Scalar::choice, .choices = kNone, .map = &kDedupe};

constexpr Field kSourceFields[] = {
    {.name = "path", .shape = text("^/[!-~]*$"), .required = true,
     .description = "The path vendors post to (unique; no spaces, '?' or '#')."},
    {.name = "public_url", .shape = scalar(Scalar::url),
     .description = "The full URL the vendor calls, for schemes that sign the URL."},
    {.name = "verify", .shape = kVerifyShape, .required = true,
     .description = "A verify map, or none to accept unsigned requests.",
     .missing_message = "no verify block (write `verify: none` to accept unsigned requests)"},
    {.name = "event_id", .shape = map(kFieldRef),
     .description = "Where the vendor's event id is (duplicates are acked, not stored twice). Default: the provider's."},
    {.name = "event_type", .shape = map(kFieldRef), .description = "Where the event type is. Default: the provider's."},
    {.name = "dedupe", .shape = kDedupeShape,
     .description = "Events without an event id: a repeat of these fields within the window is acked with the first "
                    "event's id, not stored. Default: the provider's (`hookgate providers`); none: never."},
};
constexpr Map kSource{.title = "source", .description = "Where one vendor posts, and how its requests are verified.",
                      .fields = kSourceFields};
constexpr Shape kSourceShape = map(kSource);

// ---- destinations ---------------------------------------------------------------------------

constexpr Field kDestinationTlsFields[] = {
    {.name = "ca_file", .shape = scalar(Scalar::path), .description = "PEM CA bundle. Default: the system's trusted CAs."},
    {.name = "verify", .shape = scalar(Scalar::boolean), .fallback = "true",
     .description = "Verify the destination's certificate chain and host name."},
};
constexpr Map kDestinationTls{.title = "destination_tls", .description = "TLS for https:// destinations.",
                              .fields = kDestinationTlsFields};

constexpr Shape kScheduleStep = duration(1, 30 * kDay);
constexpr Shape kRetryStatus = integer(400, 499);
constexpr Field kRetryFields[] = {
    {.name = "schedule", .shape = list(kScheduleStep, 0, 1000),
     .fallback = R"(["5s", "5m", "30m", "2h", "5h", "10h", "10h"])",
     .description = "The wait before each retry; dead after the last."},
    {.name = "jitter", .shape = scalar(Scalar::percent), .fallback = "\"20%\"", .description = "Each wait varies by up to this much."},
    {.name = "max_age", .shape = duration(kSecond, 365 * kDay),
     .description = "Dead when the next attempt would fall later than this after the event was received."},
    {.name = "retry_status", .shape = list(kRetryStatus),
     .description = "4xx statuses retried on the schedule (every other 4xx but 408, 425, 429 is dead at once)."},
};
constexpr Map kRetry{.title = "retry", .description = "When failed attempts are tried again.", .fields = kRetryFields};

constexpr Field kSignFields[] = {
    {.name = "secret", .shape = kSecret, .required = true, .description = "A Standard Webhooks secret (whsec_...)."},
};
constexpr Map kSign{.title = "sign", .description = "Sign forwarded requests (Standard Webhooks webhook-signature).",
                    .fields = kSignFields};

constexpr Field kCircuitBreakerFields[] = {
    {.name = "failures", .shape = integer(1, 1'000), .fallback = "5", .description = "Consecutive failures that open the circuit."},
    {.name = "failure_rate", .shape = scalar(Scalar::percent), .fallback = "\"50%\"",
     .description = "Share of failures among the last `window` results that opens the circuit (1% to 100%)."},
    // At most 64: the breaker remembers results in a 64-bit ring.
    {.name = "window", .shape = integer(2, 64), .fallback = "20", .description = "Results the failure rate is taken over."},
    {.name = "probe_after", .shape = duration(1, kDay), .fallback = "\"10s\"",
     .description = "How long an open circuit waits before one probe; doubles while probes fail."},
    {.name = "max_probe_after", .shape = duration(1, kDay), .fallback = "\"1m\"",
     .description = "The longest wait between probes; not shorter than probe_after."},
};
constexpr Map kCircuitBreaker{.title = "circuit_breaker",
                              .description = "When a failing destination is left alone, and for how long.",
                              .fields = kCircuitBreakerFields};

constexpr std::array<std::string_view, 2> kOrderings{"parallel", "fifo"};
constexpr Shape kHeaderValue = kText;
constexpr Field kDestinationFields[] = {
    {.name = "url", .shape = scalar(Scalar::url), .required = true, .description = "http:// or https:// URL events are posted to."},
    {.name = "timeout", .shape = duration(1, kDay), .fallback = "\"15s\"",
     .description = "The whole attempt: connect, send, response."},
    {.name = "connect_timeout", .shape = duration(1, kDay), .fallback = "\"5s\"", .description = "DNS, TCP and TLS."},
    {.name = "concurrency", .shape = integer(1, 10'000), .fallback = "16", .description = "Attempts in flight at once."},
    {.name = "headers",
     .shape = Shape{.named = &kHeaderValue, .key_pattern = kHeaderNamePattern},
     .description = "Headers added to every forwarded request."},
    {.name = "forward_headers", .shape = list(kHeaderName),
     .description = "The original headers forwarded. Default: all but hop-by-hop ones."},
    {.name = "tls", .shape = map(kDestinationTls), .description = "TLS for https:// URLs."},
    {.name = "retry", .shape = map(kRetry), .description = "When failed attempts are tried again."},
    {.name = "sign", .shape = map(kSign), .description = "Sign forwarded requests."},
    {.name = "rate_limit", .shape = scalar(Scalar::rate_limit),
     .description = "Most attempts started per second, minute or hour (200/s); excess waits. Default: unlimited."},
    {.name = "ordering", .shape = choice(kOrderings), .fallback = "\"parallel\"",
     .description = "fifo: one in flight, the next event waits until this one is delivered or dead."},
    {.name = "circuit_breaker", .shape = map(kCircuitBreaker), .description = "When a failing destination is left alone."},
    {.name = "disable_after", .shape = duration(0, 365 * kDay), .fallback = "0",
     .description = "Failing this long without a success disables the destination (stored; its deliveries wait) "
                    "until an operator resumes it. 0: never."},
    {.name = "transform", .shape = scalar(Scalar::path),
     .description = "A Lua script run on every delivery to this destination, after the route's: it may change the "
                    "headers, body, event type and URL path/query, or skip the delivery."},
};
constexpr Map kDestination{.title = "destination", .description = "An internal service events are delivered to.",
                           .fields = kDestinationFields};
constexpr Shape kDestinationShape = map(kDestination);

// ---- routes ---------------------------------------------------------------------------------

// Operands are any scalar (YAML reads 100 as a number, true as a boolean); hookgate reads their text.
constexpr Shape kOperand = scalar(Scalar::value);
constexpr Shape kValueList = list(kOperand, 1, 1000);
constexpr std::array<std::string_view, 13> kConditionKinds{
    "equals", "in", "exists", "not_equals", "not_in", "prefix", "suffix", "contains", "gt", "gte", "lt", "lte", "regex"};
constexpr Field kConditionFields[] = {
    {.name = "pointer", .shape = text("^(/.*)?$"), .required = true,
     .description = "A JSON pointer (RFC 6901) into the body; \"\" is the whole document."},
    {.name = "equals", .shape = kOperand, .description = "The value there, as text, equals this (numbers as written)."},
    {.name = "in", .shape = kValueList, .description = "The value there, as text, equals one of these."},
    {.name = "exists", .shape = scalar(Scalar::boolean), .description = "There is (true) or is not (false) a value there."},
    {.name = "not_equals", .shape = kOperand, .description = "Not equals: also holds when there is no value there."},
    {.name = "not_in", .shape = kValueList, .description = "Not in: also holds when there is no value there."},
    {.name = "prefix", .shape = kOperand, .description = "The value there starts with this."},
    {.name = "suffix", .shape = kOperand, .description = "The value there ends with this."},
    {.name = "contains", .shape = kOperand,
     .description = "A string there holds this; an array there has an element equal to it."},
    {.name = "gt", .shape = kOperand, .description = "A number there is greater than this number."},
    {.name = "gte", .shape = kOperand, .description = "A number there is greater than or equal to this number."},
    {.name = "lt", .shape = kOperand, .description = "A number there is less than this number."},
    {.name = "lte", .shape = kOperand, .description = "A number there is less than or equal to this number."},
    {.name = "regex", .shape = kText,
     .description = "A regular expression (RE2 syntax subset, linear time) that matches somewhere in the value there."},
};
constexpr Map kCondition{.title = "body_condition", .description = "A condition on the JSON body at a JSON pointer.",
                         .fields = kConditionFields,
                         .exactly_one_of = kConditionKinds};
constexpr Shape kConditionShape = map(kCondition);

// The map form of a filter (Hookdeck's and Convoy's filter JSON): field names, and $operators
// (config/filter_section.cc lists and checks them; the pattern only helps editors).
constexpr std::string_view kFilterKeyPattern =
    "^([^$].*|\\$(eq|neq|in|nin|exist|startsWith|endsWith|contains|gt|gte|lt|lte|regex|and|or|not))$";
// A value of the map form: a scalar (equals it), a list ($in, $and, ...) or a map of fields
// and operators, each again such a value.
constexpr Shape kFilterValue{.scalar = Scalar::value, .list = &kFilterValue, .named = &kFilterValue,
                             .key_pattern = kFilterKeyPattern, .title = "filter_value"};
constexpr Shape kFilterFieldMap{.named = &kFilterValue, .key_pattern = kFilterKeyPattern};

extern const Map kFilter;  // $and, $or and $not hold filters
constexpr Shape kSubFilterShape = map(kFilter);
constexpr Shape kEventTypeGlob = text({}, 1);
constexpr Field kFilterFields[] = {
    {.name = "event_type", .shape = one_or_list(kEventTypeGlob, 1),
     .description = "Globs on the event type (* any run, ? one character); any one matches."},
    {.name = "body", .shape = Shape{.list = &kConditionShape, .named = &kFilterValue, .key_pattern = kFilterKeyPattern},
     .description = "The JSON body: a map of fields and $operators (Hookdeck/Convoy filter), or a list of "
                    "{pointer, <operator>} conditions; all must hold."},
    {.name = "headers", .shape = kFilterFieldMap,
     .description = "Request headers (names case-insensitive) to values or $operators; any value of a repeated header may match."},
    {.name = "query", .shape = kFilterFieldMap,
     .description = "URL query parameters (percent-decoded) to values or $operators; any value of a repeated one may match."},
    {.name = "$and", .shape = list(kSubFilterShape, 1), .description = "Filters that must all hold."},
    {.name = "$or", .shape = list(kSubFilterShape, 1), .description = "Filters of which one must hold."},
    {.name = "$not", .shape = kSubFilterShape, .description = "A filter that must not hold."},
};
constexpr Map kFilter{.title = "route_filter", .description = "Which events of the source the route takes; all keys must hold.",
                      .fields = kFilterFields};

constexpr Shape kDestinationName = text();
constexpr Field kRouteFields[] = {
    {.name = "from", .shape = kText, .required = true, .description = "A source's name."},
    {.name = "to", .shape = one_or_list(kDestinationName, 1), .required = true,
     .description = "A destination's name, or a list of them."},
    {.name = "filter", .shape = map(kFilter), .description = "Only the events that pass. Default: every event."},
    {.name = "transform", .shape = scalar(Scalar::path),
     .description = "A Lua script run on this route's deliveries (its source to its destinations), before the "
                    "destination's. One per source and destination."},
};
constexpr Map kRoute{.title = "route", .description = "Which source's events go to which destinations.",
                     .fields = kRouteFields};
constexpr Shape kRouteShape = map(kRoute);

// ---- alerts ---------------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> kAlertKinds{"circuit_opened",  "circuit_closed",    "destination_disabled",
                                                      "delivery_dead",   "source_rejections", "store_nearly_full"};
constexpr std::array<std::string_view, 2> kAlertFormats{"json", "slack"};
constexpr Shape kAlertKind = choice(kAlertKinds);
constexpr Field kAlertTargetFields[] = {
    {.name = "to", .shape = kText, .required = true, .description = "A destination's name."},
    {.name = "format", .shape = choice(kAlertFormats), .fallback = "\"json\"",
     .description = "json: hookgate's alert document; slack: a Slack incoming-webhook message ({\"text\": ...})."},
    {.name = "on", .shape = list(kAlertKind, 1), .description = "The kinds of alert sent there. Default: every kind."},
};
constexpr Map kAlertTarget{.title = "alert_target", .description = "A destination alerts are sent to.",
                           .fields = kAlertTargetFields};
constexpr Shape kAlertTargetShape = map(kAlertTarget);
constexpr Field kRejectionsFields[] = {
    {.name = "rate", .shape = scalar(Scalar::percent), .fallback = "\"20%\"",
     .description = "Share of a source's requests refused (1% to 100%) that raises source_rejections."},
    {.name = "window", .shape = duration(10 * kSecond, kDay), .fallback = "\"5m\"", .description = "Taken over this long."},
    {.name = "min_requests", .shape = integer(1, 1'000'000), .fallback = "20",
     .description = "Requests the source must have sent in the window first."},
};
constexpr Map kRejections{.title = "alert_rejections", .description = "When a source's refusals raise an alert.",
                          .fields = kRejectionsFields};
constexpr Field kAlertsFields[] = {
    {.name = "send", .shape = list(kAlertTargetShape, 1), .required = true,
     .description = "Where alerts go: destinations of this config (signed and retried like any delivery)."},
    {.name = "rejections", .shape = map(kRejections), .description = "When a source's refusals raise an alert."},
    {.name = "store_usage", .shape = scalar(Scalar::percent), .fallback = "\"90%\"",
     .description = "Share of storage.max_size (SQLite) in use that raises store_nearly_full (1% to 100%)."},
    {.name = "repeat_after", .shape = duration(1, 30 * kDay), .fallback = "\"10m\"",
     .description = "The same alert about the same destination or source at most once per this; the next one counts "
                    "those held back."},
};
constexpr Map kAlerts{.title = "alerts", .description = "Operational alerts, delivered to destinations of this config.",
                      .fields = kAlertsFields};

// ---- transforms -----------------------------------------------------------------------------

constexpr Field kTransformsFields[] = {
    {.name = "max_instructions", .shape = integer(10'000, 1'000'000'000), .fallback = "1000000",
     .description = "Lua instructions one run of a script may execute."},
    {.name = "max_memory", .shape = size(256 * kKiB, kGiB), .fallback = "\"8MiB\"",
     .description = "Memory one run of a script may hold."},
    {.name = "timeout", .shape = duration(1, 10 * kSecond), .fallback = "\"100ms\"",
     .description = "Wall-clock time one run of a script may take."},
};
constexpr Map kTransforms{.title = "transforms", .description = "The caps on every run of a transform script.",
                          .fields = kTransformsFields};

// ---- the file -------------------------------------------------------------------------------

constexpr Field kRootFields[] = {
    {.name = "server", .shape = map(kServer), .description = kServer.description},
    {.name = "admin", .shape = map(kAdmin), .description = kAdmin.description},
    {.name = "storage", .shape = map(kStorage), .required = true, .description = kStorage.description,
     .missing_message = "missing required key 'storage' (storage.path or storage.url)"},
    {.name = "log", .shape = map(kLog), .description = kLog.description},
    {.name = "sources", .shape = Shape{.named = &kSourceShape, .key_pattern = kNamePattern},
     .description = "Where vendors post, by name ([a-z0-9_-], at most 64)."},
    {.name = "destinations", .shape = Shape{.named = &kDestinationShape, .key_pattern = kNamePattern},
     .description = "The internal services events are delivered to, by name ([a-z0-9_-], at most 64)."},
    {.name = "routes", .shape = list(kRouteShape), .description = "Which source's events go to which destinations."},
    {.name = "alerts", .shape = map(kAlerts), .description = kAlerts.description},
    {.name = "transforms", .shape = map(kTransforms), .description = kTransforms.description},
};
constexpr Map kRoot{.title = "hookgate", .description = "hookgate's configuration.", .fields = kRootFields};
constexpr Shape kRootShape = map(kRoot);

}  // namespace

const Field* Map::field(std::string_view name) const {
  const auto found = std::find_if(fields.begin(), fields.end(), [name](const Field& f) { return f.name == name; });
  return found == fields.end() ? nullptr : &*found;
}

const Shape& root() { return kRootShape; }

std::span<const std::string_view> boolean_names() { return kBooleans; }

}  // namespace hookgate::config::keys
