// The PostgreSQL backend against a real PostgreSQL 15 server: durable ack, group commit,
// dedupe across nodes, schema versions, claims that two nodes never share, ownership that
// passes from a dead node, and an outage the store comes back from by itself.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "storage/event_queries.h"
#include "storage/event_store.h"
#include "storage/open_store.h"
#include "storage/postgres/pg_delivery_claims.h"
#include "storage/postgres/pg_schema.h"
#include "storage/retention.h"
#include "tests/postgres/test_postgres.h"

namespace hookgate::storage {
namespace {

using testing::TestDatabase;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StoreOptions options_for(const std::string& url) {
  StoreOptions options;
  options.postgres_url = url;
  return options;
}

std::unique_ptr<EventStore> open_store(const std::string& url) {
  std::string error;
  auto store = EventStore::open(options_for(url), error);
  EXPECT_NE(store, nullptr) << error;
  return store;
}

NewEvent make_event(const std::string& public_id, std::optional<std::string> vendor_id,
                    std::vector<std::string> destinations = {"billing", "audit"}) {
  NewEvent e;
  e.public_id = public_id;
  e.source = "stripe";
  e.vendor_event_id = std::move(vendor_id);
  e.event_type = "invoice.paid";
  e.received_at_ms = now_ms();
  e.method = "POST";
  e.path = "/in/stripe";
  e.headers = "Content-Type: application/json\r\n";
  e.body = "{\"a\":1}";
  e.destinations = std::move(destinations);
  return e;
}

WriteOutcome write(EventStore& store, NewEvent e) {
  std::promise<WriteOutcome> promise;
  auto future = promise.get_future();
  EXPECT_TRUE(store.submit(std::move(e), [&promise](const WriteOutcome& o) { promise.set_value(o); }));
  return future.get();
}

TEST(PostgresStore, AnAckedEventAndItsDeliveriesAreCommittedWithTheirExactBytes) {
  TestDatabase db;
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  NewEvent e = make_event("evt_1", "in_1");
  e.body = std::string("{\"x\":\"\xff\x00\x01\"}", 11);  // not UTF-8, with a NUL
  e.headers = std::string("X-Raw: \xfe\xff\r\nX-Ok: 1\r\n");   // received bytes, not text
  const WriteOutcome outcome = write(*store, e);
  ASSERT_EQ(outcome.status, WriteOutcome::Status::stored);
  EXPECT_EQ(outcome.public_id, "evt_1");
  // Read on another connection: what the completion reported is committed.
  EXPECT_EQ(db.text("SELECT encode(body, 'hex') FROM events WHERE public_id = 'evt_1'"),
            "7b2278223a22ff0001227d");
  EXPECT_EQ(db.text("SELECT encode(headers, 'hex') FROM events WHERE public_id = 'evt_1'"),
            "582d5261773a20feff0d0a582d4f6b3a20310d0a");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id"
                      " WHERE e.public_id = 'evt_1' AND d.state = 'pending'"), 2);
  // The operators' path reads the same bytes back.
  std::string error;
  auto queries = EventQueries::open(store->location(), true, error);
  ASSERT_TRUE(queries) << error;
  const auto detail = queries->show("in_1");
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->body, e.body);
  EXPECT_EQ(detail->headers, e.headers);
  EXPECT_EQ(detail->summary.deliveries.size(), 2u);
}

TEST(PostgresStore, ManyEventsShareATransaction) {
  TestDatabase db;
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  std::atomic<int> batches{0};
  store->set_batch_observer([&](size_t, std::chrono::microseconds, bool committed) {
    if (committed) ++batches;
  });
  constexpr int kEvents = 2000;
  std::atomic<int> stored{0};
  std::promise<void> all;
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(store->submit(make_event("evt_" + std::to_string(i), "v_" + std::to_string(i), {"billing"}),
                              [&](const WriteOutcome& o) {
                                if (o.status == WriteOutcome::Status::stored && ++stored == kEvents) all.set_value();
                              }));
  }
  all.get_future().wait();
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), kEvents);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries"), kEvents);
  // Submitted faster than one round trip each: the writer commits them in groups.
  EXPECT_LT(batches.load(), kEvents / 4);
}

