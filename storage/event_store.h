// The event store's write side: a single writer thread that commits queued operations in
// groups (one transaction, and on SQLite one fsync, per batch) through a backend (SQLite or
// PostgreSQL, write_batch.h), and then tells each caller its outcome.
//
// Thread-safety: submit*() and stats() may be called from any thread. Completions run on the
// writer thread, after the batch's COMMIT returned (the record is durable) or failed; they must
// be quick and must not call submit() synchronously.
#pragma once

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
#include <vector>

#include "storage/held_leases.h"
#include "storage/store_location.h"
#include "storage/write_batch.h"
#include "storage/writer_stats.h"

namespace hookgate::storage {

// Called on the writer thread after a commit that created pending deliveries, with the
// destinations that got some (each once). The delivery engine wakes those queues.
using DeliveryObserver = std::function<void(const std::vector<std::string>& destinations)>;

enum class Durability { full, normal };

struct StoreOptions : StoreLocation {
  Durability durability = Durability::full;  // SQLite's synchronous mode
  uint32_t max_batch = 1024;
  uint32_t queue_limit = 16384;
  // SQLite: how long a commit waits for a lock held by another process (e.g. `hookgate replay`)
  // before the batch fails and its events are answered 503.
  uint32_t busy_timeout_ms = 5000;
  // storage.max_size (SQLite): a cap on the database in bytes, 0 = none. Applied on open as
  // PRAGMA max_page_count (whole pages; SQLite never sets it below the file's current size).
  // New events are refused (`failed`) once the pages in use reach the cap minus a reserve
  // (1/16 of it, at least 16 pages); attempts, leases and secrets may use the reserve, so
  // deliveries still finish and retention can free space while ingest answers 503.
  uint64_t max_size_bytes = 0;
  // How long a lease write waits for the attempt's record before it is written (held_leases.h):
  // an attempt that ends sooner goes from pending to its result in one write. Zero: every
  // lease is written in the next transaction.
  std::chrono::milliseconds lease_hold{200};
  // The SQLite VFS the writer connection opens the file through; empty = the default one.
  // Tests inject I/O faults through a VFS of their own.
  std::string vfs;
};

// Told after every writer transaction, on the writer thread: how many operations it held
// (events, attempts, leases…), how long BEGIN..COMMIT took, and whether it committed. For
// histograms; must be quick.
using BatchObserver = std::function<void(size_t operations, std::chrono::microseconds duration, bool committed)>;

class EventStore {
 public:
  // Opens the backend `options` names (SQLite file or PostgreSQL URL), migrates its schema and
  // starts the writer thread. Returns null with `error` set on failure.
  static std::unique_ptr<EventStore> open(const StoreOptions& options, std::string& error);
  EventStore(const StoreOptions& options, std::unique_ptr<WriterBackend> backend);
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
  // Written once held for options.lease_hold, and not at all for a delivery whose attempt
  // record comes first (that record sets its state in the same transaction).
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
  // Where the store is (the PostgreSQL URL inside may hold a password: use display()).
  [[nodiscard]] const StoreLocation& location() const { return options_; }

 private:
  bool enqueue(Pending pending, bool is_event);
  void run();
  [[nodiscard]] bool unhealthy() const;
  void probe();  // writer thread, idle and unhealthy: asks the backend whether it recovered
  void commit_batch(std::vector<Pending>& batch);

  StoreOptions options_;
  std::unique_ptr<WriterBackend> backend_;  // writer thread only, once the thread runs
  std::vector<std::pair<std::string, std::string>> handshake_secrets_;  // as of open()

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  size_t queued_events_ = 0;  // the part of queue_ that counts against queue_limit
  bool closing_ = false;
  DeliveryObserver delivery_observer_;
  BatchObserver batch_observer_;
  std::thread thread_;
  HeldLeases held_leases_;  // writer thread only

  mutable std::mutex stats_mutex_;
  WriterStats stats_;
};


}  // namespace hookgate::storage
