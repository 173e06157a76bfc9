// Loading valid configs: every field lands in the typed Config, defaults hold, secrets resolve.
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

// The globs of a route's `filter.event_type` (its first test, as parse_filter builds it).
std::vector<std::string> event_type_globs(const RouteConfig& route) {
  std::vector<std::string> out;
  for (const auto& node : route.filter.root().children) {
    if (node.kind != filter::Node::Kind::test || node.test.field != filter::Field::event_type) continue;
    for (const auto& glob : node.test.operands) out.push_back(glob.text);
  }
  return out;
}

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::error_lines;
using testing::load;
using testing::TempDir;

constexpr const char* kFull = R"(server:
  listen:
    - address: 0.0.0.0:8080
    - address: "[::1]:8443"
      tls: {cert: tls/server.crt, key: /etc/ssl/server.key}
    - 127.0.0.1:0
  max_body: 2MiB
  max_header_bytes: 32KiB
  max_headers: 64
  header_timeout: 5s
  body_timeout: 20s
  idle_timeout: 2m
  shutdown_grace: 0
  max_connections: 5000
  io_threads: 4
admin: {listen: "127.0.0.1:${PORT}", token: "${ADMIN_TOKEN}"}
storage:
  path: data/events.db
  synchronous: normal
  max_batch: 256
  queue_limit: 1000
  retention: 30d
log: {level: debug, format: json}
sources:
  stripe:
    path: /in/stripe
    public_url: https://hooks.example.com/in/stripe
    verify: {provider: stripe, secrets: ["${STRIPE_SECRET}", "whsec_old"], tolerance: 5m}
  acme:
    path: /in/acme
    verify:
      hmac:
        header: X-Acme-Signature
        algorithm: sha512
        encoding: base64
        prefix: "sha512="
        separator: ","
        signed: "{timestamp}.{body}"
        timestamp: {header: X-Acme-Timestamp, format: unix_ms}
        id_header: X-Acme-Id
        secret_encoding: hex
      secrets: ["00ff"]
    event_id: {header: X-Acme-Delivery}
    event_type: {json: /type}
  open:
    path: /in/open
    verify: none
destinations:
  billing:
    url: http://billing.internal:8000/webhooks
    timeout: 15s
    concurrency: 8
    rate_limit: 200/s
    circuit_breaker: {failures: 3, failure_rate: 25%, window: 40, probe_after: 2s, max_probe_after: 30s}
    headers: {Authorization: "Bearer ${GITHUB_SECRET}", X-Team: billing}
    retry: {schedule: [5s, 5m, 30m], jitter: 10%, max_age: 2d, retry_status: [404, 409]}
    sign: {secret: "${BILLING_SECRET}"}
  audit: {url: "https://audit.internal/hooks", ordering: fifo, retry: {jitter: 0, schedule: []}}
routes:
  - {from: stripe, to: [billing, audit], filter: {event_type: ["invoice.*", "customer.*"]}}
  - {from: acme, to: audit, filter: {event_type: "order.created"}}
  - from: open
    to: [audit]
)";

