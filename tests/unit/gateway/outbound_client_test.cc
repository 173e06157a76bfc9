// ClientPool over plain HTTP against in-process servers on 127.0.0.1 port 0: request bytes,
// keep-alive reuse, stale parked connections, refusal, timeouts, caps, DNS and lifetimes.
// Assertions are on error kinds, counters and bytes, never on how long something took.
#include <event2/dns.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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
using testing::TestResolver;
using testing::TestServer;
using testing::run_until;
using Error = OutboundResult::Error;

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

config::Endpoint endpoint(uint16_t port, std::string host = "127.0.0.1") {
  config::Endpoint e;
  e.host = host;
  e.port = port;
  e.authority = host + ":" + std::to_string(port);
  e.target = "/hook";
  return e;
}

OutboundRequest post(std::string body = "hello") {
  return OutboundRequest{"POST", {{"Content-Type", "text/plain"}}, std::make_shared<const std::string>(std::move(body)), {}};
}

// Answers every request on the connection with `response` until the peer closes.
TestServer::Handler answer_all(std::string response) {
  return [response = std::move(response)](ServerConnection& c) {
    while (c.read_request()) {
      if (!c.write(response)) return;
    }
  };
}

// A socket bound to a loopback port that nothing listens on: connecting to it is refused.
class RefusingPort {
 public:
  RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  [[nodiscard]] uint16_t port() const { return port_; }

 private:
  int fd_;
  uint16_t port_ = 0;
};

class OutboundClientPool : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { std::signal(SIGPIPE, SIG_IGN); }
  void SetUp() override { base_ = event_base_new(); }
  void TearDown() override {
    if (dns_) evdns_base_free(dns_, 0);
    event_base_free(base_);
  }

  // Sends and runs the loop until the callback ran. The result lives in a shared slot: a late
  // callback after a timed-out wait has somewhere valid to write.
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

  evdns_base* make_dns() {
    dns_ = evdns_base_new(base_, 0);
    return dns_;
  }

  loop::SystemClock clock_;
  event_base* base_ = nullptr;
  evdns_base* dns_ = nullptr;
};

TEST_F(OutboundClientPool, PostsExactRequestAndReadsResponse) {
  std::mutex mutex;
  std::string seen;
  TestServer server([&](ServerConnection& c) {
    auto request = c.read_request();
    if (!request) return;
    {
      std::lock_guard lock(mutex);
      seen = *request;
    }
    c.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nthanks!");
    c.wait_for_close();
  });
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  const OutboundResult result = send_and_wait(
      pool, OutboundRequest{"POST", {{"Content-Type", "application/json"}, {"webhook-id", "evt_1"}},
                            std::make_shared<const std::string>(R"({"a":1})"), {}});

  EXPECT_EQ(result.error, Error::none) << result.detail;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body_excerpt, "thanks!");
  EXPECT_FALSE(result.retry_after.has_value());
  EXPECT_GT(result.duration.count(), 0);
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen, "POST /hook HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                      "\r\nContent-Type: application/json\r\nwebhook-id: evt_1\r\nContent-Length: 7\r\n\r\n"
                      R"({"a":1})");
  EXPECT_EQ(pool.stats().requests, 1u);
  EXPECT_EQ(pool.stats().connections_opened, 1u);
  EXPECT_EQ(pool.stats().failures, 0u);
  EXPECT_EQ(pool.idle_connections(), 1u);
  EXPECT_EQ(pool.active_connections(), 0u);
}

