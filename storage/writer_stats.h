// The store writer's counters, read by /metrics, readiness and the shutdown line.
#pragma once

#include <cstdint>

namespace hookgate::storage {

// SQLite WAL checkpoints (sqlite/wal_checkpointer.h); zero on PostgreSQL.
struct CheckpointStats {
  uint64_t background = 0;  // passes by the checkpoint thread
  uint64_t inline_ = 0;     // finishing passes on the writer's connection
  uint64_t forced = 0;      // of those, past kForceFrames
};

struct WriterStats {
  uint64_t batches = 0;          // committed transactions
  uint64_t events_stored = 0;
  uint64_t duplicates = 0;
  uint64_t failed_batches = 0;   // rolled back; their events answered `failed`
  uint64_t events_failed = 0;    // in failed batches, or refused at max_size
  uint64_t max_batch_size = 0;
  uint64_t commit_micros_total = 0;  // wall time spent in BEGIN..COMMIT
  // False while the store cannot write (disk full, I/O error, database unreachable), until a
  // batch commits or the idle writer finds the database writable again.
  bool last_batch_committed = true;
  // True from a batch that refused an event at storage.max_size until an event is stored or the
  // writer, idle, sees the space freed (retention runs on its own connection).
  bool at_max_size = false;
  CheckpointStats checkpoints;
};

}  // namespace hookgate::storage
