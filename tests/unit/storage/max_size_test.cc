// storage.max_size: the database stops growing at the cap; new events are refused (failed, so
// ingest answers 503) while delivery bookkeeping still commits in the reserve; once retention
// deletes finished events, new events are stored again by the same store.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "storage/event_store.h"
#include "storage/retention.h"
#include "storage/sqlite/sqlite_handle.h"
#include "store_fixture.h"

namespace hookgate::storage {
namespace {

constexpr uint64_t kCap = 1 << 20;  // the smallest storage.max_size the config accepts

class MaxSizeTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    options_.max_size_bytes = kCap;
  }


  static NewEvent make_event(const std::string& id, size_t body_size = 3000) {
    NewEvent e;
    e.public_id = "evt_" + id;
    e.source = "stripe";
    e.vendor_event_id = "v_" + id;
    e.received_at_ms = 1'000;  // old: retention may purge it once it is delivered
    e.method = "POST";
    e.path = "/in/stripe";
    e.body = std::string(body_size, 'x');
    e.destinations = {"billing"};
    return e;
  }

  static bool deliver(EventStore& store, int64_t delivery_id) {
    AttemptRecord attempt;
    attempt.delivery_id = delivery_id;
    attempt.started_at_ms = 2'000;
    attempt.status = 200;
    attempt.response_excerpt = std::string(200, 'r');
    attempt.next_state = DeliveryState::delivered;
    std::promise<bool> committed;
    EXPECT_TRUE(store.submit_attempt(std::move(attempt), [&](bool ok) { committed.set_value(ok); }));
    return committed.get_future().get();
  }


  // Writes events until the store refuses one; returns how many were stored.
  int fill(EventStore& store, const std::string& prefix) {
    for (int i = 0; i < 10'000; ++i) {
      const WriteOutcome outcome = write(store, make_event(prefix + std::to_string(i)));
      if (outcome.status == WriteOutcome::Status::failed) return i;
      EXPECT_EQ(outcome.status, WriteOutcome::Status::stored);
    }
    ADD_FAILURE() << "10000 events of 3 KB fit under a 1 MiB cap";
    return -1;
  }
};

TEST_F(MaxSizeTest, FullStoreRefusesNewEventsKeepsDuplicatesAndTheFileWithinTheCap) {
  auto store = open_store();
  const int stored = fill(*store, "a");
  ASSERT_GT(stored, 50);  // most of the megabyte went to events
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), stored);
  EXPECT_EQ(scalar("SELECT count(*) FROM events WHERE public_id = 'evt_a" + std::to_string(stored) + "'"), 0);
  EXPECT_GE(store->stats().events_failed, 1u);
  EXPECT_TRUE(store->stats().at_max_size);
  EXPECT_TRUE(store->stats().last_batch_committed);  // refused, not failing
  // Still full: refused again, and nothing half-written.
  EXPECT_EQ(write(*store, make_event("later")).status, WriteOutcome::Status::failed);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries"), stored);
  // A vendor retrying an acked event still gets its id: a duplicate needs no space.
  const WriteOutcome retry = write(*store, make_event("a0"));
  EXPECT_EQ(retry.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(retry.public_id, "evt_a0");
  store.reset();
  EXPECT_LE(scalar("PRAGMA page_count") * scalar("PRAGMA page_size"), static_cast<int64_t>(kCap));
}

TEST_F(MaxSizeTest, AttemptsStillCommitWhenFullAndRetentionMakesRoomForNewEvents) {
  auto store = open_store();
  const int stored = fill(*store, "a");
  ASSERT_GT(stored, 0);
  // Every delivery can still be recorded as finished, although no new event fits: without a
  // reserve no delivery could finish, retention could purge nothing and the store stays full.
  std::string error;
  std::vector<int64_t> ids;
  {
    auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
    Statement select(db.get(), "SELECT id FROM deliveries ORDER BY id");
    while (select.step() == SQLITE_ROW) ids.push_back(select.column_int(0));
  }
  ASSERT_EQ(ids.size(), static_cast<size_t>(stored));
  for (int64_t id : ids) ASSERT_TRUE(deliver(*store, id)) << "attempt on delivery " << id << " not committed";
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries WHERE state = 'delivered'"), stored);
  EXPECT_EQ(write(*store, make_event("still_full")).status, WriteOutcome::Status::failed);

  // Retention (its own connection, as in the gateway) deletes the finished events...
  auto purger = RetentionPurger::open(options_, error);
  ASSERT_TRUE(purger) << error;
  int64_t purged = 0;
  for (int64_t n; (n = purger->purge_batch(/*before_ms=*/10'000, 100, error)) > 0;) purged += n;
  ASSERT_EQ(purged, stored) << error;
  // The idle writer notices the freed space by itself: readiness must not wait for an event
  // that a load balancer would never send to a not-ready gateway.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (store->at_max_size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_FALSE(store->at_max_size());
  // ...and the same store, never reopened, stores events again in the freed pages.
  const int again = fill(*store, "b");
  EXPECT_GT(again, stored / 2);
  EXPECT_LE(scalar("PRAGMA page_count") * scalar("PRAGMA page_size"), static_cast<int64_t>(kCap));
}

TEST_F(MaxSizeTest, TheCapIsAppliedOnEveryOpen) {
  auto store = open_store();
  const int stored = fill(*store, "a");
  store.reset();
  // max_page_count belongs to a connection: a reopened store must apply it again.
  store = open_store();
  EXPECT_EQ(write(*store, make_event("reopened")).status, WriteOutcome::Status::failed);
  store.reset();
  // Without a cap the same file grows.
  options_.max_size_bytes = 0;
  store = open_store();
  EXPECT_EQ(write(*store, make_event("uncapped")).status, WriteOutcome::Status::stored);
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), stored + 1);
}

TEST_F(MaxSizeTest, AnEventLargerThanTheRoomLeftFailsAloneAndLeavesNothing) {
  auto store = open_store();
  ASSERT_EQ(write(*store, make_event("small")).status, WriteOutcome::Status::stored);
  // Past the soft limit check but beyond max_page_count: SQLite's own SQLITE_FULL.
  EXPECT_EQ(write(*store, make_event("huge", 2 << 20)).status, WriteOutcome::Status::failed);
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries"), 1);
  EXPECT_EQ(write(*store, make_event("next")).status, WriteOutcome::Status::stored);
  std::string error;
  auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
  Statement check(db.get(), "PRAGMA integrity_check");
  ASSERT_EQ(check.step(), SQLITE_ROW);
  EXPECT_EQ(check.column_text(0), "ok");
}

}  // namespace
}  // namespace hookgate::storage
