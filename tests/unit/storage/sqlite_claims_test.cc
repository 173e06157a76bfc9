// SqliteDeliveryClaims::claim_due on a real file: due order, rows in flight stepped over, and
// the claim cursor, which must never leave a due row unclaimed for long.
#include "storage/sqlite/sqlite_delivery_claims.h"

#include <algorithm>
#include <vector>

#include "tests/unit/storage/store_fixture.h"

namespace hookgate::storage {
namespace {

constexpr int64_t kNow = 1'700'000'100'000;

class SqliteClaimsTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    store_ = open_store();
    ASSERT_NE(store_, nullptr);
    std::string error;
    claims_ = SqliteDeliveryClaims::open(*store_, error);
    ASSERT_NE(claims_, nullptr) << error;
  }

  // Stores an event with one delivery to "billing", due at `due_ms`; returns the delivery id.
  int64_t add(int64_t due_ms) {
    NewEvent e;
    e.public_id = "evt_" + std::to_string(++events_);
    e.source = "stripe";
    e.received_at_ms = due_ms;
    e.method = "POST";
    e.body = "{}";
    e.destinations = {"billing"};
    const WriteOutcome outcome = write(*store_, std::move(e));
    EXPECT_EQ(outcome.status, WriteOutcome::Status::stored);
    return scalar("SELECT id FROM deliveries WHERE event_id = " + std::to_string(outcome.event_id));
  }

  // Claims up to `limit` at `now_ms`, with everything claimed so far still in flight.
  std::vector<int64_t> claim(size_t limit, int64_t now_ms = kNow) {
    std::vector<int64_t> ids;
    for (const auto& row : claims_->claim_due("billing", now_ms, limit, now_ms + 60'000, in_flight_)) {
      ids.push_back(row.delivery_id);
      in_flight_.push_back(row.delivery_id);
    }
    return ids;
  }

  std::unique_ptr<EventStore> store_;
  std::unique_ptr<SqliteDeliveryClaims> claims_;
  std::vector<int64_t> in_flight_;
  int events_ = 0;
};

TEST_F(SqliteClaimsTest, ClaimsInDueOrderAndStepsOverRowsInFlight) {
  const int64_t late = add(kNow - 10);
  const int64_t early = add(kNow - 30);
  const int64_t middle = add(kNow - 20);
  (void)add(kNow + 5'000);  // not due yet
  EXPECT_EQ(claim(2), (std::vector<int64_t>{early, middle}));
  EXPECT_EQ(claim(5), (std::vector<int64_t>{late}));
  EXPECT_TRUE(claim(5).empty());
}

TEST_F(SqliteClaimsTest, ARowBehindTheCursorIsClaimedOnceTheRowsAfterItRunOut) {
  const int64_t first = add(kNow - 20);
  EXPECT_EQ(claim(1), (std::vector<int64_t>{first}));
  // Due before the row just claimed (an event whose commit came late, or a replay).
  const int64_t behind = add(kNow - 50);
  EXPECT_EQ(claim(1), (std::vector<int64_t>{behind}));
}

TEST_F(SqliteClaimsTest, ARowBehindTheCursorWaitsAtMostASecondWhileRowsAfterItRemain) {
  const int64_t a = add(kNow - 20);
  const int64_t b = add(kNow - 10);
  const int64_t c = add(kNow - 5);
  EXPECT_EQ(claim(1), (std::vector<int64_t>{a}));
  const int64_t behind = add(kNow - 50);
  // Within the second the claim reads on from the cursor ...
  EXPECT_EQ(claim(1, kNow + 999), (std::vector<int64_t>{b}));
  // ... and then from the start again, where the row behind it is the oldest due.
  EXPECT_EQ(claim(1, kNow + 1'000), (std::vector<int64_t>{behind}));
  EXPECT_EQ(claim(5, kNow + 1'000), (std::vector<int64_t>{c}));
}

TEST_F(SqliteClaimsTest, ARowWhoseAttemptEndedIsClaimedAgainAtItsRetryTime) {
  const int64_t a = add(kNow - 20);
  const int64_t b = add(kNow - 10);
  EXPECT_EQ(claim(2), (std::vector<int64_t>{a, b}));
  // a's attempt failed: pending again, due in 2 s; b is still in flight.
  AttemptRecord record;
  record.delivery_id = a;
  record.started_at_ms = kNow;
  record.error = "connection refused";
  record.next_state = DeliveryState::pending;
  record.next_attempt_at_ms = kNow + 2'000;
  std::promise<bool> done;
  ASSERT_TRUE(store_->submit_attempt(record, [&done](bool ok) { done.set_value(ok); }));
  ASSERT_TRUE(done.get_future().get());
  std::erase(in_flight_, a);
  EXPECT_TRUE(claim(5, kNow + 1'999).empty());
  EXPECT_EQ(claim(5, kNow + 2'000), (std::vector<int64_t>{a}));
}

}  // namespace
}  // namespace hookgate::storage
