// Loading invalid configs: each kind of error names file:line:col, the key path and the
// problem; every error is reported, in file order; secret values never appear.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::error_lines;
using testing::load;
using testing::TempDir;

// The one error of a load that must fail.
std::string only_error(const LoadResult& result) {
  EXPECT_EQ(result.config, nullptr);
  EXPECT_EQ(result.errors.size(), 1u) << ::testing::PrintToString(error_lines(result));
  return result.errors.empty() ? std::string() : result.errors.front().to_string();
}

std::string with_minimal(const std::string& yaml) { return std::string(testing::kMinimal) + yaml; }

TEST(ConfigErrorText, FormatsPositionAndPath) {
  ConfigError e{"h.yaml", 12, 5, "sources.stripe.verify", "unknown key 'secret'"};
  EXPECT_EQ(e.to_string(), "h.yaml:12:5: sources.stripe.verify: unknown key 'secret'");
  EXPECT_EQ((ConfigError{"h.yaml", 0, 0, "", "cannot read file: x"}).to_string(), "h.yaml: cannot read file: x");
  EXPECT_EQ((ConfigError{"h.yaml", 3, 1, "", "m"}).to_string(), "h.yaml:3:1: m");
}

TEST(LoadErrors, UnknownKeyIsReportedAtTheKeyWithASuggestion) {
  const auto result = load(with_minimal("sources:\n"
                                        "  stripe:\n"
                                        "    path: /in/stripe\n"
                                        "    verify:\n"
                                        "      provider: stripe\n"
                                        "      secret: [abc]\n"));
  EXPECT_EQ(only_error(result),
            "hookgate.yaml:7:7: sources.stripe.verify: unknown key 'secret' (did you mean 'secrets'?)");
  const ConfigError& e = result.errors.at(0);
  EXPECT_EQ(e.file, "hookgate.yaml");
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.column, 7);
  EXPECT_EQ(e.key_path, "sources.stripe.verify");
}

TEST(LoadErrors, UnknownTopLevelKeyWithoutSuggestion) {
  EXPECT_EQ(only_error(load(with_minimal("telemetry: {on: true}\n"))), "hookgate.yaml:2:1: unknown key 'telemetry'");
  EXPECT_EQ(only_error(load(with_minimal("route: []\n"))),
            "hookgate.yaml:2:1: unknown key 'route' (did you mean 'routes'?)");
}

TEST(LoadErrors, WrongTypes) {
  EXPECT_EQ(only_error(load(with_minimal("server: [a, b]\n"))), "hookgate.yaml:2:9: server: expected a map, got a list");
  EXPECT_EQ(only_error(load(with_minimal("server: {max_headers: {a: 1}}\n"))),
            "hookgate.yaml:2:23: server.max_headers: expected a string, got a map");
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: {a: b}}}}\n"))),
            "hookgate.yaml:2:61: sources.s.verify.secrets: expected a list of strings, got a map");
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: [[x]]}}}\n"))),
            "hookgate.yaml:2:62: sources.s.verify.secrets[0]: expected a string, got a list");
  EXPECT_EQ(only_error(load(with_minimal("routes: {from: a}\n"))), "hookgate.yaml:2:9: routes: expected a list, got a map");
  EXPECT_EQ(only_error(load("- a\n- b\n")), "hookgate.yaml:1:1: expected a map, got a list");
}

TEST(LoadErrors, SecretsGivenAsAStringSaysToUseAList) {
  const auto result = load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: '${STRIPE_SECRET}'}}}\n"));
  EXPECT_EQ(only_error(result),
            "hookgate.yaml:2:61: sources.s.verify.secrets: expected a list of strings, e.g. [\"${SECRET}\"]");
}

TEST(LoadErrors, MissingValue) {
  EXPECT_EQ(only_error(load(with_minimal("server:\n  max_body:\n"))), "hookgate.yaml:3:3: server.max_body: missing value");
}

