// Keeps WAL checkpoints off the writer's critical path.
//
// SQLite's default checkpoints inside the COMMIT that crosses 1000 WAL frames: the writer copies
// every page to the database file and fsyncs it while requests wait for their ack (the
// commit-time spikes behind ingest's p99). Here the writer's WAL hook only asks; a thread with
// its own connection does the bulk copy (PASSIVE: it never blocks the writer). Once it has
// finished, the writer's next crossing runs a PASSIVE checkpoint itself, which copies only the
// frames committed since, so the WAL is fully backfilled and restarts from its beginning at the
// next transaction (a checkpoint on another connection races each commit and never gets there
// under steady load). Past kForceFrames the writer checkpoints whatever the thread is doing,
// first waiting for a pass the thread has under way (two checkpoints cannot run at once, and
// a busy one would leave the WAL growing for as long as the thread is starved of CPU or I/O):
// the WAL stays bounded even if the thread falls behind, at the price of that one wait.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite/sqlite_handle.h"
#include "storage/writer_stats.h"

namespace hookgate::storage {

class WalCheckpointer {
 public:
  static constexpr int kRequestFrames = 1000;  // SQLite's own autocheckpoint threshold
  static constexpr int kForceFrames = 8000;    // ~32 MiB of WAL at 4 KiB pages

  // Opens the thread's connection (same file, same VFS) and installs the hook on `writer`,
  // which replaces SQLite's autocheckpoint there. Null with `error` on failure.
  static std::unique_ptr<WalCheckpointer> start(sqlite3* writer, const std::string& path, const std::string& vfs,
                                                std::string& error);
  ~WalCheckpointer();  // stops the thread and removes the hook
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  [[nodiscard]] CheckpointStats stats() const;

 private:
  enum class Phase { idle, requested, done };

  WalCheckpointer(sqlite3* writer, DatabaseHandle own);
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void after_commit(int frames);  // writer thread
  void run();

  sqlite3* writer_;
  DatabaseHandle own_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable pass_done_;  // the thread finished a pass (phase_ left `requested`)
  Phase phase_ = Phase::idle;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_
  std::atomic<uint64_t> background_{0}, inline_{0}, forced_{0};
  std::thread thread_;
};

}  // namespace hookgate::storage
