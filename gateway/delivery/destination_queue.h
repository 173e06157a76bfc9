// One destination's delivery queue: its own concurrency, rate limit, circuit breaker, FIFO
// option, pause switch and keep-alive pool, so a slow or failing destination never delays
// another. The queue itself lives in the store (pending deliveries); this object decides what
// to start when, claims it, and records every attempt through the store's writer. On a shared
// PostgreSQL database only the node that owns the destination starts anything (set_owned), so
// these limits hold across nodes.
//
// Loop thread only (the delivery engine's loop).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "config/config.h"
#include "gateway/alerts/alerter.h"
#include "gateway/delivery/circuit_breaker.h"
#include "gateway/delivery/trace_context.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/event_loop.h"
#include "gateway/metrics/histogram.h"
#include "gateway/outbound/http_client.h"
#include "storage/delivery_claims.h"
#include "storage/event_store.h"

struct evdns_base;

namespace hookgate::gateway::delivery {

struct TransformVerdict;

// Counters read by tests and /metrics from any thread. One per destination name for the
// engine's life: they survive reloads.
struct DestinationStats {
  std::atomic<uint64_t> attempts{0};
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> retried{0};
  std::atomic<uint64_t> dead{0};
  std::atomic<uint64_t> cancelled{0};   // by an operator (admin API)
  std::atomic<uint64_t> skipped{0};     // declined by a transform script
  // Transform runs that failed, by cause: [none] a runtime error or a malformed result, then
  // one per cap (transform::Breach order).
  std::array<std::atomic<uint64_t>, 4> transform_errors{};
  std::atomic<uint64_t> in_flight{0};
  std::atomic<bool> circuit_open{false};
  std::atomic<bool> paused{false};
  std::atomic<bool> disabled{false};    // by disable_after (stored; also paused until resumed)
  metrics::Histogram attempt_seconds{metrics::latency_bounds()};  // request written → response
};

struct QueueContext {
  loop::EventLoop& loop;
  evdns_base* dns;
  storage::EventStore& store;
  storage::DeliveryClaims& claims;
  const loop::Clock& clock;
  std::function<double()> jitter_draw;  // uniform in [0, 1)
  int64_t poll_interval_ms = 1000;      // idle re-check: rows written by other processes
  alerts::Alerter* alerter = nullptr;   // null: no alerts
  // A queue failed for its destination's disable_after and paused itself: store the state.
  std::function<void(const std::string& destination)> disabled;
};

class DestinationQueue {
 public:
  // `config` must stay valid until reconfigure() names another or the queue is destroyed.
  DestinationQueue(const config::DestinationConfig& config, QueueContext& context, DestinationStats& stats);
  ~DestinationQueue();

  // Starts every attempt that may start now, then arms the timer for the next moment one may.
  void pump();
  // Follows `stats.paused`, which any thread may set: pause() stops starting, resume() pumps
  // and starts disable_after's count afresh.
  void pause();
  void resume();
  // No new attempts; in-flight ones finish and are recorded.
  void stop_starting() { stopping_ = true; }
  void restart_starting() { stopping_ = false; }
  // Whether this process delivers to the destination now (see DeliveryClaims::
  // owned_destinations). Gaining it pumps; losing it starts nothing new, and attempts in
  // flight finish and are recorded.
  void set_owned(bool owned);
  [[nodiscard]] bool owned() const { return owned_; }
  // pump() once from the loop, however often asked before it runs.
  void pump_soon();

  // A reload: later attempts use `config`. Attempts in flight finish on the connections they
  // started on; a new endpoint, timeouts or TLS settings get a new pool for what follows.
  void reconfigure(const config::DestinationConfig& config);

  [[nodiscard]] size_t in_flight() const { return in_flight_.size(); }
  [[nodiscard]] const DestinationStats& stats() const { return stats_; }
  [[nodiscard]] const std::string& name() const { return config_->name; }

 private:
  static void on_timer(evutil_socket_t, short, void* self);
  void arm(int64_t at_ms, int64_t now_ms);
  void start(storage::DueDelivery delivery, int64_t now_ms);
  // A delivery its transform skipped or failed on: recorded without a request.
  void finish_untried(const storage::DueDelivery& delivery, int64_t started_at_ms, int64_t duration_us,
                      const TraceParent& trace, const TransformVerdict& verdict);
  // Writes `record` and takes its delivery out of in_flight_ once committed.
  void release_after(storage::AttemptRecord record);
  // `trace`: the attempt's traceparent (its parent-id is the attempt's id in the log line).
  void finish(const storage::DueDelivery& delivery, int64_t started_at_ms, const TraceParent& trace,
              const outbound::OutboundResult& result);
  [[nodiscard]] std::vector<storage::DueDelivery> claim(int64_t now_ms, size_t allowance, int64_t& wake_at_ms);
  // After each result: the breaker's transitions and disable_after, as alerts and state.
  // `what`: the attempt's status or error, for people.
  void after_result(bool destination_failed, int64_t started_at_ms, int64_t now_ms, const std::string& what);
  void alert_dead(const storage::DueDelivery& delivery, int64_t attempts, const std::string& reason);

  const config::DestinationConfig* config_;
  QueueContext& context_;
  std::unique_ptr<outbound::ClientPool> pool_;
  std::vector<std::unique_ptr<outbound::ClientPool>> retired_pools_;  // until their attempts end
  CircuitBreaker breaker_;
  std::optional<TokenBucket> bucket_;
  loop::EventPtr timer_;
  std::vector<int64_t> in_flight_;  // delivery ids being attempted
  bool stopping_ = false;
  bool owned_ = false;
  bool pump_scheduled_ = false;
  bool circuit_was_open_ = false;       // open or half-open at the last result
  int64_t circuit_opened_at_ms_ = 0;
  std::optional<int64_t> failing_since_ms_;  // the first destination failure since a success
  DestinationStats& stats_;
};

}  // namespace hookgate::gateway::delivery
