// Delivery end to end: the built binary stores events and delivers them to fake destination
// services; assertions on what the destinations received and on the rows in SQLite.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "config/config.h"
#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kSigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::string config_for(const std::string& destinations, const std::string& routes) {
  return std::string(R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_delivery_test"]}}
destinations:
)") + destinations + "routes:\n" + routes;
}

std::string stripe_body(const std::string& id, const std::string& type = "invoice.paid") {
  return R"({"id":")" + id + R"(","object":"event","type":")" + type + R"("})";
}

std::string post_stripe(Gateway& gateway, const std::string& body) {
  HttpClient client(gateway.port());
  Headers headers = sign_for(gateway.config_path(), "stripe", body, system_clock::now());
  headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  headers.emplace_back("X-Vendor-Trace", "abc123");
  const HttpResponse response = client.request("POST", "/in/stripe", headers, body);
  EXPECT_EQ(response.status, 200) << response.body;
  const size_t start = response.body.find("evt_");
  return start == std::string::npos ? "" : response.body.substr(start, 30);
}


TEST(Delivery, ForwardsBodyByteExactWithSignedStandardWebhooksHeaders) {
  FakeDestination destination;
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  billing: {url: \"" + destination.url("/billing/hook?x=1") + "\", headers: {Authorization: \"Bearer internal\"},"
      " sign: {secret: \"" + kSigningSecret + "\"}}\n",
      "  - {from: stripe, to: [billing]}\n"));
  ASSERT_TRUE(gateway.start());
  const std::string body = stripe_body("evt_deliver_1");
  const std::string public_id = post_stripe(gateway, body);
  ASSERT_TRUE(destination.wait_for(1));
  const ReceivedRequest got = destination.received()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/billing/hook?x=1");
  EXPECT_EQ(got.body, body);
  EXPECT_EQ(got.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(got.header("X-Vendor-Trace"), "abc123");             // original headers forwarded
  EXPECT_NE(got.header("Stripe-Signature"), "");                  // including the vendor's signature
  EXPECT_EQ(got.header("Authorization"), "Bearer internal");      // destination headers added
  EXPECT_EQ(got.header("webhook-id"), public_id);
  EXPECT_EQ(got.header("hookgate-attempt"), "1");

  // The outbound signature verifies with the Standard Webhooks scheme and the destination's secret.
  EXPECT_TRUE(signed_with(got, kSigningSecret));

  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered' AND attempts = 1", 1));
  Database db(gateway.db_path());
  EXPECT_EQ(db.text("SELECT status || ' ' || " + as_text("response_excerpt") + " FROM attempts"), "200 ok");
}

TEST(Delivery, RetriesWithTheSameWebhookIdUntilDelivered) {
  FakeDestination destination([](const ReceivedRequest&, size_t index) {
    ScriptedResponse r;
    r.status = index < 2 ? 503 : 200;
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  flaky: {url: \"" + destination.url() + "\", retry: {schedule: [100ms, 100ms, 100ms], jitter: 0}}\n",
      "  - {from: stripe, to: flaky}\n"));
  ASSERT_TRUE(gateway.start());
  const std::string public_id = post_stripe(gateway, stripe_body("evt_retry_1"));
  ASSERT_TRUE(destination.wait_for(3));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered' AND attempts = 3", 1));
  const auto received = destination.received();
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(received[i].header("webhook-id"), public_id);
    EXPECT_EQ(received[i].header("hookgate-attempt"), std::to_string(i + 1));
  }
  Database db(gateway.db_path());
  EXPECT_EQ(db.joined("SELECT status FROM attempts ORDER BY id"), "503,503,200");
}

TEST(Delivery, GoneIsDeadAtOnceAndExhaustedRetriesAreDead) {
  FakeDestination gone([](const ReceivedRequest&, size_t) { return ScriptedResponse{410, {}, "gone", {}, false}; });
  FakeDestination failing([](const ReceivedRequest&, size_t) { return ScriptedResponse{500, {}, "boom", {}, false}; });
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  gone: {url: \"" + gone.url() + "\"}\n"
      "  failing: {url: \"" + failing.url() + "\", retry: {schedule: [50ms, 50ms], jitter: 0}}\n",
      "  - {from: stripe, to: [gone, failing]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_dead_1"));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'dead'", 2));
  Database db(gateway.db_path());
  EXPECT_EQ(db.text("SELECT attempts || ' ' || last_status || ' ' || last_error FROM deliveries WHERE destination = 'gone'"),
            "1 410 status_410");
  EXPECT_EQ(db.text("SELECT attempts || ' ' || last_status || ' ' || last_error FROM deliveries WHERE destination = 'failing'"),
            "3 500 retries_exhausted");
  EXPECT_EQ(gone.received().size(), 1u);
  EXPECT_EQ(failing.received().size(), 3u);
}