TEST(LoadErrors, BadDuration) {
  EXPECT_EQ(only_error(load(with_minimal("server:\n  idle_timeout: 5 minutes\n"))),
            "hookgate.yaml:3:17: server.idle_timeout: invalid duration '5 minutes': unknown unit 'minutes' "
            "(use ms, s, m, h or d)");
  EXPECT_EQ(only_error(load(with_minimal("server: {header_timeout: -1s}\n"))),
            "hookgate.yaml:2:26: server.header_timeout: invalid duration '-1s': must not be negative");
  EXPECT_EQ(only_error(load(with_minimal("server: {header_timeout: 0}\n"))),
            "hookgate.yaml:2:26: server.header_timeout: must be greater than 0, got '0'");
  EXPECT_EQ(only_error(load(with_minimal("server: {header_timeout: 2d}\n"))),
            "hookgate.yaml:2:26: server.header_timeout: must be at most 1d, got '2d'");
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: [x], tolerance: 1500ms}}}\n"))),
            "hookgate.yaml:2:77: sources.s.verify.tolerance: tolerance must be a whole number of seconds");
}

TEST(LoadErrors, BadDurationFromTheEnvironmentQuotesTheReferenceNotTheValue) {
  const auto result = load(with_minimal("destinations: {d: {url: 'http://d', timeout: '${TIMEOUT}'}}\n"));
  EXPECT_EQ(only_error(result),
            "hookgate.yaml:2:46: destinations.d.timeout: invalid duration '${TIMEOUT}' (after substitution): "
            "unknown unit 'minutes' (use ms, s, m, h or d)");
}

TEST(LoadErrors, BadSize) {
  EXPECT_EQ(only_error(load(with_minimal("server: {max_body: 1MB}\n"))),
            "hookgate.yaml:2:20: server.max_body: invalid size '1MB': unknown unit 'MB' "
            "(use K/KiB, M/MiB or G/GiB; units are binary, 1K = 1024)");
  EXPECT_EQ(only_error(load(with_minimal("server: {max_body: 2GiB}\n"))),
            "hookgate.yaml:2:20: server.max_body: must be between 1 and 1GiB, got '2GiB'");
  EXPECT_EQ(only_error(load(with_minimal("server: {max_body: 0}\n"))),
            "hookgate.yaml:2:20: server.max_body: must be between 1 and 1GiB, got '0'");
  EXPECT_EQ(only_error(load(with_minimal("server: {max_body: 99999999999999999999999}\n"))),
            "hookgate.yaml:2:20: server.max_body: invalid size '99999999999999999999999': number too large");
}

TEST(LoadErrors, RangesAndEnums) {
  EXPECT_EQ(only_error(load(with_minimal("server: {io_threads: 257}\n"))),
            "hookgate.yaml:2:22: server.io_threads: must be between 0 and 256, got '257'");
  EXPECT_EQ(only_error(load("storage: {path: /x, max_batch: 0}\n")),
            "hookgate.yaml:1:32: storage.max_batch: must be between 1 and 100000, got '0'");
  EXPECT_EQ(only_error(load("storage: {path: /x, synchronous: fulll}\n")),
            "hookgate.yaml:1:34: storage.synchronous: invalid value 'fulll' (expected full or normal); "
            "did you mean 'full'?");
  EXPECT_EQ(only_error(load(with_minimal("log: {level: verbose}\n"))),
            "hookgate.yaml:2:14: log.level: invalid value 'verbose' (expected trace, debug, info, warn, error or off)");
  EXPECT_EQ(only_error(load(with_minimal("destinations: {d: {url: 'http://d', concurrency: 0}}\n"))),
            "hookgate.yaml:2:50: destinations.d.concurrency: must be between 1 and 10000, got '0'");
  EXPECT_EQ(only_error(load(with_minimal("destinations: {d: {url: 'http://d', retry: {jitter: 150%}}}\n"))),
            "hookgate.yaml:2:53: destinations.d.retry.jitter: invalid percentage '150%': must be between 0% and 100%");
  EXPECT_EQ(only_error(load(with_minimal("destinations: {d: {url: 'http://d', retry: {retry_status: [404, 500]}}}\n"))),
            "hookgate.yaml:2:65: destinations.d.retry.retry_status[1]: must be between 400 and 499, got '500'");
}

