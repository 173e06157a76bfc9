// Content dedupe keys (write_batch.h, ContentKey) on SQLite: a duplicate within the window is
// acked with the first event's id and stores nothing; after the window, or once retention
// deleted the first event, the next one is stored and takes the key over; expired keys are
// deleted as new ones come. tests/postgres/pg_store_test.cc holds PostgreSQL to the same.
#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <string>

#include "storage/event_store.h"
#include "storage/retention.h"
#include "store_fixture.h"

namespace hookgate::storage {
namespace {

constexpr int64_t kStart = 1700000000000;
constexpr int64_t kWindow = 60'000;

class ContentKeysTest : public StoreFixture {
 protected:
  static NewEvent keyed(const std::string& public_id, std::string digest, int64_t received_at_ms,
                        std::string source = "calendly") {
    NewEvent e;
    e.public_id = public_id;
    e.source = std::move(source);
    e.received_at_ms = received_at_ms;
    e.method = "POST";
    e.path = "/in/calendly";
    e.body = "{}";
    e.destinations = {"crm"};
    e.content_key = ContentKey{std::move(digest), received_at_ms + kWindow};
    return e;
  }
};

TEST_F(ContentKeysTest, ARepeatWithinTheWindowIsADuplicateOfTheFirstAndOneAfterItIsStored) {
  auto store = open_store();
  const std::string digest(32, '\x01');
  const WriteOutcome first = write(*store, keyed("evt_1", digest, kStart));
  ASSERT_EQ(first.status, WriteOutcome::Status::stored);

  const WriteOutcome retry = write(*store, keyed("evt_2", digest, kStart + kWindow - 1));
  EXPECT_EQ(retry.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(retry.public_id, "evt_1");
  EXPECT_EQ(retry.event_id, first.event_id);
  // Other content, or the same content on another source, is another event.
  EXPECT_EQ(write(*store, keyed("evt_3", std::string(32, '\x02'), kStart + 1)).status, WriteOutcome::Status::stored);
  EXPECT_EQ(write(*store, keyed("evt_4", digest, kStart + 2, "asana")).status, WriteOutcome::Status::stored);

  // The window is the first event's: at its end the same content is new, and takes the key.
  const WriteOutcome later = write(*store, keyed("evt_5", digest, kStart + kWindow));
  EXPECT_EQ(later.status, WriteOutcome::Status::stored);
  const WriteOutcome again = write(*store, keyed("evt_6", digest, kStart + kWindow + 5));
  EXPECT_EQ(again.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(again.public_id, "evt_5");
  store.reset();
  EXPECT_EQ(scalar("SELECT count(*) FROM events"), 4);
  EXPECT_EQ(scalar("SELECT count(*) FROM deliveries"), 4);
}

TEST_F(ContentKeysTest, RepeatsInOneBatchAreStoredOnce) {
  auto store = open_store();
  std::latch release(1);
  hold_writer(*store, release, keyed("evt_hold", std::string(32, '\x09'), kStart));  // the two below: one batch
  std::promise<WriteOutcome> a, b;
  ASSERT_TRUE(store->submit(keyed("evt_a", std::string(32, '\x07'), kStart + 1), [&](const WriteOutcome& o) { a.set_value(o); }));
  ASSERT_TRUE(store->submit(keyed("evt_b", std::string(32, '\x07'), kStart + 2), [&](const WriteOutcome& o) { b.set_value(o); }));
  release.count_down();
  const WriteOutcome first = a.get_future().get(), second = b.get_future().get();
  EXPECT_EQ(first.status, WriteOutcome::Status::stored);
  EXPECT_EQ(second.status, WriteOutcome::Status::duplicate);
  EXPECT_EQ(second.public_id, "evt_a");
}

TEST_F(ContentKeysTest, AKeyWhoseEventRetentionDeletedNoLongerHoldsAndExpiredKeysAreDeleted) {
  auto store = open_store();
  const std::string digest(32, '\x03');
  ASSERT_EQ(write(*store, keyed("evt_1", digest, kStart)).status, WriteOutcome::Status::stored);
  // Finished and purged (retention keeps events with deliveries still to make).
  std::string error;
  {
    auto db = open_database(options_.path, SQLITE_OPEN_READWRITE, error);
    ASSERT_EQ(exec(db.get(), "UPDATE deliveries SET state = 'delivered'"), SQLITE_OK);
  }
  auto purger = RetentionPurger::open(options_, error);
  ASSERT_TRUE(purger) << error;
  ASSERT_EQ(purger->purge_batch(kStart + 1, 100, error), 1) << error;
  const WriteOutcome after = write(*store, keyed("evt_2", digest, kStart + 10));
  EXPECT_EQ(after.status, WriteOutcome::Status::stored);

  // 50 distinct keys, then 50 more a window later: each write deletes up to two expired keys,
  // so the first 50 are gone and the table holds only what is live.
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(write(*store, keyed("evt_old_" + std::to_string(i), "old" + std::to_string(i), kStart + 100)).status,
              WriteOutcome::Status::stored);
  }
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(write(*store, keyed("evt_new_" + std::to_string(i), "new" + std::to_string(i), kStart + 2 * kWindow)).status,
              WriteOutcome::Status::stored);
  }
  store.reset();
  EXPECT_EQ(scalar("SELECT count(*) FROM content_keys WHERE expires_at <= " + std::to_string(kStart + 2 * kWindow)), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM content_keys"), 50);
}

}  // namespace
}  // namespace hookgate::storage
