// Transformations end to end: the built binary runs routes' and destinations' Lua scripts on
// deliveries. What the destination receives, skips, the caps (the rest keeps flowing), the
// sandbox, check-config, SIGHUP and `hookgate transform test`.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kToken = "transform-test-admin-token";
constexpr const char* kSigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::string config_for(const std::string& destinations, const std::string& routes, const std::string& extra = "") {
  return std::string(R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
admin: {listen: "127.0.0.1:0", token: ")") + kToken + R"("}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_transform_test"]}}
destinations:
)" + destinations + "routes:\n" + routes + extra;
}

std::string stripe_body(const std::string& id, const std::string& type = "invoice.paid") {
  return R"({"id":")" + id + R"(","object":"event","type":")" + type +
         R"(","data":{"object":{"amount_paid":1200,"customer":"cus_42"}}})";
}

// Signed with the stripe secret of `signing_config` (default: the gateway's current file).
std::string post_stripe(Gateway& gateway, const std::string& body, const std::string& signing_config = "") {
  HttpClient client(gateway.port());
  Headers headers = sign_for(signing_config.empty() ? gateway.config_path() : signing_config, "stripe", body,
                             system_clock::now());
  headers.emplace_back("Content-Type", "application/json");
  const HttpResponse response = client.request("POST", "/in/stripe", headers, body);
  EXPECT_EQ(response.status, 200) << response.body;
  const size_t start = response.body.find("evt_");
  return start == std::string::npos ? "" : response.body.substr(start, 30);
}

std::string metrics(Gateway& gateway) {
  HttpClient client(gateway.admin_port());
  return client.request("GET", "/metrics", {{"Authorization", std::string("Bearer ") + kToken}}, "").body;
}

TEST(Transform, TheDestinationReceivesExactlyWhatTheScriptsMadeSignedOverTheNewBody) {
  FakeDestination destination;
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "transforms");
  write_file(dir.file("transforms/billing.lua"), R"lua(
-- The route's script: a flat body for the billing service, a tenant header.
function transform(event)
  local stripe = event.json()
  event.body = json.encode({event = event.id, kind = event.type, amount = stripe.data.object.amount_paid})
  event.headers["x-tenant"] = stripe.data.object.customer
  event.headers["stripe-signature"] = nil
  return event
end
)lua");
  write_file(dir.file("transforms/v2.lua"), R"lua(
-- The destination's script: runs second, sees the route's result.
function transform(event)
  event.path = "/billing/v2"
  event.query = "kind=" .. event.type
  event.headers["x-seen-tenant"] = event.headers["x-tenant"]
  return event
end
)lua");
  Gateway gateway(dir, config_for("  billing: {url: \"" + destination.url("/billing/v1") +
                                      "\", transform: transforms/v2.lua, sign: {secret: \"" + kSigningSecret + "\"}}\n",
                                  "  - {from: stripe, to: billing, transform: transforms/billing.lua}\n"));
  ASSERT_TRUE(gateway.start());
  const std::string body = stripe_body("evt_transform_1");
  const std::string public_id = post_stripe(gateway, body);
  ASSERT_TRUE(destination.wait_for(1));
  const ReceivedRequest got = destination.received()[0];
  EXPECT_EQ(got.target, "/billing/v2?kind=invoice.paid");
  // json.encode writes object keys in Lua's table order: check the document, then its bytes
  // against the signature.
  for (const std::string part : {"\"event\":\"" + public_id + "\"", std::string("\"kind\":\"invoice.paid\""),
                                 std::string("\"amount\":1200")}) {
    EXPECT_NE(got.body.find(part), std::string::npos) << got.body;
  }
  EXPECT_EQ(got.body.size(), 2 + std::string("\"event\":\"" + public_id + "\",\"kind\":\"invoice.paid\",\"amount\":1200").size());
  EXPECT_EQ(got.header("x-tenant"), "cus_42");
  EXPECT_EQ(got.header("x-seen-tenant"), "cus_42");
  EXPECT_EQ(got.header("Stripe-Signature"), "");
  EXPECT_EQ(got.header("Content-Type"), "application/json");
  EXPECT_EQ(got.header("webhook-id"), public_id);

  EXPECT_TRUE(signed_with(got, kSigningSecret));

  // The stored event is the vendor's, byte for byte.
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 1));
  Database db(gateway.db_path());
  EXPECT_EQ(db.text("SELECT " + as_text("body") + " FROM events"), body);
}

