// Crash safety of the ack: clients post signed events, the gateway is SIGKILLed mid-stream,
// restarted, and every request that got a 200 must be stored exactly once, with the id it was
// acked with, in a database that passes PRAGMA integrity_check.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "config/config.h"
#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

std::string config_for(const std::string& destination_url) {
  return R"(
server:
  listen: ["127.0.0.1:0"]
  io_threads: 2
storage:
  path: events.db
sources:
  stripe:
    path: /in/stripe
    verify: {provider: stripe, secrets: ["whsec_crash_test"]}
destinations:
  audit: {url: ")" + destination_url + R"(", retry: {schedule: [100ms, 200ms, 500ms, 1s, 1s, 1s, 1s, 1s], jitter: 0}}
routes:
  - {from: stripe, to: [audit]}
)";
}

int rounds() {
  const char* env = std::getenv("HOOKGATE_CRASH_ROUNDS");
  return env ? std::max(1, std::atoi(env)) : 3;
}

TEST(Crash, EveryAckedEventSurvivesSigkillExactlyOnceAndIsDelivered) {
  FakeDestination destination;  // records every delivery by webhook-id
  TempDir dir;
  Gateway gateway(dir, config_for(destination.url()));
  const auto loaded = config::load_config(gateway.config_path());
  ASSERT_TRUE(loaded.config);
  const auto verifier = loaded.config->source_by_name("stripe")->verifier;

  std::mt19937 random(std::random_device{}());
  std::map<std::string, std::string> acked;  // vendor event id → public id it was acked with
  std::mutex acked_mutex;
  uint64_t sent_total = 0;

  for (int round = 0; round < rounds(); ++round) {
    ASSERT_TRUE(gateway.start());
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> sent{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        HttpClient client(gateway.port(), seconds(5));
        for (int i = 0; !stop; ++i) {
          const std::string vendor_id = "evt_r" + std::to_string(round) + "_c" + std::to_string(t) + "_" + std::to_string(i);
          const std::string body = R"({"id":")" + vendor_id + R"(","type":"invoice.paid","object":"event"})";
          verify::SignedHeaders headers;
          verifier->sign(body, system_clock::now(), "", headers);
          ++sent;
          const HttpResponse response = client.request("POST", "/in/stripe", headers.headers, body);
          if (response.status == 0) return;  // the server died under us
          if (response.status != 200) {
            ADD_FAILURE() << "unexpected status " << response.status << " " << response.body;
            return;
          }
          std::smatch match;
          if (!std::regex_match(response.body, match, std::regex(R"re(\{"id":"(evt_[0-9A-Z]{26})"\})re"))) {
            ADD_FAILURE() << "bad ack body " << response.body;
            return;
          }
          std::lock_guard lock(acked_mutex);
          acked[vendor_id] = match[1];
        }
      });
    }
    std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(150, 600)(random)));
    gateway.kill_hard();
    stop = true;
    for (auto& c : clients) c.join();
    sent_total += sent;

    // Restart (the new process recovers the WAL), then check every ack so far.
    ASSERT_TRUE(gateway.start());
    Database db(gateway.db_path());
    EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
    std::map<std::string, std::vector<std::string>> stored;
    for (const auto& row : db.rows("SELECT vendor_event_id, public_id FROM events")) stored[row[0]].push_back(row[1]);
    uint64_t lost = 0;
    for (const auto& [vendor_id, public_id] : acked) {
      const auto it = stored.find(vendor_id);
      if (it == stored.end()) {
        ++lost;
        continue;
      }
      EXPECT_EQ(it->second.size(), 1u) << vendor_id << " stored more than once";
      EXPECT_EQ(it->second.front(), public_id) << vendor_id << " stored under another id";
    }
    EXPECT_EQ(lost, 0u) << "acked but lost in round " << round;
    EXPECT_EQ(db.scalar("SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)"), 0)
        << "an event was committed without its delivery row";
    (void)gateway.stop();
  }
  EXPECT_GE(acked.size(), 100u) << "too few requests acked to mean anything (sent " << sent_total << ")";

  // A vendor retrying acked events after the crashes gets the ids it was first given.
  ASSERT_TRUE(gateway.start());
  HttpClient client(gateway.port());
  int checked = 0;
  for (const auto& [vendor_id, public_id] : acked) {
    if (++checked > 20) break;
    const std::string body = R"({"id":")" + vendor_id + R"(","type":"invoice.paid","object":"event"})";
    verify::SignedHeaders headers;
    verifier->sign(body, system_clock::now(), "", headers);
    const HttpResponse response = client.request("POST", "/in/stripe", headers.headers, body);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"id":")" + public_id + R"("})");
  }
  // After the last restart every acked event reaches the destination (duplicates are allowed:
  // attempts in flight at a kill are sent again).
  const auto deadline = steady_clock::now() + seconds(60);
  std::set<std::string> missing;
  do {
    missing.clear();
    std::set<std::string> delivered_ids;
    for (const auto& request : destination.received()) delivered_ids.insert(request.header("webhook-id"));
    for (const auto& [vendor_id, public_id] : acked) {
      if (!delivered_ids.count(public_id)) missing.insert(public_id);
    }
    if (missing.empty()) break;
    std::this_thread::sleep_for(milliseconds(100));
  } while (steady_clock::now() < deadline);
  EXPECT_TRUE(missing.empty()) << missing.size() << " acked events never reached the destination, e.g. "
                               << (missing.empty() ? "" : *missing.begin());
  std::printf("crash test: %d rounds, %llu requests sent, %zu acked, 0 lost\n", rounds(),
              static_cast<unsigned long long>(sent_total), acked.size());
}

}  // namespace
}  // namespace hookgate::testing
