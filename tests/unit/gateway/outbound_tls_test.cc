// ClientPool over HTTPS against an in-process TLS server with throwaway certificates made at
// test time: chain and host-name (or IP) verification, SNI, reuse, and every way it must fail.
#include <event2/dns.h>
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <mutex>

#include "gateway/loop/clock.h"
#include "gateway/outbound/http_client.h"
#include "outbound_test_server.h"

namespace hookgate::gateway::outbound {
namespace {

using namespace std::chrono_literals;
using testing::ServerConnection;
using testing::TestCertificate;
using testing::TestServer;
using testing::TlsIdentity;
using testing::run_until;
using Error = OutboundResult::Error;

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
constexpr const char* kTlsName = "billing.hookgate.test";

config::Endpoint https_endpoint(uint16_t port, std::string host = "127.0.0.1") {
  config::Endpoint e;
  e.tls = true;
  e.host = host;
  e.port = port;
  e.authority = host + ":" + std::to_string(port);
  e.target = "/hook";
  return e;
}

OutboundRequest post() { return OutboundRequest{"POST", {}, std::make_shared<const std::string>("hello"), {}}; }

struct Certificates {
  TestCertificate ca;
  TestCertificate other_ca;
  TestCertificate for_ip;          // 127.0.0.1, issued by ca
  TestCertificate for_name;        // kTlsName, issued by ca
  TestCertificate for_other_name;  // other.example only, issued by ca
  std::string ca_file;
  std::string other_ca_file;
  std::string hosts_file;  // kTlsName → 127.0.0.1
};

const Certificates& certificates() {
  static const Certificates made = [] {
    Certificates c;
    c.ca = testing::make_certificate("hookgate test CA", "", true, nullptr);
    c.other_ca = testing::make_certificate("some other CA", "", true, nullptr);
    c.for_ip = testing::make_certificate("127.0.0.1", "IP:127.0.0.1", false, &c.ca);
    c.for_name = testing::make_certificate(kTlsName, std::string("DNS:") + kTlsName, false, &c.ca);
    c.for_other_name = testing::make_certificate("other.example", "DNS:other.example", false, &c.ca);
    c.ca_file = testing::write_temp_file("ca.pem", c.ca.cert_pem);
    c.other_ca_file = testing::write_temp_file("other-ca.pem", c.other_ca.cert_pem);
    c.hosts_file = testing::write_temp_file("tls-hosts", std::string("127.0.0.1 ") + kTlsName + "\n");
    return c;
  }();
  return made;
}

TlsIdentity identity(const TestCertificate& cert) { return TlsIdentity{cert.cert_pem, cert.key_pem}; }

TestServer::Handler answer_all() {
  return [](ServerConnection& c) {
    while (c.read_request()) {
      if (!c.write(kOk)) return;
    }
  };
}

class OutboundTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::signal(SIGPIPE, SIG_IGN);
    (void)certificates();
  }
  void SetUp() override { base_ = event_base_new(); }
  void TearDown() override {
    if (dns_) evdns_base_free(dns_, 0);
    event_base_free(base_);
  }

  OutboundResult send_and_wait(ClientPool& pool, OutboundRequest request = post()) {
    auto slot = std::make_shared<std::optional<OutboundResult>>();
    pool.send(std::move(request), [slot](OutboundResult r) { *slot = std::move(r); });
    EXPECT_FALSE(slot->has_value()) << "callback ran inside send()";
    EXPECT_TRUE(run_until(base_, [&] { return slot->has_value(); })) << "no callback";
    if (!slot->has_value()) {
      OutboundResult missing;
      missing.error = Error::timeout;
      missing.detail = "test: no callback";
      return missing;
    }
    return std::move(**slot);
  }

  // A resolver that knows kTlsName from a hosts file.
  evdns_base* dns_with_hosts() {
    dns_ = evdns_base_new(base_, 0);
    EXPECT_EQ(evdns_base_load_hosts(dns_, certificates().hosts_file.c_str()), 0);
    return dns_;
  }

  static PoolOptions trusting(const std::string& ca_file) {
    PoolOptions options;
    options.ca_file = ca_file;
    return options;
  }

  loop::SystemClock clock_;
  event_base* base_ = nullptr;
  evdns_base* dns_ = nullptr;
};

TEST_F(OutboundTls, VerifiedIpCertificateSucceedsAndConnectionIsReused) {
  std::mutex mutex;
  std::vector<std::string> server_names;
  TestServer server(
      [&](ServerConnection& c) {
        {
          std::lock_guard lock(mutex);
          server_names.push_back(c.server_name());
        }
        while (c.read_request()) c.write(kOk);
      },
      identity(certificates().for_ip));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting(certificates().ca_file));
  EXPECT_TRUE(pool.setup_error().empty()) << pool.setup_error();
  for (int i = 0; i < 2; ++i) {
    const OutboundResult result = send_and_wait(pool);
    ASSERT_EQ(result.error, Error::none) << result.detail;
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body_excerpt, "ok");
  }
  EXPECT_EQ(pool.stats().connections_opened, 1u);
  EXPECT_EQ(pool.stats().connections_reused, 1u);
  std::lock_guard lock(mutex);
  ASSERT_EQ(server_names.size(), 1u);
  EXPECT_EQ(server_names[0], "");  // no SNI for an IP literal (RFC 6066 §3)
}

