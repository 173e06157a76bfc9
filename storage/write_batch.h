// What the store's writer commits: the records callers submit, and the batch a backend writes
// in one transaction. Shared by the group-commit writer (event_store.h) and the backends.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "storage/writer_stats.h"

namespace hookgate::storage {

// The dedupe key of an event whose vendor sends no event id: a digest of the fields its source
// names (verify/content_key.h), live until `expires_at_ms`. While it is live, another event of
// the source with the same digest is a duplicate of the one stored under it; once it expired,
// the next such event is stored and takes the key over. Expired keys are deleted as new ones
// come, so the table holds about one window's worth of keys.
struct ContentKey {
  std::string digest;         // raw bytes (SHA-256: 32)
  int64_t expires_at_ms = 0;  // unix ms: received_at + the source's window
};

struct NewEvent {
  std::string public_id;                       // "evt_…", unique, chosen by the caller
  std::string source;
  std::optional<std::string> vendor_event_id;  // dedupe key within the source
  std::optional<ContentKey> content_key;       // only without a vendor_event_id; neither = never a duplicate
  std::optional<std::string> event_type;
  int64_t received_at_ms = 0;                  // unix ms; also the first delivery's due time
  std::string method;
  std::string path;
  std::string query;
  std::string headers;                         // "Name: value\r\n" per header, as received
  std::string body;                            // raw bytes
  std::vector<std::string> destinations;       // one pending delivery row each
};

struct WriteOutcome {
  enum class Status {
    stored,     // committed and durable
    duplicate,  // (source, vendor_event_id), or a live content key, was already stored; nothing written
    failed,     // the batch could not be committed (disk full, I/O error, database down), or the
                // store is at max_size: nothing written, nothing acked
  };
  Status status = Status::failed;
  std::string public_id;  // stored: the new event's; duplicate: the original event's
  int64_t event_id = 0;   // events.id (0 when failed)
};

using WriteCompletion = std::function<void(const WriteOutcome&)>;

// deliveries.state. The text values are on disk: never rename them.
// skipped: its transform script declined it (with the reason as the attempt's error).
enum class DeliveryState { pending, inflight, delivered, dead, cancelled, skipped };
[[nodiscard]] std::string_view to_string(DeliveryState state);

// One finished delivery attempt and what it decided for the delivery.
struct AttemptRecord {
  int64_t delivery_id = 0;
  int64_t started_at_ms = 0;             // unix ms
  int64_t duration_us = 0;
  int status = 0;                        // HTTP status; 0 when none was received
  std::string error;                     // empty when an HTTP status was received
  std::string response_excerpt;          // first bytes of the response body
  DeliveryState next_state = DeliveryState::pending;  // pending (retry), delivered or dead
  int64_t next_attempt_at_ms = 0;        // when next_state is pending
};

// Called on the writer thread after the commit (true) or rollback (false) of the batch.
using CommitCompletion = std::function<void(bool committed)>;

// The operations a batch holds, each with its caller's completion.
struct PendingEvent {
  NewEvent event;
  WriteCompletion done;
  WriteOutcome outcome;  // set by the backend inside the transaction
};
struct PendingAttempt {
  AttemptRecord attempt;
  CommitCompletion done;
};
struct PendingLeases {
  std::vector<int64_t> delivery_ids;
  int64_t lease_until_ms = 0;
  int64_t now_ms = 0;
};
struct PendingRecovery {
  int64_t now_ms = 0;
  CommitCompletion done;
};
struct PendingSecret {
  std::string source;
  std::string secret;
  int64_t created_at_ms = 0;
  CommitCompletion done;
};
using Pending = std::variant<PendingEvent, PendingAttempt, PendingLeases, PendingRecovery, PendingSecret>;

// A backend's writing connection, driven by the group-commit writer. Writer thread only.
class WriterBackend {
 public:
  virtual ~WriterBackend() = default;

  // Writes every operation of `batch` in one transaction and commits it. Sets each event's
  // outcome: stored, duplicate, or left `failed` when the backend refuses new events (SQLite at
  // storage.max_size) while the rest of the batch commits. Returns whether the transaction
  // committed; when it did not, nothing of the batch is durable.
  [[nodiscard]] virtual bool commit(std::vector<Pending>& batch) = 0;

  // Asked about once a second while the writer is idle, since nothing else may come to clear
  // the store's unhealthy flags (readiness turns traffic away while they are set):
  // while events are refused for space, has the space been freed (retention runs on its own
  // connection)? A backend that never refuses for space answers true.
  [[nodiscard]] virtual bool space_freed() = 0;
  // While the last batch failed, is the database writable again (reconnected)? A backend that
  // cannot tell without a batch (a local file) answers false, and the next batch tells.
  [[nodiscard]] virtual bool reconnected() = 0;
  // Asked about once a second while the writer is idle and healthy: is the database still
  // there? False marks the store failing (readiness off) until reconnected().
  [[nodiscard]] virtual bool alive() { return true; }

  // The handshake secrets stored when the backend was opened, by source.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> handshake_secrets() const = 0;

  // SQLite's WAL checkpoints; any thread.
  [[nodiscard]] virtual CheckpointStats checkpoints() const { return {}; }
};

}  // namespace hookgate::storage
