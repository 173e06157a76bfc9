// Retention: deletes events older than a cutoff whose deliveries are all finished
// (delivered, dead or cancelled), with their deliveries and attempts, in small batches so a
// running writer is never held up for long. Events with a delivery still to make are kept
// whatever their age: an acked event is never dropped before it was delivered or given up on.
// The same on both backends (on PostgreSQL every node may run it: the batches lock the rows
// they delete). Its own connection; one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/sql_session.h"
#include "storage/store_location.h"

namespace hookgate::storage {

class RetentionPurger {
 public:
  static std::unique_ptr<RetentionPurger> open(const StoreLocation& location, std::string& error);
  explicit RetentionPurger(std::unique_ptr<SqlSession> session) : session_(std::move(session)) {}

  // Deletes up to `limit` such events received before `before_ms`, in one short transaction.
  // Returns how many were deleted, or -1 with `error` set.
  [[nodiscard]] int64_t purge_batch(int64_t before_ms, int64_t limit, std::string& error);

 private:
  std::unique_ptr<SqlSession> session_;
};

}  // namespace hookgate::storage
