// The admin listener end to end: token refusal, health and readiness, the counters of
// /metrics after a scripted scenario, the JSON API (list, retry, cancel, pause/resume), and
// SIGHUP reloading sources, secrets, destinations and routes (and refusing a broken file).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kToken = "admin-test-token-4f1c";

std::string config_with(const std::string& secret, const std::string& destinations, const std::string& routes) {
  return R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
admin: {listen: "127.0.0.1:0", token: ")" + std::string(kToken) + R"("}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: [")" + secret + R"("]}}
destinations:
)" + destinations + "routes:\n" + routes;
}

std::string stripe_body(const std::string& id) {
  return R"({"id":")" + id + R"(","object":"event","type":"invoice.paid"})";
}

// Signed with the stripe secret of `signing_config` (default: the gateway's current file).
HttpResponse post_stripe(Gateway& gateway, const std::string& body, const std::string& signing_config = "") {
  HttpClient client(gateway.port());
  const std::string config = signing_config.empty() ? gateway.config_path() : signing_config;
  return client.request("POST", "/in/stripe", sign_for(config, "stripe", body, system_clock::now()), body);
}

HttpResponse admin(Gateway& gateway, const std::string& method, const std::string& target,
                   const std::string& token = kToken) {
  HttpClient client(gateway.admin_port());
  Headers headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return client.request(method, target, headers, "");
}

int64_t json_int(const std::string& body, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex("\"" + key + "\":(-?[0-9]+)"))) return -1;
  return std::stoll(match[1]);
}

TEST(Admin, RefusesWithoutTheTokenButAnswersHealthAndReadiness) {
  FakeDestination destination;
  TempDir dir;
  Gateway gateway(dir, config_with("whsec_admin", "  ok: {url: \"" + destination.url() + "\"}\n",
                                   "  - {from: stripe, to: [ok]}\n"));
  ASSERT_TRUE(gateway.start());
  ASSERT_NE(gateway.admin_port(), 0);

  EXPECT_EQ(admin(gateway, "GET", "/healthz", "").status, 200);
  const HttpResponse ready = admin(gateway, "GET", "/readyz", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "{\"status\":\"ready\"}\n");

  for (const std::string target : {"/metrics", "/api/events", "/api/destinations", "/api/nothing-here"}) {
    const HttpResponse none = admin(gateway, "GET", target, "");
    EXPECT_EQ(none.status, 401) << target;
    EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(admin(gateway, "GET", target, "wrong-token").status, 401) << target;
    EXPECT_EQ(admin(gateway, "GET", target, std::string(kToken) + "x").status, 401) << target;
  }
  EXPECT_EQ(admin(gateway, "POST", "/api/destinations/ok/pause", "").status, 401);
  EXPECT_EQ(admin(gateway, "GET", "/metrics").status, 200);
  EXPECT_EQ(admin(gateway, "GET", "/api/nothing-here").status, 404);
  EXPECT_EQ(admin(gateway, "POST", "/healthz", "").status, 405);
  // Nothing was paused by the refused request.
  EXPECT_NE(admin(gateway, "GET", "/api/destinations").body.find("\"paused\":false"), std::string::npos);
}