TEST_F(OutboundTls, HostNameIsVerifiedAndSentAsSni) {
  std::mutex mutex;
  std::string server_name;
  TestServer server(
      [&](ServerConnection& c) {
        {
          std::lock_guard lock(mutex);
          server_name = c.server_name();
        }
        while (c.read_request()) c.write(kOk);
      },
      identity(certificates().for_name));
  ClientPool pool(base_, dns_with_hosts(), clock_, https_endpoint(server.port(), kTlsName),
                  trusting(certificates().ca_file));
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
  std::lock_guard lock(mutex);
  EXPECT_EQ(server_name, kTlsName);
}

TEST_F(OutboundTls, UnknownCaIsTlsFailed) {
  TestServer server(answer_all(), identity(certificates().for_ip));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting(certificates().other_ca_file));
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::tls_failed);
  EXPECT_EQ(result.detail.rfind("certificate verify failed: ", 0), 0u) << result.detail;
  EXPECT_EQ(pool.idle_connections(), 0u);
  EXPECT_EQ(pool.active_connections(), 0u);
}

TEST_F(OutboundTls, HostNameMismatchIsTlsFailed) {
  TestServer server(answer_all(), identity(certificates().for_other_name));
  ClientPool pool(base_, dns_with_hosts(), clock_, https_endpoint(server.port(), kTlsName),
                  trusting(certificates().ca_file));
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::tls_failed);
  EXPECT_EQ(result.detail, "certificate verify failed: hostname mismatch");
}

TEST_F(OutboundTls, IpAddressMismatchIsTlsFailed) {
  // A valid chain for a name, reached by IP: the address is not in the certificate.
  TestServer server(answer_all(), identity(certificates().for_name));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting(certificates().ca_file));
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::tls_failed);
  EXPECT_EQ(result.detail, "certificate verify failed: IP address mismatch");
}

TEST_F(OutboundTls, SystemDefaultPathsDoNotTrustATestCa) {
  TestServer server(answer_all(), identity(certificates().for_ip));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), PoolOptions{});
  EXPECT_EQ(send_and_wait(pool).error, Error::tls_failed);
}

TEST_F(OutboundTls, VerificationOffAcceptsAnyCertificate) {
  TestServer server(answer_all(), identity(certificates().for_other_name));
  PoolOptions options = trusting(certificates().other_ca_file);
  options.verify_tls = false;
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), options);
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
}

TEST_F(OutboundTls, UnreadableCaFileFailsEverySendWithoutConnecting) {
  TestServer server(answer_all(), identity(certificates().for_ip));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting("/nonexistent/hookgate-ca.pem"));
  EXPECT_NE(pool.setup_error().find("/nonexistent/hookgate-ca.pem"), std::string::npos) << pool.setup_error();
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::tls_failed);
  EXPECT_EQ(result.detail, pool.setup_error());
  EXPECT_EQ(pool.stats().connections_opened, 0u);
  EXPECT_EQ(server.accepted(), 0);
}

TEST_F(OutboundTls, PlainHttpServerIsTlsFailed) {
  TestServer server([](ServerConnection& c) {
    c.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    c.close();
  });
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting(certificates().ca_file));
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::tls_failed) << result.detail;
}

TEST_F(OutboundTls, SilentPeerDuringHandshakeIsConnectTimeout) {
  TestServer server([](ServerConnection& c) { c.wait_for_close(); });  // plain TCP: never answers the hello
  PoolOptions options = trusting(certificates().ca_file);
  options.connect_timeout = 200ms;
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), options);
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::connect_timeout);
  EXPECT_NE(result.detail.find("tls handshake"), std::string::npos) << result.detail;
}

TEST_F(OutboundTls, CloseDelimitedBodyOverTlsWithoutCloseNotify) {
  TestServer server(
      [](ServerConnection& c) {
        if (c.read_request()) c.write("HTTP/1.1 200 OK\r\n\r\nuntil close");
        c.close();  // no close_notify: a dirty shutdown still ends the body
      },
      identity(certificates().for_ip));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting(certificates().ca_file));
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
  EXPECT_EQ(result.body_excerpt, "until close");
}

TEST_F(OutboundTls, StaleParkedTlsConnectionIsRetried) {
  TestServer server(
      [](ServerConnection& c) {
        if (c.index() == 0) {
          if (c.read_request()) c.write(kOk);
          (void)c.read_request();
          c.close();
          return;
        }
        while (c.read_request()) c.write(kOk);
      },
      identity(certificates().for_ip));
  ClientPool pool(base_, nullptr, clock_, https_endpoint(server.port()), trusting(certificates().ca_file));
  ASSERT_EQ(send_and_wait(pool).error, Error::none);
  const OutboundResult second = send_and_wait(pool);
  EXPECT_EQ(second.error, Error::none) << second.detail;
  EXPECT_EQ(pool.stats().stale_retries, 1u);
  EXPECT_EQ(pool.stats().connections_opened, 2u);
}

}  // namespace
}  // namespace hookgate::gateway::outbound
