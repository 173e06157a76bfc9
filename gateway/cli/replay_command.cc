// `hookgate replay`: reschedule deliveries matching a filter. A running server picks them up
// within a second; with --deliver, and no server running, this process delivers them itself.
#include <event2/thread.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "config/config.h"
#include "gateway/cli/commands.h"
#include "gateway/delivery/delivery_engine.h"
#include "gateway/loop/clock.h"
#include "gateway/store/event_filter_options.h"
#include "gateway/store/store_options.h"
#include "storage/store_space.h"

namespace hookgate::gateway::cli {
namespace {

// A progress bar on a terminal, a plain line per step otherwise.
class Progress {
 public:
  Progress(std::string label, size_t total) : label_(std::move(label)), total_(total), tty_(isatty(STDERR_FILENO)) {}
  void update(size_t done) {
    if (total_ == 0) return;
    if (tty_) {
      const int width = 30;
      const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total_) * width);
      std::fprintf(stderr, "\r%s [%.*s%*s] %zu/%zu", label_.c_str(), filled, "##############################",
                   width - filled, "", done, total_);
      if (done >= total_) std::fprintf(stderr, "\n");
    } else if (done >= total_ || done - last_ >= total_ / 10 + 1) {
      std::fprintf(stderr, "%s: %zu/%zu\n", label_.c_str(), done, total_);
      last_ = done;
    }
  }

 private:
  std::string label_;
  size_t total_;
  bool tty_;
  size_t last_ = 0;
};

// The in-process delivery of `replay --deliver`: a store writer and a delivery engine, started
// before anything is rescheduled so that a running server (which holds the delivery lock)
// makes the command fail without changing anything.
class LocalDelivery {
 public:
  bool start(const std::shared_ptr<const config::Config>& config, std::string& error) {
    if (sodium_init() < 0 || evthread_use_pthreads() != 0) {
      error = "cannot initialise libsodium or libevent threading";
      return false;
    }
    store_ = storage::EventStore::open(store::store_options(config->storage), error);
    if (!store_) return false;
    engine_ = std::make_unique<delivery::DeliveryEngine>(config, *store_, clock_);
    if (!engine_->start(error)) return false;
    queries_ = storage::EventQueries::open(store::store_location(config->storage), true, error);
    return queries_ != nullptr;
  }

  // Waits until none of `ids` is due any more (delivered, dead, or waiting for a later retry).
  void wait_for(const std::vector<int64_t>& ids) {
    const std::set<int64_t> wanted(ids.begin(), ids.end());
    Progress progress("delivering", ids.size());
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      storage::EventFilter all;
      all.limit = 0;
      size_t settled = 0, delivered = 0, dead = 0;
      const int64_t now = clock_.now_unix_ms();
      for (const auto& d : queries_->replay_candidates(all)) {
        if (!wanted.count(d.id)) continue;
        const bool due = (d.state == "pending" && d.next_attempt_at_ms && *d.next_attempt_at_ms <= now + 1000) ||
                         d.state == "inflight";
        if (!due) ++settled;
        if (d.state == "delivered") ++delivered;
        if (d.state == "dead") ++dead;
      }
      progress.update(settled);
      if (settled >= wanted.size()) {
        std::printf("delivered %zu, dead %zu, waiting for a later retry %zu\n", delivered, dead,
                    settled - delivered - dead);
        return;
      }
    }
  }

  ~LocalDelivery() {
    if (engine_) engine_->stop(std::chrono::seconds(5));
    if (store_) store_->close();
  }

 private:
  loop::SystemClock clock_;
  std::unique_ptr<storage::EventStore> store_;
  std::unique_ptr<delivery::DeliveryEngine> engine_;
  std::unique_ptr<storage::EventQueries> queries_;
};

}  // namespace

int run_replay(const ReplayOptions& options) {
  const config::LoadResult loaded = config::load_config(options.config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
    return 1;
  }
  const auto& config = *loaded.config;
  loop::SystemClock clock;
  storage::EventFilter filter;
  std::string error;
  if (!store::to_event_filter(options.filter, clock.now_unix_ms(), filter, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  if (filter.source && !config.source_by_name(*filter.source)) {
    std::fprintf(stderr, "--source: no source named '%s' in %s\n", filter.source->c_str(), options.config_path.c_str());
    return 2;
  }
  if (filter.destination && !config.destination_by_name(*filter.destination)) {
    std::fprintf(stderr, "--destination: no destination named '%s' in %s\n", filter.destination->c_str(),
                 options.config_path.c_str());
    return 2;
  }
  auto queries = storage::EventQueries::open(store::store_location(config.storage), options.dry_run, error);
  if (!queries) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  // The writer refuses new events once the store is at storage.max_size, keeping a reserve
  // for the bookkeeping of deliveries already under way. A replay would spend that reserve on
  // attempts of its own (and, with --deliver, write them itself), so it is refused the same way.
  const auto space = storage::read_store_space(store::store_options(config.storage), error);
  if (!space) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  const auto candidates = queries->replay_candidates(filter);
  std::set<int64_t> events;
  std::vector<int64_t> ids;
  for (const auto& d : candidates) ids.push_back(d.id);
  std::printf("%zu deliveries would be replayed\n", candidates.size());
  if (options.dry_run) {
    std::printf("%-10s %-16s %-10s %-8s %-7s %s\n", "DELIVERY", "DESTINATION", "STATE", "ATTEMPTS", "STATUS", "LAST ERROR");
    for (size_t i = 0; i < candidates.size() && i < 20; ++i) {
      const auto& d = candidates[i];
      std::printf("%-10lld %-16s %-10s %-8lld %-7s %s\n", static_cast<long long>(d.id), d.destination.c_str(),
                  d.state.c_str(), static_cast<long long>(d.attempts),
                  d.last_status ? std::to_string(*d.last_status).c_str() : "-", d.last_error.c_str());
    }
    if (candidates.size() > 20) std::printf("… and %zu more\n", candidates.size() - 20);
    if (space->at_max_size) std::printf("the store is at storage.max_size: a replay would be refused\n");
    std::printf("dry run: nothing changed\n");
    return 0;
  }
  if (candidates.empty()) return 0;
  if (space->at_max_size) {
    std::fprintf(stderr,
                 "replay refused: the store is at storage.max_size (%llu KiB in use, new work stops at %llu KiB); "
                 "nothing changed. Let retention free space, or raise storage.max_size and restart the server\n",
                 static_cast<unsigned long long>(space->used_bytes / 1024),
                 static_cast<unsigned long long>(space->limit_bytes / 1024));
    return 1;
  }
  LocalDelivery local;
  if (options.deliver && !local.start(loaded.config, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  Progress progress("scheduling", ids.size());
  const int64_t changed = queries->reschedule(ids, clock.now_unix_ms(), error, [&](size_t done) { progress.update(done); });
  if (changed < 0) {
    std::fprintf(stderr, "replay failed: %s\n", error.c_str());
    return 1;
  }
  std::printf("scheduled %lld deliveries; they keep their webhook-id\n", static_cast<long long>(changed));
  if (options.deliver) {
    local.wait_for(ids);
    return 0;
  }
  std::printf("a running `hookgate serve` starts them within a second (or run again with --deliver)\n");
  return 0;
}

}  // namespace hookgate::gateway::cli
