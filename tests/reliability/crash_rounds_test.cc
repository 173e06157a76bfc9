// Crash rounds: vendors post signed events over HTTP/1.1 and HTTP/2 (bursts of streams, so the
// writer's batches are large) to two sources routed to three destinations; the gateway is
// SIGKILLed at a random moment (mid-batch, mid-delivery with leases held, or just after a
// restart), restarted, and after every round:
//   - every request answered 2xx is stored exactly once, under the id it was acked with;
//   - every stored event (acked or caught in flight) has exactly the delivery rows its routes
//     ask for: never an event without them, never half a fan-out;
//   - PRAGMA integrity_check is ok.
// After the last round every acked event reaches every destination its routes name.
//
// HOOKGATE_CRASH_ROUNDS sets the number of rounds (CI: 4; the long run: 100), and
// HOOKGATE_CRASH_SEED the random seed (printed, to replay a failing run). One line per round
// and a total line are printed for tests/reliability/run to collect.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "controlled_destination.h"
#include "h2_client.h"
#include "harness.h"
#include "load_client.h"
#include "verify/verifier.h"

namespace hookgate::reliability {
namespace {

using namespace std::chrono;
using testing::Database;
using testing::Gateway;
using testing::H2Client;
using testing::HttpClient;
using testing::TempDir;

const std::vector<std::string> kDestinations = {"audit", "billing", "crm"};

// The routes below, restated: which destinations an event of `source` and `type` must reach.
std::set<std::string> expected_destinations(const std::string& source, const std::string& type) {
  if (source == "shop") return {"audit", "crm"};
  if (type.rfind("invoice.", 0) == 0) return {"audit", "billing"};
  if (type.rfind("customer.", 0) == 0) return {"crm"};
  return {};  // stored, acked, delivered nowhere
}

std::string config_for(const std::map<std::string, std::string>& urls) {
  // A long retry schedule at short steps: a delivery failed by a kill or a flaky round is
  // retried within seconds and is never dead-lettered during the test.
  const std::string retry = "retry: {schedule: [100ms, 200ms, 500ms, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s, 1s], jitter: 0}";
  std::string yaml = R"(
server:
  listen: ["127.0.0.1:0"]
  io_threads: 2
storage:
  path: events.db
  max_batch: 512
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_crash_rounds_stripe"]}}
  shop: {path: /in/shop, verify: {provider: stripe, secrets: ["whsec_crash_rounds_shop"]}}
destinations:
)";
  for (const auto& name : kDestinations) {
    yaml += "  " + name + ": {url: \"" + urls.at(name) + "\", timeout: 2s, concurrency: 8, " + retry + "}\n";
  }
  yaml += R"(routes:
  - {from: stripe, to: [billing, audit], filter: {event_type: ["invoice.*"]}}
  - {from: stripe, to: [crm], filter: {event_type: ["customer.*"]}}
  - {from: shop, to: [audit, crm]}
)";
  return yaml;
}

struct Sent {
  std::string source;
  std::string type;
  int round = 0;
  std::string acked_id;  // the public id of a 2xx answer; empty when none came
};

// Everything the vendors sent, by vendor event id. Thread-safe.
class Ledger {
 public:
  void sent(const std::string& vendor_id, Sent entry) {
    std::lock_guard lock(mutex_);
    entries_[vendor_id] = std::move(entry);
  }
  void acked(const std::string& vendor_id, const std::string& public_id) {
    std::lock_guard lock(mutex_);
    entries_[vendor_id].acked_id = public_id;
  }
  [[nodiscard]] std::map<std::string, Sent> snapshot() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Sent> entries_;
};

// The event kinds the vendors send, in turn: every route, and an event no route takes.
struct Kind {
  const char* source;
  const char* type;
};
constexpr Kind kKinds[] = {{"stripe", "invoice.paid"}, {"shop", "order.created"}, {"stripe", "customer.created"},
                           {"stripe", "invoice.finalized"}, {"stripe", "charge.refunded"}, {"shop", "order.paid"}};

enum class DestinationBehaviour { fast, slow, flaky };
const char* to_string(DestinationBehaviour b) {
  switch (b) {
    case DestinationBehaviour::fast: return "fast";
    case DestinationBehaviour::slow: return "slow";
    case DestinationBehaviour::flaky: return "flaky";
  }
  return "?";
}

