// Operator commands against a real database: `hookgate events` and `hookgate replay`.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;


class OperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The destination refuses everything at first: both events end up dead.
    destination_.set_script([this](const ReceivedRequest&, size_t) {
      ScriptedResponse r;
      r.status = accept_.load() ? 200 : 400;
      return r;
    });
    ASSERT_TRUE(gateway_.start());
    HttpClient client(gateway_.port());
    for (const std::string& type : {"invoice.paid", "customer.created"}) {
      const std::string body = R"({"id":"evt_ops_)" + type + R"(","type":")" + type + R"("})";
      ASSERT_EQ(client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now()), body).status, 200);
    }
    ASSERT_TRUE(eventually(gateway_.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'dead'", 2));
  }

  CommandResult hookgate(std::vector<std::string> args) {
    args.insert(args.begin(), binary_path());
    args.insert(args.begin() + 2, {"-c", gateway_.config_path()});
    return run_command(args);
  }

  std::atomic<bool> accept_{false};
  FakeDestination destination_;
  TempDir dir_;
  Gateway gateway_{dir_, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_ops"]}}
destinations:
  crm: {url: ")" + destination_.url() + R"("}
routes:
  - {from: stripe, to: [crm]}
)"};
};

TEST_F(OperationsTest, EventsListFiltersAndShowsDeliveries) {
  const CommandResult all = run_command({binary_path(), "events", "list", "-c", gateway_.config_path(), "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find(R"("vendor_event_id":"evt_ops_invoice.paid")"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find(R"("state":"dead")"), std::string::npos);

  const CommandResult invoices = run_command({binary_path(), "events", "list", "-c", gateway_.config_path(),
                                              "--event-type", "invoice.*", "--status", "dead", "--since", "1h"});
  ASSERT_EQ(invoices.exit_code, 0) << invoices.err;
  EXPECT_NE(invoices.out.find("crm:dead(1)"), std::string::npos) << invoices.out;
  EXPECT_EQ(invoices.out.find("customer.created"), std::string::npos) << invoices.out;

  const CommandResult show = run_command({binary_path(), "events", "show", "-c", gateway_.config_path(), "evt_ops_invoice.paid"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("delivery 1 -> crm: dead after 1 attempts"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("400"), std::string::npos) << show.out;

  EXPECT_EQ(run_command({binary_path(), "events", "show", "-c", gateway_.config_path(), "evt_nope"}).exit_code, 1);
}

TEST_F(OperationsTest, EventsListShowsTheVendorsEventId) {
  const CommandResult table = run_command({binary_path(), "events", "list", "-c", gateway_.config_path()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(std::regex_search(table.out, std::regex(R"(^ID +VENDOR ID +RECEIVED +SOURCE +TYPE +DELIVERIES\n)")))
      << table.out;
  EXPECT_TRUE(std::regex_search(table.out, std::regex(R"(\nevt_[0-9A-Z]{26} +evt_ops_invoice\.paid +[0-9-]+T[0-9:.]+Z +stripe +invoice\.paid +crm:dead)")))
      << table.out;
  // The vendor's id also finds the event.
  const CommandResult one = run_command({binary_path(), "events", "list", "-c", gateway_.config_path(), "--event-id",
                                         "evt_ops_customer.created", "--json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find(R"("vendor_event_id":"evt_ops_customer.created")"), std::string::npos) << one.out;
  EXPECT_EQ(one.out.find("evt_ops_invoice.paid"), std::string::npos) << one.out;
}

TEST_F(OperationsTest, BadFiltersAreRefusedWithExitCode2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--status", "broken"}, {"--since", "last tuesday"}, {"--source", "nope"}, {"--since", "1h", "--until", "2h"}}) {
    std::vector<std::string> argv = {binary_path(), "replay", "-c", gateway_.config_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run_command(argv);
    EXPECT_EQ(result.exit_code, 2) << args[0] << ": " << result.out << result.err;
    EXPECT_FALSE(result.err.empty());
  }
}

TEST_F(OperationsTest, DryRunCountsAndChangesNothing) {
  const CommandResult dry = run_command({binary_path(), "replay", "-c", gateway_.config_path(), "--status", "dead",
                                         "--event-type", "invoice.*", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("1 deliveries would be replayed"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("dry run: nothing changed"), std::string::npos);
  EXPECT_EQ(Database(gateway_.db_path()).scalar("SELECT count(*) FROM deliveries WHERE state = 'dead'"), 2);
}

TEST_F(OperationsTest, ReplayWhileTheServerRunsIsPickedUpAndKeepsTheWebhookId) {
  accept_ = true;
  const size_t before = destination_.received().size();
  const CommandResult replay = run_command({binary_path(), "replay", "-c", gateway_.config_path(), "--status", "failed"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_NE(replay.out.find("scheduled 2 deliveries"), std::string::npos) << replay.out;
  ASSERT_TRUE(eventually(gateway_.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 2));
  const auto received = destination_.received();
  ASSERT_EQ(received.size(), before + 2);
  const std::string first_id = received[0].header("webhook-id");
  bool same_id_again = false;
  for (size_t i = before; i < received.size(); ++i) same_id_again |= received[i].header("webhook-id") == first_id;
  EXPECT_TRUE(same_id_again) << "a replayed delivery must carry the event's original webhook-id";
}

TEST_F(OperationsTest, ReplayDeliverRefusesWhileAServerRunsAndDeliversWhenItDoesNot) {
  accept_ = true;
  const CommandResult refused = run_command({binary_path(), "replay", "-c", gateway_.config_path(), "--status", "dead",
                                             "--event-id", "evt_ops_invoice.paid", "--deliver"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("another hookgate process is delivering"), std::string::npos) << refused.err;

  ASSERT_EQ(gateway_.stop(), 0);
  const CommandResult delivered = run_command({binary_path(), "replay", "-c", gateway_.config_path(), "--status", "dead",
                                               "--deliver"});
  ASSERT_EQ(delivered.exit_code, 0) << delivered.err;
  EXPECT_NE(delivered.out.find("delivered 2, dead 0"), std::string::npos) << delivered.out;
  EXPECT_EQ(Database(gateway_.db_path()).scalar("SELECT count(*) FROM deliveries WHERE state = 'delivered'"), 2);
  EXPECT_EQ(Database(gateway_.db_path()).scalar("SELECT count(*) FROM attempts"), 4);  // the history is kept
}

}  // namespace
}  // namespace hookgate::testing

namespace hookgate::testing {
namespace {

// `hookgate destinations`: the stored switch a running server follows, and what waits.
TEST(DestinationsCommand, PauseListAndResumeAreFollowedByTheRunningServer) {
  FakeDestination paused_one;
  FakeDestination other;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_ops"]}}
destinations:
  billing: {url: ")" + paused_one.url() + R"("}
  audit: {url: ")" + other.url() + R"("}
routes:
  - {from: stripe, to: [billing, audit]}
)");
  ASSERT_TRUE(gateway.start());
  auto hookgate = [&](std::vector<std::string> args) {
    args.insert(args.begin(), binary_path());
    args.insert(args.end(), {"-c", gateway.config_path()});
    return run_command(args);
  };
  const CommandResult paused = hookgate({"destinations", "pause", "billing"});
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  const CommandResult unknown = hookgate({"destinations", "pause", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no destination 'nope'"), std::string::npos) << unknown.err;
  // The server follows the stored state with its lease recovery (every 5 s).
  const auto deadline = steady_clock::now() + seconds(20);
  while (gateway.occurrences_in_log("destination=billing paused (stored state)") == 0 && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_EQ(gateway.occurrences_in_log("destination=billing paused (stored state)"), 1u) << gateway.log();

  const std::string body = R"({"id":"evt_dest_cmd","type":"invoice.paid"})";
  HttpClient client(gateway.port());
  ASSERT_EQ(client.request("POST", "/in/stripe", sign_for(gateway.config_path(), "stripe", body, system_clock::now()), body).status, 200);
  ASSERT_TRUE(other.wait_for(1));
  const CommandResult listed = hookgate({"destinations", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(R"({"name":"billing","state":"paused","pending":1,"oldest_pending_seconds":)"), std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find(R"({"name":"audit","state":"delivering","pending":0,"oldest_pending_seconds":null})"),
            std::string::npos)
      << listed.out;
  const CommandResult table = hookgate({"destinations", "list"});
  EXPECT_TRUE(std::regex_search(table.out, std::regex(R"(billing +paused +1 +\d+s\n)"))) << table.out;
  EXPECT_TRUE(paused_one.received().empty());

  ASSERT_EQ(hookgate({"destinations", "resume", "billing"}).exit_code, 0);
  ASSERT_TRUE(paused_one.wait_for(1));
  EXPECT_EQ(paused_one.received()[0].body, body);
}

}  // namespace
}  // namespace hookgate::testing
