// The delivery engine's side of the store: which deliveries are due, claimed with a lease so
// that no other process starts them meanwhile, and which destinations this process serves.
// Delivery loop thread only. Both backends implement it (open_store.h opens the right one).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hookgate::storage {

struct DueDelivery {
  int64_t delivery_id = 0;
  int64_t event_id = 0;
  int64_t attempts = 0;           // attempts made so far
  int64_t next_attempt_at_ms = 0;
  std::string public_id;          // sent as webhook-id
  std::string source;
  std::string event_type;
  int64_t received_at_ms = 0;
  std::string method;
  std::string headers;            // "Name: value\r\n" lines as received
  std::shared_ptr<const std::string> body;
};

class DeliveryClaims {
 public:
  virtual ~DeliveryClaims() = default;

  // Claims up to `limit` pending deliveries of `destination` due at `now_ms`, oldest due
  // first, each leased (state inflight) until `lease_until_ms`. `in_flight`: the ids this
  // process is attempting already (SQLite's leases are written behind the read).
  [[nodiscard]] virtual std::vector<DueDelivery> claim_due(const std::string& destination, int64_t now_ms,
                                                           size_t limit, int64_t lease_until_ms,
                                                           const std::vector<int64_t>& in_flight) = 0;

  // Strict order: the oldest delivery of `destination` still to make. Claimed as above when it
  // is pending and due; otherwise nothing is claimed, and `due_at_ms` is set when it waits for
  // its retry time (nullopt when nothing is pending or the head is held by another process).
  [[nodiscard]] virtual std::optional<DueDelivery> claim_fifo_head(const std::string& destination, int64_t now_ms,
                                                                   int64_t lease_until_ms,
                                                                   std::optional<int64_t>& due_at_ms) = 0;

  // When the next pending delivery of `destination` becomes due; nullopt when none is pending.
  [[nodiscard]] virtual std::optional<int64_t> next_due_at(const std::string& destination) = 0;

  // Of `configured`, the destinations this process delivers to now. SQLite: all (the process
  // holds the database's delivery lock). PostgreSQL: those whose ownership lease this node
  // holds, renewed, plus free or expired ones up to its share; call every few seconds.
  [[nodiscard]] virtual std::vector<std::string> owned_destinations(const std::vector<std::string>& configured,
                                                                    int64_t now_ms) = 0;

  // At a clean shutdown, once nothing is in flight: hands this process's destinations back at
  // once instead of letting their leases run out (PostgreSQL; nothing to do on SQLite).
  virtual void release() {}

  // A descriptor that becomes readable when another process committed due deliveries
  // (PostgreSQL LISTEN), or -1 when there is none (a one-second idle re-check finds them).
  [[nodiscard]] virtual int wake_fd() = 0;
  // Once wake_fd() is readable: the destinations named since the last call (each once; an
  // empty name means every destination, e.g. after a replay or when notifications were lost).
  [[nodiscard]] virtual std::vector<std::string> take_wakeups() = 0;
};

}  // namespace hookgate::storage
