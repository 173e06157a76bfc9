// Applies storage.retention: a thread that purges finished events older than the retention
// every `interval`, in batches, and counts what it removed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/loop/clock.h"
#include "storage/retention.h"
#include "storage/store_location.h"

namespace hookgate::gateway::store {

class RetentionSweeper {
 public:
  RetentionSweeper(storage::StoreLocation location, std::chrono::milliseconds retention, const loop::Clock& clock);
  ~RetentionSweeper();  // stop()s

  // Opens its connection and starts the thread. The interval is a tenth of the retention,
  // between 1 s and 5 min.
  [[nodiscard]] bool start(std::string& error);
  void stop();

  [[nodiscard]] uint64_t purged() const { return purged_.load(); }

 private:
  void run();

  storage::StoreLocation location_;
  std::chrono::milliseconds retention_;
  const loop::Clock& clock_;
  std::unique_ptr<storage::RetentionPurger> purger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<uint64_t> purged_{0};
};

}  // namespace hookgate::gateway::store