// The events of a batch go in as one multi-row statement: each keeps its own outcome.
TEST(PostgresStore, EventsSubmittedTogetherKeepTheirOwnOutcomesAndTheirDeliveriesFollowTheirOrder) {
  TestDatabase db;
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  std::vector<NewEvent> events;
  events.push_back(make_event("evt_dup_first", "same"));
  events.push_back(make_event("evt_no_vendor_id", std::nullopt));
  events.push_back(make_event("evt_no_destination", "lonely", {}));
  events.push_back(make_event("evt_dup_second", "same"));
  events.push_back(make_event("evt_raw_id", std::string("id\xff\x00x", 5)));  // not text: stored escaped
  NewEvent untyped = make_event("evt_untyped", "untyped", {"billing"});
  untyped.event_type.reset();
  events.push_back(untyped);
  std::vector<std::promise<WriteOutcome>> promises(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_TRUE(store->submit(events[i], [&promises, i](const WriteOutcome& o) { promises[i].set_value(o); }));
  }
  std::vector<WriteOutcome> outcomes;
  for (auto& promise : promises) outcomes.push_back(promise.get_future().get());
  for (size_t i : {0u, 1u, 2u, 4u, 5u}) {
    EXPECT_EQ(outcomes[i].status, WriteOutcome::Status::stored) << events[i].public_id;
    EXPECT_EQ(outcomes[i].public_id, events[i].public_id);
    EXPECT_GT(outcomes[i].event_id, 0);
  }
  EXPECT_EQ(outcomes[3].status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(outcomes[3].public_id, "evt_dup_first");
  EXPECT_EQ(outcomes[3].event_id, outcomes[0].event_id);

  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 5);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries"), 2 + 2 + 0 + 2 + 1);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE public_id = 'evt_untyped' AND event_type IS NULL"), 1);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE public_id = 'evt_no_vendor_id' AND vendor_event_id IS NULL"), 1);
  EXPECT_EQ(db.text("SELECT vendor_event_id FROM events WHERE public_id = 'evt_raw_id'"), "id\\xff\\x00x");
  for (size_t i : {0u, 1u, 4u, 5u}) {
    EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries WHERE event_id = " + std::to_string(outcomes[i].event_id)),
              static_cast<int64_t>(events[i].destinations.size()))
        << events[i].public_id;
  }
  // FIFO heads are the lowest delivery id: per destination, delivery ids rise with event ids.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries a JOIN deliveries b ON a.destination = b.destination"
                      " AND a.id < b.id AND a.event_id > b.event_id"),
            0);
}

TEST(PostgresStore, AVendorRetryOnAnotherNodeIsStoredOnceAndAckedWithTheSameId) {
  TestDatabase db;
  auto node_a = open_store(db.url());
  auto node_b = open_store(db.url());
  ASSERT_TRUE(node_a && node_b);
  // The same 200 vendor ids arrive at both nodes at once.
  std::vector<std::future<WriteOutcome>> a, b;
  for (int i = 0; i < 200; ++i) {
    const std::string vid = "evt_vendor_" + std::to_string(i);
    a.push_back(std::async(std::launch::async, [&, vid, i] { return write(*node_a, make_event("evt_a" + std::to_string(i), vid)); }));
    b.push_back(std::async(std::launch::async, [&, vid, i] { return write(*node_b, make_event("evt_b" + std::to_string(i), vid)); }));
  }
  for (int i = 0; i < 200; ++i) {
    const WriteOutcome x = a[i].get(), y = b[i].get();
    ASSERT_NE(x.status, WriteOutcome::Status::failed);
    ASSERT_NE(y.status, WriteOutcome::Status::failed);
    EXPECT_NE(x.status, y.status) << "exactly one of the two stores it";
    EXPECT_EQ(x.public_id, y.public_id);
    EXPECT_EQ(x.event_id, y.event_id);
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 200);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries"), 400);
}