TEST_F(OutboundClientPool, KeepAliveReusesOneConnection) {
  TestServer server(answer_all(std::string(kOk)));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  for (int i = 0; i < 3; ++i) {
    const OutboundResult result = send_and_wait(pool);
    ASSERT_EQ(result.error, Error::none) << result.detail;
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(pool.idle_connections(), 1u);
  }
  EXPECT_EQ(pool.stats().connections_opened, 1u);
  EXPECT_EQ(pool.stats().connections_reused, 2u);
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(OutboundClientPool, ParkedConnectionClosedByServerIsDropped) {
  TestServer server([](ServerConnection& c) {
    if (c.read_request()) c.write(kOk);
    c.close();  // keep-alive was promised; the server closes anyway while the client idles
  });
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  ASSERT_EQ(send_and_wait(pool).error, Error::none);
  ASSERT_TRUE(run_until(base_, [&] { return pool.idle_connections() == 0; }));
  const OutboundResult second = send_and_wait(pool);
  EXPECT_EQ(second.error, Error::none) << second.detail;
  EXPECT_EQ(pool.stats().connections_opened, 2u);
  EXPECT_EQ(pool.stats().connections_reused, 0u);
  EXPECT_EQ(pool.stats().stale_retries, 0u);
}

TEST_F(OutboundClientPool, StaleParkedConnectionIsRetriedTransparently) {
  TestServer server([](ServerConnection& c) {
    if (c.index() == 0) {
      if (c.read_request()) c.write(kOk);
      (void)c.read_request();  // the second request arrives just as the server gives up on the connection
      c.close();
      return;
    }
    while (c.read_request()) c.write(kOk);
  });
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  ASSERT_EQ(send_and_wait(pool).error, Error::none);
  ASSERT_EQ(pool.idle_connections(), 1u);
  const OutboundResult second = send_and_wait(pool);
  EXPECT_EQ(second.error, Error::none) << second.detail;
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(pool.stats().connections_reused, 1u);
  EXPECT_EQ(pool.stats().stale_retries, 1u);
  EXPECT_EQ(pool.stats().connections_opened, 2u);
  EXPECT_EQ(pool.stats().failures, 0u);
  EXPECT_EQ(server.accepted(), 2);
}

TEST_F(OutboundClientPool, NoRetryOnceResponseBytesArrived) {
  TestServer server([](ServerConnection& c) {
    if (c.index() == 0 && c.read_request()) c.write(kOk);
    if (c.read_request()) c.write("HTTP/1.1 200 OK\r\nContent-Le");
    c.close();
  });
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  ASSERT_EQ(send_and_wait(pool).error, Error::none);
  const OutboundResult second = send_and_wait(pool);
  EXPECT_EQ(second.error, Error::connection_closed);
  EXPECT_EQ(second.detail, "connection closed in response head");
  EXPECT_EQ(second.status, 0);
  EXPECT_EQ(pool.stats().stale_retries, 0u);
  EXPECT_EQ(pool.stats().failures, 1u);
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(OutboundClientPool, FreshConnectionClosedWithoutAnswerIsNotRetried) {
  TestServer server([](ServerConnection& c) {
    (void)c.read_request();
    c.close();
  });
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::connection_closed);
  EXPECT_EQ(result.detail, "connection closed before response");
  EXPECT_EQ(pool.stats().connections_opened, 1u);
  EXPECT_EQ(pool.stats().stale_retries, 0u);
}

TEST_F(OutboundClientPool, ConnectionRefused) {
  RefusingPort refusing;
  ClientPool pool(base_, nullptr, clock_, endpoint(refusing.port()), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::connect_failed);
  EXPECT_NE(result.detail.find("connection refused"), std::string::npos) << result.detail;
  EXPECT_EQ(pool.stats().failures, 1u);
  EXPECT_EQ(pool.active_connections(), 0u);
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(OutboundClientPool, ConnectTimeoutWhenNobodyCompletesTheHandshake) {
  // A listener whose accept queue is full drops further SYNs: the connect hangs.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t length = sizeof address;
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  std::vector<int> fillers;
  for (int i = 0; i < 3; ++i) {
    fillers.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    (void)::connect(fillers.back(), reinterpret_cast<sockaddr*>(&address), sizeof address);
  }
  PoolOptions options;
  options.connect_timeout = 200ms;
  ClientPool pool(base_, nullptr, clock_, endpoint(ntohs(address.sin_port)), options);
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::connect_timeout) << result.detail;
  EXPECT_EQ(pool.active_connections(), 0u);
  for (const int fd : fillers) ::close(fd);
  ::close(listener);
}

TEST_F(OutboundClientPool, SlowServerTimesOutAndConnectionIsClosed) {
  TestServer server([](ServerConnection& c) {
    (void)c.read_request();
    c.wait_for_close();  // never answers
  });
  PoolOptions options;
  options.total_timeout = 200ms;
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), options);
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::timeout);
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(pool.idle_connections(), 0u);
  EXPECT_EQ(pool.active_connections(), 0u);
  EXPECT_EQ(pool.stats().failures, 1u);
}

