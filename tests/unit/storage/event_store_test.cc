#include "storage/event_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <latch>
#include <string>

#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_handle.h"
#include "storage/sqlite/sqlite_writer.h"
#include "store_fixture.h"

namespace hookgate::storage {
namespace {

class EventStoreTest : public StoreFixture {
 protected:
  static NewEvent make_event(const std::string& public_id, std::optional<std::string> vendor_id,
                             std::string body = "{\"a\":1}") {
    NewEvent e;
    e.public_id = public_id;
    e.source = "stripe";
    e.vendor_event_id = std::move(vendor_id);
    e.event_type = "invoice.paid";
    e.received_at_ms = 1700000000123;
    e.method = "POST";
    e.path = "/in/stripe";
    e.headers = "Content-Type: application/json\r\n";
    e.body = std::move(body);
    e.destinations = {"billing", "audit"};
    return e;
  }
  static void hold_writer(EventStore& store, std::latch& release) {
    StoreFixture::hold_writer(store, release, make_event("evt_hold", std::nullopt));
  }
};

TEST_F(EventStoreTest, StoresEventWithItsDeliveriesByteExact) {
  auto store = open_store();
  const std::string body("{\"x\":\"\xff\x00\x01\"}", 12);
  const WriteOutcome outcome = write(*store, make_event("evt_1", "evt_vendor_1", body));
  ASSERT_EQ(outcome.status, WriteOutcome::Status::stored);
  EXPECT_EQ(outcome.public_id, "evt_1");
  EXPECT_GT(outcome.event_id, 0);
  store.reset();

  std::string error;
  auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
  Statement row(db.get(), "SELECT public_id, source, vendor_event_id, event_type, received_at, method, path, headers, body FROM events");
  ASSERT_EQ(row.step(), SQLITE_ROW);
  EXPECT_EQ(row.column_text(0), "evt_1");
  EXPECT_EQ(row.column_text(1), "stripe");
  EXPECT_EQ(row.column_text(2), "evt_vendor_1");
  EXPECT_EQ(row.column_text(3), "invoice.paid");
  EXPECT_EQ(row.column_int(4), 1700000000123);
  EXPECT_EQ(row.column_text(5), "POST");
  EXPECT_EQ(row.column_text(6), "/in/stripe");
  EXPECT_EQ(row.column_text(7), "Content-Type: application/json\r\n");
  const auto* blob = static_cast<const char*>(sqlite3_column_blob(row.get(), 8));
  EXPECT_EQ(std::string(blob, static_cast<size_t>(sqlite3_column_bytes(row.get(), 8))), body);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries WHERE state = 'pending' AND next_attempt_at = 1700000000123"), 2);
}

TEST_F(EventStoreTest, VendorRetryIsADuplicateWithTheOriginalId) {
  auto store = open_store();
  ASSERT_EQ(write(*store, make_event("evt_1", "evt_vendor_1")).status, WriteOutcome::Status::stored);
  const WriteOutcome again = write(*store, make_event("evt_2", "evt_vendor_1"));
  EXPECT_EQ(again.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(again.public_id, "evt_1");
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries"), 2);
  EXPECT_EQ(store->stats().duplicates, 1u);
}

TEST_F(EventStoreTest, SameVendorIdInAnotherSourceIsNotADuplicate) {
  auto store = open_store();
  ASSERT_EQ(write(*store, make_event("evt_1", "same")).status, WriteOutcome::Status::stored);
  NewEvent other = make_event("evt_2", "same");
  other.source = "github";
  EXPECT_EQ(write(*store, std::move(other)).status, WriteOutcome::Status::stored);
}

TEST_F(EventStoreTest, EventsWithoutVendorIdAreNeverDuplicates) {
  auto store = open_store();
  EXPECT_EQ(write(*store, make_event("evt_1", std::nullopt)).status, WriteOutcome::Status::stored);
  EXPECT_EQ(write(*store, make_event("evt_2", std::nullopt)).status, WriteOutcome::Status::stored);
  EXPECT_EQ(scalar("SELECT count(*) FROM events WHERE dedupe_key IS NULL"), 2);
}

TEST_F(EventStoreTest, DuplicateWithinOneBatchIsDetected) {
  auto store = open_store();
  std::latch release(1);
  // Both events queue while the writer is held: they commit in one batch, and the second
  // must see the first inside the same transaction.
  hold_writer(*store, release);
  std::promise<WriteOutcome> a, b;
  ASSERT_TRUE(store->submit(make_event("evt_1", "v1"), [&](const WriteOutcome& o) { a.set_value(o); }));
  ASSERT_TRUE(store->submit(make_event("evt_2", "v1"), [&](const WriteOutcome& o) { b.set_value(o); }));
  release.count_down();
  EXPECT_EQ(a.get_future().get().status, WriteOutcome::Status::stored);
  const WriteOutcome dup = b.get_future().get();
  EXPECT_EQ(dup.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(dup.public_id, "evt_1");
}

TEST_F(EventStoreTest, QueuedEventsCommitAsOneGroup) {
  auto store = open_store();
  constexpr int kEvents = 500;
  std::latch release(1);
  std::latch all_done(kEvents);
  hold_writer(*store, release);
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(store->submit(make_event("evt_" + std::to_string(i), "v" + std::to_string(i)),
                              [&](const WriteOutcome& o) {
                                EXPECT_EQ(o.status, WriteOutcome::Status::stored);
                                all_done.count_down();
                              }));
  }
  release.count_down();
  all_done.wait();
  const WriterStats stats = store->stats();
  EXPECT_EQ(stats.batches, 2u);  // the held event alone, then everything queued behind it
  EXPECT_EQ(stats.max_batch_size, static_cast<uint64_t>(kEvents));
  EXPECT_EQ(stats.events_stored, static_cast<uint64_t>(kEvents + 1));
}

TEST_F(EventStoreTest, BatchSizeIsCappedByMaxBatch) {
  options_.max_batch = 10;
  auto store = open_store();
  std::latch release(1);
  std::latch all_done(50);
  hold_writer(*store, release);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store->submit(make_event("evt_" + std::to_string(i), std::nullopt),
                              [&](const WriteOutcome&) { all_done.count_down(); }));
  }
  release.count_down();
  all_done.wait();
  EXPECT_EQ(store->stats().batches, 6u);  // the held event, then 5 batches of 10
  EXPECT_EQ(store->stats().max_batch_size, 10u);
}

TEST_F(EventStoreTest, FullQueueRefusesWithoutCallingBack) {
  options_.queue_limit = 3;
  auto store = open_store();
  std::latch release(1);
  hold_writer(*store, release);  // the queue is empty and the writer is held
  std::latch queued_done(3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->submit(make_event("evt_" + std::to_string(i), std::nullopt),
                              [&](const WriteOutcome&) { queued_done.count_down(); }));
  }
  EXPECT_FALSE(store->submit(make_event("evt_over", std::nullopt), [](const WriteOutcome&) { FAIL(); }));
  EXPECT_EQ(store->queue_depth(), 3u);
  release.count_down();
  queued_done.wait();
}