TEST(Delivery, ListedClientErrorsAreRetriedUntilTheServiceIsBack) {
  // 404 twice (the service is deploying), then 200.
  FakeDestination deploying([](const ReceivedRequest&, size_t index) {
    return index < 2 ? ScriptedResponse{404, {}, "no route yet", {}, false} : ScriptedResponse{};
  });
  FakeDestination strict([](const ReceivedRequest&, size_t) { return ScriptedResponse{404, {}, "nope", {}, false}; });
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  deploying: {url: \"" + deploying.url() + "\", retry: {schedule: [50ms, 50ms, 50ms], jitter: 0, retry_status: [404]}}\n"
      "  strict: {url: \"" + strict.url() + "\", retry: {schedule: [50ms, 50ms, 50ms], jitter: 0}}\n",
      "  - {from: stripe, to: [deploying, strict]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_404_1"));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'deploying' AND state = 'delivered'", 1));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'strict' AND state = 'dead'", 1));
  Database db(gateway.db_path());
  EXPECT_EQ(db.joined("SELECT a.status FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                      " WHERE d.destination = 'deploying' ORDER BY a.id"),
            "404,404,200");
  EXPECT_EQ(db.text("SELECT attempts || ' ' || last_error FROM deliveries WHERE destination = 'strict'"), "1 status_404");
  EXPECT_EQ(deploying.received().size(), 3u);
  EXPECT_EQ(deploying.received()[2].header("webhook-id"), deploying.received()[0].header("webhook-id"));
}

TEST(Delivery, AHangingDestinationDoesNotDelayAHealthyOne) {
  FakeDestination hanging([](const ReceivedRequest&, size_t) {
    ScriptedResponse r;
    r.delay = seconds(30);
    return r;
  });
  FakeDestination healthy;
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  slow: {url: \"" + hanging.url() + "\", concurrency: 2, timeout: 30s}\n"
      "  fast: {url: \"" + healthy.url() + "\", concurrency: 4}\n",
      "  - {from: stripe, to: [slow, fast]}\n"));
  ASSERT_TRUE(gateway.start());
  constexpr int kEvents = 20;
  for (int i = 0; i < kEvents; ++i) post_stripe(gateway, stripe_body("evt_iso_" + std::to_string(i)));
  ASSERT_TRUE(healthy.wait_for(kEvents)) << "the healthy destination was held up";
  ASSERT_TRUE(eventually(gateway.db_path(),
                         "SELECT count(*) FROM deliveries WHERE destination = 'fast' AND state = 'delivered'", kEvents));
  // The hanging one holds at most its own concurrency.
  EXPECT_LE(hanging.received().size(), 2u);
  gateway.kill_hard();
}

TEST(Delivery, FifoDestinationNeverOvertakesAFailingEvent) {
  FakeDestination destination([](const ReceivedRequest& request, size_t index) {
    ScriptedResponse r;
    // The first event fails twice; everything else succeeds.
    r.status = (request.body.find("evt_fifo_0") != std::string::npos && index < 2) ? 503 : 200;
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  ordered: {url: \"" + destination.url() + "\", ordering: fifo, retry: {schedule: [100ms, 100ms], jitter: 0}}\n",
      "  - {from: stripe, to: [ordered]}\n"));
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 4; ++i) post_stripe(gateway, stripe_body("evt_fifo_" + std::to_string(i)));
  ASSERT_TRUE(destination.wait_for(6));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 4));
  std::vector<std::string> order;
  for (const auto& r : destination.received()) order.push_back(r.body.substr(7, 10));
  EXPECT_EQ(order, (std::vector<std::string>{"evt_fifo_0", "evt_fifo_0", "evt_fifo_0", "evt_fifo_1", "evt_fifo_2", "evt_fifo_3"}));
}

TEST(Delivery, RouteFiltersDecideTheFanOut) {
  FakeDestination invoices;
  FakeDestination everything;
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  invoices: {url: \"" + invoices.url() + "\"}\n"
      "  everything: {url: \"" + everything.url() + "\"}\n",
      "  - {from: stripe, to: [invoices], filter: {event_type: [\"invoice.*\"]}}\n"
      "  - {from: stripe, to: [everything]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_f1", "invoice.paid"));
  post_stripe(gateway, stripe_body("evt_f2", "customer.created"));
  ASSERT_TRUE(everything.wait_for(2));
  ASSERT_TRUE(invoices.wait_for(1));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 3));
  EXPECT_EQ(invoices.received().size(), 1u);
  EXPECT_NE(invoices.received()[0].body.find("evt_f1"), std::string::npos);
}

TEST(Delivery, AnAttemptInFlightWhenTheGatewayDiesIsRetriedAfterRestart) {
  FakeDestination destination([](const ReceivedRequest&, size_t index) {
    ScriptedResponse r;
    if (index == 0) r.delay = seconds(60);  // the first attempt never finishes
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_for("  d: {url: \"" + destination.url() + "\", timeout: 1s}\n",
                                  "  - {from: stripe, to: [d]}\n"));
  ASSERT_TRUE(gateway.start());
  const std::string public_id = post_stripe(gateway, stripe_body("evt_crash_1"));
  ASSERT_TRUE(destination.wait_for(1));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'inflight'", 1));
  gateway.kill_hard();
  ASSERT_TRUE(gateway.start());
  // The lease (timeout + margin) expires, the delivery returns to pending and goes out again.
  ASSERT_TRUE(destination.wait_for(2, seconds(30)));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 1, seconds(30)));
  EXPECT_EQ(destination.received()[1].header("webhook-id"), public_id);
}