// Content keys (vendors without an event id): the same content arriving at two nodes at once
// is stored once; within a batch too; after the window it is stored again; and expired keys
// are deleted as new ones come (tests/unit/storage/content_keys_test.cc, the same on SQLite).
NewEvent keyed(const std::string& public_id, const std::string& digest, int64_t received_at_ms, int64_t window_ms) {
  NewEvent e = make_event(public_id, std::nullopt, {"crm"});
  e.source = "calendly";
  e.received_at_ms = received_at_ms;
  e.content_key = ContentKey{digest, received_at_ms + window_ms};
  return e;
}

TEST(PostgresStore, TheSameContentOnTwoNodesWithinTheWindowIsStoredOnceAndAfterItAgain) {
  TestDatabase db;
  auto node_a = open_store(db.url());
  auto node_b = open_store(db.url());
  ASSERT_TRUE(node_a && node_b);
  const int64_t start = now_ms();
  constexpr int64_t kWindow = 60'000;
  std::vector<std::future<WriteOutcome>> a, b;
  for (int i = 0; i < 100; ++i) {
    const std::string digest = "digest-" + std::to_string(i);
    a.push_back(std::async(std::launch::async, [&, digest, i] { return write(*node_a, keyed("evt_a" + std::to_string(i), digest, start, kWindow)); }));
    b.push_back(std::async(std::launch::async, [&, digest, i] { return write(*node_b, keyed("evt_b" + std::to_string(i), digest, start, kWindow)); }));
  }
  for (int i = 0; i < 100; ++i) {
    const WriteOutcome x = a[i].get(), y = b[i].get();
    ASSERT_NE(x.status, WriteOutcome::Status::failed);
    ASSERT_NE(y.status, WriteOutcome::Status::failed);
    EXPECT_NE(x.status, y.status) << "exactly one of the two stores it";
    EXPECT_EQ(x.public_id, y.public_id);
    EXPECT_EQ(x.event_id, y.event_id);
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 100);

  // Two with the same content in one batch: one stored, one its duplicate.
  std::promise<WriteOutcome> p1, p2;
  ASSERT_TRUE(node_a->submit(keyed("evt_same_1", "same", start, kWindow), [&](const WriteOutcome& o) { p1.set_value(o); }));
  ASSERT_TRUE(node_a->submit(keyed("evt_same_2", "same", start, kWindow), [&](const WriteOutcome& o) { p2.set_value(o); }));
  const WriteOutcome s1 = p1.get_future().get(), s2 = p2.get_future().get();
  EXPECT_EQ(s1.status, WriteOutcome::Status::stored);
  EXPECT_EQ(s2.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(s2.public_id, "evt_same_1");

  // A window later the same content is new, takes the key over, and the expired keys go.
  const WriteOutcome later = write(*node_b, keyed("evt_later", "digest-0", start + kWindow, kWindow));
  EXPECT_EQ(later.status, WriteOutcome::Status::stored);
  EXPECT_EQ(write(*node_a, keyed("evt_later_retry", "digest-0", start + kWindow + 1, kWindow)).public_id, "evt_later");
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(write(*node_a, keyed("evt_new" + std::to_string(i), "new-" + std::to_string(i), start + kWindow + 2, kWindow)).status,
              WriteOutcome::Status::stored);
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM content_keys WHERE expires_at <= " + std::to_string(start + kWindow + 2)), 0);

  // Retention deleted the event under a live key: the next one with that content is refused
  // (503, as for a vendor id whose event went meanwhile), the key goes, and the retry is stored.
  db.exec("UPDATE deliveries SET state = 'delivered'");
  std::string error;
  auto purger = RetentionPurger::open(options_for(db.url()), error);
  ASSERT_TRUE(purger) << error;
  ASSERT_GT(purger->purge_batch(start + kWindow + 100, 1000, error), 0) << error;
  EXPECT_EQ(write(*node_a, keyed("evt_gone_1", "new-0", start + kWindow + 3, kWindow)).status,
            WriteOutcome::Status::failed);
  EXPECT_EQ(write(*node_a, keyed("evt_gone_2", "new-0", start + kWindow + 4, kWindow)).status,
            WriteOutcome::Status::stored);
}

TEST(PostgresStore, NodesStartingTogetherMigrateOnceAndAnOlderBinaryRefusesANewerSchema) {
  TestDatabase db;
  std::vector<std::future<std::unique_ptr<EventStore>>> starting;
  for (int i = 0; i < 4; ++i) starting.push_back(std::async(std::launch::async, [&] { return open_store(db.url()); }));
  for (auto& store : starting) EXPECT_TRUE(store.get());
  EXPECT_EQ(db.scalar("SELECT max(version) FROM hookgate_schema"), kPgSchemaVersion);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM hookgate_schema"), 1);

  const std::string newer = std::to_string(kPgSchemaVersion + 1);
  db.exec("UPDATE hookgate_schema SET version = " + newer);
  const std::string before = db.text("SELECT string_agg(table_name, ',' ORDER BY table_name)"
                                     " FROM information_schema.tables WHERE table_schema = 'public'");
  std::string error;
  EXPECT_EQ(EventStore::open(options_for(db.url()), error), nullptr);
  EXPECT_NE(error.find("schema version " + newer), std::string::npos) << error;
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
  EXPECT_EQ(db.text("SELECT string_agg(table_name, ',' ORDER BY table_name)"
                    " FROM information_schema.tables WHERE table_schema = 'public'"), before);
}

TEST(PostgresClaims, TwoNodesNeverHoldTheSameDeliveryAndADeadNodesLeasesPassOn) {
  TestDatabase db;
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(write(*store, make_event("evt_" + std::to_string(i), std::nullopt, {"billing"})).status,
              WriteOutcome::Status::stored);
  }
  std::string error;
  auto a = PgDeliveryClaims::open(store->location(), error);
  auto b = PgDeliveryClaims::open(store->location(), error);
  ASSERT_TRUE(a && b) << error;
  const int64_t lease = now_ms() + 60'000;
  std::set<int64_t> seen_a, seen_b;
  auto drain = [&](PgDeliveryClaims& claims, std::set<int64_t>& seen) {
    for (;;) {
      auto batch = claims.claim_due("billing", now_ms(), 7, lease, {});
      if (batch.empty()) return;
      for (const auto& d : batch) seen.insert(d.delivery_id);
    }
  };
  std::thread ta([&] { drain(*a, seen_a); });
  std::thread tb([&] { drain(*b, seen_b); });
  ta.join();
  tb.join();
  EXPECT_EQ(seen_a.size() + seen_b.size(), 300u);
  for (int64_t id : seen_a) EXPECT_EQ(seen_b.count(id), 0u) << "delivery " << id << " claimed twice";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries WHERE state = 'inflight'"), 300);

  // Node a dies holding a short lease: the lease runs out on the database's clock, any node's
  // recovery returns it to pending, and b claims it.
  auto c = PgDeliveryClaims::open(store->location(), error);
  ASSERT_TRUE(write(*store, make_event("evt_late", std::nullopt, {"audit"})).status == WriteOutcome::Status::stored);
  ASSERT_EQ(a->claim_due("audit", now_ms(), 10, now_ms() + 300, {}).size(), 1u);
  EXPECT_TRUE(c->claim_due("audit", now_ms(), 10, now_ms() + 60'000, {}).empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::promise<bool> recovered;
  store->submit_lease_recovery(now_ms(), [&](bool ok) { recovered.set_value(ok); });
  ASSERT_TRUE(recovered.get_future().get());
  EXPECT_EQ(c->claim_due("audit", now_ms(), 10, now_ms() + 60'000, {}).size(), 1u);
}

TEST(PostgresClaims, TheFifoHeadWaitsWhileAnyNodeAttemptsIt) {
  TestDatabase db;
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(write(*store, make_event("evt_" + std::to_string(i), std::nullopt, {"ledger"})).status,
              WriteOutcome::Status::stored);
  }
  std::string error;
  auto a = PgDeliveryClaims::open(store->location(), error);
  auto b = PgDeliveryClaims::open(store->location(), error);
  ASSERT_TRUE(a && b) << error;
  std::optional<int64_t> due;
  auto head = a->claim_fifo_head("ledger", now_ms(), now_ms() + 60'000, due);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->public_id, "evt_0");
  EXPECT_FALSE(b->claim_fifo_head("ledger", now_ms(), now_ms() + 60'000, due)) << "evt_1 passed evt_0";
}

TEST(PostgresClaims, DestinationsAreSharedBetweenLiveNodesAndADeadNodesPassOn) {
  TestDatabase db;
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  constexpr int64_t kLeaseMs = 1'000;
  std::string error;
  auto a = PgDeliveryClaims::open(store->location(), error, kLeaseMs);
  auto b = PgDeliveryClaims::open(store->location(), error, kLeaseMs);
  ASSERT_TRUE(a && b) << error;
  const std::vector<std::string> all{"audit", "billing", "crm", "ledger"};
  EXPECT_EQ(a->owned_destinations(all, now_ms()).size(), 4u) << "alone, a node delivers everything";
  EXPECT_EQ(b->owned_destinations(all, now_ms()).size(), 0u) << "taken until a gives back";
  EXPECT_EQ(a->owned_destinations(all, now_ms()).size(), 2u) << "a second node: a keeps its share";
  const auto owned_b = b->owned_destinations(all, now_ms());
  EXPECT_EQ(owned_b.size(), 2u);
  const auto owned_a = a->owned_destinations(all, now_ms());
  for (const auto& name : owned_a) {
    EXPECT_EQ(std::count(owned_b.begin(), owned_b.end(), name), 0) << name << " owned by both";
  }
  // a stops renewing (it died): after its lease, b takes everything.
  std::this_thread::sleep_for(std::chrono::milliseconds(kLeaseMs + 300));
  EXPECT_EQ(b->owned_destinations(all, now_ms()).size(), 4u);
  // A clean shutdown hands back at once.
  b->release();
  EXPECT_EQ(db.scalar("SELECT count(*) FROM destination_owners"), 0);
}

TEST(PostgresStore, AnOutageFailsWritesWithoutAckingAndTheStoreComesBackByItself) {
  testing::TestServer server;
  TestDatabase db(server.url());
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  ASSERT_EQ(write(*store, make_event("evt_before", "v0")).status, WriteOutcome::Status::stored);
  server.down();
  EXPECT_EQ(write(*store, make_event("evt_during", "v1")).status, WriteOutcome::Status::failed);
  EXPECT_FALSE(store->stats().last_batch_committed);
  server.up();
  // Readiness comes back without traffic: the idle writer reconnects within a few seconds.
  EXPECT_TRUE(testing::wait_until([&] { return store->stats().last_batch_committed; }));
  EXPECT_EQ(write(*store, make_event("evt_after", "v1")).status, WriteOutcome::Status::stored);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 2);
}

TEST(PostgresStore, AnIdleStoreNoticesTheServerWentAway) {
  testing::TestServer server;
  TestDatabase db(server.url());
  auto store = open_store(db.url());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->stats().last_batch_committed);
  server.down();
  EXPECT_TRUE(testing::wait_until([&] { return !store->stats().last_batch_committed; }))
      << "readiness must go off before an event finds out";
  server.up();
}

}  // namespace
}  // namespace hookgate::storage