TEST(Admin, MetricsCountAScriptedScenario) {
  FakeDestination ok;
  // A first attempt fails with 500 and is retried; the retry gets 410 Gone and is dead. (Never
  // five destination failures in a row, so the circuit breaker stays out of the way.)
  FakeDestination failing([](const ReceivedRequest& request, size_t) {
    return request.header("hookgate-attempt") == "1" ? ScriptedResponse{500, {}, "down"} : ScriptedResponse{410, {}, "gone"};
  });
  TempDir dir;
  Gateway gateway(dir, config_with("whsec_admin",
      "  ok: {url: \"" + ok.url() + "\"}\n"
      "  failing: {url: \"" + failing.url() + "\", retry: {schedule: [50ms, 50ms], jitter: 0}}\n",
      "  - {from: stripe, to: [ok, failing]}\n"));
  ASSERT_TRUE(gateway.start());

  for (int i = 0; i < 3; ++i) ASSERT_EQ(post_stripe(gateway, stripe_body("evt_m" + std::to_string(i))).status, 200);
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_m0")).status, 200);  // a duplicate
  {
    HttpClient client(gateway.port());
    const std::string body = stripe_body("evt_forged");
    Headers forged = sign_for(gateway.config_path(), "stripe", body, system_clock::now());
    forged[0].second.back() = forged[0].second.back() == '0' ? '1' : '0';  // flip the signature's last digit
    EXPECT_EQ(client.request("POST", "/in/stripe", forged, body).status, 401);
    EXPECT_EQ(client.request("POST", "/in/nowhere", {}, "{}").status, 404);
  }
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'ok' AND state = 'delivered'", 3));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'failing' AND state = 'dead'", 3));

  const HttpResponse response = admin(gateway, "GET", "/metrics");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = response.body;
  EXPECT_EQ(metric(m, R"(hookgate_requests_total{source="stripe",status="200"})"), 4);
  EXPECT_EQ(metric(m, R"(hookgate_requests_total{source="stripe",status="401"})"), 1);
  EXPECT_EQ(metric(m, "hookgate_unrouted_requests_total"), 1);
  EXPECT_EQ(metric(m, R"(hookgate_rejected_total{source="stripe",reason="bad_signature"})"), 1);
  EXPECT_EQ(metric(m, R"(hookgate_rejected_total{source="stripe",reason="timestamp_too_old"})"), 0);
  EXPECT_EQ(metric(m, R"(hookgate_events_stored_total{source="stripe"})"), 3);
  EXPECT_EQ(metric(m, R"(hookgate_duplicates_total{source="stripe"})"), 1);
  EXPECT_EQ(metric(m, R"(hookgate_deliveries_total{destination="ok",outcome="delivered"})"), 3);
  EXPECT_EQ(metric(m, R"(hookgate_deliveries_total{destination="ok",outcome="retried"})"), 0);
  EXPECT_EQ(metric(m, R"(hookgate_deliveries_total{destination="failing",outcome="retried"})"), 3);
  EXPECT_EQ(metric(m, R"(hookgate_deliveries_total{destination="failing",outcome="dead"})"), 3);
  EXPECT_EQ(metric(m, R"(hookgate_delivery_attempt_seconds_count{destination="ok"})"), 3);
  EXPECT_EQ(metric(m, R"(hookgate_delivery_attempt_seconds_count{destination="failing"})"), 6);
  EXPECT_EQ(metric(m, R"(hookgate_delivery_attempt_seconds_bucket{destination="failing",le="+Inf"})"), 6);
  EXPECT_EQ(metric(m, R"(hookgate_queue_depth{destination="ok"})"), 0);
  EXPECT_EQ(metric(m, R"(hookgate_oldest_pending_seconds{destination="failing"})"), 0);
  EXPECT_EQ(metric(m, R"(hookgate_circuit_open{destination="ok"})"), 0);
  EXPECT_GE(metric(m, "hookgate_writer_batch_size_count"), 1);
  EXPECT_GE(metric(m, "hookgate_commit_seconds_count"), 1);
  EXPECT_EQ(metric(m, "hookgate_writer_failed_batches_total"), 0);
}