TEST(Delivery, CircuitOpensOnADeadDestinationInsteadOfHammeringIt) {
  // Nothing listens on this port: every attempt is a connect failure.
  uint16_t dead_port;
  {
    FakeDestination placeholder;
    dead_port = placeholder.port();
  }
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  down: {url: \"http://127.0.0.1:" + std::to_string(dead_port) + "/x\","
      " retry: {schedule: [10ms, 10ms, 10ms, 10ms, 10ms, 10ms, 10ms, 10ms, 10ms, 10ms, 10ms, 10ms], jitter: 0}}\n",
      "  - {from: stripe, to: [down]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_breaker"));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM attempts", 5));
  // The breaker opened after 5 consecutive failures for 10 s: no more attempts meanwhile.
  std::this_thread::sleep_for(milliseconds(1500));
  Database db(gateway.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts"), 5);
  EXPECT_EQ(db.text("SELECT state FROM deliveries"), "pending");
  EXPECT_NE(db.text("SELECT error FROM attempts LIMIT 1").find("connect"), std::string::npos);
}

}  // namespace
}  // namespace hookgate::testing

namespace hookgate::testing {
namespace {

TEST(Delivery, RetryAfterIsHonouredAndTimeoutsAndResetsAreRetried) {
  // 429 + Retry-After: 1, then a hang past the timeout, then a reset, then success.
  FakeDestination destination([](const ReceivedRequest&, size_t index) {
    ScriptedResponse r;
    if (index == 0) {
      r.status = 429;
      r.headers = {{"Retry-After", "1"}};
    } else if (index == 1) {
      r.delay = seconds(5);
    } else if (index == 2) {
      r.close_without_answer = true;
    }
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  d: {url: \"" + destination.url() + "\", timeout: 300ms, retry: {schedule: [10ms, 10ms, 10ms, 10ms], jitter: 0}}\n",
      "  - {from: stripe, to: [d]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_retry_after"));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered' AND attempts = 4", 1));
  Database db(gateway.db_path());
  const auto rows = db.rows("SELECT started_at, coalesce(status, 0), coalesce(error, '') FROM attempts ORDER BY id");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][1], "429");
  // The second attempt waited for Retry-After (1 s), not the 10 ms schedule.
  EXPECT_GE(std::stoll(rows[1][0]) - std::stoll(rows[0][0]), 1000);
  EXPECT_EQ(rows[1][1], "0");
  EXPECT_NE(rows[1][2].find("timeout"), std::string::npos) << rows[1][2];
  EXPECT_EQ(rows[2][1], "0");
  EXPECT_NE(rows[2][2].find("closed"), std::string::npos) << rows[2][2];
  EXPECT_EQ(rows[3][1], "200");
}

// c fails five times in a row, so its circuit opens; it recovers through the half-open probe.
TEST(Delivery, FanOutToThreeWithOneDownDeliversTheOthersAtOnceAndTheThirdLater) {
  FakeDestination a;
  FakeDestination b;
  std::atomic<bool> c_up{false};
  FakeDestination c([&c_up](const ReceivedRequest&, size_t) {
    ScriptedResponse r;
    r.status = c_up ? 200 : 503;
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_for(
      "  a: {url: \"" + a.url() + "\"}\n"
      "  b: {url: \"" + b.url() + "\"}\n"
      "  c: {url: \"" + c.url() + "\", retry: {schedule: [200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms, 200ms], jitter: 0}}\n",
      "  - {from: stripe, to: [a, b, c]}\n"));
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 5; ++i) post_stripe(gateway, stripe_body("evt_fan_" + std::to_string(i)));
  ASSERT_TRUE(a.wait_for(5));
  ASSERT_TRUE(b.wait_for(5));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination IN ('a', 'b') AND state = 'delivered'", 10));
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM deliveries WHERE destination = 'c' AND state = 'delivered'"), 0);
  c_up = true;
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'c' AND state = 'delivered'", 5));
}

TEST(Delivery, RateLimitSpreadsAttemptsWithoutDroppingAny) {
  FakeDestination destination;
  TempDir dir;
  Gateway gateway(dir, config_for("  limited: {url: \"" + destination.url() + "\", rate_limit: 5/s, concurrency: 10}\n",
                                  "  - {from: stripe, to: [limited]}\n"));
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 12; ++i) post_stripe(gateway, stripe_body("evt_rate_" + std::to_string(i)));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 12));
  // A burst of 5, then 5 per second: the 12th cannot start before 1.4 s after the first.
  Database db(gateway.db_path());
  EXPECT_GE(db.scalar("SELECT max(started_at) - min(started_at) FROM attempts"), 1300);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts"), 12);
  EXPECT_EQ(destination.received().size(), 12u);
}

}  // namespace
}  // namespace hookgate::testing
