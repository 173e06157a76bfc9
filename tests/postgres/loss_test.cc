// Losing a node, the database, or the primary under signed load, on real servers. The claim in
// each: every event answered 2xx is stored once and reaches every destination it was routed
// to. Duplicate deliveries are allowed (at least once) and reported, not hidden:
//   node loss: rounds=3 acked=… delivered=… duplicates=…
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/integration/fake_destination.h"
#include "tests/integration/harness.h"
#include "tests/postgres/node_config.h"
#include "tests/postgres/test_postgres.h"
#include "tests/reliability/load_client.h"
#include "verify/verifier.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;


// Signed Stripe events, each a new vendor id, posted by one thread per node as fast as the
// answers come, signed and read the way the reliability suite's vendors do (load_client.h). A
// node that does not answer (port 0: down; or no response) is passed over for the next, as a
// load balancer would; a 503 is counted and the event given up (a vendor would retry it later:
// it was never acked, so nothing is claimed of it).
class SignedLoad {
 public:
  SignedLoad(const std::string& config_path, size_t nodes)
      : verifier_(reliability::verifier_for(config_path, "stripe")), ports_(nodes) {}
  ~SignedLoad() { stop(); }

  void set_port(size_t node, uint16_t port) { ports_[node].store(port); }
  void start() {
    for (size_t i = 0; i < ports_.size(); ++i) threads_.emplace_back([this, i] { run(i); });
  }
  void stop() {
    stopping_ = true;
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }
  [[nodiscard]] std::set<std::string> acked() const {
    const std::lock_guard lock(mutex_);
    return acked_;
  }
  [[nodiscard]] size_t acked_count() const {
    const std::lock_guard lock(mutex_);
    return acked_.size();
  }
  // 2xx answers; more than acked_count() if two events were acked under one id.
  [[nodiscard]] size_t answered_2xx() const { return answered_2xx_.load(); }
  [[nodiscard]] size_t refused_503() const { return refused_503_.load(); }
  [[nodiscard]] size_t unanswered() const { return unanswered_.load(); }
  [[nodiscard]] size_t other() const { return other_.load(); }
  // The slowest 503 since the last reset: how long a vendor waits to learn the gateway cannot
  // take its event.
  [[nodiscard]] int64_t slowest_503_ms() const { return slowest_503_ms_.load(); }
  void reset_slowest_503() { slowest_503_ms_ = 0; }
  // Waits until `count` events more than now were acked; false after 60 s.
  bool wait_for_more(size_t count) const {
    const size_t target = acked_count() + count;
    return wait_until([&] { return acked_count() >= target; }, 60'000);
  }
  // Waits until `count` more 503s than now were answered; false after 20 s.
  bool wait_for_more_503(size_t count) const {
    const size_t target = refused_503() + count;
    return wait_until([&] { return refused_503() >= target; });
  }

 private:
  void run(size_t first) {
    if (!verifier_) return;
    uint64_t n = 0;
    std::map<size_t, std::unique_ptr<HttpClient>> clients;
    std::map<size_t, uint16_t> client_port;  // the port each client was made for
    for (size_t turn = first; !stopping_; ++turn) {
      const size_t node = turn % ports_.size();
      const uint16_t port = ports_[node].load();
      if (port == 0) continue;
      auto& client = clients[node];
      if (!client || client_port[node] != port) {
        client = std::make_unique<HttpClient>(port, seconds(10));
        client_port[node] = port;
      }
      const std::string body =
          reliability::stripe_body("evt_load_" + std::to_string(first) + "_" + std::to_string(n++), "invoice.paid");
      const auto sent = steady_clock::now();
      const reliability::Ack ack =
          reliability::to_ack(client->request("POST", "/in/stripe", reliability::signed_headers(*verifier_, body), body));
      if (ack.status == 200 && !ack.public_id.empty()) {
        ++answered_2xx_;
        const std::lock_guard lock(mutex_);
        acked_.insert(ack.public_id);
        --turn;  // stay on this node while it answers
      } else if (ack.status == 503) {
        ++refused_503_;
        const int64_t took = duration_cast<milliseconds>(steady_clock::now() - sent).count();
        for (int64_t was = slowest_503_ms_.load(); took > was && !slowest_503_ms_.compare_exchange_weak(was, took);) {
        }
      } else if (ack.status == 0) {
        ++unanswered_;
        client.reset();
      } else {
        ++other_;
      }
    }
  }

  std::shared_ptr<const verify::Verifier> verifier_;
  std::vector<std::atomic<uint16_t>> ports_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::set<std::string> acked_;
  std::atomic<size_t> answered_2xx_{0}, refused_503_{0}, unanswered_{0}, other_{0};
  std::atomic<int64_t> slowest_503_ms_{0};
};

// Of `acked`, those `destination` has not received (by webhook-id), and how many of its
// requests repeated an id.
struct Reached {
  size_t missing = 0;
  size_t duplicates = 0;
};
Reached reached(const FakeDestination& destination, const std::set<std::string>& acked) {
  std::multiset<std::string> ids;
  for (const auto& request : destination.received()) ids.insert(request.header("webhook-id"));
  Reached out;
  for (const std::string& id : acked) out.missing += ids.count(id) == 0 ? 1 : 0;
  out.duplicates = ids.size() - std::set<std::string>(ids.begin(), ids.end()).size();
  return out;
}

// Every acked id is in `events` at `url`, once.
void expect_stored_once(const std::string& url, const std::set<std::string>& acked) {
  std::multiset<std::string> stored;
  for (const auto& row : pg_rows(url, "SELECT public_id FROM events")) stored.insert(row[0]);
  size_t lost = 0;
  for (const std::string& id : acked) lost += stored.count(id) == 0 ? 1 : 0;
  EXPECT_EQ(lost, 0u) << "acked events not in the database";
  EXPECT_EQ(stored.size(), std::set<std::string>(stored.begin(), stored.end()).size()) << "an event stored twice";
}

HttpResponse readyz(Gateway& node) {
  HttpClient client(node.admin_port(), seconds(5));
  return client.request("GET", "/readyz", {}, "");
}

// What the vendors saw while there was no database to write to, from the first 503 on.
struct Outage {
  size_t acked_at_first_503 = 0;
  size_t refused_503 = 0;      // answered while it lasted
  int64_t slowest_503_ms = 0;  // the longest a vendor waited for its 503
};
// Called right after the database went away: waits for the first 503, then sees `nodes` not
// ready and 300 more 503s (answers, not hangs) with not one event acked among them. Ends with
// the database still away; the caller brings it back.
Outage expect_refusals_while_down(SignedLoad& load, const std::vector<Gateway*>& nodes) {
  Outage out;
  EXPECT_TRUE(wait_until([&] { return load.refused_503() > 0; })) << "no 503 while the database was away";
  out.acked_at_first_503 = load.acked_count();
  const size_t refused_before = load.refused_503();
  load.reset_slowest_503();
  for (size_t i = 0; i < nodes.size(); ++i) EXPECT_EQ(readyz(*nodes[i]).status, 503) << "node " << i << " ready";
  EXPECT_TRUE(load.wait_for_more_503(300)) << "the nodes stopped answering while the database was away";
  EXPECT_EQ(load.acked_count(), out.acked_at_first_503) << "events acked while the database was away";
  out.refused_503 = load.refused_503() - refused_before;
  out.slowest_503_ms = load.slowest_503_ms();
  EXPECT_LT(out.slowest_503_ms, 5000) << "a 503 took seconds: vendors wait on a database that is not there";
  return out;
}

const std::string kRoutes = "  - {from: stripe, to: [billing, audit]}\n";
// billing answers after 20 ms, so that a node killed mid-load has attempts in flight to it;
// its 2 s timeout keeps their leases (timeout + 5 s) short.
ScriptedResponse slowly(const ReceivedRequest&, size_t) {
  ScriptedResponse response;
  response.delay = milliseconds(20);
  return response;
}
std::string destinations(const FakeDestination& billing, const FakeDestination& audit) {
  return "  billing: {url: \"" + billing.url() + "\", timeout: 2s, retry: {schedule: [200ms], jitter: 0, max_age: 1h}}\n"
         "  audit: {url: \"" + audit.url() + "\", retry: {schedule: [200ms], jitter: 0, max_age: 1h}}\n";
}

TEST(PostgresLoss, ANodeKilledMidLoadInEachRoundLosesNoAckedEvent) {
  TestDatabase db;
  FakeDestination billing(slowly);
  FakeDestination audit;
  std::vector<std::unique_ptr<TempDir>> dirs;
  std::vector<std::unique_ptr<Gateway>> nodes;
  for (int i = 0; i < 3; ++i) {
    dirs.push_back(std::make_unique<TempDir>());
    nodes.push_back(std::make_unique<Gateway>(*dirs.back(), node_config(db.url(), destinations(billing, audit), kRoutes)));
    ASSERT_TRUE(nodes.back()->start());
  }
  SignedLoad load(nodes[0]->config_path(), nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) load.set_port(i, nodes[i]->port());
  load.start();
  constexpr int kRounds = 3;
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(load.wait_for_more(150)) << "round " << round;
    const size_t victim = static_cast<size_t>(round) % nodes.size();
    load.set_port(victim, 0);
    nodes[victim]->kill_hard();
    ASSERT_TRUE(load.wait_for_more(150)) << "the other nodes go on, round " << round;
    ASSERT_TRUE(nodes[victim]->start()) << "round " << round;
    load.set_port(victim, nodes[victim]->port());
  }
  ASSERT_TRUE(load.wait_for_more(100));
  load.stop();
  const std::set<std::string> acked = load.acked();

