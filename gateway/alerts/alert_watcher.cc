#include "gateway/alerts/alert_watcher.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "gateway/store/store_options.h"
#include "storage/store_space.h"

namespace hookgate::gateway::alerts {
namespace {

constexpr int64_t kTickMs = 1'000;
constexpr uint64_t kStoreEveryTicks = 10;

uint64_t rejected_total(const ingest::SourceStats& stats) {
  uint64_t total = 0;
  for (const auto& count : stats.rejected) total += count.load(std::memory_order_relaxed);
  return total;
}

}  // namespace

AlertWatcher::AlertWatcher(std::shared_ptr<const config::Config> config, const ingest::IngestPipeline& pipeline,
                           Alerter& alerter, const loop::Clock& clock)
    : config_(std::move(config)), pipeline_(pipeline), alerter_(alerter), clock_(clock) {}

AlertWatcher::~AlertWatcher() { stop(); }

void AlertWatcher::start_windows(const config::Config& config, int64_t now_ms) {
  rejections_.clear();
  if (!config.alerts) return;
  for (const auto& source : config.sources) {
    const ingest::SourceStats* stats = pipeline_.source_stats(source.name);
    auto [it, added] = rejections_.try_emplace(source.name, config.alerts->rejection_percent,
                                               config.alerts->rejection_window.count(),
                                               config.alerts->rejection_min_requests);
    (void)it->second.observe(now_ms, stats ? stats->received.load() : 0, stats ? rejected_total(*stats) : 0);
  }
}

void AlertWatcher::start() {
  {
    const std::lock_guard ticking(tick_mutex_);
    start_windows(*config_, clock_.now_unix_ms());
  }
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hg-alerts");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(kTickMs));
      if (stopping_) break;
      lock.unlock();
      tick(clock_.now_unix_ms());
      lock.lock();
    }
  });
}

void AlertWatcher::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertWatcher::reconfigure(std::shared_ptr<const config::Config> config) {
  const std::lock_guard ticking(tick_mutex_);
  const std::lock_guard lock(mutex_);
  config_ = std::move(config);
  start_windows(*config_, clock_.now_unix_ms());  // new thresholds, fresh windows
}

void AlertWatcher::tick(int64_t now_ms) {
  const std::lock_guard ticking(tick_mutex_);
  std::shared_ptr<const config::Config> config;
  {
    const std::lock_guard lock(mutex_);
    config = config_;
  }
  if (!config->alerts) return;
  const config::AlertsConfig& settings = *config->alerts;
  if (alerter_.wanted(config::AlertKind::source_rejections)) {
    for (const auto& source : config->sources) {
      const ingest::SourceStats* stats = pipeline_.source_stats(source.name);
      const auto it = rejections_.find(source.name);
      if (stats == nullptr || it == rejections_.end()) continue;
      const auto crossing = it->second.observe(now_ms, stats->received.load(std::memory_order_relaxed), rejected_total(*stats));
      if (!crossing) continue;
      const uint64_t percent = crossing->requests ? crossing->rejected * 100 / crossing->requests : 0;
      Alert alert{.kind = config::AlertKind::source_rejections,
                  .subject = source.name,
                  .summary = "source " + source.name + " refused " + std::to_string(crossing->rejected) + " of " +
                             std::to_string(crossing->requests) + " requests (" + std::to_string(percent) +
                             "%) in the last " + std::to_string(settings.rejection_window.count() / 1000) +
                             " s: a secret rotated on one side only?",
                  .fields = {{"requests", std::to_string(crossing->requests)},
                             {"rejected", std::to_string(crossing->rejected)},
                             {"window_seconds", std::to_string(settings.rejection_window.count() / 1000)}}};
      alerter_.raise(std::move(alert));
    }
  }
  if (config->storage.max_size > 0 && ticks_++ % kStoreEveryTicks == 0 &&
      alerter_.wanted(config::AlertKind::store_nearly_full)) {
    std::string error;
    const auto space = storage::read_store_space(store::store_options(config->storage), error);
    if (!space) {
      spdlog::warn("alerts: cannot read the store's size: {}", error);
      return;
    }
    const uint64_t threshold = config->storage.max_size / 100 * settings.store_usage_percent;
    if (store_level_.observe(space->used_bytes, threshold)) {
      const uint64_t percent = space->used_bytes * 100 / config->storage.max_size;
      Alert alert{.kind = config::AlertKind::store_nearly_full,
                  .subject = "",
                  .summary = "the store uses " + std::to_string(percent) + "% of storage.max_size (" +
                             std::to_string(space->used_bytes) + " of " + std::to_string(config->storage.max_size) +
                             " bytes); new events are refused with 503 near the limit",
                  .fields = {{"used_bytes", std::to_string(space->used_bytes)},
                             {"max_size_bytes", std::to_string(config->storage.max_size)}}};
      alerter_.raise(std::move(alert));
    }
  }
}

}  // namespace hookgate::gateway::alerts
