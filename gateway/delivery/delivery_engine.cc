#include "gateway/delivery/delivery_engine.h"

#include <event2/dns.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <random>

#include "gateway/loop/connection_drain.h"
#include "storage/open_store.h"

namespace hookgate::gateway::delivery {

void DeliveryEngine::DnsDeleter::operator()(evdns_base* dns) const { evdns_base_free(dns, 0); }

DeliveryEngine::DeliveryEngine(std::shared_ptr<const config::Config> config, storage::EventStore& store,
                               const loop::Clock& clock, EngineOptions options)
    : config_(std::move(config)), store_(store), clock_(clock), options_(std::move(options)) {
  if (!options_.jitter_draw) {
    auto random = std::make_shared<std::mt19937_64>(std::random_device{}());
    options_.jitter_draw = [random] { return std::uniform_real_distribution<double>(0.0, 1.0)(*random); };
  }
}

DeliveryEngine::~DeliveryEngine() {
  stop(std::chrono::milliseconds(0));
  queues_.clear();  // the loop is stopped: tear down on this thread
  retired_.clear();
  lease_timer_.reset();
  wakeup_event_.reset();
  dns_.reset();
}

bool DeliveryEngine::start(std::string& error) {
  claims_ = storage::open_delivery_claims(store_, error);
  if (!claims_) return false;
  states_ = storage::EventQueries::open(store_.location(), /*read_only=*/false, error);
  if (!states_) return false;
  dns_.reset(evdns_base_new(loop_.base(), EVDNS_BASE_INITIALIZE_NAMESERVERS));
  if (!dns_) {
    error = "cannot initialise DNS resolver (/etc/resolv.conf)";
    return false;
  }
  context_ = std::make_unique<QueueContext>(QueueContext{loop_, dns_.get(), store_, *claims_, clock_,
                                                         options_.jitter_draw, options_.poll_interval_ms,
                                                         options_.alerter,
                                                         [this](const std::string& name) { store_disabled(name); }});
  std::shared_ptr<const config::Config> config;
  {
    const std::lock_guard lock(mutex_);
    config = config_;
  }
  apply(std::move(config));  // the loop does not run yet: this thread may touch the queues
  follow_stored_states();    // a destination paused before the restart starts paused
  lease_timer_.reset(event_new(loop_.base(), -1, EV_PERSIST, &DeliveryEngine::on_lease_timer, this));
  const timeval every{static_cast<time_t>(options_.lease_recovery_interval_ms / 1000),
                      static_cast<suseconds_t>((options_.lease_recovery_interval_ms % 1000) * 1000)};
  event_add(lease_timer_.get(), &every);

  // Leases of a process that died are returned first, then every owned queue looks for work.
  store_.submit_lease_recovery(clock_.now_unix_ms(), [this](bool) {
    loop_.post([this] {
      refresh_ownership();
      for (auto& [name, queue] : queues_) queue->pump_soon();
    });
  });
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hg-delivery");
    loop_.run();
  });
  return true;
}

void DeliveryEngine::on_lease_timer(evutil_socket_t, short, void* self) {
  auto* engine = static_cast<DeliveryEngine*>(self);
  engine->store_.submit_lease_recovery(engine->clock_.now_unix_ms());
  engine->refresh_ownership();
  engine->follow_stored_states();
  std::erase_if(engine->retired_, [](const RetiredQueue& retired) { return retired.queue->in_flight() == 0; });
}

void DeliveryEngine::refresh_ownership() {
  std::vector<std::string> configured;
  configured.reserve(queues_.size());
  for (const auto& destination : applied_->destinations) configured.push_back(destination.name);
  std::vector<std::string> owned = claims_->owned_destinations(configured, clock_.now_unix_ms());
  std::sort(owned.begin(), owned.end());
  if (owned != owned_) {
    spdlog::info("delivery: delivering to {} of {} destinations", owned.size(), configured.size());
  }
  owned_ = std::move(owned);
  for (auto& [name, queue] : queues_) queue->set_owned(std::binary_search(owned_.begin(), owned_.end(), name));
  watch_wakeups();
}

void DeliveryEngine::store_disabled(const std::string& destination) {
  std::string error;
  if (states_->set_destination_state(destination, std::string("disabled"), clock_.now_unix_ms(), error)) return;
  // Held here and written again on each lease timer: until it is stored, the stored state
  // (none) must not resume the destination.
  spdlog::warn("delivery: destination={} disabled, but the state could not be stored yet: {}", destination, error);
  unsaved_disables_.insert(destination);
}

void DeliveryEngine::follow_stored_states() {
  for (auto it = unsaved_disables_.begin(); it != unsaved_disables_.end();) {
    std::string error;
    it = states_->set_destination_state(*it, std::string("disabled"), clock_.now_unix_ms(), error)
             ? unsaved_disables_.erase(it)
             : std::next(it);
  }
  const auto states = states_->destination_states();
  if (!states) return;  // the database is away: keep the switches as they are
  for (auto& [name, queue] : queues_) {
    const auto stored = states->find(name);
    const bool paused = stored != states->end() || unsaved_disables_.count(name) > 0;
    DestinationStats& stats = stats_for(name);
    stats.disabled = unsaved_disables_.count(name) > 0 || (stored != states->end() && stored->second == "disabled");
    if (stats.paused.load() == paused) continue;
    spdlog::info("delivery: destination={} {} (stored state)", name,
                 paused ? (stats.disabled ? "disabled" : "paused") : "resumed");
    stats.paused = paused;
    if (paused) {
      queue->pause();
    } else {
      queue->resume();
    }
  }
}

