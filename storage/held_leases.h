// The lease writes the store's writer holds back. A lease only marks a delivery inflight while
// its attempt runs (SQLite: one process delivers, and its own list keeps it from starting a
// delivery twice), and most attempts end within milliseconds, their record setting the state
// in the next transaction. So a lease is written only once its attempt has run for `hold`
// without a record; until then a crash leaves the delivery pending, due at once on restart,
// which is what an expired lease gives too. Sans-I/O: the writer passes the time in.
//
// Writer thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "storage/write_batch.h"

namespace hookgate::storage {

class HeldLeases {
 public:
  using Clock = std::chrono::steady_clock;

  explicit HeldLeases(std::chrono::milliseconds hold) : hold_(hold) {}

  // In `batch` order: takes each lease out of the batch to hold it, and forgets the held lease
  // of each delivery whose attempt the batch records (written instead, in the same
  // transaction). Then appends to `batch`, as lease writes, the leases held for `hold` by
  // `now`. With a hold of zero every lease is written in the batch it came in, as submitted.
  void settle(std::vector<Pending>& batch, Clock::time_point now);

  // When the oldest held lease is due for writing; nullopt when none is held.
  [[nodiscard]] std::optional<Clock::time_point> next_due() const;
  // Lease writes left out so far because the attempt's record came first.
  [[nodiscard]] uint64_t folded() const { return folded_; }
  [[nodiscard]] size_t held() const { return by_delivery_.size(); }

 private:
  struct Group {
    uint64_t seq = 0;
    PendingLeases leases;
    Clock::time_point due;
    size_t live = 0;  // of its deliveries, those still held by it
  };

  // The group of `seq`, which must still be held (groups_ is contiguous in seq).
  Group& group_of(uint64_t seq) { return groups_[seq - groups_.front().seq]; }
  void release(int64_t delivery_id);

  std::chrono::milliseconds hold_;
  std::deque<Group> groups_;                            // in arrival order, so in due order
  std::unordered_map<int64_t, uint64_t> by_delivery_;   // held delivery → its group's seq
  uint64_t next_seq_ = 0;
  uint64_t folded_ = 0;
};

}  // namespace hookgate::storage
