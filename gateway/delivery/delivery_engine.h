// Delivers stored events to destinations: one queue per destination on a loop of its own.
// It learns about new deliveries from the store's writer (no polling), about retries from a
// timer on the next due row, about rows other nodes committed from the store's wake-ups
// (PostgreSQL NOTIFY), and about anything else (replay on SQLite) from a one-second idle
// re-check. On a shared PostgreSQL database it delivers to the destinations it owns
// (DeliveryClaims::owned_destinations), refreshed with the lease recovery timer.
//
// Threading: start(), stop() from the control thread; wake(), pause(), resume(),
// reconfigure() and stats() from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "gateway/delivery/destination_queue.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/event_loop.h"
#include "storage/delivery_claims.h"
#include "storage/event_queries.h"
#include "storage/event_store.h"

namespace hookgate::gateway::delivery {

struct EngineOptions {
  int64_t poll_interval_ms = 1000;
  int64_t lease_recovery_interval_ms = 5'000;
  std::function<double()> jitter_draw;  // default: a seeded PRNG
  alerts::Alerter* alerter = nullptr;    // circuit, dead and disabled alerts; null: none
};

class DeliveryEngine {
 public:
  DeliveryEngine(std::shared_ptr<const config::Config> config, storage::EventStore& store, const loop::Clock& clock,
                 EngineOptions options = {});
  ~DeliveryEngine();

  // Opens the store's delivery claims (SQLite: takes the file's delivery lock, one delivering
  // process per file: `serve`, or `replay --deliver` when no server runs), returns expired
  // leases to pending and starts the loop.
  [[nodiscard]] bool start(std::string& error);

  // Starts nothing new, waits up to `grace` for in-flight attempts to be recorded, then stops
  // the loop. Attempts still running are abandoned: their leases expire and they are retried.
  // Call before the store closes. Idempotent.
  void stop(std::chrono::milliseconds grace);

  void wake(const std::vector<std::string>& destinations);
  // False for a destination not in the current config. A paused (or disabled) destination starts nothing
  // new (attempts in flight finish) until resumed. These switch this process at once; the
  // state itself is stored (destination_states, written by the admin API), and every engine
  // on the database follows what is stored within lease_recovery_interval_ms, also at start.
  bool pause(const std::string& destination);
  bool resume(const std::string& destination);

  // A reload: destinations of `config` get queues (new ones) or take its settings (existing
  // ones); destinations no longer in it stop starting attempts, and their pending deliveries
  // wait in the database until the destination is configured again.
  void reconfigure(std::shared_ptr<const config::Config> config);

  // Counts a delivery an operator cancelled (the admin API writes the row). Any thread.
  void count_cancelled(const std::string& destination);

  // The destinations being delivered to now, in config order.
  [[nodiscard]] std::vector<std::string> destination_names() const;
  // Null for a destination never configured. Counters outlive reloads.
  [[nodiscard]] const DestinationStats* stats(const std::string& destination) const;

 private:
  struct DnsDeleter {
    void operator()(evdns_base* dns) const;
  };
  // A queue whose destination left the config, kept until its attempts in flight end.
  struct RetiredQueue {
    std::shared_ptr<const config::Config> config;  // its DestinationConfig lives here
    std::unique_ptr<DestinationQueue> queue;
  };
  static void on_lease_timer(evutil_socket_t, short, void* self);
  static void on_wakeup(evutil_socket_t, short, void* self);
  void refresh_ownership();  // loop thread
  void follow_stored_states();  // pauses and resumes queues as destination_states says; loop thread
  void store_disabled(const std::string& destination);  // a queue disabled itself; loop thread
  void watch_wakeups();      // (re)registers the store's wake-up descriptor; loop thread
  DestinationStats& stats_for(const std::string& destination);
  void apply(std::shared_ptr<const config::Config> config);  // loop thread

  mutable std::mutex mutex_;                       // guards config_ and stats_
  std::shared_ptr<const config::Config> config_;  // the current one
  std::map<std::string, std::unique_ptr<DestinationStats>, std::less<>> stats_;  // only grows
  storage::EventStore& store_;
  const loop::Clock& clock_;
  EngineOptions options_;
  loop::EventLoop loop_;
  std::unique_ptr<evdns_base, DnsDeleter> dns_;
  std::unique_ptr<storage::DeliveryClaims> claims_;
  std::unique_ptr<storage::EventQueries> states_;  // reads and writes destination_states; loop thread
  std::set<std::string> unsaved_disables_;          // disabled here, not yet stored; loop thread
  std::vector<std::string> owned_;  // as of the last refresh_ownership(); loop thread
  std::unique_ptr<QueueContext> context_;
  std::unordered_map<std::string, std::unique_ptr<DestinationQueue>> queues_;  // loop thread
  std::vector<RetiredQueue> retired_;                                          // loop thread
  std::shared_ptr<const config::Config> applied_;  // what queues_ point into; loop thread
  loop::EventPtr lease_timer_;
  loop::EventPtr wakeup_event_;
  int wakeup_fd_ = -1;
  std::thread thread_;
};

}  // namespace hookgate::gateway::delivery
