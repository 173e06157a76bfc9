// server.listen[].tls (with SNI certificates) and server.http2: shapes, defaults, errors.
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using testing::error_lines;
using testing::load;

std::string with_minimal(const std::string& yaml) { return std::string(testing::kMinimal) + yaml; }

std::vector<std::string> errors_of(const std::string& yaml) {
  const auto result = load(with_minimal(yaml));
  EXPECT_EQ(result.config, nullptr);
  return error_lines(result);
}

TEST(TlsConfig, DefaultCertificateAndSniCertificatesResolveAgainstTheConfigDirectory) {
  const auto result = load(with_minimal(R"(server:
  listen:
    - address: 0.0.0.0:8443
      tls:
        cert: tls/default.crt
        key: tls/default.key
        certificates:
          - {cert: tls/api.crt, key: /etc/ssl/api.key}
          - cert: /etc/ssl/hooks.crt
            key: hooks.key
)"));
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  const auto& tls = result.config->server.listen.at(0).tls;
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->cert, "/etc/hookgate/tls/default.crt");
  EXPECT_EQ(tls->key, "/etc/hookgate/tls/default.key");
  ASSERT_EQ(tls->certificates.size(), 2u);
  EXPECT_EQ(tls->certificates[0].cert, "/etc/hookgate/tls/api.crt");
  EXPECT_EQ(tls->certificates[0].key, "/etc/ssl/api.key");
  EXPECT_EQ(tls->certificates[1].cert, "/etc/ssl/hooks.crt");
  EXPECT_EQ(tls->certificates[1].key, "/etc/hookgate/hooks.key");
}

TEST(TlsConfig, OneCertificateNeedsNoList) {
  const auto result = load(with_minimal("server: {listen: [{address: '0.0.0.0:8443', tls: {cert: a.crt, key: a.key}}]}\n"));
  ASSERT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  EXPECT_TRUE(result.config->server.listen[0].tls->certificates.empty());
}

TEST(TlsConfig, UnknownKeysAndMissingFilesAreErrorsWithPositions) {
  EXPECT_EQ(errors_of("server: {listen: [{address: '0.0.0.0:1', tls: {cert: c, key: k, ciphers: x}}]}\n"),
            std::vector<std::string>{"hookgate.yaml:2:65: server.listen[0].tls: unknown key 'ciphers'"});
  EXPECT_EQ(errors_of("server:\n"
                      "  listen:\n"
                      "    - address: 0.0.0.0:1\n"
                      "      tls:\n"
                      "        cert: c\n"
                      "        key: k\n"
                      "        certificates:\n"
                      "          - {cert: b}\n"
                      "          - {cert: d, key: e, keys: f}\n"
                      "          - plain.pem\n"),
            (std::vector<std::string>{
                "hookgate.yaml:9:13: server.listen[0].tls.certificates[0]: missing required key 'key'",
                "hookgate.yaml:10:31: server.listen[0].tls.certificates[1]: unknown key 'keys' (did you mean 'key'?)",
                "hookgate.yaml:11:13: server.listen[0].tls.certificates[2]: expected a map, got a string",
            }));
  EXPECT_EQ(errors_of("server: {listen: [{address: '0.0.0.0:1', tls: {key: k}}]}\n"),
            std::vector<std::string>{"hookgate.yaml:2:47: server.listen[0].tls: missing required key 'cert'"});
  EXPECT_EQ(errors_of("server: {listen: [{address: '0.0.0.0:1', tls: {cert: c, key: k, certificates: x}}]}\n"),
            std::vector<std::string>{"hookgate.yaml:2:79: server.listen[0].tls.certificates: expected a list, got a string"});
}

TEST(Http2Config, DefaultsFollowTheHttp1HeadLimits) {
  const auto plain = load(testing::kMinimal);
  ASSERT_TRUE(plain.config);
  EXPECT_EQ(plain.config->server.http2.max_concurrent_streams, 100u);
  EXPECT_EQ(plain.config->server.http2.max_header_list_size, 16384u + 32 * 100);

  const auto derived = load(with_minimal("server: {max_header_bytes: 4KiB, max_headers: 10, http2: {}}\n"));
  ASSERT_TRUE(derived.config) << ::testing::PrintToString(error_lines(derived));
  EXPECT_EQ(derived.config->server.http2.max_header_list_size, 4096u + 320);
  EXPECT_EQ(derived.config->server.http2.max_concurrent_streams, 100u);
}

TEST(Http2Config, ExplicitValues) {
  const auto result = load(with_minimal("server: {http2: {max_concurrent_streams: 250, max_header_list_size: 64KiB}}\n"));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->server.http2.max_concurrent_streams, 250u);
  EXPECT_EQ(result.config->server.http2.max_header_list_size, 65536u);
}

TEST(Http2Config, BoundsAndUnknownKeys) {
  EXPECT_EQ(errors_of("server: {http2: {max_concurrent_streams: 0}}\n"),
            std::vector<std::string>{
                "hookgate.yaml:2:42: server.http2.max_concurrent_streams: must be between 1 and 10000, got '0'"});
  EXPECT_EQ(errors_of("server: {http2: {max_header_list_size: 2MiB}}\n"),
            std::vector<std::string>{
                "hookgate.yaml:2:40: server.http2.max_header_list_size: must be between 256 and 1MiB, got '2MiB'"});
  EXPECT_EQ(errors_of("server: {http2: {max_streams: 5}}\n"),
            std::vector<std::string>{"hookgate.yaml:2:18: server.http2: unknown key 'max_streams'"});
  EXPECT_EQ(errors_of("server: {http2: on}\n"),
            std::vector<std::string>{"hookgate.yaml:2:17: server.http2: expected a map, got a string"});
}

}  // namespace
}  // namespace hookgate::config
