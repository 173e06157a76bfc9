// Destinations that disable themselves (disable_after) and the alerts: events of source
// hookgate.alerts, stored and delivered to a destination of the config like any other event.
// Black box: the built binary, fake destinations, the CLI, /metrics.
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

constexpr const char* kOpsSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::string stripe_body(const std::string& id) {
  return R"({"id":")" + id + R"(","object":"event","type":"invoice.paid"})";
}

int post_stripe(Gateway& gateway, const std::string& body, bool good_signature = true) {
  HttpClient client(gateway.port());
  Headers headers = sign_for(gateway.config_path(), "stripe", body, system_clock::now());
  if (!good_signature) headers = {{"Stripe-Signature", "t=1,v1=00"}};
  headers.emplace_back("Content-Type", "application/json");
  return client.request("POST", "/in/stripe", headers, body).status;
}

// The alerts `ops` received whose body has "type":"<type>".
std::vector<ReceivedRequest> alerts_of(const FakeDestination& ops, const std::string& type) {
  std::vector<ReceivedRequest> out;
  for (const auto& request : ops.received()) {
    if (request.body.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(request);
  }
  return out;
}

bool signed_by_ops_secret(const ReceivedRequest& got) { return signed_with(got, kOpsSecret); }

CommandResult hookgate(const Gateway& gateway, std::vector<std::string> args) {
  args.insert(args.begin(), binary_path());
  args.insert(args.end(), {"-c", gateway.config_path()});
  return run_command(args);
}

bool wait_for_log(const Gateway& gateway, const std::string& needle, size_t count = 1,
                  milliseconds timeout = seconds(30)) {
  const auto deadline = steady_clock::now() + timeout;
  while (gateway.occurrences_in_log(needle) < count) {
    if (steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return true;
}

TEST(DisableAfter, AFailingDestinationIsDisabledStaysSoAcrossARestartAlertsOnceAndResumesWithItsBacklog) {
  std::atomic<bool> failing{true};
  FakeDestination billing([&](const ReceivedRequest&, size_t) { return ScriptedResponse{.status = failing ? 500 : 200}; });
  FakeDestination ops;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
admin: {listen: "127.0.0.1:0", token: "alerts-test-token"}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_alerts_test"]}}
destinations:
  billing:
    url: ")" + billing.url() + R"("
    disable_after: 2s
    retry: {schedule: [300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms, 300ms]}
    circuit_breaker: {failures: 2, probe_after: 300ms, max_probe_after: 600ms}
  ops: {url: ")" + ops.url() + R"(", sign: {secret: ")" + kOpsSecret + R"("}}
routes:
  - {from: stripe, to: billing}
alerts:
  send:
    - {to: ops, on: [destination_disabled, circuit_opened]}
)");
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(post_stripe(gateway, stripe_body("evt_disable_" + std::to_string(i))), 200);

  ASSERT_TRUE(wait_for_log(gateway, "destination=billing disabled: failing since")) << gateway.log();
  ASSERT_TRUE(ops.wait_for(2)) << gateway.log();  // circuit_opened, then destination_disabled
  const auto disabled = alerts_of(ops, "destination_disabled");
  ASSERT_EQ(disabled.size(), 1u);
  EXPECT_NE(disabled[0].body.find(R"("destination":"billing")"), std::string::npos) << disabled[0].body;
  EXPECT_NE(disabled[0].body.find(R"("disable_after_seconds":2)"), std::string::npos) << disabled[0].body;
  EXPECT_NE(disabled[0].body.find(R"("last_result":"HTTP 500")"), std::string::npos) << disabled[0].body;
  EXPECT_TRUE(signed_by_ops_secret(disabled[0])) << "an alert is signed like any delivery";
  EXPECT_EQ(disabled[0].header("Content-Type"), "application/json");
  EXPECT_EQ(alerts_of(ops, "circuit_opened").size(), 1u);

  // Disabled: nothing more is attempted, the deliveries wait (none dead), and the state is stored.
  const size_t attempts_at_disable = billing.received().size();
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(billing.received().size(), attempts_at_disable);
  const CommandResult listed = hookgate(gateway, {"destinations", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(R"({"name":"billing","state":"disabled","pending":3,)"), std::string::npos) << listed.out;
  const auto admin_get = [&](const std::string& path) {
    HttpClient admin(gateway.admin_port());
    return admin.request("GET", path, {{"Authorization", "Bearer alerts-test-token"}}, "").body;
  };
  EXPECT_NE(admin_get("/api/destinations").find(R"({"name":"billing","paused":true,"disabled":true,)"), std::string::npos)
      << admin_get("/api/destinations");
  EXPECT_NE(admin_get("/metrics").find("hookgate_destination_disabled{destination=\"billing\"} 1\n"), std::string::npos);

  // A restart keeps it disabled, and does not alert again.
  ASSERT_EQ(gateway.stop(), 0);
  ASSERT_TRUE(gateway.start());
  ASSERT_TRUE(wait_for_log(gateway, "destination=billing disabled (stored state)")) << gateway.log();
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(billing.received().size(), attempts_at_disable);
  EXPECT_EQ(alerts_of(ops, "destination_disabled").size(), 1u);
  EXPECT_NE(admin_get("/metrics").find("hookgate_destination_disabled{destination=\"billing\"} 1\n"), std::string::npos);

  // The service is fixed; an operator resumes it: the whole backlog arrives.
  failing = false;
  const CommandResult resumed = hookgate(gateway, {"destinations", "resume", "billing"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ASSERT_TRUE(billing.wait_for(attempts_at_disable + 3)) << gateway.log();
  std::set<std::string> delivered;
  for (size_t i = attempts_at_disable; i < billing.received().size(); ++i) delivered.insert(billing.received()[i].body);
  EXPECT_EQ(delivered.size(), 3u);
  ASSERT_TRUE(eventually(gateway.db_path(),
                         "SELECT count(*) FROM deliveries WHERE destination = 'billing' AND state = 'delivered'", 3));
  const CommandResult after = hookgate(gateway, {"destinations", "list", "--json"});
  EXPECT_NE(after.out.find(R"({"name":"billing","state":"delivering","pending":0,)"), std::string::npos) << after.out;
  EXPECT_EQ(alerts_of(ops, "destination_disabled").size(), 1u);
}

TEST(Alerts, DeadDeliveriesAlertOnceInSlackFormatAndTheRestAreHeldBackAndCounted) {
  FakeDestination billing([](const ReceivedRequest&, size_t) { return ScriptedResponse{.status = 400}; });
  FakeDestination slack;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
admin: {listen: "127.0.0.1:0", token: "alerts-test-token"}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_alerts_test"]}}
destinations:
  billing: {url: ")" + billing.url() + R"("}
  slack: {url: ")" + slack.url() + R"("}
routes:
  - {from: stripe, to: billing}
alerts:
  send:
    - {to: slack, format: slack, on: [delivery_dead]}
)");
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(post_stripe(gateway, stripe_body("evt_dead_" + std::to_string(i))), 200);
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'billing' AND state = 'dead'", 3));
  ASSERT_TRUE(slack.wait_for(1)) << gateway.log();
  const std::string body = slack.received()[0].body;
  EXPECT_TRUE(std::regex_match(body, std::regex(R"J(\{"text":"hookgate delivery_dead: delivery \d+ of event evt_\w+ \(stripe\) to billing is dead after 1 attempts: status_400 \(last result: HTTP 400\)"\})J")))
      << body;

  HttpClient admin(gateway.admin_port());
  const auto metrics = [&] { return admin.request("GET", "/metrics", {{"Authorization", "Bearer alerts-test-token"}}, "").body; };
  const auto has = [&](const std::string& line) {
    const auto deadline = steady_clock::now() + seconds(10);
    while (metrics().find(line) == std::string::npos) {
      if (steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return true;
  };
  EXPECT_TRUE(has("hookgate_alerts_total{kind=\"delivery_dead\",outcome=\"raised\"} 3\n")) << metrics();
  EXPECT_TRUE(has("hookgate_alerts_total{kind=\"delivery_dead\",outcome=\"stored\"} 1\n")) << metrics();
  EXPECT_TRUE(has("hookgate_alerts_total{kind=\"delivery_dead\",outcome=\"held_back\"} 2\n")) << metrics();
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(slack.received().size(), 1u);
  // The alert is an event like any other: listed under its own source.
  const CommandResult listed = hookgate(gateway, {"events", "list", "--source", "hookgate.alerts", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("hookgate.delivery_dead"), std::string::npos) << listed.out;
}

TEST(Alerts, ASourceWhoseRequestsAreMostlyRefusedRaisesOneRejectionAlert) {
  FakeDestination billing;
  FakeDestination ops;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_alerts_test"]}}
destinations:
  billing: {url: ")" + billing.url() + R"("}
  ops: {url: ")" + ops.url() + R"("}
routes:
  - {from: stripe, to: billing}
alerts:
  send: [{to: ops}]
  rejections: {rate: 50%, window: 1m, min_requests: 10}
)");
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 4; ++i) ASSERT_EQ(post_stripe(gateway, stripe_body("evt_ok_" + std::to_string(i))), 200);
  for (int i = 0; i < 12; ++i) ASSERT_EQ(post_stripe(gateway, stripe_body("evt_bad_" + std::to_string(i)), false), 401);
  ASSERT_TRUE(ops.wait_for(1)) << gateway.log();
  const auto rejections = alerts_of(ops, "source_rejections");
  ASSERT_EQ(rejections.size(), 1u) << ops.received()[0].body;
  EXPECT_NE(rejections[0].body.find(R"("source":"stripe")"), std::string::npos) << rejections[0].body;
  // Sampled once a second: the window it saw holds at least 10 requests, half of them refused.
  std::smatch counts;
  ASSERT_TRUE(std::regex_search(rejections[0].body, counts, std::regex(R"("requests":(\d+),"rejected":(\d+),"window_seconds":60)")))
      << rejections[0].body;
  const int requests = std::stoi(counts[1]), rejected = std::stoi(counts[2]);
  EXPECT_GE(requests, 10);
  EXPECT_LE(requests, 16);
  EXPECT_GE(rejected * 2, requests);
  // Edge-triggered: still above the rate, it does not alert again.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(post_stripe(gateway, stripe_body("evt_bad_more_" + std::to_string(i)), false), 401);
  std::this_thread::sleep_for(milliseconds(2500));
  EXPECT_EQ(alerts_of(ops, "source_rejections").size(), 1u);
}

TEST(Alerts, AStoreNearItsMaxSizeRaisesAnAlert) {
  FakeDestination ops;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db, max_size: 8MiB}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_alerts_test"]}}
destinations:
  ops: {url: ")" + ops.url() + R"("}
routes:
  - {from: stripe, to: ops}
alerts:
  send: [{to: ops, on: [store_nearly_full]}]
  store_usage: 5%
)");
  ASSERT_TRUE(gateway.start());
  // 1 KiB bodies until the file passes 5% of 8 MiB (410 KiB).
  const std::string padding(1000, 'x');
  for (int i = 0; i < 600 && alerts_of(ops, "store_nearly_full").empty(); ++i) {
    ASSERT_EQ(post_stripe(gateway, R"({"id":"evt_fill_)" + std::to_string(i) + R"(","type":"x","pad":")" + padding + "\"}"), 200);
  }
  const auto deadline = steady_clock::now() + seconds(20);
  while (alerts_of(ops, "store_nearly_full").empty() && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  const auto full = alerts_of(ops, "store_nearly_full");
  ASSERT_EQ(full.size(), 1u) << gateway.log();
  EXPECT_TRUE(std::regex_search(full[0].body, std::regex(R"("used_bytes":\d+,"max_size_bytes":8388608)"))) << full[0].body;
}

}  // namespace
}  // namespace hookgate::testing
