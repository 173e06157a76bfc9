// The delivery engine's read side: which deliveries are due, with what they carry. Uses its
// own read-only connection (WAL lets it read beside the writer). One thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite_handle.h"

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

class DeliveryReader {
 public:
  static std::unique_ptr<DeliveryReader> open(const std::string& path, std::string& error);

  // Pending deliveries of `destination` due at `now_ms`, oldest due first, at most `limit`,
  // skipping the ids in `skip` (already being attempted by the caller).
  [[nodiscard]] std::vector<DueDelivery> due(const std::string& destination, int64_t now_ms, size_t limit,
                                             const std::vector<int64_t>& skip);

  // The oldest pending delivery of `destination` by insertion (FIFO head), due or not.
  [[nodiscard]] std::optional<DueDelivery> fifo_head(const std::string& destination);

  // When the next pending delivery of `destination` becomes due; nullopt when none is pending.
  [[nodiscard]] std::optional<int64_t> next_due_at(const std::string& destination);

  // Number of pending deliveries of `destination`, and the received_at of the oldest.
  struct Backlog {
    int64_t pending = 0;
    std::optional<int64_t> oldest_received_at_ms;
  };
  [[nodiscard]] Backlog backlog(const std::string& destination);

 private:
  DeliveryReader() = default;
  DueDelivery read_row(Statement& stmt) const;

  DatabaseHandle db_;
  Statement due_, fifo_head_, next_due_, backlog_;
};

}  // namespace hookgate::storage
