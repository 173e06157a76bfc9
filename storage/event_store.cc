#include "storage/event_store.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>

#include "storage/open_store.h"

namespace hookgate::storage {

std::unique_ptr<EventStore> EventStore::open(const StoreOptions& options, std::string& error) {
  auto backend = open_writer_backend(options, error);
  if (!backend) return nullptr;
  return std::make_unique<EventStore>(options, std::move(backend));
}

EventStore::EventStore(const StoreOptions& options, std::unique_ptr<WriterBackend> backend)
    : options_(options),
      backend_(std::move(backend)),
      handshake_secrets_(backend_->handshake_secrets()),
      held_leases_(options.lease_hold) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hg-writer");
    run();
  });
}

EventStore::~EventStore() {
  close();
  backend_.reset();
}

bool EventStore::enqueue(Pending pending, bool is_event) {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return false;
    if (is_event) {
      if (queued_events_ >= options_.queue_limit) return false;
      ++queued_events_;
    }
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
  return true;
}

bool EventStore::submit(NewEvent event, WriteCompletion done) {
  return enqueue(PendingEvent{std::move(event), std::move(done), {}}, true);
}

bool EventStore::submit_attempt(AttemptRecord attempt, CommitCompletion done) {
  return enqueue(PendingAttempt{std::move(attempt), std::move(done)}, false);
}

void EventStore::submit_leases(std::vector<int64_t> delivery_ids, int64_t lease_until_ms, int64_t now_ms) {
  if (delivery_ids.empty()) return;
  (void)enqueue(PendingLeases{std::move(delivery_ids), lease_until_ms, now_ms}, false);
}

void EventStore::submit_lease_recovery(int64_t now_ms, CommitCompletion done) {
  (void)enqueue(PendingRecovery{now_ms, std::move(done)}, false);
}

bool EventStore::submit_handshake_secret(std::string source, std::string secret, int64_t created_at_ms,
                                         CommitCompletion done) {
  return enqueue(PendingSecret{std::move(source), std::move(secret), created_at_ms, std::move(done)}, false);
}

std::optional<std::string> EventStore::handshake_secret(const std::string& source) const {
  for (const auto& [name, secret] : handshake_secrets_) {
    if (name == source) return secret;
  }
  return std::nullopt;
}

void EventStore::set_batch_observer(BatchObserver observer) {
  std::lock_guard lock(mutex_);
  batch_observer_ = std::move(observer);
}

void EventStore::set_delivery_observer(DeliveryObserver observer) {
  std::lock_guard lock(mutex_);
  delivery_observer_ = std::move(observer);
}

void EventStore::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

WriterStats EventStore::stats() const {
  WriterStats stats;
  {
    std::lock_guard lock(stats_mutex_);
    stats = stats_;
  }
  if (backend_) stats.checkpoints = backend_->checkpoints();
  return stats;
}

bool EventStore::at_max_size() const {
  std::lock_guard lock(stats_mutex_);
  return stats_.at_max_size;
}

bool EventStore::unhealthy() const {
  std::lock_guard lock(stats_mutex_);
  return stats_.at_max_size || !stats_.last_batch_committed;
}

void EventStore::probe() {
  bool full = false, failing = false;
  {
    std::lock_guard lock(stats_mutex_);
    full = stats_.at_max_size;
    failing = !stats_.last_batch_committed;
  }
  const bool freed = full && backend_->space_freed();
  const bool reconnected = failing && backend_->reconnected();
  std::lock_guard lock(stats_mutex_);
  if (freed) stats_.at_max_size = false;
  if (reconnected) stats_.last_batch_committed = true;
}

