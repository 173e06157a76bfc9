// Raises the alerts that come from counters rather than events: a source's rejection rate
// (RejectionWatch over its verification refusals) and the store's use of storage.max_size
// (LevelWatch). Samples once a second on a thread of its own, the store every tenth tick (a
// read-only connection's page counts), so nothing on the ingest or delivery path waits for it.
//
// Threading: start(), stop() and reconfigure() from the control thread.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "config/config.h"
#include "gateway/alerts/alerter.h"
#include "gateway/alerts/threshold_watch.h"
#include "gateway/ingest/ingest_pipeline.h"

namespace hookgate::gateway::alerts {

class AlertWatcher {
 public:
  AlertWatcher(std::shared_ptr<const config::Config> config, const ingest::IngestPipeline& pipeline, Alerter& alerter,
               const loop::Clock& clock);
  ~AlertWatcher();  // stop()s

  void start();
  void stop();
  void reconfigure(std::shared_ptr<const config::Config> config);

  // One sample of every watch at `now_ms`; the thread calls it each second (tests may too).
  void tick(int64_t now_ms);

 private:
  // New windows for the config's sources, based on their totals now (so a reload does not
  // count requests from before it). Under tick_mutex_.
  void start_windows(const config::Config& config, int64_t now_ms);

  std::mutex mutex_;       // guards config_ and stopping_
  std::mutex tick_mutex_;  // guards the watches: tick() holds it
  std::condition_variable wake_;
  std::shared_ptr<const config::Config> config_;
  const ingest::IngestPipeline& pipeline_;
  Alerter& alerter_;
  const loop::Clock& clock_;
  std::map<std::string, RejectionWatch> rejections_;  // by source
  LevelWatch store_level_;
  uint64_t ticks_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hookgate::gateway::alerts