TEST(LoadErrors, CircuitBreakerSettings) {
  const auto breaker = [](const std::string& settings) {
    return only_error(load(with_minimal("destinations: {d: {url: 'http://d', circuit_breaker: {" + settings + "}}}\n")));
  };
  EXPECT_EQ(breaker("window: 65"), "hookgate.yaml:2:63: destinations.d.circuit_breaker.window: must be between 2 and 64, got '65'");
  EXPECT_EQ(breaker("failures: 0"),
            "hookgate.yaml:2:65: destinations.d.circuit_breaker.failures: must be between 1 and 1000, got '0'");
  EXPECT_EQ(breaker("failure_rate: 0%"),
            "hookgate.yaml:2:69: destinations.d.circuit_breaker.failure_rate: a failure rate of 0% would keep the "
            "circuit open: give 1% to 100%");
  EXPECT_EQ(breaker("probe_after: 2m, max_probe_after: 1m"),
            "hookgate.yaml:2:89: destinations.d.circuit_breaker.max_probe_after: max_probe_after must not be "
            "shorter than probe_after");
  EXPECT_THAT(breaker("probes: 3"), HasSubstr("destinations.d.circuit_breaker: unknown key 'probes'"));
}

TEST(LoadErrors, BadAddressesAndUrls) {
  EXPECT_EQ(only_error(load(with_minimal("server: {listen: [localhost:8080]}\n"))),
            "hookgate.yaml:2:19: server.listen[0]: invalid address 'localhost:8080': host must be an IP address "
            "(e.g. 0.0.0.0, 127.0.0.1 or [::1])");
  EXPECT_EQ(only_error(load(with_minimal("server: {listen: []}\n"))),
            "hookgate.yaml:2:18: server.listen: at least one listener is required");
  EXPECT_EQ(only_error(load(with_minimal("server: {listen: ['127.0.0.1:80', {address: '127.0.0.1:80'}]}\n"))),
            "hookgate.yaml:2:35: server.listen[1]: same address as server.listen[0]");
  EXPECT_EQ(only_error(load(with_minimal("server: {listen: [{address: '0.0.0.0:1', tls: {cert: c}}]}\n"))),
            "hookgate.yaml:2:47: server.listen[0].tls: missing required key 'key'");
  EXPECT_EQ(only_error(load(with_minimal("destinations: {d: {url: 'ftp://d/x'}}\n"))),
            "hookgate.yaml:2:25: destinations.d.url: invalid URL: unsupported scheme (use http:// or https://)");
  EXPECT_EQ(only_error(load(with_minimal("destinations: {d: {timeout: 5s}}\n"))),
            "hookgate.yaml:2:19: destinations.d: missing required key 'url'");
}

TEST(LoadErrors, UrlWithCredentialsIsNotQuoted) {
  const auto result = load(with_minimal("destinations: {d: {url: 'http://user:hunter2@d/'}}\n"));
  EXPECT_EQ(only_error(result),
            "hookgate.yaml:2:25: destinations.d.url: invalid URL: credentials in the URL are not supported "
            "(send them with `headers`)");
}

TEST(LoadErrors, MissingVerifyBlock) {
  const auto result = load(with_minimal("sources:\n"
                                        "  stripe:\n"
                                        "    path: /in/stripe\n"));
  EXPECT_EQ(only_error(result),
            "hookgate.yaml:4:5: sources.stripe: no verify block (write `verify: none` to accept unsigned requests)");
}

TEST(LoadErrors, VerifyScalarOtherThanNone) {
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: off}}\n"))),
            "hookgate.yaml:2:33: sources.s.verify: expected a map, or 'none' to accept unsigned requests");
}

TEST(LoadErrors, VerifierBuildErrorIsReportedAtTheVerifyNode) {
  const auto result = load(with_minimal("sources:\n"
                                        "  s:\n"
                                        "    path: /s\n"
                                        "    verify:\n"
                                        "      provider: stripe\n"
                                        "      secrets: ['${STRIPE_SECRET}']\n"
                                        "      verify_token: t\n"));
  ASSERT_EQ(result.errors.size(), 1u) << ::testing::PrintToString(error_lines(result));
  const ConfigError& e = result.errors[0];
  EXPECT_EQ(e.line, 6);  // the verify map starts at its first key
  EXPECT_EQ(e.column, 7);
  EXPECT_EQ(e.key_path, "sources.s.verify");
  EXPECT_THAT(e.message, HasSubstr("verify_token is only used by Meta"));
  EXPECT_THAT(e.to_string(), Not(HasSubstr(testing::kStripeSecret)));
}

