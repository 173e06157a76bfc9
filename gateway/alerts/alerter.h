// Sends alerts: each becomes an event of source "hookgate.alerts", stored with one pending
// delivery per destination that wants its kind, so it is signed, retried and kept like any
// delivery, and never waits on anything: raise() only queues it with the store's writer (a
// full queue or store drops it, counted). One event per body format.
//
// Threading: raise(), reconfigure() and stats() from any thread.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>

#include "config/config.h"
#include "gateway/alerts/alert.h"
#include "gateway/alerts/alert_throttle.h"
#include "gateway/loop/clock.h"
#include "storage/event_store.h"

namespace hookgate::gateway::alerts {

// Counters by kind, read by /metrics and tests.
struct AlertStats {
  std::array<std::atomic<uint64_t>, config::kAlertKindCount> raised{};     // raise() calls
  std::array<std::atomic<uint64_t>, config::kAlertKindCount> stored{};     // alert events committed
  std::array<std::atomic<uint64_t>, config::kAlertKindCount> held_back{};  // by repeat_after
  std::array<std::atomic<uint64_t>, config::kAlertKindCount> dropped{};    // the store refused them
};

class Alerter {
 public:
  // `config` may have no alerts section: raise() then only counts.
  Alerter(std::shared_ptr<const config::Config> config, storage::EventStore& store, const loop::Clock& clock);

  void raise(Alert alert);
  void reconfigure(std::shared_ptr<const config::Config> config);
  [[nodiscard]] const AlertStats& stats() const { return stats_; }
  // Whether any target wants `kind` (so callers can skip building an alert).
  [[nodiscard]] bool wanted(config::AlertKind kind) const;

 private:
  void submit(const Alert& alert, config::AlertFormat format, std::vector<std::string> destinations,
              int64_t now_ms, uint64_t held_back);

  mutable std::mutex mutex_;  // guards config_ and throttle_
  std::shared_ptr<const config::Config> config_;
  AlertThrottle throttle_;
  storage::EventStore& store_;
  const loop::Clock& clock_;
  AlertStats stats_;
};

}  // namespace hookgate::gateway::alerts
