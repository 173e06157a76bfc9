// TLS at the edge: ALPN on one port, SNI among several certificates, certificate reload on
// SIGHUP without dropping connections, session resumption, modern protocol floor, and
// certificate files that do not load refusing the start.
#include <gtest/gtest.h>

#include <chrono>

#include "curl_client.h"
#include "h2_client.h"
#include "harness.h"
#include "test_pki.h"

namespace hookgate::testing {
namespace {

std::string tls_config(const std::string& tls_block) {
  return R"(
server:
  listen:
    - address: 127.0.0.1:0
      tls: )" + tls_block + R"(
  io_threads: 2
storage:
  path: events.db
sources:
  open:
    path: /in/open
    verify: none
)";
}

CommandResult curl_https(uint16_t port, const std::string& ca, std::vector<std::string> options,
                         const std::string& host = "127.0.0.1") {
  std::vector<std::string> argv = {"curl", "-sS", "--max-time", "30", "-o", "-", "-w", "\n%{http_code} %{http_version}",
                                   "--cacert", ca, "--data-binary", "{\"a\":1}"};
  argv.insert(argv.end(), options.begin(), options.end());
  if (host != "127.0.0.1") {
    argv.push_back("--resolve");
    argv.push_back(host + ":" + std::to_string(port) + ":127.0.0.1");
  }
  argv.push_back("https://" + host + ":" + std::to_string(port) + "/in/open");
  return run_command(argv);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class TlsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TestCa ca_{dir_};
};

TEST_F(TlsTest, AlpnOffersH2AndHttp11OnTheSamePortAndNoAlpnFallsBackToSniffing) {
  (void)ca_.issue("server", {"hooks.test"});
  Gateway gateway(dir_, tls_config("{cert: server.crt, key: server.key}"));
  ASSERT_TRUE(gateway.start());
  const CommandResult h2 = curl_https(gateway.tls_port(), ca_.cert(), {"--http2"});
  EXPECT_TRUE(ends_with(h2.out, "\n200 2")) << h2.out << h2.err;
  const CommandResult h1 = curl_https(gateway.tls_port(), ca_.cert(), {"--http1.1"});
  EXPECT_TRUE(ends_with(h1.out, "\n200 1.1")) << h1.out << h1.err;
  const CommandResult no_alpn = curl_https(gateway.tls_port(), ca_.cert(), {"--http1.1", "--no-alpn"});
  EXPECT_TRUE(ends_with(no_alpn.out, "\n200 1.1")) << no_alpn.out << no_alpn.err;
  // nghttp (ALPN h2) too.
  const CommandResult nghttp = run_command({"nghttp", "-d", "-", "https://127.0.0.1:" + std::to_string(gateway.tls_port()) + "/in/open"},
                                           "{\"via\":\"nghttp\"}");
  EXPECT_EQ(nghttp.exit_code, 0) << nghttp.err;
  EXPECT_NE(nghttp.out.find("{\"id\":\"evt_"), std::string::npos) << nghttp.out;
  Database db(gateway.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 4);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE " + as_text("body") + " = '{\"via\":\"nghttp\"}'"), 1);
}

TEST_F(TlsTest, SniPicksTheCertificateWhoseNamesMatch) {
  (void)ca_.issue("default", {"default.test"});
  (void)ca_.issue("api", {"api.test", "api-alt.test"});
  (void)ca_.issue("wild", {"*.wild.test"});
  (void)ca_.issue("exact", {"exact.wild.test"});
  Gateway gateway(dir_, tls_config(R"({cert: default.crt, key: default.key, certificates: [{cert: api.crt, key: api.key}, {cert: wild.crt, key: wild.key}, {cert: exact.crt, key: exact.key}]})"));
  ASSERT_TRUE(gateway.start());
  const uint16_t port = gateway.tls_port();
  EXPECT_EQ(served_certificate_cn(port, ""), "default.test");
  EXPECT_EQ(served_certificate_cn(port, "unknown.test"), "default.test");
  EXPECT_EQ(served_certificate_cn(port, "api.test"), "api.test");
  EXPECT_EQ(served_certificate_cn(port, "API-ALT.test"), "api.test");
  EXPECT_EQ(served_certificate_cn(port, "x.wild.test"), "*.wild.test");
  EXPECT_EQ(served_certificate_cn(port, "exact.wild.test"), "exact.wild.test");  // exact before wildcard
  EXPECT_EQ(served_certificate_cn(port, "a.b.wild.test"), "default.test");       // one label only

  // Real clients that check the name against the certificate get through on each.
  for (const std::string host : {"api.test", "x.wild.test", "default.test"}) {
    const CommandResult result = curl_https(port, ca_.cert(), {"--http2"}, host);
    EXPECT_TRUE(ends_with(result.out, "\n200 2")) << host << ": " << result.out << result.err;
  }
}

TEST_F(TlsTest, SighupReloadsCertificatesForNewHandshakesAndKeepsOpenConnections) {
  (void)ca_.issue("server", {"old.test"});
  Gateway gateway(dir_, tls_config("{cert: server.crt, key: server.key}"));
  ASSERT_TRUE(gateway.start());
  const uint16_t port = gateway.tls_port();

  H2Client open_connection(port, {true, ca_.cert(), "old.test"});
  ASSERT_TRUE(open_connection.connected()) << open_connection.error();
  EXPECT_EQ(open_connection.request("POST", "/in/open", {}, "{\"n\":1}").status, 200);
  EXPECT_EQ(open_connection.peer_certificate_cn(), "old.test");

  (void)ca_.issue("server", {"new.test"});  // same files, new content
  ASSERT_TRUE(gateway.reload_tls()) << gateway.log();
  EXPECT_EQ(served_certificate_cn(port, ""), "new.test");
  H2Client fresh(port, {true, ca_.cert(), "new.test"});
  ASSERT_TRUE(fresh.connected()) << fresh.error();
  EXPECT_EQ(fresh.request("POST", "/in/open", {}, "{\"n\":2}").status, 200);

  // The connection opened before the reload is still up, on its old certificate.
  EXPECT_EQ(open_connection.request("POST", "/in/open", {}, "{\"n\":3}").status, 200);
  EXPECT_FALSE(open_connection.peer_closed());

  // A broken replacement is refused with a log line; the last good certificate stays.
  write_file(dir_.file("server.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
  EXPECT_FALSE(gateway.reload_tls());
  EXPECT_TRUE(gateway.log_shows("SIGHUP: kept the current TLS certificates of https://127.0.0.1:" + std::to_string(port) +
                                ": cannot load certificate " + dir_.file("server.crt")))
      << gateway.log();
  EXPECT_EQ(served_certificate_cn(port, ""), "new.test");
  EXPECT_EQ(fresh.request("POST", "/in/open", {}, "{\"n\":4}").status, 200);
  Database db(gateway.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 4);
}

TEST_F(TlsTest, SessionsResumeWithTls13TicketsAndTls12) {
  (void)ca_.issue("server", {"hooks.test"});
  Gateway gateway(dir_, tls_config("{cert: server.crt, key: server.key}"));
  ASSERT_TRUE(gateway.start());
  const std::string address = "127.0.0.1:" + std::to_string(gateway.tls_port());
  // A request that makes the server answer and close, so that s_client reads the tickets.
  const std::string request = "GET /in/open HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (const std::string version : {"-tls1_3", "-tls1_2"}) {
    const std::string session = dir_.file("session" + version + ".pem");
    const CommandResult first = run_command({"openssl", "s_client", "-connect", address, version, "-alpn", "http/1.1",
                                             "-sess_out", session, "-ign_eof"}, request);
    EXPECT_NE(first.out.find("New, TLSv1."), std::string::npos) << version << first.out;
    EXPECT_NE(first.out.find("HTTP/1.1 405"), std::string::npos) << version << first.out;
    const CommandResult second = run_command({"openssl", "s_client", "-connect", address, version, "-alpn", "http/1.1",
                                              "-sess_in", session, "-ign_eof"}, request);
    EXPECT_NE(second.out.find("Reused, TLSv1."), std::string::npos) << version << second.out;
  }
}

TEST_F(TlsTest, OldProtocolsAndWeakCiphersAreRefused) {
  (void)ca_.issue("server", {"hooks.test"});
  Gateway gateway(dir_, tls_config("{cert: server.crt, key: server.key}"));
  ASSERT_TRUE(gateway.start());
  const std::string address = "127.0.0.1:" + std::to_string(gateway.tls_port());
  const CommandResult tls11 = run_command({"openssl", "s_client", "-connect", address, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"}, "");
  EXPECT_EQ(tls11.out.find("Cipher is ECDHE"), std::string::npos) << tls11.out;
  EXPECT_NE(tls11.exit_code, 0);
  const CommandResult cbc = run_command({"openssl", "s_client", "-connect", address, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"}, "");
  EXPECT_NE(cbc.exit_code, 0) << cbc.out;
  const CommandResult good = run_command({"openssl", "s_client", "-connect", address, "-tls1_2"}, "");
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("ECDHE-ECDSA-AES"), std::string::npos) << good.out;
}

TEST_F(TlsTest, CertificateFilesThatDoNotLoadRefuseTheStartAndCheckConfigNamingTheFile) {
  const CertificateFiles good = ca_.issue("server", {"hooks.test"});
  const CertificateFiles other = ca_.issue("other", {"other.test"});
  write_file(dir_.file("garbage.crt"), "hello\n");
  struct Case {
    std::string tls;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"{cert: missing.crt, key: server.key}", "cannot read " + dir_.file("missing.crt") + ": No such file or directory"},
      {"{cert: garbage.crt, key: server.key}", "cannot load certificate " + dir_.file("garbage.crt")},
      {"{cert: server.crt, key: other.key}", "private key " + dir_.file("other.key") + " does not match certificate " + good.cert},
      {"{cert: server.crt, key: server.key, certificates: [{cert: other.crt, key: missing.key}]}",
       "cannot read " + dir_.file("missing.key")},
  };
  (void)other;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string path = dir_.file("bad" + std::to_string(i) + ".yaml");
    write_file(path, tls_config(cases[i].tls));
    // `timeout`: a start that wrongly succeeds must not hang the test.
    const CommandResult result = run_command({"timeout", "20", binary_path(), "serve", "-c", path});
    EXPECT_EQ(result.exit_code, 1) << cases[i].tls;
    EXPECT_NE((result.out + result.err).find(cases[i].message), std::string::npos) << result.out << result.err;
    // check-config reads the certificates the same way.
    const CommandResult check = run_command({binary_path(), "check-config", "-c", path});
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_NE(check.out.find(path + ": server.listen[0].tls: " + cases[i].message), std::string::npos) << check.out;
  }
}

}  // namespace
}  // namespace hookgate::testing