TEST(LoadErrors, VerifyBlockErrorsAreNotRepeatedByTheBuilder) {
  // The bad algorithm is the only error: build_verifier is not asked about a broken spec.
  const auto result = load(with_minimal("sources: {s: {path: /s, verify: {hmac: {header: X-Sig, algorithm: md5}, "
                                        "secrets: [x]}}}\n"));
  EXPECT_EQ(only_error(result),
            "hookgate.yaml:2:67: sources.s.verify.hmac.algorithm: invalid value 'md5' "
            "(expected sha1, sha256 or sha512)");
}

TEST(LoadErrors, EventFieldNeedsExactlyOneLocation) {
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: none, event_id: {header: A, json: /id}}}\n"))),
            "hookgate.yaml:2:49: sources.s.event_id: expected exactly one of 'header' or 'json'");
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: none, event_type: {json: type}}}\n"))),
            "hookgate.yaml:2:58: sources.s.event_type.json: invalid JSON pointer 'type' (expected e.g. /type or /data/id)");
}

TEST(LoadErrors, DuplicateSourcePath) {
  const auto result = load(with_minimal("sources:\n"
                                        "  a: {path: /in/x, verify: none}\n"
                                        "  b: {path: /in/x, verify: none}\n"));
  EXPECT_EQ(only_error(result), "hookgate.yaml:4:13: sources.b.path: path '/in/x' is already used by source 'a'");
}

TEST(LoadErrors, InvalidSourcePathAndName) {
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: in/x, verify: none}}\n"))),
            "hookgate.yaml:2:21: sources.s.path: invalid path 'in/x': must start with '/' and contain no spaces, '?' or '#'");
  EXPECT_EQ(only_error(load(with_minimal("sources: {Stripe: {path: /x, verify: none}}\n"))),
            "hookgate.yaml:2:11: sources.Stripe: invalid source name 'Stripe': use 1 to 64 lowercase letters, "
            "digits, '_' or '-'");
}

TEST(LoadErrors, UnknownRouteSourceAndDestination) {
  const auto result = load(with_minimal("sources: {s: {path: /s, verify: none}}\n"
                                        "destinations: {d: {url: 'http://d'}}\n"
                                        "routes:\n"
                                        "  - from: stripe\n"
                                        "    to: [d, billing, d]\n"));
  EXPECT_EQ(result.config, nullptr);
  EXPECT_THAT(error_lines(result),
              ElementsAre("hookgate.yaml:5:11: routes[0].from: unknown source 'stripe'",
                          "hookgate.yaml:6:13: routes[0].to[1]: unknown destination 'billing'",
                          "hookgate.yaml:6:22: routes[0].to[2]: destination 'd' is listed twice"));
}

TEST(LoadErrors, RouteWithoutDestinations) {
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: none}}\nroutes: [{from: s, to: []}]\n"))),
            "hookgate.yaml:3:24: routes[0].to: at least one destination is required");
  EXPECT_EQ(only_error(load(with_minimal("sources: {s: {path: /s, verify: none}}\nroutes: [{from: s}]\n"))),
            "hookgate.yaml:3:10: routes[0]: missing required key 'to'");
}

TEST(LoadErrors, UnsetEnvironmentVariableIsNamed) {
  const auto result = load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: ['${NOPE}']}}}\n"));
  EXPECT_EQ(only_error(result), "hookgate.yaml:2:62: sources.s.verify.secrets[0]: environment variable 'NOPE' is not set");
}

TEST(LoadErrors, InterpolationSyntax) {
  EXPECT_EQ(only_error(load(with_minimal("log: {level: '${LEVEL'}\n"))),
            "hookgate.yaml:2:14: log.level: unterminated '${' (write '$$' for a literal '$')");
  EXPECT_EQ(only_error(load(with_minimal("log: {level: '${LOG-LEVEL}'}\n"))),
            "hookgate.yaml:2:14: log.level: invalid environment variable name in '${...}' (use letters, digits "
            "and '_'; write '$$' for a literal '$')");
}

TEST(LoadErrors, EmptySecretFromTheEnvironment) {
  EXPECT_EQ(only_error(load(with_minimal("destinations: {d: {url: 'http://d', sign: {secret: '${EMPTY}'}}}\n"))),
            "hookgate.yaml:2:52: destinations.d.sign.secret: secret is empty");
}