TEST_F(OutboundClientPool, TimeoutWhileResponseTrickles) {
  TestServer server([](ServerConnection& c) {
    (void)c.read_request();
    c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
    c.wait_for_close();
  });
  PoolOptions options;
  options.total_timeout = 200ms;
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), options);
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::timeout);
  EXPECT_NE(result.detail.find("response incomplete"), std::string::npos) << result.detail;
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(OutboundClientPool, OversizedBodyIsTruncatedAndConnectionNotReused) {
  TestServer server(answer_all("HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + std::string(10000, 'x')));
  PoolOptions options;
  options.max_response_bytes = 1024;
  options.excerpt_bytes = 100;
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), options);
  const OutboundResult first = send_and_wait(pool);
  EXPECT_EQ(first.error, Error::none) << first.detail;
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body_excerpt, std::string(100, 'x'));
  EXPECT_FALSE(first.detail.empty());
  EXPECT_EQ(pool.idle_connections(), 0u);
  EXPECT_EQ(pool.stats().failures, 0u);

  const OutboundResult second = send_and_wait(pool);
  EXPECT_EQ(second.error, Error::none) << second.detail;
  EXPECT_EQ(pool.stats().connections_opened, 2u);
  EXPECT_EQ(pool.stats().connections_reused, 0u);
}