TEST(Admin, ApiListsRetriesCancelsAndPauses) {
  std::atomic<bool> failing_recovered{false};
  FakeDestination ok;
  FakeDestination flaky([&](const ReceivedRequest&, size_t) {
    return failing_recovered ? ScriptedResponse{} : ScriptedResponse{503, {}, "busy"};
  });
  TempDir dir;
  Gateway gateway(dir, config_with("whsec_admin",
      "  ok: {url: \"" + ok.url() + "\"}\n"
      "  flaky: {url: \"" + flaky.url() + "\", retry: {schedule: [50ms], jitter: 0}}\n",
      "  - {from: stripe, to: [ok, flaky]}\n"));
  ASSERT_TRUE(gateway.start());
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_a1")).status, 200);
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_a2")).status, 200);
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'flaky' AND state = 'dead'", 2));
  ASSERT_TRUE(ok.wait_for(2));

  // Listing with the CLI's filters.
  const HttpResponse dead = admin(gateway, "GET", "/api/events?destination=flaky&status=dead&since=1h");
  ASSERT_EQ(dead.status, 200);
  EXPECT_EQ(json_int(dead.body, "count"), 2);
  EXPECT_EQ(json_int(admin(gateway, "GET", "/api/events?status=delivered&destination=flaky").body, "count"), 0);
  EXPECT_EQ(json_int(admin(gateway, "GET", "/api/events?event_id=evt_a1").body, "count"), 1);
  const HttpResponse bad = admin(gateway, "GET", "/api/events?status=broken");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("bad_filter"), std::string::npos);
  EXPECT_EQ(admin(gateway, "GET", "/api/events?colour=red").status, 400);
  EXPECT_EQ(admin(gateway, "GET", "/api/events/evt_does_not_exist").status, 404);
  const HttpResponse shown = admin(gateway, "GET", "/api/events/evt_a1");
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find(R"("body":"{\"id\":\"evt_a1\")"), std::string::npos) << shown.body;

  // Retry one dead delivery: due now, delivered once the destination is back.
  failing_recovered = true;
  const int64_t dead_id = Database(gateway.db_path()).scalar(
      "SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.vendor_event_id = 'evt_a1' AND d.destination = 'flaky'");
  const HttpResponse retried = admin(gateway, "POST", "/api/deliveries/" + std::to_string(dead_id) + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE id = " + std::to_string(dead_id) + " AND state = 'delivered'", 1));
  EXPECT_EQ(admin(gateway, "POST", "/api/deliveries/999999/retry").status, 404);
  EXPECT_EQ(admin(gateway, "GET", "/api/deliveries/" + std::to_string(dead_id) + "/retry").status, 405);

  // Retry a whole event: every delivery again, with the event's webhook-id.
  const size_t ok_before = ok.received().size();
  const HttpResponse event_retry = admin(gateway, "POST", "/api/events/evt_a2/retry");
  ASSERT_EQ(event_retry.status, 200) << event_retry.body;
  EXPECT_EQ(json_int(event_retry.body, "rescheduled"), 2);
  ASSERT_TRUE(ok.wait_for(ok_before + 1));
  EXPECT_EQ(ok.received().back().body, stripe_body("evt_a2"));
  std::string first_a2_id;  // the two first deliveries may have arrived in either order
  for (size_t i = 0; i < ok_before; ++i) {
    if (ok.received()[i].body == stripe_body("evt_a2")) first_a2_id = ok.received()[i].header("webhook-id");
  }
  EXPECT_NE(first_a2_id, "");
  EXPECT_EQ(ok.received().back().header("webhook-id"), first_a2_id);

  // Pause: nothing new starts for `ok`; cancel what waits; resume: later events flow again.
  ASSERT_EQ(admin(gateway, "POST", "/api/destinations/ok/pause").status, 200);
  EXPECT_EQ(admin(gateway, "POST", "/api/destinations/nope/pause").status, 404);
  const size_t ok_paused_at = ok.received().size();
  const size_t flaky_before = flaky.received().size();
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_a3")).status, 200);
  ASSERT_TRUE(flaky.wait_for(flaky_before + 1));  // the unpaused destination got it
  const int64_t waiting = Database(gateway.db_path()).scalar(
      "SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.vendor_event_id = 'evt_a3' AND d.destination = 'ok'");
  EXPECT_EQ(Database(gateway.db_path()).text("SELECT state FROM deliveries WHERE id = " + std::to_string(waiting)), "pending");
  const HttpResponse cancelled = admin(gateway, "POST", "/api/deliveries/" + std::to_string(waiting) + "/cancel");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  const HttpResponse again = admin(gateway, "POST", "/api/deliveries/" + std::to_string(waiting) + "/cancel");
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("\"state\":\"cancelled\""), std::string::npos);
  EXPECT_EQ(admin(gateway, "POST", "/api/deliveries/" + std::to_string(dead_id) + "/cancel").status, 409);  // delivered

  ASSERT_EQ(admin(gateway, "POST", "/api/destinations/ok/resume").status, 200);
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_a4")).status, 200);
  ASSERT_TRUE(ok.wait_for(ok_paused_at + 1));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id"
                         " WHERE e.vendor_event_id = 'evt_a4' AND d.destination = 'ok' AND d.state = 'delivered'", 1));
  EXPECT_EQ(ok.received().size(), ok_paused_at + 1);  // evt_a4 only: the cancelled evt_a3 never went
  EXPECT_EQ(ok.received().back().body, stripe_body("evt_a4"));

  const std::string m = admin(gateway, "GET", "/metrics").body;
  EXPECT_EQ(metric(m, R"(hookgate_deliveries_total{destination="ok",outcome="cancelled"})"), 1);
  EXPECT_EQ(metric(m, R"(hookgate_destination_paused{destination="ok"})"), 0);
}