TEST(LoadErrors, MissingFileSecretNamesThePath) {
  TempDir dir;
  const auto result = load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: ['file:nope/secret']}}}\n"),
                           dir.path().string());
  EXPECT_EQ(only_error(result), "hookgate.yaml:2:62: sources.s.verify.secrets[0]: cannot read secret file '" +
                                    (dir.path() / "nope/secret").string() + "': No such file or directory");
}

// Found by the config_load fuzzer: `file:` paths built from ${NAME}s were shown resolved,
// carrying the variables' values into the message.
TEST(LoadErrors, MissingSecretFileWhosePathHasASubstitutionIsNotShown) {
  TempDir dir;
  const auto result = load(with_minimal("sources: {s: {path: /s, verify: {provider: stripe, secrets: ['file:/${STRIPE_SECRET}/x']}}}\n"),
                           dir.path().string());
  EXPECT_EQ(only_error(result), "hookgate.yaml:2:62: sources.s.verify.secrets[0]: cannot read the secret file this "
                                "value names after substitution (path not shown: it holds environment values): "
                                "No such file or directory");
  EXPECT_EQ(only_error(result).find(testing::kStripeSecret), std::string::npos);
}

TEST(LoadErrors, SecretFileThatIsADirectory) {
  TempDir dir;
  const auto result = load(with_minimal("admin: {listen: '127.0.0.1:1', token: 'file:.'}\n"), dir.path().string());
  EXPECT_EQ(only_error(result), "hookgate.yaml:2:39: admin.token: cannot read secret file '" +
                                    (dir.path() / ".").lexically_normal().string() + "': Is a directory");
}

TEST(LoadErrors, YamlSyntaxErrorIsOneErrorWithItsPosition) {
  const auto result = load("storage: {path: /x}\nsources: [a\nroutes: []\n");
  ASSERT_EQ(result.errors.size(), 1u);
  const ConfigError& e = result.errors[0];
  EXPECT_EQ(e.file, "hookgate.yaml");
  EXPECT_GT(e.line, 0);
  EXPECT_GT(e.column, 0);
  EXPECT_EQ(e.key_path, "");
  EXPECT_THAT(e.message, HasSubstr("YAML syntax error: "));
  EXPECT_EQ(only_error(load("storage:\n  path: /x\n\tmax_batch: 3\n")),
            "hookgate.yaml:3:1: YAML syntax error: illegal tab when looking for indentation");
}

TEST(LoadErrors, SecondYamlDocumentIsRejected) {
  EXPECT_EQ(only_error(load("storage: {path: /x}\n---\nstorage: {path: /y}\n")),
            "hookgate.yaml:3:1: only one YAML document is allowed (found '---' starting another)");
}

TEST(LoadErrors, DuplicateKeysAreReportedAtTheSecondOccurrence) {
  const auto result = load("storage:\n"
                           "  path: /a\n"
                           "  path: /b\n"
                           "sources:\n"
                           "  s: {path: /s, verify: none}\n"
                           "  s: {path: /t, verify: none}\n");
  EXPECT_THAT(error_lines(result),
              ElementsAre("hookgate.yaml:3:3: storage.path: duplicate key 'path' (first defined at line 2)",
                          "hookgate.yaml:6:3: sources.s: duplicate key 's' (first defined at line 5)"));
}

TEST(LoadErrors, MissingStorageAndEmptyDocument) {
  EXPECT_EQ(only_error(load("log: {level: info}\n")),
            "hookgate.yaml:1:1: missing required key 'storage' (storage.path or storage.url)");
  EXPECT_EQ(only_error(load("storage: {max_batch: 3}\n")), "hookgate.yaml:1:10: storage: missing required key 'path' (a SQLite file) or 'url' (PostgreSQL)");
  EXPECT_EQ(only_error(load("")), "hookgate.yaml: missing required key 'storage' (storage.path or storage.url)");
}

