// Retention: deletes events older than a cutoff whose deliveries are all finished
// (delivered, dead or cancelled), with their deliveries and attempts, in small batches so a
// running writer is never held up for long. Events with a delivery still to make are kept
// whatever their age: an acked event is never dropped before it was delivered or given up on.
// Its own connection; one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/sqlite_handle.h"

namespace hookgate::storage {

class RetentionPurger {
 public:
  static std::unique_ptr<RetentionPurger> open(const std::string& path, std::string& error);

  // Deletes up to `limit` such events received before `before_ms`, in one short transaction.
  // Returns how many were deleted, or -1 with `error` set.
  [[nodiscard]] int64_t purge_batch(int64_t before_ms, int64_t limit, std::string& error);

 private:
  DatabaseHandle db_;
  Statement select_, delete_attempts_, delete_deliveries_, delete_event_;
};

}  // namespace hookgate::storage
