// DeliveryClaims on a PostgreSQL database that several nodes share.
// - Claims: one statement picks due rows with FOR UPDATE SKIP LOCKED and leases them, so two
//   nodes never hold the same delivery; a dead node's leases expire (on the database's clock)
//   and any node's lease recovery returns them to pending.
// - Ownership: each destination is delivered by one node at a time (table
//   destination_owners, a lease renewed every few seconds), so its concurrency, rate limit,
//   circuit breaker and FIFO order hold across nodes as on one. A node takes free or expired
//   destinations up to its share (destinations / live nodes) and gives back what is over it.
// - Wake-ups: a second connection LISTENs on hookgate_deliveries; writers NOTIFY the
//   destinations of every batch they commit.
// Delivery loop thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/delivery_claims.h"
#include "storage/postgres/pg_connection.h"
#include "storage/store_location.h"

namespace hookgate::storage {

class PgDeliveryClaims final : public DeliveryClaims {
 public:
  // How long a destination's ownership (and a node's liveness) lasts without renewal, on the
  // database's clock: a dead node's destinations pass to others after at most this long.
  static constexpr int64_t kOwnershipLeaseMs = 15'000;

  static std::unique_ptr<PgDeliveryClaims> open(const StoreLocation& location, std::string& error,
                                                int64_t ownership_lease_ms = kOwnershipLeaseMs);

  [[nodiscard]] std::vector<DueDelivery> claim_due(const std::string& destination, int64_t now_ms, size_t limit,
                                                   int64_t lease_until_ms,
                                                   const std::vector<int64_t>& in_flight) override;
  [[nodiscard]] std::optional<DueDelivery> claim_fifo_head(const std::string& destination, int64_t now_ms,
                                                           int64_t lease_until_ms,
                                                           std::optional<int64_t>& due_at_ms) override;
  [[nodiscard]] std::optional<int64_t> next_due_at(const std::string& destination) override;
  [[nodiscard]] std::vector<std::string> owned_destinations(const std::vector<std::string>& configured,
                                                            int64_t now_ms) override;
  void release() override;
  [[nodiscard]] int wake_fd() override;
  [[nodiscard]] std::vector<std::string> take_wakeups() override;

  [[nodiscard]] const std::string& node() const { return node_; }

 private:
  PgDeliveryClaims(std::string url, int64_t ownership_lease_ms);
  [[nodiscard]] bool connected();  // the claims connection, reconnecting when broken
  void listen();                   // the LISTEN connection, when there is none
  [[nodiscard]] PgResult exec(const std::string& sql, const PgParams& params);

  std::string url_;
  int64_t ownership_lease_ms_;
  std::string node_;  // host:pid:random, unique per process start
  PgConn conn_;
  PgConn listener_;
  std::vector<std::string> owned_;  // as of the last owned_destinations()
};

}  // namespace hookgate::storage
