// The admin listener over TLS (admin.listen: {address, tls}): /healthz and /metrics over
// HTTP/1.1 and h2 chosen by ALPN, no HTTP answer to cleartext, certificates rotated by SIGHUP
// (and kept when the new files do not load), and certificate files that do not load refusing
// serve and check-config.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "h2_client.h"
#include "harness.h"
#include "test_backend.h"
#include "test_pki.h"

namespace hookgate::testing {
namespace {

constexpr const char* kToken = "admin-tls-token-93ad";

std::string admin_tls_config(const std::string& tls_block) {
  return R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
admin:
  token: )" + std::string(kToken) + R"(
  listen:
    address: 127.0.0.1:0
    tls: )" + tls_block + R"(
storage: {path: events.db}
sources:
  open: {path: /in/open, verify: none}
)";
}

// SIGHUP, then waits until the log shows `needle` once more than before.
bool hangup_until(const Gateway& gateway, const std::string& needle) {
  const size_t before = gateway.occurrences_in_log(needle);
  ::kill(gateway.pid(), SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (gateway.occurrences_in_log(needle) > before) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

struct CurlAnswer {
  std::string body;
  std::string status_and_version;  // "200 1.1", "200 2"; "000 0" without an answer
  std::string error;
};

// GET `path` on the TLS admin port with curl, `protocol_option` --http1.1 or --http2 (ALPN).
CurlAnswer curl_admin(uint16_t port, const std::string& ca, const std::string& protocol_option,
                      const std::string& path, const std::string& token) {
  std::vector<std::string> argv = {"curl", "-sS", "--max-time", "30", "-o", "-", "-w", "\n%{http_code} %{http_version}",
                                   "--cacert", ca, protocol_option};
  if (!token.empty()) argv.insert(argv.end(), {"-H", "Authorization: Bearer " + token});
  argv.push_back("https://127.0.0.1:" + std::to_string(port) + path);
  const CommandResult result = run_command(argv);
  CurlAnswer answer;
  answer.error = result.err;
  const size_t newline = result.out.rfind('\n');
  if (newline == std::string::npos) return answer;
  answer.body = result.out.substr(0, newline);
  answer.status_and_version = result.out.substr(newline + 1);
  return answer;
}

class AdminTlsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TestCa ca_{dir_};
};

TEST_F(AdminTlsTest, HealthzAndMetricsAnswerOverHttp11AndH2ChosenByAlpn) {
  (void)ca_.issue("admin", {"admin.test"});
  Gateway gateway(dir_, admin_tls_config("{cert: admin.crt, key: admin.key}"));
  ASSERT_TRUE(gateway.start());
  const uint16_t port = gateway.admin_port();

  for (const std::string protocol : {"--http1.1", "--http2"}) {
    const std::string version = protocol == "--http2" ? "2" : "1.1";
    const CurlAnswer health = curl_admin(port, ca_.cert(), protocol, "/healthz", "");
    EXPECT_EQ(health.status_and_version, "200 " + version) << protocol << ": " << health.error;
    const CurlAnswer metrics = curl_admin(port, ca_.cert(), protocol, "/metrics", kToken);
    EXPECT_EQ(metrics.status_and_version, "200 " + version) << protocol << ": " << metrics.error;
    EXPECT_NE(metrics.body.find("hookgate_"), std::string::npos) << metrics.body;
    const CurlAnswer refused = curl_admin(port, ca_.cert(), protocol, "/metrics", "wrong-token");
    EXPECT_EQ(refused.status_and_version, "401 " + version) << protocol << ": " << refused.error;
  }

  // nghttp2's client, ALPN h2 only, with the certificate checked against the CA.
  H2Client h2(port, H2Client::Options{.tls = true, .ca_cert = ca_.cert(), .server_name = ""});
  ASSERT_TRUE(h2.connected()) << h2.error();
  EXPECT_EQ(h2.peer_certificate_cn(), "admin.test");
  const H2Client::Result metrics = h2.request("GET", "/metrics", {{"authorization", std::string("Bearer ") + kToken}}, "");
  EXPECT_EQ(metrics.status, 200);
}

TEST_F(AdminTlsTest, CleartextToTheTlsAdminPortGetsNoHttpAnswer) {
  (void)ca_.issue("admin", {"admin.test"});
  Gateway gateway(dir_, admin_tls_config("{cert: admin.crt, key: admin.key}"));
  ASSERT_TRUE(gateway.start());

  HttpClient plain(gateway.admin_port(), std::chrono::seconds(5));
  const HttpResponse http1 = plain.raw("GET /healthz HTTP/1.1\r\nHost: admin.test\r\n\r\n");
  EXPECT_EQ(http1.status, 0) << http1.body;
  RawH2Connection h2c(gateway.admin_port());
  ASSERT_TRUE(h2c.connected());
  h2c.send(h2_client_start());
  EXPECT_TRUE(h2c.read_until_goaway(std::chrono::seconds(5)).empty());
  EXPECT_TRUE(h2c.closed_by_peer());

  // The listener is still serving TLS afterwards.
  EXPECT_EQ(curl_admin(gateway.admin_port(), ca_.cert(), "--http1.1", "/healthz", "").status_and_version, "200 1.1");
}

TEST_F(AdminTlsTest, SighupRotatesTheAdminCertificatesAndKeepsThemWhenTheNewFilesDoNotLoad) {
  (void)ca_.issue("admin", {"admin.test"});
  Gateway gateway(dir_, admin_tls_config("{cert: admin.crt, key: admin.key}"));
  ASSERT_TRUE(gateway.start());
  ASSERT_EQ(served_certificate_cn(gateway.admin_port(), ""), "admin.test");
  const std::string listener = "admin listener https://127.0.0.1:" + std::to_string(gateway.admin_port());

  (void)ca_.issue("admin", {"rotated.test"});
  ASSERT_TRUE(hangup_until(gateway, "SIGHUP: reloaded TLS certificates of " + listener)) << gateway.log();
  EXPECT_EQ(served_certificate_cn(gateway.admin_port(), ""), "rotated.test");
  EXPECT_EQ(curl_admin(gateway.admin_port(), ca_.cert(), "--http2", "/healthz", "").status_and_version, "200 2");

  write_file(dir_.file("admin.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
  ASSERT_TRUE(hangup_until(gateway, "SIGHUP: kept the current TLS certificates of " + listener)) << gateway.log();
  EXPECT_EQ(served_certificate_cn(gateway.admin_port(), ""), "rotated.test");
  EXPECT_EQ(curl_admin(gateway.admin_port(), ca_.cert(), "--http1.1", "/healthz", "").status_and_version, "200 1.1");
}

TEST_F(AdminTlsTest, CertificateFilesThatDoNotLoadRefuseServeAndCheckConfigNamingTheFile) {
  (void)ca_.issue("admin", {"admin.test"});
  const std::string path = dir_.file("bad.yaml");
  std::string store;
  write_file(path, config_for_backend(admin_tls_config("{cert: admin.crt, key: missing.key}"), dir_.path(), store));
  const std::string message = "cannot read " + dir_.file("missing.key");

  // `timeout`: a start that wrongly succeeds must not hang the test.
  const CommandResult serve = run_command({"timeout", "20", binary_path(), "serve", "-c", path});
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_NE((serve.out + serve.err).find("admin listener 127.0.0.1:0: " + message), std::string::npos)
      << serve.out << serve.err;
  const CommandResult check = run_command({binary_path(), "check-config", "-c", path});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.out.find(path + ": admin.listen.tls: " + message), std::string::npos) << check.out;
}

}  // namespace
}  // namespace hookgate::testing
