#include "gateway/store/retention_sweeper.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace hookgate::gateway::store {
namespace {

constexpr int64_t kBatch = 500;  // events per transaction: milliseconds of writer lock at most

}  // namespace

RetentionSweeper::RetentionSweeper(storage::StoreLocation location, std::chrono::milliseconds retention,
                                   const loop::Clock& clock)
    : location_(std::move(location)), retention_(retention), clock_(clock) {}

RetentionSweeper::~RetentionSweeper() { stop(); }

bool RetentionSweeper::start(std::string& error) {
  purger_ = storage::RetentionPurger::open(location_, error);
  if (!purger_) return false;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hg-retention");
    run();
  });
  return true;
}

void RetentionSweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionSweeper::run() {
  const auto interval = std::clamp<std::chrono::milliseconds>(retention_ / 10, std::chrono::seconds(1), std::chrono::minutes(5));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const int64_t cutoff = clock_.now_unix_ms() - retention_.count();
    uint64_t swept = 0;
    for (;;) {
      std::string error;
      const int64_t deleted = purger_->purge_batch(cutoff, kBatch, error);
      if (deleted < 0) {
        spdlog::warn("retention: purge failed, will retry: {}", error);
        break;
      }
      swept += static_cast<uint64_t>(deleted);
      if (deleted < kBatch) break;
      std::lock_guard check(mutex_);
      if (stopping_) break;
    }
    if (swept > 0) {
      purged_ += swept;
      spdlog::info("retention: purged {} events older than {} s", swept, retention_.count() / 1000);
    }
    lock.lock();
    wake_.wait_for(lock, interval, [this] { return stopping_; });
  }
}

}  // namespace hookgate::gateway::store