TEST(LoadErrors, AdminNeedsListenAndToken) {
  EXPECT_EQ(only_error(load(with_minimal("admin: {listen: '127.0.0.1:9090'}\n"))),
            "hookgate.yaml:2:8: admin: missing required key 'token'");
  EXPECT_EQ(only_error(load(with_minimal("admin: {listen: '0.0.0.0:8080', token: t}\n"))),
            "hookgate.yaml:2:17: admin.listen: address already used by server.listen[0]");
}

TEST(LoadErrors, ReservedAndMalformedDestinationHeaders) {
  const auto result = load(with_minimal("destinations:\n"
                                        "  d:\n"
                                        "    url: http://d\n"
                                        "    headers:\n"
                                        "      Content-Length: '5'\n"
                                        "      X-Token: \"a\\r\\nInjected: ${GITHUB_SECRET}\"\n"
                                        "      x-team: a\n"
                                        "      X-Team: b\n"));
  EXPECT_THAT(error_lines(result),
              ElementsAre("hookgate.yaml:6:7: destinations.d.headers.Content-Length: header 'Content-Length' is set by hookgate",
                          "hookgate.yaml:7:16: destinations.d.headers.X-Token: header value contains CR, LF or NUL",
                          "hookgate.yaml:9:7: destinations.d.headers.X-Team: header 'X-Team' is set twice"));
  for (const auto& line : error_lines(result)) EXPECT_THAT(line, Not(HasSubstr(testing::kGithubSecret)));
}

TEST(LoadErrors, MissingConfigFile) {
  TempDir dir;
  const std::string path = (dir.path() / "absent.yaml").string();
  const auto result = load_config(path, &testing::fake_env);
  EXPECT_EQ(only_error(result), path + ": cannot read file: No such file or directory");
  EXPECT_EQ(result.errors.at(0).line, 0);
}

TEST(LoadErrors, SeveralErrorsAreAllReportedInFileOrder) {
  // Routes are checked after sources and destinations, but the errors come out in file order.
  const auto result = load("routes:\n"
                           "  - {from: nope, to: [d]}\n"
                           "server:\n"
                           "  max_body: 1MB\n"
                           "  max_headerz: 3\n"
                           "storage: {path: /x}\n"
                           "sources:\n"
                           "  s: {path: /s, verify: {provider: stripe, secrets: ['${STRIPE_SECRET}', '${NOPE}']}}\n"
                           "destinations:\n"
                           "  d: {url: 'http://d', timeout: soon}\n");
  EXPECT_EQ(result.config, nullptr);
  EXPECT_THAT(error_lines(result),
              ElementsAre("hookgate.yaml:2:12: routes[0].from: unknown source 'nope'",
                          "hookgate.yaml:4:13: server.max_body: invalid size '1MB': unknown unit 'MB' "
                          "(use K/KiB, M/MiB or G/GiB; units are binary, 1K = 1024)",
                          "hookgate.yaml:5:3: server: unknown key 'max_headerz' (did you mean 'max_headers'?)",
                          "hookgate.yaml:8:74: sources.s.verify.secrets[1]: environment variable 'NOPE' is not set",
                          "hookgate.yaml:10:33: destinations.d.timeout: invalid duration 'soon': expected a number "
                          "followed by a unit: ms, s, m, h or d (e.g. 250ms, 5s, 5m)"));
}

TEST(LoadErrors, StoragePathAndUrlExcludeEachOther) {
  EXPECT_EQ(only_error(load("storage:\n  path: /x.db\n  url: postgresql://db/hookgate\n")),
            "hookgate.yaml:3:8: storage.url: storage.path (SQLite) and storage.url (PostgreSQL) exclude each other; "
            "keep one");
}

TEST(LoadErrors, StorageUrlMustBeALibpqConnectionStringAndIsNeverQuoted) {
  const std::string error = only_error(load("storage:\n  url: \"postgresql://u:hunter2%zz@db/x\"\n"));
  EXPECT_EQ(error, "hookgate.yaml:2:8: storage.url: not a libpq connection string: write "
                   "postgresql://user@host:5432/db?option=value or 'host=... dbname=...'");
  EXPECT_THAT(error_lines(load("storage:\n  url: \"host=db password\"\n")),
              ElementsAre(::testing::HasSubstr("storage.url: not a libpq connection string")));
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
}

