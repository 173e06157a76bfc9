#include "storage/sqlite/wal_checkpointer.h"

#include <pthread.h>

namespace hookgate::storage {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(sqlite3* writer, const std::string& path,
                                                        const std::string& vfs, std::string& error) {
  DatabaseHandle own = open_database(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, error, vfs);
  if (!own) return nullptr;
  // Its passes must not wait on the writer's locks: PASSIVE copies what it can and returns.
  // A connection checkpoints only once it has read the database and so opened its WAL.
  if (exec(own.get(), "PRAGMA busy_timeout=0; SELECT count(*) FROM sqlite_schema", &error) != SQLITE_OK) {
    error = "cannot open the checkpoint connection: " + error;
    return nullptr;
  }
  std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(writer, std::move(own)));
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, checkpointer.get());
  checkpointer->thread_ = std::thread([raw = checkpointer.get()] {
    pthread_setname_np(pthread_self(), "hg-checkpoint");
    raw->run();
  });
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(sqlite3* writer, DatabaseHandle own) : writer_(writer), own_(std::move(own)) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  pass_done_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Back to SQLite's own behaviour for whatever the writer still commits.
  sqlite3_wal_autocheckpoint(writer_, kRequestFrames);
}

CheckpointStats WalCheckpointer::stats() const {
  return {background_.load(), inline_.load(), forced_.load()};
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int frames) {
  static_cast<WalCheckpointer*>(self)->after_commit(frames);
  return SQLITE_OK;  // a failed checkpoint is retried at the next crossing; never fails a commit
}

void WalCheckpointer::after_commit(int frames) {
  if (frames < kRequestFrames) return;
  bool finish = frames >= kForceFrames;
  if (finish) forced_.fetch_add(1, std::memory_order_relaxed);
  {
    std::unique_lock lock(mutex_);
    if (phase_ == Phase::done) finish = true;
    if (!finish) {
      if (phase_ == Phase::idle) {
        phase_ = Phase::requested;
        wake_.notify_one();
      }
      return;
    }
    // Forced: a pass of the thread's would make ours SQLITE_BUSY; let it end first.
    pass_done_.wait(lock, [this] { return stopping_ || phase_ != Phase::requested; });
  }
  // On the writer's connection, between its transactions: what is left to copy is small unless
  // forced. SQLITE_BUSY (the thread is mid-pass) only leaves the rest for the next crossing.
  int log = 0, copied = 0;
  if (sqlite3_wal_checkpoint_v2(writer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK) {
    inline_.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    if (phase_ == Phase::done) phase_ = Phase::idle;
  }
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || phase_ == Phase::requested; });
    if (stopping_) return;
    lock.unlock();
    int log = 0, copied = 0;
    (void)sqlite3_wal_checkpoint_v2(own_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    background_.fetch_add(1, std::memory_order_relaxed);
    lock.lock();
    phase_ = Phase::done;
    pass_done_.notify_all();
  }
}

}  // namespace hookgate::storage
