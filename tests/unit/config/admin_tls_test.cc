// admin.listen: the short form, and the map form with tls that server listeners have.
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

TEST(AdminListenConfig, TheShortFormHasNoTls) {
  const auto result = load(with_minimal("admin: {listen: '127.0.0.1:9090', token: t}\n"));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->admin->listen.host, "127.0.0.1");
  EXPECT_EQ(result.config->admin->listen.port, 9090);
  EXPECT_FALSE(result.config->admin->listen.tls);
}

TEST(AdminListenConfig, TheMapFormTakesTlsLikeAServerListener) {
  const auto result = load(with_minimal(R"(admin:
  token: t
  listen:
    address: 127.0.0.1:9443
    tls:
      cert: tls/admin.crt
      key: /etc/ssl/admin.key
      certificates:
        - {cert: ops.crt, key: ops.key}
)"));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(error_lines(result));
  const Listener& listen = result.config->admin->listen;
  EXPECT_EQ(listen.host, "127.0.0.1");
  EXPECT_EQ(listen.port, 9443);
  ASSERT_TRUE(listen.tls);
  EXPECT_EQ(listen.tls->cert, "/etc/hookgate/tls/admin.crt");
  EXPECT_EQ(listen.tls->key, "/etc/ssl/admin.key");
  ASSERT_EQ(listen.tls->certificates.size(), 1u);
  EXPECT_EQ(listen.tls->certificates[0].cert, "/etc/hookgate/ops.crt");
  EXPECT_EQ(listen.tls->certificates[0].key, "/etc/hookgate/ops.key");
}

TEST(AdminListenConfig, TheMapFormWithoutTlsIsCleartext) {
  const auto result = load(with_minimal("admin: {listen: {address: '[::1]:0'}, token: t}\n"));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->admin->listen.host, "::1");
  EXPECT_FALSE(result.config->admin->listen.tls);
}

TEST(AdminListenConfig, AMissingKeyFileIsReportedAtItsLine) {
  EXPECT_EQ(errors_of("admin:\n"
                      "  token: t\n"
                      "  listen:\n"
                      "    address: 127.0.0.1:9443\n"
                      "    tls:\n"
                      "      cert: admin.crt\n"),
            std::vector<std::string>{"hookgate.yaml:7:7: admin.listen.tls: missing required key 'key'"});
  EXPECT_EQ(errors_of("admin: {token: t, listen: {address: '127.0.0.1:1', tls: {cert: c, key: ''}}}\n"),
            std::vector<std::string>{"hookgate.yaml:2:72: admin.listen.tls.key: must not be empty"});
}

TEST(AdminListenConfig, UnknownKeysUnderListenAreErrorsWithPositions) {
  EXPECT_EQ(errors_of("admin: {token: t, listen: {address: '127.0.0.1:1', tsl: {cert: c, key: k}}}\n"),
            std::vector<std::string>{"hookgate.yaml:2:52: admin.listen: unknown key 'tsl' (did you mean 'tls'?)"});
  EXPECT_EQ(errors_of("admin: {token: t, listen: {address: '127.0.0.1:1', tls: {cert: c, key: k, ciphers: x}}}\n"),
            std::vector<std::string>{"hookgate.yaml:2:75: admin.listen.tls: unknown key 'ciphers'"});
  EXPECT_EQ(errors_of("admin: {token: t, listen: {tls: {cert: c, key: k}}}\n"),
            std::vector<std::string>{"hookgate.yaml:2:27: admin.listen: missing required key 'address'"});
  EXPECT_EQ(errors_of("admin: {token: t, listen: [127.0.0.1:1]}\n"),
            std::vector<std::string>{"hookgate.yaml:2:27: admin.listen: expected a map, got a list"});
}

TEST(AdminListenConfig, TheMapFormStillMayNotReuseAServerAddress) {
  EXPECT_EQ(errors_of("admin: {token: t, listen: {address: '0.0.0.0:8080', tls: {cert: c, key: k}}}\n"),
            std::vector<std::string>{"hookgate.yaml:2:27: admin.listen: address already used by server.listen[0]"});
}

}  // namespace
}  // namespace hookgate::config