TEST(LoadErrors, SqliteOnlyStorageSettingsAreRefusedWithAUrl) {
  const auto result = load("storage:\n  url: postgresql://db/x\n  synchronous: normal\n  max_size: 1G\n");
  EXPECT_THAT(error_lines(result),
              ElementsAre("hookgate.yaml:3:16: storage.synchronous: applies to SQLite (storage.path) only; "
                          "PostgreSQL's durability and size are the server's settings",
                          "hookgate.yaml:4:13: storage.max_size: applies to SQLite (storage.path) only; "
                          "PostgreSQL's durability and size are the server's settings"));
}

TEST(LoadErrors, MergeKeysAreNamedAsUnsupported) {
  const auto result = load("defaults: &d {path: /x}\nstorage:\n  <<: *d\n");
  EXPECT_THAT(error_lines(result),
              ElementsAre("hookgate.yaml:1:1: unknown key 'defaults'",
                          "hookgate.yaml:3:3: storage: YAML merge keys ('<<') are not supported",
                          "hookgate.yaml:3:3: storage: missing required key 'path' (a SQLite file) or 'url' (PostgreSQL)"));
}

TEST(LoadErrors, DeeplyNestedInputIsAnErrorNotACrash) {
  const std::string deep = "storage: " + std::string(100'000, '[');
  const auto result = load(deep);
  EXPECT_EQ(result.config, nullptr);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].message, HasSubstr("YAML syntax error: "));
}

TEST(LoadErrors, InvalidDestinationName) {
  EXPECT_EQ(only_error(load(with_minimal("destinations: {'bill ing': {url: 'http://d'}}\n"))),
            "hookgate.yaml:2:16: destinations.bill ing: invalid destination name 'bill ing': use 1 to 64 lowercase "
            "letters, digits, '_' or '-'");
}

TEST(LoadErrors, SecretValuesNeverAppearInErrors) {
  // Every secret-bearing field, each made invalid in a way that could tempt a message to quote it.
  const auto result = load(with_minimal(
      "admin: {listen: 'nope', token: '${ADMIN_TOKEN}'}\n"
      "sources:\n"
      "  s: {path: /s, verify: {provider: no-such-vendor, secrets: ['${STRIPE_SECRET}', 'literal-secret-value']}}\n"
      "  t: {path: '${GITHUB_SECRET}', verify: none}\n"
      "destinations:\n"
      "  d: {url: 'http://x/${BILLING_SECRET}#f', sign: {secret: '${BILLING_SECRET}'}, timeout: '${STRIPE_SECRET}'}\n"));
  ASSERT_GE(result.errors.size(), 4u) << ::testing::PrintToString(error_lines(result));
  for (const auto& line : error_lines(result)) {
    EXPECT_THAT(line, Not(HasSubstr(testing::kStripeSecret)));
    EXPECT_THAT(line, Not(HasSubstr(testing::kGithubSecret)));
    EXPECT_THAT(line, Not(HasSubstr(testing::kBillingSecret)));
    EXPECT_THAT(line, Not(HasSubstr(testing::kAdminToken)));
    EXPECT_THAT(line, Not(HasSubstr("literal-secret-value")));
  }
}

}  // namespace
}  // namespace hookgate::config

namespace hookgate::config {
namespace {

TEST(LoadErrors, OutboundSigningSecretMustBeAStandardWebhooksKey) {
  const auto result = load(std::string(testing::kMinimal) +
                           "destinations:\n"
                           "  d: {url: 'http://d', sign: {secret: 'plain-text-secret'}}\n");
  const std::string error = only_error(result);
  EXPECT_THAT(error, HasSubstr("destinations.d.sign.secret: not a Standard Webhooks secret"));
  EXPECT_THAT(error, Not(HasSubstr("plain-text-secret")));
}

TEST(LoadErrors, DestinationTlsAndForwardHeadersAreChecked) {
  const auto result = load(std::string(testing::kMinimal) +
                           "destinations:\n"
                           "  d: {url: 'https://d', forward_headers: ['X-Ok', 'bad header'], tls: {verify: maybe}}\n");
  EXPECT_EQ(result.config, nullptr);
  const auto lines = error_lines(result);
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("destinations.d.forward_headers[1]: invalid header name"));
  EXPECT_THAT(lines[1], HasSubstr("destinations.d.tls.verify"));
}

}  // namespace
}  // namespace hookgate::config
