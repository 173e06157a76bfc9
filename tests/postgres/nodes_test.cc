// Several `hookgate serve` nodes on one PostgreSQL database, black box: the built binary,
// real clients, a fake destination, and a node killed with SIGKILL.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "tests/integration/fake_destination.h"
#include "tests/integration/harness.h"
#include "tests/postgres/node_config.h"
#include "tests/postgres/test_postgres.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kToken = kNodeAdminToken;

std::string stripe_body(const std::string& id) {
  return R"({"id":")" + id + R"(","object":"event","type":"invoice.paid"})";
}

// Posts a signed Stripe event; the public id from a 2xx answer, "" otherwise.
HttpResponse post_stripe(Gateway& node, const std::string& body) {
  HttpClient client(node.port());
  Headers headers = sign_for(node.config_path(), "stripe", body, system_clock::now());
  headers.emplace_back("Content-Type", "application/json");
  return client.request("POST", "/in/stripe", headers, body);
}

std::string public_id_of(const HttpResponse& response) {
  const size_t start = response.body.find("evt_");
  return start == std::string::npos ? "" : response.body.substr(start, 30);
}

HttpResponse admin(Gateway& node, const std::string& target) {
  HttpClient client(node.admin_port());
  return client.request("GET", target, {{"Authorization", std::string("Bearer ") + kToken}}, "");
}

std::multiset<std::string> webhook_ids(const FakeDestination& destination) {
  std::multiset<std::string> ids;
  for (const auto& request : destination.received()) ids.insert(request.header("webhook-id"));
  return ids;
}

TEST(PostgresNodes, TwoNodesShareTheWorkAndEveryEventReachesEachDestinationOnce) {
  TestDatabase db;
  FakeDestination billing, audit;
  TempDir dir_a, dir_b;
  const std::string destinations = "  billing: {url: \"" + billing.url() + "\", concurrency: 4}\n"
                                   "  audit: {url: \"" + audit.url() + "\", concurrency: 4}\n";
  const std::string routes = "  - {from: stripe, to: [billing, audit]}\n";
  Gateway a(dir_a, node_config(db.url(), destinations, routes));
  Gateway b(dir_b, node_config(db.url(), destinations, routes));
  ASSERT_TRUE(a.start());
  ASSERT_TRUE(b.start());
  std::set<std::string> acked;
  for (int i = 0; i < 100; ++i) {
    const HttpResponse response = post_stripe(i % 2 ? a : b, stripe_body("evt_two_nodes_" + std::to_string(i)));
    ASSERT_EQ(response.status, 200) << response.body;
    acked.insert(public_id_of(response));
  }
  ASSERT_TRUE(billing.wait_for(100));
  ASSERT_TRUE(audit.wait_for(100));
  ASSERT_TRUE(pg_eventually(db.url(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 200));
  for (const FakeDestination* destination : {&billing, &audit}) {
    const auto ids = webhook_ids(*destination);
    EXPECT_EQ(ids.size(), 100u);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), acked);
  }
  // The admin API of either node sees the shared database.
  EXPECT_NE(admin(b, "/api/events?limit=500").body.find(*acked.begin()), std::string::npos);
  EXPECT_NE(admin(a, "/api/events?limit=500").body.find(*acked.rbegin()), std::string::npos);
}

TEST(PostgresNodes, AVendorRetryThatHitsTheOtherNodeIsAckedWithTheSameIdAndStoredOnce) {
  TestDatabase db;
  FakeDestination billing;
  TempDir dir_a, dir_b;
  const std::string destinations = "  billing: {url: \"" + billing.url() + "\"}\n";
  Gateway a(dir_a, node_config(db.url(), destinations, "  - {from: stripe, to: [billing]}\n"));
  Gateway b(dir_b, node_config(db.url(), destinations, "  - {from: stripe, to: [billing]}\n"));
  ASSERT_TRUE(a.start());
  ASSERT_TRUE(b.start());
  const std::string body = stripe_body("evt_retried_by_the_vendor");
  const HttpResponse first = post_stripe(a, body);
  const HttpResponse retry = post_stripe(b, body);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(public_id_of(first), public_id_of(retry));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE vendor_event_id = 'evt_retried_by_the_vendor'"), 1);
  ASSERT_TRUE(billing.wait_for(1));
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(billing.received().size(), 1u);
}