void DeliveryEngine::watch_wakeups() {
  const int fd = claims_->wake_fd();
  if (fd == wakeup_fd_ && (fd < 0 || wakeup_event_)) return;
  wakeup_event_.reset();
  wakeup_fd_ = fd;
  if (fd < 0) return;
  wakeup_event_.reset(event_new(loop_.base(), fd, EV_READ | EV_PERSIST, &DeliveryEngine::on_wakeup, this));
  event_add(wakeup_event_.get(), nullptr);
}

void DeliveryEngine::on_wakeup(evutil_socket_t, short, void* self) {
  auto* engine = static_cast<DeliveryEngine*>(self);
  // take_wakeups() may drop a broken connection, closing the descriptor: unregister it first
  // (libevent must never watch a closed, possibly reused, descriptor).
  engine->wakeup_event_.reset();
  engine->wakeup_fd_ = -1;
  for (const std::string& name : engine->claims_->take_wakeups()) {
    if (name.empty()) {
      for (auto& [destination, queue] : engine->queues_) queue->pump_soon();
    } else if (auto it = engine->queues_.find(name); it != engine->queues_.end()) {
      it->second->pump_soon();
    }
  }
  engine->watch_wakeups();
}

DestinationStats& DeliveryEngine::stats_for(const std::string& destination) {
  const std::lock_guard lock(mutex_);
  auto& slot = stats_[destination];
  if (!slot) slot = std::make_unique<DestinationStats>();
  return *slot;
}

void DeliveryEngine::apply(std::shared_ptr<const config::Config> config) {
  std::unordered_map<std::string, std::unique_ptr<DestinationQueue>> next;
  for (const auto& destination : config->destinations) {
    std::unique_ptr<DestinationQueue> queue;
    if (auto it = queues_.find(destination.name); it != queues_.end()) {
      queue = std::move(it->second);
      queues_.erase(it);
    } else if (auto back = std::find_if(retired_.begin(), retired_.end(),
                                        [&](const RetiredQueue& r) { return r.queue->name() == destination.name; });
               back != retired_.end()) {
      queue = std::move(back->queue);  // configured again before its last attempt ended
      retired_.erase(back);
      queue->restart_starting();
    }
    if (queue) {
      queue->reconfigure(destination);
    } else {
      queue = std::make_unique<DestinationQueue>(destination, *context_, stats_for(destination.name));
    }
    next.emplace(destination.name, std::move(queue));
  }
  for (auto& [name, queue] : queues_) {
    queue->stop_starting();
    spdlog::info("destination={} removed from the configuration: its pending deliveries wait until it is back", name);
    retired_.push_back(RetiredQueue{applied_, std::move(queue)});
  }
  queues_ = std::move(next);
  applied_ = std::move(config);
  std::erase_if(retired_, [](const RetiredQueue& retired) { return retired.queue->in_flight() == 0; });
  refresh_ownership();
}

void DeliveryEngine::reconfigure(std::shared_ptr<const config::Config> config) {
  for (const auto& destination : config->destinations) (void)stats_for(destination.name);
  {
    const std::lock_guard lock(mutex_);
    config_ = config;
  }
  if (!thread_.joinable()) return;  // not started: start() applies config_
  loop_.post([this, config = std::move(config)]() mutable { apply(std::move(config)); });
}

void DeliveryEngine::count_cancelled(const std::string& destination) {
  stats_for(destination).cancelled.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::string> DeliveryEngine::destination_names() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& destination : config_->destinations) names.push_back(destination.name);
  return names;
}

void DeliveryEngine::stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  loop_.post([this] {
    for (auto& [name, queue] : queues_) queue->stop_starting();
  });
  size_t in_flight = 0;
  const bool drained = loop::wait_until(
      [this, &in_flight] {
        std::promise<size_t> count;
        loop_.post([this, &count] {
          size_t total = 0;
          for (auto& [name, queue] : queues_) total += queue->in_flight();
          for (const auto& retired : retired_) total += retired.queue->in_flight();
          count.set_value(total);
        });
        in_flight = count.get_future().get();
        return in_flight == 0;
      },
      grace, std::chrono::milliseconds(20), clock_);
  if (!drained) spdlog::warn("delivery: {} attempts still running at shutdown; they will be retried", in_flight);
  loop_.stop();
  thread_.join();
  // Other nodes take this one's destinations now rather than when their leases run out (only
  // when nothing is left in flight: an abandoned attempt's destination waits for its lease).
  if (claims_ && drained) claims_->release();
}

void DeliveryEngine::wake(const std::vector<std::string>& destinations) {
  loop_.post([this, destinations] {
    for (const auto& name : destinations) {
      if (auto it = queues_.find(name); it != queues_.end()) it->second->pump_soon();
    }
  });
}

bool DeliveryEngine::pause(const std::string& destination) {
  {
    const std::lock_guard lock(mutex_);
    if (!config_->destination_by_name(destination)) return false;
  }
  stats_for(destination).paused = true;  // a queue created by a reload meanwhile starts paused
  loop_.post([this, destination] {
    if (auto it = queues_.find(destination); it != queues_.end()) it->second->pause();
  });
  return true;
}

bool DeliveryEngine::resume(const std::string& destination) {
  {
    const std::lock_guard lock(mutex_);
    if (!config_->destination_by_name(destination)) return false;
  }
  stats_for(destination).paused = false;
  stats_for(destination).disabled = false;
  loop_.post([this, destination] {
    unsaved_disables_.erase(destination);
    if (auto it = queues_.find(destination); it != queues_.end()) it->second->resume();
  });
  return true;
}

const DestinationStats* DeliveryEngine::stats(const std::string& destination) const {
  const std::lock_guard lock(mutex_);
  const auto it = stats_.find(destination);
  return it == stats_.end() ? nullptr : it->second.get();
}

}  // namespace hookgate::gateway::delivery
