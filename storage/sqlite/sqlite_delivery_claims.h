// DeliveryClaims on a SQLite file: one delivering process per file (an flock()ed
// `<db>.delivery.lock`, held for the object's life), reads on a read-only connection of its own
// (WAL lets it read beside the writer), leases written behind the read through the writer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/delivery_claims.h"
#include "storage/event_store.h"
#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::storage {

class SqliteDeliveryClaims final : public DeliveryClaims {
 public:
  // Fails when another process holds the delivery lock (a running `hookgate serve`).
  static std::unique_ptr<SqliteDeliveryClaims> open(EventStore& store, std::string& error);
  ~SqliteDeliveryClaims() override;

  [[nodiscard]] std::vector<DueDelivery> claim_due(const std::string& destination, int64_t now_ms, size_t limit,
                                                   int64_t lease_until_ms,
                                                   const std::vector<int64_t>& in_flight) override;
  [[nodiscard]] std::optional<DueDelivery> claim_fifo_head(const std::string& destination, int64_t now_ms,
                                                           int64_t lease_until_ms,
                                                           std::optional<int64_t>& due_at_ms) override;
  [[nodiscard]] std::optional<int64_t> next_due_at(const std::string& destination) override;
  [[nodiscard]] std::vector<std::string> owned_destinations(const std::vector<std::string>& configured,
                                                            int64_t) override {
    return configured;
  }
  [[nodiscard]] int wake_fd() override { return -1; }
  [[nodiscard]] std::vector<std::string> take_wakeups() override { return {}; }

 private:
  // Where the last claim of a destination stopped, in due order. Rows before it are in flight
  // (they read as pending while their leases are held back), so a claim reads on from it
  // instead of stepping over them all again. A row can still land behind it (a replay, or an
  // event whose commit overtook an older one's), so a claim reads from the start again once the
  // rows after it run out, and at least every kFullScanEveryMs.
  struct ClaimCursor {
    int64_t next_attempt_at_ms = 0;
    int64_t delivery_id = 0;
    int64_t full_scan_at_ms = 0;
    bool valid = false;
  };

  explicit SqliteDeliveryClaims(EventStore& store) : store_(store) {}
  DueDelivery read_row(Statement& stmt) const;
  // Steps `stmt` (bound, LIMIT included) and appends the rows neither in flight nor in `rows`.
  void take_rows(Statement& stmt, size_t limit, const std::vector<int64_t>& in_flight,
                 std::vector<DueDelivery>& rows) const;

  EventStore& store_;
  int lock_fd_ = -1;
  DatabaseHandle db_;
  Statement due_, due_after_, fifo_head_, next_due_;
  std::unordered_map<std::string, ClaimCursor> cursors_;
};

}  // namespace hookgate::storage