TEST(PostgresNodes, WhenANodeIsKilledEveryEventItAckedIsDeliveredByTheOther) {
  TestDatabase db;
  // Slow answers keep attempts in flight on the node that dies.
  FakeDestination billing([](const ReceivedRequest&, size_t) {
    ScriptedResponse response;
    response.delay = milliseconds(200);
    return response;
  });
  TempDir dir_a, dir_b;
  const std::string destinations = "  billing: {url: \"" + billing.url() + "\", concurrency: 2, timeout: 2s}\n";
  const std::string routes = "  - {from: stripe, to: [billing]}\n";
  Gateway a(dir_a, node_config(db.url(), destinations, routes));
  ASSERT_TRUE(a.start());  // first: it owns billing
  Gateway b(dir_b, node_config(db.url(), destinations, routes));
  ASSERT_TRUE(b.start());
  std::set<std::string> acked;
  for (int i = 0; i < 60; ++i) {
    const HttpResponse response = post_stripe(i % 2 ? a : b, stripe_body("evt_node_loss_" + std::to_string(i)));
    ASSERT_EQ(response.status, 200) << response.body;
    acked.insert(public_id_of(response));
  }
  ASSERT_TRUE(billing.wait_for(3));
  a.kill_hard();
  // b takes billing once a's ownership lease runs out, and a's in-flight deliveries once their
  // leases do: every acked event arrives (at least once: one a had sent may come twice).
  ASSERT_TRUE(pg_eventually(db.url(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 60, 60'000));
  const auto ids = webhook_ids(billing);
  const std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique, acked);
  EXPECT_LE(ids.size(), acked.size() + 2) << "only a's attempts in flight (concurrency 2) may repeat";
}

TEST(PostgresNodes, WithTheDatabaseDownIngestAnswers503AndReadinessIsOffUntilItIsBack) {
  TestServer server;
  TestDatabase db(server.url());
  FakeDestination billing;
  TempDir dir;
  Gateway node(dir, node_config(db.url(), "  billing: {url: \"" + billing.url() + "\"}\n",
                                "  - {from: stripe, to: [billing]}\n"));
  ASSERT_TRUE(node.start());
  ASSERT_EQ(post_stripe(node, stripe_body("evt_before_outage")).status, 200);
  server.down();
  const HttpResponse during = post_stripe(node, stripe_body("evt_during_outage"));
  EXPECT_EQ(during.status, 503) << during.body;
  EXPECT_EQ(admin(node, "/readyz").status, 503);
  server.up();
  EXPECT_TRUE(wait_until([&] { return admin(node, "/readyz").status == 200; })) << "readiness did not come back";
  EXPECT_EQ(post_stripe(node, stripe_body("evt_during_outage")).status, 200) << "the vendor's retry is stored";
  ASSERT_TRUE(billing.wait_for(2));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 2);
}

// Pause and resume are stored in the shared database: asked of one node, they hold on the
// node that owns the destination, whichever that is.
TEST(PostgresNodes, APauseAskedOfOneNodeHoldsOnEveryNodeAndAResumeOnAnotherReleasesTheBacklog) {
  TestDatabase db;
  FakeDestination paused_one;
  FakeDestination other;
  TempDir dir_a, dir_b;
  const std::string destinations = "  ok: {url: \"" + paused_one.url() + "\"}\n  other: {url: \"" + other.url() + "\"}\n";
  const std::string routes = "  - {from: stripe, to: [ok, other]}\n";
  Gateway a(dir_a, node_config(db.url(), destinations, routes));
  Gateway b(dir_b, node_config(db.url(), destinations, routes));
  ASSERT_TRUE(a.start());
  ASSERT_TRUE(b.start());
  auto post_admin = [](Gateway& node, const std::string& target) {
    HttpClient client(node.admin_port());
    return client.request("POST", target, {{"Authorization", std::string("Bearer ") + kToken}}, "");
  };
  ASSERT_EQ(post_admin(a, "/api/destinations/ok/pause").status, 200);
  // b follows the stored state within its lease-recovery interval (5 s).
  ASSERT_TRUE(wait_until([&] {
    return admin(b, "/api/destinations").body.find(R"({"name":"ok","paused":true)") != std::string::npos;
  })) << admin(b, "/api/destinations").body;
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(post_stripe(i % 2 ? a : b, stripe_body("evt_shared_pause_" + std::to_string(i))).status, 200);
  }
  ASSERT_TRUE(other.wait_for(4));  // both nodes deliver: only `ok` waits
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries WHERE destination = 'ok' AND state = 'pending'"), 4);
  EXPECT_TRUE(paused_one.received().empty());

  ASSERT_EQ(post_admin(b, "/api/destinations/ok/resume").status, 200);
  ASSERT_TRUE(paused_one.wait_for(4));
  EXPECT_TRUE(pg_eventually(db.url(), "SELECT count(*) FROM deliveries WHERE destination = 'ok' AND state = 'delivered'", 4));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM destination_states"), 0);
}

}  // namespace
}  // namespace hookgate::testing