TEST(Transform, ReturningNilSkipsTheDeliveryWithItsReasonAndTheOthersGoOn) {
  FakeDestination billing;
  FakeDestination audit;
  TempDir dir;
  write_file(dir.file("only-created.lua"), R"lua(
function transform(event)
  if event.type ~= "invoice.created" then return nil, "billing takes invoice.created only" end
  return event
end
)lua");
  Gateway gateway(dir, config_for("  billing: {url: \"" + billing.url() + "\", transform: only-created.lua}\n"
                                  "  audit: {url: \"" + audit.url() + "\"}\n",
                                  "  - {from: stripe, to: [billing, audit]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_skip_1", "invoice.paid"));
  post_stripe(gateway, stripe_body("evt_skip_2", "invoice.created"));
  ASSERT_TRUE(audit.wait_for(2));
  ASSERT_TRUE(billing.wait_for(1));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'skipped'", 1));
  Database db(gateway.db_path());
  EXPECT_EQ(db.text("SELECT e.vendor_event_id FROM deliveries d JOIN events e ON e.id = d.event_id"
                    " WHERE d.state = 'skipped' AND d.destination = 'billing'"),
            "evt_skip_1");
  EXPECT_EQ(db.text("SELECT a.error FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.state = 'skipped'"),
            "skipped by transform: billing takes invoice.created only");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.state = 'skipped'"), 1);
  EXPECT_EQ(billing.received().size(), 1u);
  EXPECT_EQ(metric(metrics(gateway), R"(hookgate_deliveries_total{destination="billing",outcome="skipped"})"), 1);
}

TEST(Transform, AnEndlessLoopAndEndlessAllocationAreCappedWhileTheRestFlows) {
  FakeDestination looping;
  FakeDestination hungry;
  FakeDestination healthy;
  TempDir dir;
  write_file(dir.file("loop.lua"), "function transform(event) while true do end end\n");
  write_file(dir.file("hungry.lua"), R"lua(
function transform(event)
  local t = {}
  for i = 1, 1e12 do t[i] = string.rep("x", 100) .. i end
end
)lua");
  const std::string retry = ", retry: {schedule: [50ms], jitter: 0}";
  Gateway gateway(dir, config_for("  looping: {url: \"" + looping.url() + "\", transform: loop.lua" + retry + "}\n"
                                  "  hungry: {url: \"" + hungry.url() + "\", transform: hungry.lua" + retry + "}\n"
                                  "  healthy: {url: \"" + healthy.url() + "\"}\n",
                                  "  - {from: stripe, to: [looping, hungry, healthy]}\n",
                                  "transforms: {max_instructions: 100000, max_memory: 1MiB, timeout: 5s}\n"));
  ASSERT_TRUE(gateway.start());
  for (int i = 0; i < 3; ++i) post_stripe(gateway, stripe_body("evt_cap_" + std::to_string(i)));
  ASSERT_TRUE(healthy.wait_for(3));
  // One try and one retry each, then dead; no request ever left for the capped destinations.
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'dead'", 6));
  Database db(gateway.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                      " WHERE d.destination = 'looping' AND a.error = 'transform: instruction limit (100000)'"),
            6);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                      " WHERE d.destination = 'hungry' AND a.error = 'transform: memory limit (1048576 bytes)'"),
            6);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries WHERE destination = 'healthy' AND state = 'delivered'"), 3);
  EXPECT_TRUE(looping.received().empty());
  EXPECT_TRUE(hungry.received().empty());
  const std::string page = metrics(gateway);
  EXPECT_EQ(metric(page, R"(hookgate_transform_errors_total{destination="looping",cause="instruction_limit"})"), 6);
  EXPECT_EQ(metric(page, R"(hookgate_transform_errors_total{destination="hungry",cause="memory_limit"})"), 6);
  EXPECT_EQ(metric(page, R"(hookgate_transform_errors_total{destination="healthy",cause="error"})"), 0);
}

