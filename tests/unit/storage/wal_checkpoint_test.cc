// WAL checkpoints run off the writer (storage/wal_checkpointer.h): under a steady stream of
// commits the thread copies the WAL to the database, the writer finishes each cycle so the WAL
// restarts, and the file never grows past the forced bound. Nothing committed is lost on the way.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "storage/event_store.h"
#include "storage/sqlite/sqlite_handle.h"
#include "storage/sqlite/wal_checkpointer.h"
#include "store_fixture.h"

namespace hookgate::storage {
namespace {

class WalCheckpointTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    // No fsync per commit: the same checkpoint path, at a unit test's speed.
    options_.durability = Durability::normal;
  }

  uintmax_t wal_size() const {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(options_.path + "-wal", ec);
    return ec ? 0 : size;
  }
};

NewEvent make_event(int i) {
  NewEvent e;
  e.public_id = "evt_" + std::to_string(i);
  e.source = "github";
  e.vendor_event_id = "d_" + std::to_string(i);  // random dedupe keys: index pages all over
  e.received_at_ms = 1'000 + i;
  e.method = "POST";
  e.path = "/in/github";
  e.body = std::string(1500, static_cast<char>('a' + i % 26));
  return e;
}

TEST_F(WalCheckpointTest, CheckpointsRunInTheBackgroundAndTheWalStaysBounded) {
  std::string error;
  auto store = EventStore::open(options_, error);
  ASSERT_NE(store, nullptr) << error;

  // Four submitters keep the writer committing back to back, as under load. 40 000 events of
  // 1.5 KB are about 20 000 WAL frames: several checkpoint cycles.
  constexpr int kSubmitters = 4, kPerSubmitter = 10'000;
  constexpr uintmax_t kPageFrame = 4096 + 24;
  std::atomic<int> stored{0};
  std::atomic<uintmax_t> largest_wal{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < kSubmitters; ++t) {
    submitters.emplace_back([&, t] {
      for (int i = 0; i < kPerSubmitter; ++i) {
        std::promise<WriteOutcome> done;
        ASSERT_TRUE(store->submit(make_event(t * kPerSubmitter + i), [&](const WriteOutcome& o) { done.set_value(o); }));
        if (done.get_future().get().status == WriteOutcome::Status::stored) ++stored;
        if (i % 100 == 0) {
          const uintmax_t size = wal_size();
          uintmax_t seen = largest_wal.load();
          while (size > seen && !largest_wal.compare_exchange_weak(seen, size)) {
          }
        }
      }
    });
  }
  for (auto& s : submitters) s.join();
  ASSERT_EQ(stored.load(), kSubmitters * kPerSubmitter);

  const CheckpointStats checkpoints = store->stats().checkpoints;
  EXPECT_GE(checkpoints.background, 1u);  // the thread did passes...
  // ...and the writer finished cycles after them, not only when forced, so the WAL restarted.
  EXPECT_GT(checkpoints.inline_, checkpoints.forced);
  // A restarted WAL is rewritten from its start: never beyond the forced bound plus one batch
  // (a batch here is at most 4 events), where 40 000 events without checkpoints would need
  // some 20 000 frames.
  EXPECT_LE(largest_wal.load(), (WalCheckpointer::kForceFrames + 64) * kPageFrame) << "WAL grew unbounded";
  store.reset();

  auto db = open_database(options_.path, SQLITE_OPEN_READONLY, error);
  ASSERT_TRUE(db) << error;
  Statement count(db.get(), "SELECT count(*) FROM events");
  ASSERT_EQ(count.step(), SQLITE_ROW);
  EXPECT_EQ(count.column_int(0), kSubmitters * kPerSubmitter);
  Statement check(db.get(), "PRAGMA integrity_check");
  ASSERT_EQ(check.step(), SQLITE_ROW);
  EXPECT_EQ(check.column_text(0), "ok");
}

}  // namespace
}  // namespace hookgate::storage
