// The event store's write side: a single writer thread that commits queued events in groups
// (one transaction and one fsync per batch) and then tells each caller its outcome.
//
// Thread-safety: submit() and stats() may be called from any thread. Completions run on the
// writer thread, after the batch's COMMIT returned (the record is durable) or failed; they must
// be quick and must not call submit() synchronously.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "storage/sqlite_handle.h"
#include "storage/wal_checkpointer.h"

namespace hookgate::storage {

struct NewEvent {
  std::string public_id;                       // "evt_…", unique, chosen by the caller
  std::string source;
  std::optional<std::string> vendor_event_id;  // dedupe key within the source; none = never a duplicate
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
    duplicate,  // (source, vendor_event_id) was already stored; nothing written
    failed,     // the batch could not be committed (disk full, I/O error), or the store is at
                // max_size: nothing written, nothing acked
  };
  Status status = Status::failed;
  std::string public_id;  // stored: the new event's; duplicate: the original event's
  int64_t event_id = 0;   // rowid in events (0 when failed)
};

using WriteCompletion = std::function<void(const WriteOutcome&)>;

// deliveries.state. The text values are on disk: never rename them.
enum class DeliveryState { pending, inflight, delivered, dead, cancelled };
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
// Called on the writer thread after a commit that created pending deliveries, with the
// destinations that got some (each once). The delivery engine wakes those queues.
using DeliveryObserver = std::function<void(const std::vector<std::string>& destinations)>;

enum class Durability { full, normal };

struct StoreOptions {
  std::string path;
  Durability durability = Durability::full;
  uint32_t max_batch = 1024;
  uint32_t queue_limit = 16384;
  // How long a commit waits for a lock held by another process (e.g. `hookgate replay`)
  // before the batch fails and its events are answered 503.
  uint32_t busy_timeout_ms = 5000;
  // storage.max_size: a cap on the database in bytes, 0 = none. Applied on open as
  // PRAGMA max_page_count (whole pages; SQLite never sets it below the file's current size).
  // New events are refused (`failed`) once the pages in use reach the cap minus a reserve
  // (1/16 of it, at least 16 pages); attempts, leases and secrets may use the reserve, so
  // deliveries still finish and retention can free space while ingest answers 503.
  uint64_t max_size_bytes = 0;
  // The SQLite VFS the writer connection opens the file through; empty = the default one.
  // Tests inject I/O faults through a VFS of their own.
  std::string vfs;
};

struct WriterStats {
  uint64_t batches = 0;          // committed transactions
  uint64_t events_stored = 0;
  uint64_t duplicates = 0;
  uint64_t failed_batches = 0;   // rolled back; their events answered `failed`
  uint64_t events_failed = 0;     // in failed batches, or refused at max_size
  uint64_t max_batch_size = 0;
  uint64_t commit_micros_total = 0;  // wall time spent in COMMIT
  bool last_batch_committed = true;  // false while the store cannot write (disk full, I/O error)
  // True from a batch that refused an event at storage.max_size until an event is stored or the
  // writer, idle, sees the space freed (retention runs on its own connection).
  bool at_max_size = false;
  CheckpointStats checkpoints;  // WAL checkpoints (wal_checkpointer.h)
};

// Told after every writer transaction, on the writer thread: how many operations it held
// (events, attempts, leases…), how long BEGIN..COMMIT took, and whether it committed. For
// histograms; must be quick.
using BatchObserver = std::function<void(size_t operations, std::chrono::microseconds duration, bool committed)>;

class EventStore {
 public:
  // Opens the database (WAL, the chosen synchronous mode), migrates the schema and starts the
  // writer thread. Returns null with `error` set on failure.
  static std::unique_ptr<EventStore> open(const StoreOptions& options, std::string& error);
  ~EventStore();  // close()s
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Queues an event. Returns false, without calling `done`, when the queue is full or the
  // store is closed; the caller answers 503 and nothing is acked.
  [[nodiscard]] bool submit(NewEvent event, WriteCompletion done);

  // Records an attempt and the delivery's next state (attempts + 1). A delivery an operator
  // cancelled meanwhile keeps its state; the attempt row is still written. Never refused while
  // the store is open (attempts are bounded by delivery concurrency, not by queue_limit).
  [[nodiscard]] bool submit_attempt(AttemptRecord attempt, CommitCompletion done);

  // Marks pending deliveries inflight until `lease_until_ms`: another process will not start
  // them meanwhile. Fire and forget: a lease that fails to commit costs nothing but the mark.
  void submit_leases(std::vector<int64_t> delivery_ids, int64_t lease_until_ms, int64_t now_ms);

  // Returns inflight deliveries whose lease expired at `now_ms` (their process died) to pending.
  void submit_lease_recovery(int64_t now_ms, CommitCompletion done = nullptr);

  // Stores (or replaces) the secret a vendor handed over in a handshake for `source` (Asana's
  // X-Hook-Secret), through the writer like everything else; `done(true)` once durable. False,
  // without calling `done`, when the store is closed.
  [[nodiscard]] bool submit_handshake_secret(std::string source, std::string secret,
                                             int64_t created_at_ms, CommitCompletion done);
  // The handshake secret stored for `source` when the store was opened, if any. Secrets
  // submitted since are the caller's to remember. Thread-safe (immutable after open()).
  [[nodiscard]] std::optional<std::string> handshake_secret(const std::string& source) const;

  // Set before traffic starts; called as described at DeliveryObserver.
  void set_delivery_observer(DeliveryObserver observer);
  // Set before traffic starts; called as described at BatchObserver.
  void set_batch_observer(BatchObserver observer);

  // Stops taking events, commits everything already queued, then stops the thread. Idempotent.
  void close();

  [[nodiscard]] WriterStats stats() const;
  [[nodiscard]] size_t queue_depth() const;
  // WriterStats::at_max_size, for readiness.
  [[nodiscard]] bool at_max_size() const;

 private:
  struct PendingEvent {
    NewEvent event;
    WriteCompletion done;
    WriteOutcome outcome;
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
  struct Statements;

  explicit EventStore(const StoreOptions& options);
  [[nodiscard]] bool apply_max_size(std::string& error);
  [[nodiscard]] int64_t used_pages();  // inside the open transaction; -1 when unknown
  void recheck_max_size();             // writer thread, idle: clears at_max_size once below the cap
  bool enqueue(Pending pending, bool is_event);
  void run();
  void commit_batch(std::vector<Pending>& batch);
  // Each writes one operation inside the open transaction; SQLITE_OK or the error code.
  int write(PendingEvent& pending);
  int write(PendingAttempt& pending);
  int write(PendingLeases& pending);
  int write(PendingRecovery& pending);
  int write(PendingSecret& pending);

  StoreOptions options_;
  DatabaseHandle db_;
  std::unique_ptr<Statements> statements_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // before db_ closes, after thread_ stops
  int64_t event_page_limit_ = 0;  // 0: no max_size; else new events need used pages below it
  std::vector<std::pair<std::string, std::string>> handshake_secrets_;  // as of open()

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  size_t queued_events_ = 0;  // the part of queue_ that counts against queue_limit
  bool closing_ = false;
  DeliveryObserver delivery_observer_;
  BatchObserver batch_observer_;
  std::thread thread_;

  mutable std::mutex stats_mutex_;
  WriterStats stats_;
};

// The dedupe key stored in events.dedupe_key: a stable 63-bit FNV-1a hash of
// source + '\0' + vendor_event_id. Stable across builds and platforms: it is on disk.
[[nodiscard]] int64_t dedupe_key(std::string_view source, std::string_view vendor_event_id);

}  // namespace hookgate::storage