size_t EventStore::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void EventStore::run() {
  std::vector<Pending> batch;
  batch.reserve(options_.max_batch);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      const auto ready = [this] { return closing_ || !queue_.empty(); };
      // Held leases are written when due, with whatever else has come by then.
      const auto leases_due = held_leases_.next_due();
      const bool leases_ready = leases_due && !unhealthy() && !wake_.wait_until(lock, *leases_due, ready);
      if (!leases_ready) {
        if (unhealthy()) {
          // Nothing may come to clear the flags (readiness probes turn traffic away while they
          // are set), so ask the backend again every second.
          if (!wake_.wait_for(lock, std::chrono::seconds(1), ready)) {
            lock.unlock();
            probe();
            continue;
          }
        } else if (!wake_.wait_for(lock, std::chrono::seconds(1), ready)) {
          // Idle and healthy: a database server that went away meanwhile must turn readiness
          // off before the next event finds out (SQLite's file answers true without work).
          lock.unlock();
          if (!backend_->alive()) {
            std::lock_guard stats_lock(stats_mutex_);
            stats_.last_batch_committed = false;
          }
          continue;
        }
        if (queue_.empty()) return;  // closing and drained (leases still held are dropped)
      }
      // The batch is whatever queued while the previous commit ran: it grows with load.
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        if (std::holds_alternative<PendingEvent>(queue_.front())) --queued_events_;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    held_leases_.settle(batch, std::chrono::steady_clock::now());
    if (!batch.empty()) commit_batch(batch);
    batch.clear();
  }
}

void EventStore::commit_batch(std::vector<Pending>& batch) {
  const auto started = std::chrono::steady_clock::now();
  const bool ok = backend_->commit(batch);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started).count();

  uint64_t events = 0, stored = 0, duplicates = 0, refused = 0;
  std::vector<std::string> woken_destinations;
  for (auto& pending : batch) {
    auto* event = std::get_if<PendingEvent>(&pending);
    if (!event) continue;
    ++events;
    if (!ok) {
      event->outcome = WriteOutcome{};  // failed: nothing of this batch is durable
    } else if (event->outcome.status == WriteOutcome::Status::stored) {
      ++stored;
      for (const auto& destination : event->event.destinations) {
        if (std::find(woken_destinations.begin(), woken_destinations.end(), destination) == woken_destinations.end()) {
          woken_destinations.push_back(destination);
        }
      }
    } else if (event->outcome.status == WriteOutcome::Status::duplicate) {
      ++duplicates;
    } else {
      ++refused;  // at max_size, inside a batch that committed
    }
  }
  {
    std::lock_guard lock(stats_mutex_);
    stats_.last_batch_committed = ok;
    if (ok && refused > 0) stats_.at_max_size = true;
    if (ok && stored > 0) stats_.at_max_size = false;
    if (ok) {
      ++stats_.batches;
      stats_.events_stored += stored;
      stats_.duplicates += duplicates;
      stats_.events_failed += refused;
      stats_.commit_micros_total += static_cast<uint64_t>(micros);
      if (batch.size() > stats_.max_batch_size) stats_.max_batch_size = batch.size();
    } else {
      ++stats_.failed_batches;
      stats_.events_failed += events;
    }
  }
  {
    BatchObserver observer;
    {
      std::lock_guard lock(mutex_);
      observer = batch_observer_;
    }
    if (observer) observer(batch.size(), std::chrono::microseconds(micros), ok);
  }
  for (auto& pending : batch) {
    if (auto* event = std::get_if<PendingEvent>(&pending)) {
      if (event->done) event->done(event->outcome);
    } else if (auto* attempt = std::get_if<PendingAttempt>(&pending)) {
      if (attempt->done) attempt->done(ok);
    } else if (auto* recovery = std::get_if<PendingRecovery>(&pending)) {
      if (recovery->done) recovery->done(ok);
    } else if (auto* secret = std::get_if<PendingSecret>(&pending)) {
      if (secret->done) secret->done(ok);
    }
  }
  if (!woken_destinations.empty()) {
    DeliveryObserver observer;
    {
      std::lock_guard lock(mutex_);
      observer = delivery_observer_;
    }
    if (observer) observer(woken_destinations);
  }
}

}  // namespace hookgate::storage