TEST(LoadValid, FullConfigRoundTripsEveryField) {
  const auto result = load(kFull, "/etc/hookgate");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  ASSERT_NE(result.config, nullptr);
  const Config& c = *result.config;
  EXPECT_EQ(c.file, "hookgate.yaml");

  ASSERT_EQ(c.server.listen.size(), 3u);
  EXPECT_EQ(c.server.listen[0].host, "0.0.0.0");
  EXPECT_EQ(c.server.listen[0].port, 8080);
  EXPECT_FALSE(c.server.listen[0].tls);
  EXPECT_EQ(c.server.listen[1].host, "::1");
  EXPECT_EQ(c.server.listen[1].port, 8443);
  ASSERT_TRUE(c.server.listen[1].tls);
  EXPECT_EQ(c.server.listen[1].tls->cert, "/etc/hookgate/tls/server.crt");
  EXPECT_EQ(c.server.listen[1].tls->key, "/etc/ssl/server.key");
  EXPECT_EQ(c.server.listen[2].host, "127.0.0.1");
  EXPECT_EQ(c.server.listen[2].port, 0);
  EXPECT_EQ(c.server.max_body, 2u << 20);
  EXPECT_EQ(c.server.max_header_bytes, 32u << 10);
  EXPECT_EQ(c.server.max_headers, 64u);
  EXPECT_EQ(c.server.header_timeout, milliseconds(5'000));
  EXPECT_EQ(c.server.body_timeout, milliseconds(20'000));
  EXPECT_EQ(c.server.idle_timeout, milliseconds(120'000));
  EXPECT_EQ(c.server.shutdown_grace, milliseconds(0));
  EXPECT_EQ(c.server.max_connections, 5000u);
  EXPECT_EQ(c.server.io_threads, 4u);

  ASSERT_TRUE(c.admin);
  EXPECT_EQ(c.admin->listen.host, "127.0.0.1");
  EXPECT_EQ(c.admin->listen.port, 9000);
  EXPECT_EQ(c.admin->token, testing::kAdminToken);

  EXPECT_EQ(c.storage.path, "/etc/hookgate/data/events.db");
  EXPECT_EQ(c.storage.synchronous, Synchronous::normal);
  EXPECT_EQ(c.storage.max_batch, 256u);
  EXPECT_EQ(c.storage.queue_limit, 1000u);
  ASSERT_TRUE(c.storage.retention);
  EXPECT_EQ(*c.storage.retention, milliseconds(30LL * 86'400'000));

  EXPECT_EQ(c.log.level, "debug");
  EXPECT_EQ(c.log.format, LogFormat::json);

  ASSERT_EQ(c.sources.size(), 3u);
  const SourceConfig& stripe = c.sources[0];
  EXPECT_EQ(stripe.name, "stripe");
  EXPECT_EQ(stripe.path, "/in/stripe");
  EXPECT_EQ(stripe.public_url, "https://hooks.example.com/in/stripe");
  EXPECT_EQ(stripe.verify.provider, "stripe");
  EXPECT_EQ(stripe.verify.secrets, (std::vector<std::string>{testing::kStripeSecret, "whsec_old"}));
  ASSERT_TRUE(stripe.verify.tolerance);
  EXPECT_EQ(*stripe.verify.tolerance, seconds(300));
  EXPECT_FALSE(stripe.verify.hmac);
  EXPECT_FALSE(stripe.verify.event_id);
  EXPECT_NE(stripe.verifier, nullptr);

  const SourceConfig& acme = c.sources[1];
  EXPECT_EQ(acme.name, "acme");
  EXPECT_EQ(acme.path, "/in/acme");
  EXPECT_EQ(acme.public_url, "");
  EXPECT_EQ(acme.verify.provider, "");
  ASSERT_TRUE(acme.verify.hmac);
  const verify::HmacSpec& hmac = *acme.verify.hmac;
  EXPECT_EQ(hmac.envelope.header, "X-Acme-Signature");
  EXPECT_EQ(hmac.algorithm, verify::Algorithm::sha512);
  EXPECT_EQ(hmac.envelope.encoding, verify::Encoding::base64);
  EXPECT_EQ(hmac.envelope.prefix, "sha512=");
  EXPECT_EQ(hmac.envelope.separator, ",");
  EXPECT_EQ(hmac.envelope.signed_template, "{timestamp}.{body}");
  EXPECT_EQ(hmac.envelope.timestamp.kind, verify::TimestampSource::Kind::header);
  EXPECT_EQ(hmac.envelope.timestamp.name, "X-Acme-Timestamp");
  EXPECT_EQ(hmac.envelope.timestamp.format, verify::TimestampFormat::unix_millis);
  EXPECT_EQ(hmac.envelope.id_header, "X-Acme-Id");
  EXPECT_EQ(hmac.secret_encoding, verify::SecretEncoding::hex);
  EXPECT_EQ(acme.verify.secrets, (std::vector<std::string>{"00ff"}));
  EXPECT_FALSE(acme.verify.tolerance);
  // public_key and verify_token: see provider_keys_test.cc (an hmac block refuses them).
  ASSERT_TRUE(acme.verify.event_id);
  EXPECT_EQ(acme.verify.event_id->kind, verify::FieldRef::Kind::header);
  EXPECT_EQ(acme.verify.event_id->name, "X-Acme-Delivery");
  ASSERT_TRUE(acme.verify.event_type);
  EXPECT_EQ(acme.verify.event_type->kind, verify::FieldRef::Kind::json);
  EXPECT_EQ(acme.verify.event_type->name, "/type");
  EXPECT_NE(acme.verifier, nullptr);

  const SourceConfig& open = c.sources[2];
  EXPECT_EQ(open.verify.provider, "none");
  EXPECT_TRUE(open.verify.secrets.empty());
  EXPECT_NE(open.verifier, nullptr);

  ASSERT_EQ(c.destinations.size(), 2u);
  const DestinationConfig& billing = c.destinations[0];
  EXPECT_EQ(billing.name, "billing");
  EXPECT_EQ(billing.url, "http://billing.internal:8000/webhooks");
  EXPECT_FALSE(billing.endpoint.tls);
  EXPECT_EQ(billing.endpoint.host, "billing.internal");
  EXPECT_EQ(billing.endpoint.port, 8000);
  EXPECT_EQ(billing.endpoint.authority, "billing.internal:8000");
  EXPECT_EQ(billing.endpoint.target, "/webhooks");
  EXPECT_EQ(billing.timeout, milliseconds(15'000));
  EXPECT_EQ(billing.concurrency, 8u);
  ASSERT_TRUE(billing.rate_limit);
  EXPECT_EQ(billing.rate_limit->count, 200u);
  EXPECT_EQ(billing.rate_limit->per, milliseconds(1'000));
  EXPECT_EQ(billing.ordering, Ordering::parallel);
  EXPECT_EQ(billing.headers, (std::map<std::string, std::string>{
                                 {"Authorization", std::string("Bearer ") + testing::kGithubSecret},
                                 {"X-Team", "billing"}}));
  EXPECT_EQ(billing.retry.schedule,
            (std::vector<Duration>{milliseconds(5'000), milliseconds(300'000), milliseconds(1'800'000)}));
  EXPECT_EQ(billing.retry.jitter_percent, 10u);
  ASSERT_TRUE(billing.retry.max_age);
  EXPECT_EQ(*billing.retry.max_age, milliseconds(2LL * 86'400'000));
  EXPECT_EQ(billing.retry.retry_status, (std::vector<int>{404, 409}));
  EXPECT_EQ(billing.sign_secret, testing::kBillingSecret);

  const DestinationConfig& audit = c.destinations[1];
  EXPECT_EQ(audit.name, "audit");
  EXPECT_TRUE(audit.endpoint.tls);
  EXPECT_EQ(audit.endpoint.port, 443);
  EXPECT_EQ(audit.endpoint.target, "/hooks");
  EXPECT_EQ(audit.ordering, Ordering::fifo);
  EXPECT_TRUE(audit.retry.schedule.empty());
  EXPECT_EQ(audit.retry.jitter_percent, 0u);
  EXPECT_TRUE(audit.sign_secret.empty());
  EXPECT_FALSE(audit.rate_limit);
  EXPECT_EQ(audit.circuit_breaker, CircuitBreakerConfig{});
  const CircuitBreakerConfig& breaker = c.destinations[0].circuit_breaker;
  EXPECT_EQ(breaker.failures, 3u);
  EXPECT_EQ(breaker.failure_rate, 25u);
  EXPECT_EQ(breaker.window, 40u);
  EXPECT_EQ(breaker.probe_after, milliseconds(2'000));
  EXPECT_EQ(breaker.max_probe_after, milliseconds(30'000));

  ASSERT_EQ(c.routes.size(), 3u);
  EXPECT_EQ(c.routes[0].from, "stripe");
  EXPECT_EQ(c.routes[0].to, (std::vector<std::string>{"billing", "audit"}));
  EXPECT_EQ(event_type_globs(c.routes[0]), (std::vector<std::string>{"invoice.*", "customer.*"}));
  EXPECT_EQ(c.routes[1].from, "acme");
  EXPECT_EQ(c.routes[1].to, (std::vector<std::string>{"audit"}));
  EXPECT_EQ(event_type_globs(c.routes[1]), (std::vector<std::string>{"order.created"}));
  EXPECT_EQ(c.routes[2].from, "open");
  EXPECT_EQ(c.routes[2].to, (std::vector<std::string>{"audit"}));
  EXPECT_TRUE(c.routes[2].filter.empty());

  EXPECT_EQ(c.source_by_path("/in/acme"), &acme);
  EXPECT_EQ(c.source_by_path("/in/acme/"), nullptr);
  EXPECT_EQ(c.source_by_path("/in/nope"), nullptr);
  EXPECT_EQ(c.source_by_name("stripe"), &stripe);
  EXPECT_EQ(c.source_by_name("Stripe"), nullptr);
  EXPECT_EQ(c.destination_by_name("audit"), &audit);
  EXPECT_EQ(c.destination_by_name("nope"), nullptr);
}

TEST(LoadValid, MinimalConfigKeepsEveryDefault) {
  const auto result = load(testing::kMinimal);
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  const Config& c = *result.config;
  const ServerConfig server_defaults;
  ASSERT_EQ(c.server.listen.size(), 1u);
  EXPECT_EQ(c.server.listen[0].host, "0.0.0.0");
  EXPECT_EQ(c.server.listen[0].port, 8080);
  EXPECT_FALSE(c.server.listen[0].tls);
  EXPECT_EQ(c.server.max_body, server_defaults.max_body);
  EXPECT_EQ(c.server.max_body, 1u << 20);
  EXPECT_EQ(c.server.max_header_bytes, server_defaults.max_header_bytes);
  EXPECT_EQ(c.server.max_headers, server_defaults.max_headers);
  EXPECT_EQ(c.server.header_timeout, server_defaults.header_timeout);
  EXPECT_EQ(c.server.body_timeout, server_defaults.body_timeout);
  EXPECT_EQ(c.server.idle_timeout, server_defaults.idle_timeout);
  EXPECT_EQ(c.server.shutdown_grace, server_defaults.shutdown_grace);
  EXPECT_EQ(c.server.max_connections, server_defaults.max_connections);
  EXPECT_EQ(c.server.io_threads, 0u);
  EXPECT_FALSE(c.admin);
  EXPECT_EQ(c.storage.path, "/var/lib/hookgate/events.db");
  EXPECT_EQ(c.storage.synchronous, Synchronous::full);
  EXPECT_EQ(c.storage.max_batch, StorageConfig{}.max_batch);
  EXPECT_EQ(c.storage.queue_limit, StorageConfig{}.queue_limit);
  EXPECT_FALSE(c.storage.retention);
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.log.format, LogFormat::text);
  EXPECT_TRUE(c.sources.empty());
  EXPECT_TRUE(c.destinations.empty());
  EXPECT_TRUE(c.routes.empty());
}

TEST(LoadValid, DestinationDefaultsComeFromConfigH) {
  const auto result = load(std::string(testing::kMinimal) + "destinations: {d: {url: 'http://d'}}\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  const DestinationConfig& d = result.config->destinations.at(0);
  const DestinationConfig defaults;
  EXPECT_EQ(d.timeout, defaults.timeout);
  EXPECT_EQ(d.concurrency, defaults.concurrency);
  EXPECT_EQ(d.retry.schedule, defaults.retry.schedule);
  EXPECT_EQ(d.retry.schedule.size(), 7u);
  EXPECT_EQ(d.retry.jitter_percent, 20u);
  EXPECT_FALSE(d.retry.max_age);
  EXPECT_TRUE(d.headers.empty());
  EXPECT_EQ(d.ordering, Ordering::parallel);
  // Today's breaker: 5 in a row or half of the last 20, a probe after 10 s doubling to 1 min.
  EXPECT_EQ(d.circuit_breaker, (CircuitBreakerConfig{.failures = 5, .failure_rate = 50, .window = 20,
                                                     .probe_after = milliseconds(10'000),
                                                     .max_probe_after = milliseconds(60'000)}));
  EXPECT_EQ(d.endpoint.port, 80);
  EXPECT_EQ(d.endpoint.target, "/");
}

TEST(LoadValid, EmptySectionsReadAsDefaults) {
  const auto result = load(std::string(testing::kMinimal) + "server:\nlog:\nsources:\ndestinations:\nroutes:\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->server.listen.size(), 1u);
}

TEST(LoadValid, ListenAsASingleString) {
  const auto result = load(std::string(testing::kMinimal) + "server: {listen: '[::]:0'}\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  ASSERT_EQ(result.config->server.listen.size(), 1u);
  EXPECT_EQ(result.config->server.listen[0].host, "::");
  EXPECT_EQ(result.config->server.listen[0].port, 0);
}

TEST(LoadValid, JitterAsPlainNumberAndToleranceZero) {
  const auto result = load(std::string(testing::kMinimal) +
                           "sources: {s: {path: /s, verify: {provider: stripe, secrets: [x], tolerance: 0}}}\n"
                           "destinations: {d: {url: 'http://d', retry: {jitter: 35}}}\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->destinations[0].retry.jitter_percent, 35u);
  EXPECT_EQ(result.config->sources[0].verify.tolerance, std::chrono::seconds(0));
}

TEST(LoadValid, DollarDollarIsALiteralDollar) {
  const auto result = load(std::string(testing::kMinimal) +
                           "sources: {s: {path: /s, verify: {provider: stripe, secrets: ['pa$$word$${X}']}}}\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->sources[0].verify.secrets[0], "pa$word${X}");
}

TEST(LoadValid, FileSecretIsReadWithOneTrailingNewlineStripped) {
  TempDir dir;
  dir.write("secrets/stripe", "whsec_from_file\n\n");
  dir.write("secrets/github", "gh_from_file\r\n");
  dir.write("secrets/billing", "whsec_bm9fbmV3bGluZQ==");
  const auto absolute = dir.write("token", "admin-token\n");
  const std::string yaml = std::string(testing::kMinimal) +
                           "admin: {listen: '127.0.0.1:9090', token: 'file:" + absolute.string() + "'}\n"
                           "sources:\n"
                           "  stripe: {path: /s, verify: {provider: stripe, secrets: ['file:secrets/stripe']}}\n"
                           "  github: {path: /g, verify: {provider: github, secrets: ['file:secrets/github']}}\n"
                           "destinations: {d: {url: 'http://d', sign: {secret: 'file:secrets/billing'}}}\n";
  const auto result = load(yaml, dir.path().string());
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->sources[0].verify.secrets[0], "whsec_from_file\n");  // only one newline stripped
  EXPECT_EQ(result.config->sources[1].verify.secrets[0], "gh_from_file");
  EXPECT_EQ(result.config->destinations[0].sign_secret, "whsec_bm9fbmV3bGluZQ==");
  EXPECT_NE(result.config->destinations[0].signer, nullptr);
  EXPECT_EQ(result.config->admin->token, "admin-token");
}

TEST(LoadValid, LoadConfigReadsAFileAndResolvesPathsAgainstItsDirectory) {
  TempDir dir;
  dir.write("conf/secret", "s3cret\n");
  const auto file = dir.write("conf/hookgate.yaml",
                              "storage: {path: ../data/events.db}\n"
                              "sources: {s: {path: /s, verify: {provider: stripe, secrets: ['file:secret']}}}\n");
  const auto result = load_config(file.string(), &testing::fake_env);
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->file, file.string());
  EXPECT_EQ(result.config->storage.path, (dir.path() / "data/events.db").lexically_normal().string());
  EXPECT_EQ(result.config->sources[0].verify.secrets[0], "s3cret");
}

TEST(LoadValid, TextWithoutBaseDirKeepsRelativePaths) {
  const auto result = load_config_text("storage: {path: events.db}\n", "t.yaml", "", &testing::fake_env);
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->storage.path, "events.db");
}

TEST(LoadValid, DefaultEnvironmentIsTheProcessEnvironment) {
  ::setenv("HOOKGATE_CONFIG_TEST_DB", "/tmp/from-env.db", 1);
  const auto result = load_config_text("storage: {path: '${HOOKGATE_CONFIG_TEST_DB}'}\n", "t.yaml", "");
  ::unsetenv("HOOKGATE_CONFIG_TEST_DB");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->storage.path, "/tmp/from-env.db");
}

TEST(LoadValid, StorageUrlSelectsPostgresAsUriOrKeyValueWithSubstitution) {
  auto result = load("storage:\n  url: 'postgresql://hookgate:${ADMIN_TOKEN}@db1:5432,db2:5432/events"
                     "?target_session_attrs=read-write'\n  max_batch: 256\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_TRUE(result.config->storage.is_postgres());
  EXPECT_EQ(result.config->storage.url, std::string("postgresql://hookgate:") + testing::kAdminToken +
                                            "@db1:5432,db2:5432/events?target_session_attrs=read-write");
  EXPECT_EQ(result.config->storage.path, "");
  EXPECT_EQ(result.config->storage.max_batch, 256u);

  result = load("storage: {url: 'host=/run/postgresql dbname=hookgate'}\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->storage.url, "host=/run/postgresql dbname=hookgate");
}

}  // namespace
}  // namespace hookgate::config

namespace hookgate::config {
namespace {

TEST(LoadValid, RouteBodyFilters) {
  const auto result = testing::load(std::string(testing::kMinimal) +
      "sources: {s: {path: /s, verify: none}}\n"
      "destinations: {d: {url: 'http://d'}}\n"
      "routes:\n"
      "  - from: s\n"
      "    to: d\n"
      "    filter:\n"
      "      body:\n"
      "        - {pointer: /data/object/currency, equals: usd}\n"
      "        - {pointer: /amount, in: [100, 200]}\n"
      "        - {pointer: /customer, exists: true}\n"
      "        - {pointer: /test, exists: false}\n");
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(testing::error_lines(result));
  const auto& body = result.config->routes[0].filter.root().children;
  ASSERT_EQ(body.size(), 4u);
  EXPECT_EQ(body[0].test.key, "/data/object/currency");
  EXPECT_EQ(body[0].test.op, filter::Op::equals);
  EXPECT_TRUE(body[0].test.text_equality);  // as before the map form: text only
  ASSERT_EQ(body[0].test.operands.size(), 1u);
  EXPECT_EQ(body[0].test.operands[0].text, "usd");
  ASSERT_EQ(body[1].test.operands.size(), 2u);
  EXPECT_EQ(body[1].test.operands[1].text, "200");
  EXPECT_EQ(body[2].test.op, filter::Op::exists);
  EXPECT_TRUE(body[2].test.exists);
  EXPECT_EQ(body[3].test.op, filter::Op::exists);
  EXPECT_FALSE(body[3].test.exists);
}

TEST(LoadValid, RouteBodyFilterErrorsNameTheCondition) {
  const auto result = testing::load(std::string(testing::kMinimal) +
      "sources: {s: {path: /s, verify: none}}\n"
      "destinations: {d: {url: 'http://d'}}\n"
      "routes:\n"
      "  - {from: s, to: d, filter: {body: [{pointer: currency, equals: usd}, {pointer: /a, equals: 1, exists: true}]}}\n");
  const auto lines = testing::error_lines(result);
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("routes[0].filter.body[0].pointer: a JSON pointer starts with '/'"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("routes[0].filter.body[1]: give exactly one of equals, in, exists"), std::string::npos) << lines[1];
}

}  // namespace
}  // namespace hookgate::config