ControlledDestination::Answering answering_for(DestinationBehaviour behaviour) {
  ControlledDestination::Answering answering;
  switch (behaviour) {
    case DestinationBehaviour::fast: break;
    case DestinationBehaviour::slow:
      // Attempts last long enough that kills find deliveries inflight, with their leases held.
      answering.delay = milliseconds(400);
      break;
    case DestinationBehaviour::flaky:
      // Every other attempt fails: retries are scheduled (attempt rows written) when the kill
      // comes. Never five failures in a row, so the circuit breaker stays closed.
      answering.fail_every = 2;
      break;
  }
  return answering;
}

TEST(CrashRounds, EveryAckedEventSurvivesSigkillExactlyOnceAndReachesEveryRoutedDestination) {
  const int rounds = static_cast<int>(std::max<int64_t>(1, env_int("HOOKGATE_CRASH_ROUNDS", 4)));
  const auto seed = static_cast<uint32_t>(env_int("HOOKGATE_CRASH_SEED", std::random_device{}()));
  std::mt19937 random(seed);

  std::map<std::string, std::unique_ptr<ControlledDestination>> destinations;
  std::map<std::string, std::string> urls;
  for (const auto& name : kDestinations) {
    destinations[name] = std::make_unique<ControlledDestination>();
    urls[name] = destinations[name]->url();
  }
  TempDir dir;
  Gateway gateway(dir, config_for(urls));
  const auto stripe = verifier_for(gateway.config_path(), "stripe");
  const auto shop = verifier_for(gateway.config_path(), "shop");
  ASSERT_TRUE(stripe && shop);
  auto verifier = [&](const std::string& source) { return source == "shop" ? shop : stripe; };

  Ledger ledger;
  uint64_t sent_total = 0, in_flight_total = 0;
  ASSERT_TRUE(gateway.start());

  for (int round = 0; round < rounds; ++round) {
    const auto behaviour = static_cast<DestinationBehaviour>(round % 3);
    for (auto& [name, destination] : destinations) destination->set_answering(answering_for(behaviour));
    // Most kills come while load flows; one round in five right after the restart, while
    // the gateway recovers leases and commits its first batches.
    const int kill_after_ms = std::uniform_int_distribution<int>(0, 4)(random) == 0
                                  ? std::uniform_int_distribution<int>(0, 60)(random)
                                  : std::uniform_int_distribution<int>(150, 1500)(random);

    std::atomic<bool> stop{false};
    std::atomic<uint64_t> sent{0}, answered{0}, acked{0};
    std::atomic<bool> unexpected{false};
    auto record_answer = [&](const std::string& vendor_id, int status, const std::string& body) -> bool {
      if (status == 0) return false;  // no answer: the gateway died under the request
      ++answered;
      if (status != 200) {
        if (!unexpected.exchange(true)) ADD_FAILURE() << "round " << round << ": status " << status << " " << body;
        return false;
      }
      const std::string id = public_id_in(body);
      if (id.empty()) {
        if (!unexpected.exchange(true)) ADD_FAILURE() << "round " << round << ": bad ack body " << body;
        return false;
      }
      ledger.acked(vendor_id, id);
      ++acked;
      return true;
    };

    std::vector<std::thread> clients;
    // HTTP/1.1 keep-alive vendors, one request at a time each.
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&, c] {
        HttpClient client(gateway.port(), seconds(10));
        for (int i = 0; !stop; ++i) {
          const Kind kind = kKinds[static_cast<size_t>(c + i) % std::size(kKinds)];
          const std::string vendor_id = "r" + std::to_string(round) + "_h1c" + std::to_string(c) + "_" + std::to_string(i);
          const std::string body = stripe_body(vendor_id, kind.type, static_cast<size_t>(i % 5) * 300);
          ledger.sent(vendor_id, Sent{kind.source, kind.type, round, ""});
          ++sent;
          const auto response = client.request("POST", std::string("/in/") + kind.source,
                                                signed_headers(*verifier(kind.source), body), body);
          if (!record_answer(vendor_id, response.status, response.body)) return;
        }
      });
    }
    // HTTP/2 vendors: bursts of 48 streams on one connection land in the same writer batches.
    for (int c = 0; c < 2; ++c) {
      clients.emplace_back([&, c] {
        for (int burst = 0; !stop; ++burst) {
          H2Client client(gateway.port());
          if (!client.connected()) return;
          std::vector<std::pair<int32_t, std::string>> streams;
          for (int i = 0; i < 48; ++i) {
            const Kind kind = kKinds[static_cast<size_t>(i) % std::size(kKinds)];
            const std::string vendor_id = "r" + std::to_string(round) + "_h2c" + std::to_string(c) + "_" +
                                          std::to_string(burst) + "_" + std::to_string(i);
            const std::string body = stripe_body(vendor_id, kind.type, static_cast<size_t>(i % 3) * 500);
            ledger.sent(vendor_id, Sent{kind.source, kind.type, round, ""});
            ++sent;
            streams.emplace_back(client.submit("POST", std::string("/in/") + kind.source,
                                               signed_headers(*verifier(kind.source), body), body),
                                 vendor_id);
          }
          const bool finished = client.run(seconds(10));
          for (const auto& [stream, vendor_id] : streams) {
            const auto& result = client.result(stream);
            (void)record_answer(vendor_id, result.status, result.body);
          }
          if (!finished) return;
        }
      });
    }

    std::this_thread::sleep_for(milliseconds(kill_after_ms));
    const uint64_t answered_at_kill = answered.load();
    const uint64_t sent_at_kill = sent.load();
    gateway.kill_hard();
    stop = true;
    for (auto& client : clients) client.join();
    // Requests sent and not answered when the kill came: inside the pipeline (parsing,
    // queued for the writer, in the batch being committed, or answered on the wire).
    const uint64_t in_flight = sent_at_kill - std::min(sent_at_kill, answered_at_kill);
    sent_total += sent;
    in_flight_total += in_flight;

    // Restart: the new process recovers the WAL and expired leases. Then check every ack so far.
    ASSERT_TRUE(gateway.start()) << "round " << round;
    Database db(gateway.db_path());
    // PostgreSQL checks its own pages (and has no integrity_check): "n/a" there.
    const std::string integrity = db.is_sqlite() ? db.text("PRAGMA integrity_check") : "n/a";
    if (db.is_sqlite()) EXPECT_EQ(integrity, "ok") << "round " << round;
    // The event's destinations in order, one text: SQLite 3.40 has no ORDER BY in aggregates.
    const std::string destinations_of_e =
        db.is_sqlite() ? "(SELECT group_concat(destination, ',') FROM (SELECT destination FROM deliveries d"
                         " WHERE d.event_id = e.id ORDER BY destination))"
                       : "(SELECT string_agg(destination, ',' ORDER BY destination) FROM deliveries d"
                         " WHERE d.event_id = e.id)";
    std::map<std::string, std::vector<std::vector<std::string>>> stored;  // vendor id → rows
    for (auto& row : db.rows("SELECT e.vendor_event_id, e.public_id, e.source, coalesce(e.event_type, ''),"
                             " coalesce(" + destinations_of_e + ", '') FROM events e")) {
      stored[row[0]].push_back(row);
    }
    const auto sent_so_far = ledger.snapshot();
    uint64_t lost = 0, stored_unacked = 0, acked_so_far = 0;
    for (const auto& [vendor_id, entry] : sent_so_far) {
      const auto it = stored.find(vendor_id);
      if (!entry.acked_id.empty()) {
        ++acked_so_far;
        if (it == stored.end()) {
          ++lost;
          ADD_FAILURE() << "round " << round << ": " << vendor_id << " acked as " << entry.acked_id << " but not stored";
          continue;
        }
      } else if (it != stored.end() && entry.round == round) {
        ++stored_unacked;  // caught by this kill after its commit, before its answer: allowed
      }
      if (it == stored.end()) continue;
      EXPECT_EQ(it->second.size(), 1u) << vendor_id << " stored " << it->second.size() << " times";
      const auto& row = it->second.front();
      if (!entry.acked_id.empty()) {
        EXPECT_EQ(row[1], entry.acked_id) << vendor_id << " stored under another id";
      }
      EXPECT_EQ(row[2], entry.source) << vendor_id;
      EXPECT_EQ(row[3], entry.type) << vendor_id;
      std::string want;
      for (const auto& d : expected_destinations(entry.source, entry.type)) want += (want.empty() ? "" : ",") + d;
      EXPECT_EQ(row[4], want) << vendor_id << ": its delivery rows are not its routes' fan-out";
    }
    for (const auto& [vendor_id, rows] : stored) {
      EXPECT_TRUE(sent_so_far.count(vendor_id)) << "stored an event nobody sent: " << vendor_id;
    }
    std::printf("crash round %d/%d: seed=%u kill_after_ms=%d destinations=%s sent=%llu acked=%llu in_flight_at_kill=%llu "
                "stored_unacked=%llu lost=%llu integrity=%s\n",
                round + 1, rounds, seed, kill_after_ms, to_string(behaviour), static_cast<unsigned long long>(sent.load()),
                static_cast<unsigned long long>(acked.load()), static_cast<unsigned long long>(in_flight),
                static_cast<unsigned long long>(stored_unacked), static_cast<unsigned long long>(lost), integrity.c_str());
    std::fflush(stdout);
    if (HasFailure()) break;  // later rounds would only repeat the failure
  }

  // After the last round: healthy destinations, and every acked event reaches every
  // destination its routes name (more than once is allowed: attempts in flight at a kill are
  // sent again, with the same webhook-id).
  for (auto& [name, destination] : destinations) destination->set_answering({});
  const auto final_ledger = ledger.snapshot();
  std::map<std::string, std::set<std::string>> want;  // destination → public ids
  uint64_t acked_total = 0, expected_deliveries = 0;
  for (const auto& [vendor_id, entry] : final_ledger) {
    if (entry.acked_id.empty()) continue;
    ++acked_total;
    for (const auto& d : expected_destinations(entry.source, entry.type)) {
      want[d].insert(entry.acked_id);
      ++expected_deliveries;
    }
  }
  EXPECT_GE(acked_total, 100u) << "too few requests acked to mean anything (sent " << sent_total << ")";
  EXPECT_GT(in_flight_total, 0u) << "no kill ever caught a request in flight";

  uint64_t delivered = 0, arrivals = 0;
  const auto deadline = steady_clock::now() + seconds(180);
  for (;;) {
    delivered = 0;
    arrivals = 0;
    for (const auto& [name, ids] : want) {
      const auto answered = destinations[name]->answered();  // webhook-ids answered 200
      arrivals += destinations[name]->arrivals().size();
      for (const auto& id : ids) delivered += answered.count(id);
    }
    if (delivered == expected_deliveries || steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(milliseconds(200));
  }
  EXPECT_EQ(delivered, expected_deliveries) << "acked events that never reached a destination their routes name";
  {
    Database db(gateway.db_path());
    EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries WHERE state IN ('dead', 'cancelled')"), 0);
  }

  // A vendor retrying acked events after all the crashes gets the ids it was first given.
  int retried = 0;
  HttpClient client(gateway.port());
  for (const auto& [vendor_id, entry] : final_ledger) {
    if (entry.acked_id.empty()) continue;
    if (++retried > 20) break;
    const std::string body = stripe_body(vendor_id, entry.type, 0);
    const auto response = client.request("POST", "/in/" + entry.source, signed_headers(*verifier(entry.source), body), body);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(public_id_in(response.body), entry.acked_id) << vendor_id;
  }

  uint64_t lost_total = 0;
  {
    Database db(gateway.db_path());
    std::set<std::string> stored_ids;
    for (const auto& row : db.rows("SELECT public_id FROM events")) stored_ids.insert(row[0]);
    for (const auto& [vendor_id, entry] : final_ledger) {
      if (!entry.acked_id.empty() && !stored_ids.count(entry.acked_id)) ++lost_total;
    }
  }
  EXPECT_EQ(lost_total, 0u);
  std::printf("crash rounds: rounds=%d seed=%u sent=%llu acked=%llu lost=%llu in_flight_at_kills=%llu "
              "deliveries=%llu/%llu arrivals=%llu\n",
              rounds, seed, static_cast<unsigned long long>(sent_total), static_cast<unsigned long long>(acked_total),
              static_cast<unsigned long long>(lost_total), static_cast<unsigned long long>(in_flight_total),
              static_cast<unsigned long long>(delivered), static_cast<unsigned long long>(expected_deliveries),
              static_cast<unsigned long long>(arrivals));
  std::fflush(stdout);
}

}  // namespace
}  // namespace hookgate::reliability