// circuit_breaker settings: one failure opens this destination's circuit for an hour, so the
// deliveries behind the failed one wait instead of hammering it (the default needs 5).
TEST(Admin, ConfiguredCircuitBreakerOpensAfterItsOwnFailureCount) {
  FakeDestination down([](const ReceivedRequest&, size_t) { return ScriptedResponse{503, {}, "down"}; });
  TempDir dir;
  Gateway gateway(dir, config_with("whsec_admin",
      "  fragile: {url: \"" + down.url() + "\", concurrency: 1, retry: {schedule: [1h]},"
      " circuit_breaker: {failures: 1, probe_after: 1h, max_probe_after: 2h}}\n",
      "  - {from: stripe, to: [fragile]}\n"));
  ASSERT_TRUE(gateway.start());
  for (const char* id : {"evt_cb1", "evt_cb2", "evt_cb3"}) ASSERT_EQ(post_stripe(gateway, stripe_body(id)).status, 200);
  ASSERT_TRUE(down.wait_for(1));
  const auto deadline = steady_clock::now() + seconds(20);
  while (metric(admin(gateway, "GET", "/metrics").body, R"(hookgate_circuit_open{destination="fragile"})") != 1 &&
         steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(metric(admin(gateway, "GET", "/metrics").body, R"(hookgate_circuit_open{destination="fragile"})"), 1);
  EXPECT_EQ(down.received().size(), 1u);  // the two behind it were not attempted
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM deliveries WHERE state = 'pending' AND attempts = 0"), 2);
}

// Pause is stored (destination_states): a restart keeps it, and resume hands the backlog over.
TEST(Admin, APausedDestinationStaysPausedAcrossARestartAndResumesWithItsBacklog) {
  FakeDestination paused_one;
  FakeDestination other;
  TempDir dir;
  Gateway gateway(dir, config_with("whsec_admin",
      "  ok: {url: \"" + paused_one.url() + "\"}\n"
      "  other: {url: \"" + other.url() + "\"}\n",
      "  - {from: stripe, to: [ok, other]}\n"));
  ASSERT_TRUE(gateway.start());
  ASSERT_EQ(admin(gateway, "POST", "/api/destinations/ok/pause").status, 200);
  EXPECT_EQ(Database(gateway.db_path()).text("SELECT state FROM destination_states WHERE destination = 'ok'"), "paused");
  EXPECT_EQ(admin(gateway, "POST", "/api/destinations/nope/pause").status, 404);
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM destination_states"), 1);  // nothing for nope
  ASSERT_EQ(gateway.stop(), 0);

  ASSERT_TRUE(gateway.start());
  EXPECT_NE(admin(gateway, "GET", "/api/destinations").body.find(R"({"name":"ok","paused":true)"), std::string::npos)
      << admin(gateway, "GET", "/api/destinations").body;
  EXPECT_EQ(metric(admin(gateway, "GET", "/metrics").body, R"(hookgate_destination_paused{destination="ok"})"), 1);
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_p1")).status, 200);
  ASSERT_TRUE(other.wait_for(1));  // delivery runs: the unpaused destination got it
  const std::string ok_state =
      "SELECT d.state FROM deliveries d JOIN events e ON e.id = d.event_id"
      " WHERE e.vendor_event_id = 'evt_p1' AND d.destination = 'ok'";
  EXPECT_EQ(Database(gateway.db_path()).text(ok_state), "pending");
  EXPECT_TRUE(paused_one.received().empty());

  ASSERT_EQ(admin(gateway, "POST", "/api/destinations/ok/resume").status, 200);
  ASSERT_TRUE(paused_one.wait_for(1));
  EXPECT_EQ(paused_one.received()[0].body, stripe_body("evt_p1"));
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM destination_states"), 0);
}

TEST(Admin, SighupReloadsRoutesDestinationsAndSecretsAndRefusesABrokenFile) {
  FakeDestination first;
  FakeDestination second;
  TempDir dir;
  Gateway gateway(dir, config_with("whsec_before", "  first: {url: \"" + first.url() + "\"}\n",
                                   "  - {from: stripe, to: [first]}\n"));
  ASSERT_TRUE(gateway.start());
  const std::string before_body = stripe_body("evt_r1");
  const Headers old_signature = sign_for(gateway.config_path(), "stripe", before_body, system_clock::now());
  ASSERT_EQ(post_stripe(gateway, before_body).status, 200);
  ASSERT_TRUE(first.wait_for(1));

  // A new secret, a second destination and a route to both.
  write_file(gateway.config_path(), config_with("whsec_after",
      "  first: {url: \"" + first.url() + "\"}\n  second: {url: \"" + second.url() + "\"}\n",
      "  - {from: stripe, to: [first, second]}\n"));
  ASSERT_TRUE(gateway.reload());
  {
    HttpClient client(gateway.port());
    EXPECT_EQ(client.request("POST", "/in/stripe", old_signature, before_body).status, 401);  // the old secret is gone
  }
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_r2")).status, 200);  // signed with the new one
  ASSERT_TRUE(second.wait_for(1));
  ASSERT_TRUE(first.wait_for(2));
  EXPECT_EQ(second.received()[0].body, stripe_body("evt_r2"));
  EXPECT_NE(admin(gateway, "GET", "/api/destinations").body.find("\"name\":\"second\""), std::string::npos);

  // A broken file is refused with its position; the running configuration stays.
  const std::string good = read_file(gateway.config_path());
  write_file(dir.file("signing.yaml"), good);
  write_file(gateway.config_path(), good + "  - {from: stripe, to: [missing]}\n");
  EXPECT_FALSE(gateway.reload());
  EXPECT_TRUE(gateway.log_shows("SIGHUP: " + gateway.config_path() + ":12:")) << gateway.log();
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_r3"), dir.file("signing.yaml")).status, 200);
  ASSERT_TRUE(second.wait_for(2));
  EXPECT_EQ(second.received()[1].body, stripe_body("evt_r3"));

  // A server section change is reported as needing a restart and not applied.
  write_file(gateway.config_path(), std::regex_replace(good, std::regex("io_threads: 1"), "io_threads: 2"));
  ASSERT_TRUE(gateway.reload());
  EXPECT_TRUE(gateway.log_shows("changes to 'server' take effect at the next restart")) << gateway.log();
}

}  // namespace
}  // namespace hookgate::testing
