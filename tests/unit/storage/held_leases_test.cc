// HeldLeases: which lease writes the writer holds back, which it leaves out because the
// attempt's record came first, and when the rest are written. Time is passed in.
#include "storage/held_leases.h"

#include <gtest/gtest.h>

#include <vector>

namespace hookgate::storage {
namespace {

using namespace std::chrono_literals;
using Clock = HeldLeases::Clock;

Pending lease(std::vector<int64_t> ids, int64_t lease_until_ms = 90'000) {
  return PendingLeases{std::move(ids), lease_until_ms, 10};
}

Pending attempt(int64_t delivery_id) {
  AttemptRecord record;
  record.delivery_id = delivery_id;
  record.next_state = DeliveryState::delivered;
  return PendingAttempt{record, nullptr};
}

Pending event() {
  PendingEvent pending;
  pending.event.public_id = "evt_1";
  return pending;
}

// The lease writes in `batch`, in order.
std::vector<std::vector<int64_t>> leases_in(const std::vector<Pending>& batch) {
  std::vector<std::vector<int64_t>> out;
  for (const auto& p : batch) {
    if (const auto* l = std::get_if<PendingLeases>(&p)) out.push_back(l->delivery_ids);
  }
  return out;
}

size_t attempts_in(const std::vector<Pending>& batch) {
  size_t n = 0;
  for (const auto& p : batch) n += std::holds_alternative<PendingAttempt>(p) ? 1 : 0;
  return n;
}

class HeldLeasesTest : public ::testing::Test {
 protected:
  HeldLeases held{1000ms};
  Clock::time_point t0 = Clock::now();
};

TEST_F(HeldLeasesTest, ALeaseIsHeldOutOfItsBatchAndWrittenOnceItsHoldHasPassed) {
  std::vector<Pending> batch;
  batch.push_back(event());
  batch.push_back(lease({1, 2}, 5000));
  held.settle(batch, t0);
  ASSERT_EQ(batch.size(), 1u);  // the event goes; the lease waits
  EXPECT_TRUE(std::holds_alternative<PendingEvent>(batch[0]));
  EXPECT_EQ(held.held(), 2u);
  ASSERT_TRUE(held.next_due().has_value());
  EXPECT_EQ(*held.next_due(), t0 + 1000ms);

  std::vector<Pending> later;
  held.settle(later, t0 + 999ms);
  EXPECT_TRUE(later.empty());

  held.settle(later, t0 + 1000ms);
  ASSERT_EQ(leases_in(later), (std::vector<std::vector<int64_t>>{{1, 2}}));
  const auto& written = std::get<PendingLeases>(later[0]);
  EXPECT_EQ(written.lease_until_ms, 5000);  // as submitted
  EXPECT_EQ(written.now_ms, 10);
  EXPECT_EQ(held.held(), 0u);
  EXPECT_FALSE(held.next_due().has_value());
  EXPECT_EQ(held.folded(), 0u);
}

TEST_F(HeldLeasesTest, AnAttemptRecordedWithinTheHoldLeavesItsLeaseUnwritten) {
  std::vector<Pending> batch;
  batch.push_back(lease({1, 2, 3}));
  held.settle(batch, t0);
  EXPECT_TRUE(batch.empty());

  batch.push_back(attempt(2));
  held.settle(batch, t0 + 5ms);
  EXPECT_EQ(attempts_in(batch), 1u);  // the record itself is always written
  EXPECT_TRUE(leases_in(batch).empty());
  EXPECT_EQ(held.folded(), 1u);

  batch.clear();
  held.settle(batch, t0 + 1000ms);
  EXPECT_EQ(leases_in(batch), (std::vector<std::vector<int64_t>>{{1, 3}}));  // still in flight
}

TEST_F(HeldLeasesTest, ALeaseAndItsAttemptInOneBatchWriteOnlyTheAttempt) {
  std::vector<Pending> batch;
  batch.push_back(lease({4}));
  batch.push_back(attempt(4));
  held.settle(batch, t0);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<PendingAttempt>(batch[0]));
  EXPECT_EQ(held.folded(), 1u);
  EXPECT_EQ(held.held(), 0u);
  EXPECT_FALSE(held.next_due().has_value());  // nothing left to write or wake for
}

TEST_F(HeldLeasesTest, ARecordBeforeTheLeaseIsAnEarlierAttemptAndTheNewLeaseStaysHeld) {
  // Attempt 1 of delivery 7 is recorded; its retry is claimed again in the same batch. The new
  // attempt has no record yet, so its lease must still be written when due.
  std::vector<Pending> batch;
  batch.push_back(lease({7}));
  held.settle(batch, t0);
  batch.push_back(attempt(7));
  batch.push_back(lease({7, 8}));
  held.settle(batch, t0 + 10ms);
  EXPECT_EQ(held.folded(), 1u);
  EXPECT_EQ(held.held(), 2u);
  batch.clear();
  held.settle(batch, t0 + 1010ms);
  EXPECT_EQ(leases_in(batch), (std::vector<std::vector<int64_t>>{{7, 8}}));
}

TEST_F(HeldLeasesTest, LeasesFallDueInTheOrderTheyCame) {
  std::vector<Pending> batch;
  batch.push_back(lease({1}));
  held.settle(batch, t0);
  batch.push_back(lease({2}));
  held.settle(batch, t0 + 400ms);
  batch.push_back(attempt(1));
  held.settle(batch, t0 + 500ms);
  // The first group emptied: the next one due is the second.
  ASSERT_TRUE(held.next_due().has_value());
  EXPECT_EQ(*held.next_due(), t0 + 1400ms);
  batch.clear();
  held.settle(batch, t0 + 1400ms);
  EXPECT_EQ(leases_in(batch), (std::vector<std::vector<int64_t>>{{2}}));
}

TEST(HeldLeasesWithoutHold, EveryLeaseIsWrittenInTheBatchItCameIn) {
  HeldLeases held(0ms);
  std::vector<Pending> batch;
  batch.push_back(lease({1, 2}));
  batch.push_back(attempt(1));
  held.settle(batch, Clock::now());
  EXPECT_EQ(leases_in(batch), (std::vector<std::vector<int64_t>>{{1, 2}}));
  EXPECT_EQ(attempts_in(batch), 1u);
  EXPECT_EQ(held.folded(), 0u);
}

}  // namespace
}  // namespace hookgate::storage