TEST(Transform, ScriptsCannotReachTheProcessTheFilesOrOtherCode) {
  FakeDestination probe;
  FakeDestination escape;
  TempDir dir;
  const std::string marker = dir.file("pwned");
  write_file(dir.file("probe.lua"), R"lua(
function transform(event)
  event.headers["x-probe"] = table.concat({tostring(os), tostring(io), tostring(require), tostring(package),
    tostring(debug), tostring(load), tostring(loadfile), tostring(dofile)}, ",")
  return event
end
)lua");
  write_file(dir.file("escape.lua"), "function transform(event)\n  os.execute('touch " + marker +
                                         "')\n  io.open('" + marker + "', 'w')\n  return event\nend\n");
  Gateway gateway(dir, config_for("  probe: {url: \"" + probe.url() + "\", transform: probe.lua}\n"
                                  "  escape: {url: \"" + escape.url() + "\", transform: escape.lua, retry: {schedule: []}}\n",
                                  "  - {from: stripe, to: [probe, escape]}\n"));
  ASSERT_TRUE(gateway.start());
  post_stripe(gateway, stripe_body("evt_sandbox_1"));
  ASSERT_TRUE(probe.wait_for(1));
  EXPECT_EQ(probe.received()[0].header("x-probe"), "nil,nil,nil,nil,nil,nil,nil,nil");
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE destination = 'escape' AND state = 'dead'", 1));
  Database db(gateway.db_path());
  const std::string error = db.text("SELECT a.error FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                                    " WHERE d.destination = 'escape'");
  EXPECT_NE(error.find("escape.lua:2: attempt to index a nil value (global 'os')"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_EQ(metric(metrics(gateway), R"(hookgate_transform_errors_total{destination="escape",cause="error"})"), 1);
}

TEST(Transform, CheckConfigNamesTheScriptsFileAndLine) {
  TempDir dir;
  write_file(dir.file("broken.lua"), "function transform(event)\n  event.type = \n  return event\nend\n");
  write_file(dir.file("hookgate.yaml"), config_for("  billing: {url: \"http://127.0.0.1:9/\", transform: broken.lua}\n",
                                                   "  - {from: stripe, to: billing, transform: missing.lua}\n"));
  const CommandResult result = run_command({binary_path(), "check-config", "-c", dir.file("hookgate.yaml")});
  EXPECT_EQ(result.exit_code, 1);
  const std::string broken = dir.file("broken.lua");
  EXPECT_NE(result.out.find(broken + ":3: unexpected symbol near 'return'"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("hookgate.yaml:8:"), std::string::npos) << result.out;  // the destination's line
  EXPECT_NE(result.out.find("cannot read transform script " + dir.file("missing.lua")), std::string::npos) << result.out;
}

TEST(Transform, SighupReloadsTheScripts) {
  FakeDestination destination;
  TempDir dir;
  const auto script = [](const std::string& version) {
    return "function transform(event) event.headers['x-version'] = '" + version + "' return event end\n";
  };
  write_file(dir.file("tag.lua"), script("1"));
  Gateway gateway(dir, config_for("  billing: {url: \"" + destination.url() + "\", transform: tag.lua}\n",
                                  "  - {from: stripe, to: billing}\n"));
  ASSERT_TRUE(gateway.start());
  // The gateway's file stops loading while the script is broken: sign with a copy without it.
  const std::string signing = dir.file("signing.yaml");
  write_file(signing, config_for("  billing: {url: \"" + destination.url() + "\"}\n", "  - {from: stripe, to: billing}\n"));
  post_stripe(gateway, stripe_body("evt_reload_1"));
  ASSERT_TRUE(destination.wait_for(1));
  write_file(dir.file("tag.lua"), "function transform(event) syntax error here\n");
  EXPECT_FALSE(gateway.reload());  // refused: the running scripts stay
  post_stripe(gateway, stripe_body("evt_reload_2"), signing);
  ASSERT_TRUE(destination.wait_for(2));
  write_file(dir.file("tag.lua"), script("2"));
  ASSERT_TRUE(gateway.reload());
  post_stripe(gateway, stripe_body("evt_reload_3"));
  ASSERT_TRUE(destination.wait_for(3));
  const auto received = destination.received();
  EXPECT_EQ(received[0].header("x-version"), "1");
  EXPECT_EQ(received[1].header("x-version"), "1");
  EXPECT_EQ(received[2].header("x-version"), "2");
}

TEST(Transform, TransformTestIsADryRunOnAStoredEventOrABody) {
  FakeDestination destination([](const ReceivedRequest&, size_t) { return ScriptedResponse{503, {}, "down", {}, false}; });
  TempDir dir;
  write_file(dir.file("amount.lua"), R"lua(
function transform(event)
  local stripe = event.json()
  if stripe.type == "customer.created" then return nil, "no customers here" end
  event.body = json.encode({amount = stripe.data.object.amount_paid})
  return event
end
)lua");
  Gateway gateway(dir, config_for("  billing: {url: \"" + destination.url("/hook") + "\", retry: {schedule: [1h]}}\n",
                                  "  - {from: stripe, to: billing, transform: amount.lua}\n"));
  ASSERT_TRUE(gateway.start());
  const std::string public_id = post_stripe(gateway, stripe_body("evt_dry_1"));
  ASSERT_TRUE(destination.wait_for(1));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM attempts", 1));

  CommandResult result = run_command({binary_path(), "transform", "test", "-c", gateway.config_path(), "--route", "0",
                                      "--event", public_id});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, result.out.find('\n')), "== billing");
  EXPECT_NE(result.out.find("POST /hook\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\n\n{\"amount\":1200}\n"), std::string::npos) << result.out;
  // Nothing was sent or written.
  EXPECT_EQ(destination.received().size(), 1u);
  Database db(gateway.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts"), 1);

  write_file(dir.file("customer.json"), R"({"type":"customer.created","data":{"object":{}}})");
  result = run_command({binary_path(), "transform", "test", "-c", gateway.config_path(), "--route", "0", "--body",
                        dir.file("customer.json")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "== billing\nskipped: no customers here\n");
  result = run_command({binary_path(), "transform", "test", "-c", gateway.config_path(), "--route", "0", "--body", "-"},
                       "not json");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("failed: transform: "), std::string::npos) << result.out;
  result = run_command({binary_path(), "transform", "test", "-c", gateway.config_path(), "--route", "3", "--body", "-"}, "{}");
  EXPECT_EQ(result.exit_code, 2);
}

}  // namespace
}  // namespace hookgate::testing