TEST_F(OutboundClientPool, OversizedHeadIsResponseTooLarge) {
  TestServer server(answer_all("HTTP/1.1 200 OK\r\nX-Padding: " + std::string(2000, 'p') +
                               "\r\nContent-Length: 0\r\n\r\n"));
  PoolOptions options;
  options.max_response_bytes = 1024;
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), options);
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::response_too_large);
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(OutboundClientPool, ServiceUnavailableAndRetryAfterSurfaced) {
  TestServer server(answer_all(
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nContent-Length: 11\r\n\r\nmaintenance"));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none);
  EXPECT_EQ(result.status, 503);
  EXPECT_EQ(result.retry_after, "120");
  EXPECT_EQ(result.body_excerpt, "maintenance");
  EXPECT_EQ(pool.stats().failures, 0u);  // an answer, not a transport failure
  EXPECT_EQ(pool.idle_connections(), 1u);
}

TEST_F(OutboundClientPool, MalformedResponseClosesConnection) {
  TestServer server(answer_all("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::malformed_response);
  EXPECT_EQ(result.detail, "duplicate content-length");
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(OutboundClientPool, InterimAndChunkedResponseKeepsConnection) {
  TestServer server(answer_all("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "2\r\nok\r\n0\r\n\r\n"));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
  EXPECT_EQ(result.status, 202);
  EXPECT_EQ(result.body_excerpt, "ok");
  EXPECT_EQ(pool.idle_connections(), 1u);
}

TEST_F(OutboundClientPool, CloseDelimitedResponseCompletesAtEof) {
  TestServer server([](ServerConnection& c) {
    if (c.read_request()) c.write("HTTP/1.1 200 OK\r\n\r\nuntil close");
    c.close();
  });
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
  EXPECT_EQ(result.body_excerpt, "until close");
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(OutboundClientPool, ConnectionCloseResponseIsNotParked) {
  TestServer server(answer_all("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  EXPECT_EQ(send_and_wait(pool).error, Error::none);
  EXPECT_EQ(pool.idle_connections(), 0u);
}

TEST_F(OutboundClientPool, InvalidRequestFailsBeforeConnecting) {
  TestServer server(answer_all(std::string(kOk)));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  OutboundRequest request = post();
  request.headers.emplace_back("X-Injected", "1\r\nContent-Length: 0");
  const OutboundResult result = send_and_wait(pool, std::move(request));
  EXPECT_EQ(result.error, Error::invalid_request);
  EXPECT_EQ(result.detail, "invalid header value");
  EXPECT_EQ(pool.stats().connections_opened, 0u);
  EXPECT_EQ(pool.stats().failures, 1u);
}

TEST_F(OutboundClientPool, ParallelSendsOpenOneConnectionEachAndParkUpToTheLimit) {
  TestServer server(answer_all(std::string(kOk)));
  PoolOptions options;
  options.max_idle_connections = 2;
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), options);
  auto done = std::make_shared<int>(0);
  for (int i = 0; i < 3; ++i) {
    pool.send(post(), [done](OutboundResult r) {
      EXPECT_EQ(r.error, Error::none) << r.detail;
      ++*done;
    });
  }
  EXPECT_EQ(*done, 0);
  EXPECT_EQ(pool.active_connections(), 3u);
  ASSERT_TRUE(run_until(base_, [&] { return *done == 3; }));
  EXPECT_EQ(pool.stats().connections_opened, 3u);
  EXPECT_EQ(pool.idle_connections(), 2u);
  EXPECT_EQ(pool.active_connections(), 0u);
}

TEST_F(OutboundClientPool, IdleTimeoutClosesParkedConnections) {
  TestServer server(answer_all(std::string(kOk)));
  PoolOptions options;
  options.idle_timeout = 50ms;
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), options);
  ASSERT_EQ(send_and_wait(pool).error, Error::none);
  EXPECT_TRUE(run_until(base_, [&] { return pool.idle_connections() == 0; }));
  EXPECT_EQ(send_and_wait(pool).error, Error::none);
  EXPECT_EQ(pool.stats().connections_opened, 2u);
}

TEST_F(OutboundClientPool, BodySharedNotCopied) {
  TestServer server(answer_all(std::string(kOk)));
  ClientPool pool(base_, nullptr, clock_, endpoint(server.port()), {});
  auto body = std::make_shared<const std::string>(std::string(200000, 'b'));
  const OutboundResult result = send_and_wait(pool, OutboundRequest{"POST", {}, body, {}});
  EXPECT_EQ(result.error, Error::none) << result.detail;
  // Once written, the client holds no reference: only ours is left.
  EXPECT_TRUE(run_until(base_, [&] { return body.use_count() == 1; }));
}

TEST_F(OutboundClientPool, DestroyedPoolNeverCallsBack) {
  TestServer server([](ServerConnection& c) {
    (void)c.read_request();
    c.wait_for_close();
  });
  auto pool = std::make_unique<ClientPool>(base_, nullptr, clock_, endpoint(server.port()), PoolOptions{});
  auto called = std::make_shared<bool>(false);
  pool->send(post(), [called](OutboundResult) { *called = true; });
  ASSERT_TRUE(run_until(base_, [&] { return server.accepted() == 1; }));
  // A result already decided but not yet delivered is dropped as well.
  pool->send(OutboundRequest{"BAD METHOD", {}, nullptr, {}}, [called](OutboundResult) { *called = true; });
  pool.reset();
  const auto until = std::chrono::steady_clock::now() + 100ms;
  run_until(base_, [&] { return std::chrono::steady_clock::now() > until; });
  EXPECT_FALSE(*called);
}

TEST_F(OutboundClientPool, CallbackMayDestroyThePoolOrSendAgain) {
  TestServer server(answer_all(std::string(kOk)));
  auto pool = std::make_unique<ClientPool>(base_, nullptr, clock_, endpoint(server.port()), PoolOptions{});

  // A callback that sends again: the chained request completes too.
  auto chained = std::make_shared<std::optional<OutboundResult>>();
  pool->send(post(), [&pool, chained](OutboundResult first) {
    EXPECT_EQ(first.error, Error::none);
    pool->send(post(), [chained](OutboundResult second) { *chained = std::move(second); });
  });
  ASSERT_TRUE(run_until(base_, [&] { return chained->has_value(); }));
  EXPECT_EQ((*chained)->error, Error::none);
  EXPECT_EQ(pool->stats().connections_reused, 1u);

  // Two failures delivered in the same loop pass; the first callback destroys the pool.
  auto calls = std::make_shared<int>(0);
  pool->send(OutboundRequest{"BAD METHOD", {}, nullptr, {}}, [&pool, calls](OutboundResult) {
    ++*calls;
    pool.reset();
  });
  pool->send(OutboundRequest{"BAD METHOD", {}, nullptr, {}}, [calls](OutboundResult) { ++*calls; });
  ASSERT_TRUE(run_until(base_, [&] { return pool == nullptr; }));
  const auto until = std::chrono::steady_clock::now() + 50ms;
  run_until(base_, [&] { return std::chrono::steady_clock::now() > until; });
  EXPECT_EQ(*calls, 1);
}

TEST_F(OutboundClientPool, ResolvesHostNamesThroughEvdns) {
  TestResolver resolver(TestResolver::Mode::loopback);
  std::mutex mutex;
  std::string seen;
  TestServer server([&](ServerConnection& c) {
    while (auto request = c.read_request()) {
      {
        std::lock_guard lock(mutex);
        seen = *request;
      }
      c.write(kOk);
    }
  });
  evdns_base* dns = make_dns();
  ASSERT_EQ(evdns_base_nameserver_ip_add(dns, resolver.address().c_str()), 0);
  ClientPool pool(base_, dns, clock_, endpoint(server.port(), "billing.hookgate.test"), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
  EXPECT_GE(resolver.queries(), 1);
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen.rfind("POST /hook HTTP/1.1\r\nHost: billing.hookgate.test:" + std::to_string(server.port()) + "\r\n", 0),
            0u)
      << seen;
}

TEST_F(OutboundClientPool, UnknownHostIsDnsFailed) {
  TestResolver resolver(TestResolver::Mode::nxdomain);
  evdns_base* dns = make_dns();
  ASSERT_EQ(evdns_base_nameserver_ip_add(dns, resolver.address().c_str()), 0);
  ClientPool pool(base_, dns, clock_, endpoint(80, "missing.hookgate.test"), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::dns_failed);
  EXPECT_NE(result.detail.find("dns lookup failed"), std::string::npos) << result.detail;
}

TEST_F(OutboundClientPool, IpLiteralNeverAsksTheResolver) {
  TestResolver resolver(TestResolver::Mode::nxdomain);
  TestServer server(answer_all(std::string(kOk)));
  evdns_base* dns = make_dns();
  ASSERT_EQ(evdns_base_nameserver_ip_add(dns, resolver.address().c_str()), 0);
  ClientPool pool(base_, dns, clock_, endpoint(server.port()), {});
  EXPECT_EQ(send_and_wait(pool).error, Error::none);
  EXPECT_EQ(resolver.queries(), 0);
}

TEST_F(OutboundClientPool, HostNameWithoutResolverIsDnsFailed) {
  ClientPool pool(base_, nullptr, clock_, endpoint(80, "billing.internal"), {});
  EXPECT_EQ(send_and_wait(pool).error, Error::dns_failed);
}

TEST_F(OutboundClientPool, TriesEachResolvedAddressInTurn) {
  TestServer server(answer_all(std::string(kOk)));  // on 127.0.0.1 only
  evdns_base* dns = make_dns();
  const std::string hosts = testing::write_temp_file("hosts", "127.0.0.2 multi.hookgate.test\n"
                                                              "127.0.0.1 multi.hookgate.test\n");
  ASSERT_EQ(evdns_base_load_hosts(dns, hosts.c_str()), 0);
  ClientPool pool(base_, dns, clock_, endpoint(server.port(), "multi.hookgate.test"), {});
  const OutboundResult result = send_and_wait(pool);
  EXPECT_EQ(result.error, Error::none) << result.detail;
  EXPECT_EQ(pool.stats().connections_opened, 1u);
}

TEST_F(OutboundClientPool, ResolverCancelledWhenPoolDestroyedMidLookup) {
  // A nameserver that never answers: the lookup is pending when the pool goes away.
  const int silent = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length);
  evdns_base* dns = make_dns();
  ASSERT_EQ(evdns_base_nameserver_ip_add(dns, ("127.0.0.1:" + std::to_string(ntohs(address.sin_port))).c_str()), 0);
  auto pool = std::make_unique<ClientPool>(base_, dns, clock_, endpoint(80, "pending.hookgate.test"), PoolOptions{});
  auto called = std::make_shared<bool>(false);
  pool->send(post(), [called](OutboundResult) { *called = true; });
  EXPECT_EQ(pool->active_connections(), 1u);
  const auto until = std::chrono::steady_clock::now() + 50ms;
  run_until(base_, [&] { return std::chrono::steady_clock::now() > until; });
  pool.reset();  // cancels the lookup; evdns reports the cancellation later, to no one
  const auto after = std::chrono::steady_clock::now() + 50ms;
  run_until(base_, [&] { return std::chrono::steady_clock::now() > after; });
  EXPECT_FALSE(*called);
  ::close(silent);
}

TEST(OutboundResultError, NamesAreSnakeCase) {
  EXPECT_EQ(to_string(Error::none), "none");
  EXPECT_EQ(to_string(Error::dns_failed), "dns_failed");
  EXPECT_EQ(to_string(Error::connect_failed), "connect_failed");
  EXPECT_EQ(to_string(Error::connect_timeout), "connect_timeout");
  EXPECT_EQ(to_string(Error::tls_failed), "tls_failed");
  EXPECT_EQ(to_string(Error::timeout), "timeout");
  EXPECT_EQ(to_string(Error::connection_closed), "connection_closed");
  EXPECT_EQ(to_string(Error::malformed_response), "malformed_response");
  EXPECT_EQ(to_string(Error::response_too_large), "response_too_large");
  EXPECT_EQ(to_string(Error::invalid_request), "invalid_request");
}

}  // namespace
}  // namespace hookgate::gateway::outbound