  // The killed nodes' destinations passed on within their 15 s leases; what they had in
  // flight is retried once its lease ends.
  EXPECT_TRUE(wait_until([&] { return reached(billing, acked).missing == 0 && reached(audit, acked).missing == 0; },
                         120'000))
      << "billing misses " << reached(billing, acked).missing << ", audit " << reached(audit, acked).missing;
  expect_stored_once(db.url(), acked);
  const Reached b = reached(billing, acked), a = reached(audit, acked);
  std::printf("node loss: rounds=%d acked=%zu delivered=%zu duplicates=%zu (billing %zu, audit %zu) refused_503=%zu "
              "unanswered=%zu\n",
              kRounds, acked.size(), 2 * acked.size() - b.missing - a.missing, b.duplicates + a.duplicates,
              b.duplicates, a.duplicates, load.refused_503(), load.unanswered());
  RecordProperty("acked", static_cast<int>(acked.size()));
  RecordProperty("delivered", static_cast<int>(2 * acked.size() - b.missing - a.missing));
  RecordProperty("duplicates", static_cast<int>(b.duplicates + a.duplicates));
  EXPECT_EQ(load.answered_2xx(), acked.size()) << "two events acked under one id";
  EXPECT_EQ(load.other(), 0u) << "answers other than 200 and 503";
}

TEST(PostgresLoss, TheDatabaseKilledUnderLoadLosesNoAckedEventAndIngestComesBackWithoutARestart) {
  TestServer server;
  TestDatabase db(server.url());
  FakeDestination billing;
  FakeDestination audit;
  TempDir dir_a, dir_b;
  Gateway a(dir_a, node_config(db.url(), destinations(billing, audit), kRoutes));
  Gateway b(dir_b, node_config(db.url(), destinations(billing, audit), kRoutes));
  ASSERT_TRUE(a.start());
  ASSERT_TRUE(b.start());
  SignedLoad load(a.config_path(), 2);
  load.set_port(0, a.port());
  load.set_port(1, b.port());
  load.start();
  ASSERT_TRUE(load.wait_for_more(200));
  server.crash();
  const Outage outage = expect_refusals_while_down(load, {&a, &b});
  const auto restarting = steady_clock::now();
  server.up();  // crash recovery; returns once the server accepts connections
  const auto back = steady_clock::now();
  const auto recovery_ms = duration_cast<milliseconds>(back - restarting).count();
  ASSERT_TRUE(load.wait_for_more(1)) << "ingest did not come back by itself";
  const auto first_ack_ms = duration_cast<milliseconds>(steady_clock::now() - back).count();
  EXPECT_TRUE(wait_until([&] { return readyz(a).status == 200 && readyz(b).status == 200; })) << "not ready again";
  const auto ready_ms = duration_cast<milliseconds>(steady_clock::now() - back).count();
  ASSERT_TRUE(load.wait_for_more(200));
  load.stop();
  const std::set<std::string> acked = load.acked();
  EXPECT_TRUE(wait_until([&] { return reached(billing, acked).missing == 0 && reached(audit, acked).missing == 0; },
                         120'000))
      << "billing misses " << reached(billing, acked).missing << ", audit " << reached(audit, acked).missing;
  expect_stored_once(db.url(), acked);
  const Reached r_billing = reached(billing, acked), r_audit = reached(audit, acked);
  const size_t delivered = 2 * acked.size() - r_billing.missing - r_audit.missing;
  const size_t duplicates = r_billing.duplicates + r_audit.duplicates;
  std::printf("database loss: acked=%zu (before the crash %zu) delivered=%zu duplicates=%zu refused_503=%zu "
              "(while down %zu, slowest %lld ms) unanswered=%zu server_recovery_ms=%lld then first_ack_ms=%lld "
              "ready_ms=%lld\n",
              acked.size(), outage.acked_at_first_503, delivered, duplicates, load.refused_503(), outage.refused_503,
              static_cast<long long>(outage.slowest_503_ms), load.unanswered(), static_cast<long long>(recovery_ms),
              static_cast<long long>(first_ack_ms), static_cast<long long>(ready_ms));
  RecordProperty("acked", static_cast<int>(acked.size()));
  RecordProperty("delivered", static_cast<int>(delivered));
  RecordProperty("duplicates", static_cast<int>(duplicates));
  RecordProperty("refused_503", static_cast<int>(load.refused_503()));
  RecordProperty("server_recovery_ms", static_cast<int>(recovery_ms));
  RecordProperty("first_ack_after_recovery_ms", static_cast<int>(first_ack_ms));
  EXPECT_EQ(load.unanswered(), 0u) << "requests left unanswered (the client waits 10 s)";
  EXPECT_EQ(load.answered_2xx(), acked.size()) << "two events acked under one id";
  EXPECT_EQ(load.other(), 0u) << "answers other than 200 and 503";
}

TEST(PostgresLoss, ThePrimaryKilledAndTheSynchronousStandbyPromotedLosesNoAckedEvent) {
  TestServer primary;
  TestServer standby(primary);
  (void)pg_rows(primary.url(), "ALTER SYSTEM SET synchronous_standby_names = 'standby1'");
  (void)pg_rows(primary.url(), "SELECT pg_reload_conf()");
  ASSERT_TRUE(pg_eventually(primary.url(), "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'", 1))
      << "the standby is not synchronous";
  TestDatabase db(primary.url());  // replicated to the standby with everything else
  const std::string url = "postgresql://postgres@127.0.0.1:" + std::to_string(primary.port()) + ",127.0.0.1:" +
                          std::to_string(standby.port()) + "/" + db.name() + "?target_session_attrs=read-write";
  FakeDestination billing;
  FakeDestination audit;
  TempDir dir_a, dir_b;
  Gateway a(dir_a, node_config(url, destinations(billing, audit), kRoutes));
  Gateway b(dir_b, node_config(url, destinations(billing, audit), kRoutes));
  ASSERT_TRUE(a.start());
  ASSERT_TRUE(b.start());
  SignedLoad load(a.config_path(), 2);
  load.set_port(0, a.port());
  load.set_port(1, b.port());
  load.start();
  ASSERT_TRUE(load.wait_for_more(200));
  primary.crash();
  const Outage outage = expect_refusals_while_down(load, {&a, &b});
  // Synchronous replication's claim, before anything else writes: what was acked is already on
  // the standby, readable there while it is still one.
  const std::string new_primary = with_database(standby.url(), db.name());
  EXPECT_EQ(pg_rows(new_primary, "SELECT pg_is_in_recovery()")[0][0], "t");
  const std::set<std::string> acked_at_crash = load.acked();
  expect_stored_once(new_primary, acked_at_crash);
  standby.promote();
  const auto promoted = steady_clock::now();
  ASSERT_TRUE(load.wait_for_more(1)) << "the nodes did not move to the promoted standby";
  const auto first_ack_ms = duration_cast<milliseconds>(steady_clock::now() - promoted).count();
  EXPECT_TRUE(wait_until([&] { return readyz(a).status == 200 && readyz(b).status == 200; })) << "not ready again";
  const auto ready_ms = duration_cast<milliseconds>(steady_clock::now() - promoted).count();
  ASSERT_TRUE(load.wait_for_more(200));
  load.stop();
  const std::set<std::string> acked = load.acked();
  EXPECT_EQ(pg_rows(new_primary, "SELECT pg_is_in_recovery()")[0][0], "f");
  EXPECT_TRUE(wait_until([&] { return reached(billing, acked).missing == 0 && reached(audit, acked).missing == 0; },
                         120'000))
      << "billing misses " << reached(billing, acked).missing << ", audit " << reached(audit, acked).missing;
  expect_stored_once(new_primary, acked);
  const Reached r_billing = reached(billing, acked), r_audit = reached(audit, acked);
  const size_t delivered = 2 * acked.size() - r_billing.missing - r_audit.missing;
  const size_t duplicates = r_billing.duplicates + r_audit.duplicates;
  std::printf("failover: acked=%zu (before the crash %zu) delivered=%zu duplicates=%zu refused_503=%zu "
              "(without a primary %zu, slowest %lld ms) unanswered=%zu first_ack_after_promote_ms=%lld ready_ms=%lld\n",
              acked.size(), acked_at_crash.size(), delivered, duplicates, load.refused_503(), outage.refused_503,
              static_cast<long long>(outage.slowest_503_ms), load.unanswered(), static_cast<long long>(first_ack_ms),
              static_cast<long long>(ready_ms));
  RecordProperty("acked", static_cast<int>(acked.size()));
  RecordProperty("delivered", static_cast<int>(delivered));
  RecordProperty("duplicates", static_cast<int>(duplicates));
  RecordProperty("refused_503", static_cast<int>(load.refused_503()));
  RecordProperty("first_ack_after_promote_ms", static_cast<int>(first_ack_ms));
  EXPECT_EQ(load.unanswered(), 0u) << "requests left unanswered (the client waits 10 s)";
  EXPECT_EQ(load.answered_2xx(), acked.size()) << "two events acked under one id";
  EXPECT_EQ(load.other(), 0u) << "answers other than 200 and 503";
}

}  // namespace
}  // namespace hookgate::testing