TEST_F(EventStoreTest, CloseCommitsEverythingQueuedThenRefuses) {
  auto store = open_store();
  std::atomic<int> stored{0};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(store->submit(make_event("evt_" + std::to_string(i), std::nullopt), [&](const WriteOutcome& o) {
      if (o.status == WriteOutcome::Status::stored) ++stored;
    }));
  }
  store->close();
  EXPECT_EQ(stored.load(), 100);
  EXPECT_FALSE(store->submit(make_event("evt_late", std::nullopt), [](const WriteOutcome&) { FAIL(); }));
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), 100);
}

TEST_F(EventStoreTest, ReopenKeepsEverythingAndStillDedupes) {
  {
    auto store = open_store();
    for (int i = 0; i < 20; ++i) write(*store, make_event("evt_" + std::to_string(i), "v" + std::to_string(i)));
  }
  auto store = open_store();
  const WriteOutcome again = write(*store, make_event("evt_new", "v7"));
  EXPECT_EQ(again.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(again.public_id, "evt_7");
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), 20);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries"), 40);
}

TEST_F(EventStoreTest, MigratesAnEmptyFileToTheCurrentSchema) {
  auto store = open_store();
  store.reset();
  EXPECT_EQ(scalar("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'deliveries', 'attempts')"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

// Version 3 rewrites deliveries' CHECK (state IN (...)) as equalities, in place: a version 2
// file keeps its rows, still refuses a state outside the five, and its writes no longer build
// a temporary b-tree per row.
TEST_F(EventStoreTest, AVersionTwoDatabaseGetsTheEqualityCheck) {
  {
    auto store = open_store();
    for (int i = 0; i < 5; ++i) write(*store, make_event("evt_" + std::to_string(i), "v" + std::to_string(i)));
  }
  std::string error;
  {
    // Back to what version 2 wrote.
    auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
    ASSERT_EQ(exec(db.get(),
                   "PRAGMA writable_schema = ON;"
                   "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (state = ''pending'' OR state = ''inflight'' OR "
                   "state = ''delivered'' OR state = ''dead'' OR state = ''cancelled'' OR state = ''skipped'')', 'CHECK (state IN (''pending'', "
                   "''inflight'', ''delivered'', ''dead'', ''cancelled''))') WHERE name = 'deliveries';"
                   "PRAGMA writable_schema = OFF; DROP TABLE destination_states; DROP TABLE content_keys;"
                   "PRAGMA user_version = 2;"),
              SQLITE_OK);
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'deliveries' AND sql LIKE '%state IN (%'"), 1);
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  store.reset();
  EXPECT_EQ(scalar("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'deliveries' AND sql LIKE '%state IN (%'"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries"), 10);
  EXPECT_EQ(scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
  auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
  EXPECT_EQ(exec(db.get(), "UPDATE deliveries SET state = 'lost' WHERE id = 1"), SQLITE_CONSTRAINT_CHECK);
  EXPECT_EQ(exec(db.get(), "UPDATE deliveries SET state = 'dead' WHERE id = 1"), SQLITE_OK);
  Statement plan(db.get(), "EXPLAIN UPDATE deliveries SET state = 'inflight' WHERE id = 1");
  ASSERT_TRUE(plan.ok());
  while (plan.step() == SQLITE_ROW) EXPECT_NE(plan.column_text(1), "OpenEphemeral");
}

// Version 5 adds 'skipped' (a delivery its transform script declined) to the same CHECK.
TEST_F(EventStoreTest, AVersionFourDatabaseAcceptsSkippedDeliveries) {
  {
    auto store = open_store();
    write(*store, make_event("evt_1", "v1"));
  }
  std::string error;
  {
    auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
    ASSERT_EQ(exec(db.get(),
                   "PRAGMA writable_schema = ON;"
                   "UPDATE sqlite_schema SET sql = replace(sql, ' OR state = ''skipped''', '') WHERE name = 'deliveries';"
                   "PRAGMA writable_schema = OFF; DROP TABLE content_keys; PRAGMA user_version = 4;"),
              SQLITE_OK);
  }
  {
    auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
    EXPECT_EQ(exec(db.get(), "UPDATE deliveries SET state = 'skipped' WHERE id = 1"), SQLITE_CONSTRAINT_CHECK);
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  store.reset();
  EXPECT_EQ(scalar("PRAGMA user_version"), kSchemaVersion);
  auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
  EXPECT_EQ(exec(db.get(), "UPDATE deliveries SET state = 'skipped' WHERE id = 1"), SQLITE_OK);
  EXPECT_EQ(exec(db.get(), "UPDATE deliveries SET state = 'lost' WHERE id = 1"), SQLITE_CONSTRAINT_CHECK);
}

TEST_F(EventStoreTest, RefusesADatabaseFromANewerVersion) {
  {
    std::string error;
    auto db = open_database(options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
    ASSERT_EQ(exec(db.get(), "PRAGMA user_version = 99"), SQLITE_OK);
  }
  std::string error;
  EXPECT_EQ(EventStore::open(options_, error), nullptr);
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
}

TEST_F(EventStoreTest, UnopenablePathIsAnError) {
  options_.path = (dir_ / "missing-dir" / "events.db").string();
  std::string error;
  EXPECT_EQ(EventStore::open(options_, error), nullptr);
  EXPECT_NE(error.find("cannot open database"), std::string::npos) << error;
}

TEST(DedupeKey, IsStableAndNonNegative) {
  // On disk: this value must never change between builds.
  EXPECT_EQ(dedupe_key("stripe", "evt_1"), dedupe_key("stripe", "evt_1"));
  EXPECT_NE(dedupe_key("stripe", "evt_1"), dedupe_key("stripe", "evt_2"));
  EXPECT_NE(dedupe_key("ab", "c"), dedupe_key("a", "bc"));
  EXPECT_GE(dedupe_key("stripe", "evt_1"), 0);
  EXPECT_EQ(dedupe_key("", ""), static_cast<int64_t>(((14695981039346656037ULL ^ 0) * 1099511628211ULL) >> 1));
}

}  // namespace
}  // namespace hookgate::storage

namespace hookgate::storage {
namespace {

TEST_F(EventStoreTest, BatchThatCannotCommitFailsEveryEventAndTheStoreRecovers) {
  options_.busy_timeout_ms = 20;
  auto store = open_store();
  // Another connection holds the write lock: the writer's transaction cannot start.
  std::string error;
  auto blocker = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
  ASSERT_EQ(exec(blocker.get(), "BEGIN IMMEDIATE"), SQLITE_OK);
  const WriteOutcome refused = write(*store, make_event("evt_blocked", "v_blocked"));
  EXPECT_EQ(refused.status, WriteOutcome::Status::failed);
  EXPECT_TRUE(refused.public_id.empty());
  EXPECT_EQ(store->stats().failed_batches, 1u);
  EXPECT_EQ(store->stats().events_failed, 1u);

  ASSERT_EQ(exec(blocker.get(), "COMMIT"), SQLITE_OK);
  const WriteOutcome retried = write(*store, make_event("evt_retried", "v_blocked"));
  EXPECT_EQ(retried.status, WriteOutcome::Status::stored);  // the failed attempt left nothing behind
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), 1);
}

}  // namespace
}  // namespace hookgate::storage
