#include "gateway/delivery/destination_queue.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <limits>

#include "gateway/delivery/delivery_transform.h"
#include "gateway/delivery/forwarded_request.h"
#include "gateway/delivery/retry_decision.h"
#include "gateway/loop/log_line.h"

namespace hookgate::gateway::delivery {
namespace {

// An inflight lease outlives the attempt's own timeout by this much, so only a dead process's
// leases ever expire.
constexpr int64_t kLeaseMarginMs = 5'000;

outbound::PoolOptions pool_options(const config::DestinationConfig& config) {
  outbound::PoolOptions options;
  options.connect_timeout = config.connect_timeout;
  options.total_timeout = config.timeout;
  options.max_idle_connections = config.concurrency;
  options.ca_file = config.tls.ca_file;
  options.verify_tls = config.tls.verify;
  return options;
}

bool same_pool(const config::DestinationConfig& a, const config::DestinationConfig& b) {
  return a.url == b.url && a.timeout == b.timeout && a.connect_timeout == b.connect_timeout &&
         a.concurrency == b.concurrency && a.tls.ca_file == b.tls.ca_file && a.tls.verify == b.tls.verify;
}

bool same_rate(const std::optional<config::RateLimit>& a, const std::optional<config::RateLimit>& b) {
  if (!a || !b) return !a && !b;
  return a->count == b->count && a->per == b->per;
}

CircuitBreaker::Options breaker_options(const config::CircuitBreakerConfig& config) {
  return CircuitBreaker::Options{.failures_to_open = config.failures,
                                 .open_for_ms = config.probe_after.count(),
                                 .max_open_for_ms = config.max_probe_after.count(),
                                 .window = config.window,
                                 .failure_percent_to_open = config.failure_rate};
}

}  // namespace

DestinationQueue::DestinationQueue(const config::DestinationConfig& config, QueueContext& context,
                                   DestinationStats& stats)
    : config_(&config),
      context_(context),
      pool_(std::make_unique<outbound::ClientPool>(context.loop.base(), context.dns, context.clock, config.endpoint,
                                                   pool_options(config))),
      breaker_(breaker_options(config.circuit_breaker)),
      timer_(event_new(context.loop.base(), -1, 0, &DestinationQueue::on_timer, this)),
      stats_(stats) {
  if (config.rate_limit) bucket_.emplace(config.rate_limit->count, config.rate_limit->per.count());
}

DestinationQueue::~DestinationQueue() = default;

void DestinationQueue::reconfigure(const config::DestinationConfig& config) {
  if (!same_pool(*config_, config)) {
    retired_pools_.push_back(std::move(pool_));
    pool_ = std::make_unique<outbound::ClientPool>(context_.loop.base(), context_.dns, context_.clock, config.endpoint,
                                                   pool_options(config));
  }
  if (!same_rate(config_->rate_limit, config.rate_limit)) {
    bucket_.reset();
    if (config.rate_limit) bucket_.emplace(config.rate_limit->count, config.rate_limit->per.count());
  }
  // New breaker settings start the breaker afresh (closed): the old state was judged by the
  // old rules.
  if (!(config_->circuit_breaker == config.circuit_breaker)) breaker_ = CircuitBreaker(breaker_options(config.circuit_breaker));
  config_ = &config;
  pump();
}

void DestinationQueue::on_timer(evutil_socket_t, short, void* self) { static_cast<DestinationQueue*>(self)->pump(); }

void DestinationQueue::arm(int64_t at_ms, int64_t now_ms) {
  const int64_t delay = std::clamp<int64_t>(at_ms - now_ms, 0, context_.poll_interval_ms);
  const timeval tv{static_cast<time_t>(delay / 1000), static_cast<suseconds_t>((delay % 1000) * 1000)};
  event_add(timer_.get(), &tv);
}

void DestinationQueue::pause() {
  stats_.paused = true;
  event_del(timer_.get());
}

void DestinationQueue::resume() {
  stats_.paused = false;
  failing_since_ms_.reset();  // an operator's resume gives the destination a full disable_after
  pump();
}

void DestinationQueue::set_owned(bool owned) {
  if (owned == owned_) return;
  owned_ = owned;
  if (owned) {
    pump_soon();
  } else {
    event_del(timer_.get());
  }
}

std::vector<storage::DueDelivery> DestinationQueue::claim(int64_t now_ms, size_t allowance, int64_t& wake_at_ms) {
  const int64_t lease_until = now_ms + config_->timeout.count() + kLeaseMarginMs;
  if (config_->ordering == config::Ordering::fifo) {
    // Strict order: the oldest delivery still to make goes alone, and nothing passes it while
    // it waits for its retry.
    std::optional<int64_t> due_at;
    auto head = context_.claims.claim_fifo_head(config_->name, now_ms, lease_until, due_at);
    if (!head) {
      if (due_at) wake_at_ms = *due_at;
      return {};
    }
    std::vector<storage::DueDelivery> batch;
    batch.push_back(std::move(*head));
    return batch;
  }
  auto batch = context_.claims.claim_due(config_->name, now_ms, allowance, lease_until, in_flight_);
  if (batch.size() < allowance) {
    if (auto next = context_.claims.next_due_at(config_->name); next && *next > now_ms) wake_at_ms = *next;
  }
  return batch;
}

void DestinationQueue::pump() {
  pump_scheduled_ = false;
  // Pools replaced by a reload go once their last attempt has ended (never from inside one of
  // their own callbacks: pump() runs from the timer or a posted task).
  std::erase_if(retired_pools_, [](const auto& pool) { return pool->active_connections() == 0; });
  if (stopping_ || stats_.paused || !owned_) return;
  const int64_t now = context_.clock.now_unix_ms();
  int64_t wake_at = now + context_.poll_interval_ms;
  const size_t limit = config_->ordering == config::Ordering::fifo ? 1 : config_->concurrency;
  if (in_flight_.size() >= limit) return;  // a finishing attempt pumps again

  // What may start now is settled before claiming: a claimed delivery is leased, and one
  // leased but not started would wait for its lease to expire.
  size_t allowance = std::min(limit - in_flight_.size(), breaker_.permits(now));
  if (allowance == 0) wake_at = breaker_.reopens_at_ms();
  if (bucket_ && allowance > 0) {
    allowance = std::min(allowance, bucket_->available(now));
    if (allowance == 0) wake_at = bucket_->next_token_at(now);  // over the rate: the rest waits
  }
  if (allowance > 0) {
    for (auto& delivery : claim(now, allowance, wake_at)) {
      (void)breaker_.allow(now);  // counts the half-open probe
      if (bucket_) (void)bucket_->take(now);
      start(std::move(delivery), now);
    }
  }
  stats_.circuit_open = breaker_.state() == CircuitBreaker::State::open;
  arm(wake_at, now);
}

void DestinationQueue::pump_soon() {
  if (pump_scheduled_) return;
  pump_scheduled_ = true;
  event_active(timer_.get(), EV_TIMEOUT, 0);
}

void DestinationQueue::start(storage::DueDelivery delivery, int64_t now_ms) {
  in_flight_.push_back(delivery.delivery_id);
  stats_.in_flight = in_flight_.size();
  stats_.attempts.fetch_add(1, std::memory_order_relaxed);

  // The attempt's span id, random as W3C Trace Context asks (never all zero); it is also the
  // attempt's id in the log.
  std::array<uint8_t, 8> span{};
  do randombytes_buf(span.data(), span.size());
  while (span == std::array<uint8_t, 8>{});
  HeaderList stored = parse_stored_headers(delivery.headers);
  const AttemptTrace trace = attempt_trace(stored, delivery.public_id, span_id_hex(span));

  outbound::OutboundRequest request;
  request.method = delivery.method;
  request.headers = destination_headers(*config_, std::move(stored));
  request.body = delivery.body;
  if (has_transforms(*config_, delivery)) {
    const auto began = context_.clock.monotonic();
    const loop::Clock& clock = context_.clock;
    TransformVerdict verdict = apply_transforms(*config_, delivery, request, [&clock] { return clock.monotonic(); });
    if (verdict.outcome != transform::Result::Outcome::deliver) {
      const auto took = std::chrono::duration_cast<std::chrono::microseconds>(context_.clock.monotonic() - began);
      finish_untried(delivery, now_ms, took.count(), trace.traceparent, verdict);
      return;
    }
  }
  // The signature covers the bytes sent (after any transform). Both arms are lvalues: no copy.
  static const std::string kNoBody;
  add_attempt_headers(request.headers, *config_, delivery.public_id, request.body ? *request.body : kNoBody,
                      delivery.attempts + 1, context_.clock.now(), trace);
  pool_->send(std::move(request), [this, delivery = std::move(delivery), now_ms,
                                   traceparent = trace.traceparent](outbound::OutboundResult result) {
    finish(delivery, now_ms, traceparent, result);
  });
}

void DestinationQueue::finish(const storage::DueDelivery& delivery, int64_t started_at_ms, const TraceParent& trace,
                              const outbound::OutboundResult& result) {
  const int64_t now = context_.clock.now_unix_ms();
  stats_.attempt_seconds.observe(static_cast<double>(result.duration.count()) / 1e6);
  AttemptResult attempt;
  attempt.status = result.error == outbound::OutboundResult::Error::none ? result.status : 0;
  attempt.retry_after = result.retry_after;
  const int64_t attempt_number = delivery.attempts + 1;
  const Decision decision = decide(config_->retry, attempt_number, delivery.received_at_ms, now, attempt,
                                   context_.jitter_draw());
  const bool destination_failed = is_destination_failure(attempt);
  if (destination_failed) {
    breaker_.on_failure(now);
  } else {
    breaker_.on_success();
  }

  storage::AttemptRecord record;
  record.delivery_id = delivery.delivery_id;
  record.started_at_ms = started_at_ms;
  record.duration_us = result.duration.count();
  record.status = attempt.status;
  if (attempt.status == 0) {
    record.error = std::string(outbound::to_string(result.error));
    if (!result.detail.empty()) record.error += ": " + result.detail;
  } else if (decision.state == storage::DeliveryState::dead) {
    record.error = decision.reason;
  }
  record.response_excerpt = result.body_excerpt;
  record.next_state = decision.state;
  record.next_attempt_at_ms = decision.next_attempt_at_ms;

  switch (decision.state) {
    case storage::DeliveryState::delivered: stats_.delivered.fetch_add(1, std::memory_order_relaxed); break;
    case storage::DeliveryState::dead: stats_.dead.fetch_add(1, std::memory_order_relaxed); break;
    default: stats_.retried.fetch_add(1, std::memory_order_relaxed); break;
  }
  spdlog::info("destination={} delivery={} event={} attempt={} attempt_id={} trace_id={} status={} outcome={}{}{} "
               "duration_ms={}",
               config_->name, delivery.delivery_id, delivery.public_id, attempt_number, trace.parent_id, trace.trace_id,
               attempt.status, storage::to_string(decision.state), record.error.empty() ? "" : " error=",
               record.error.empty() ? std::string() : loop::log_value(record.error), result.duration.count() / 1000);

  const std::string what = attempt.status != 0 ? "HTTP " + std::to_string(attempt.status) : record.error;
  after_result(destination_failed, started_at_ms, now, what);
  if (decision.state == storage::DeliveryState::dead) {
    alert_dead(delivery, attempt_number, std::string(decision.reason) + " (last result: " + what + ")");
  }

  release_after(std::move(record));
}

void DestinationQueue::finish_untried(const storage::DueDelivery& delivery, int64_t started_at_ms,
                                      int64_t duration_us, const TraceParent& trace, const TransformVerdict& verdict) {
  const int64_t now = context_.clock.now_unix_ms();
  const int64_t attempt_number = delivery.attempts + 1;
  storage::AttemptRecord record;
  record.delivery_id = delivery.delivery_id;
  record.started_at_ms = started_at_ms;
  record.duration_us = duration_us;
  if (verdict.outcome == transform::Result::Outcome::skip) {
    // The script's word is final for this delivery: no retry, no request.
    record.next_state = storage::DeliveryState::skipped;
    record.error = "skipped by transform: " + verdict.message;
    stats_.skipped.fetch_add(1, std::memory_order_relaxed);
  } else {
    // Not the destination's fault: the circuit breaker and disable_after do not see it. It is
    // retried on the schedule (a reload may fix the script) and goes dead like any failure.
    record.error = verdict.message;
    AttemptResult attempt;
    const Decision decision =
        decide(config_->retry, attempt_number, delivery.received_at_ms, now, attempt, context_.jitter_draw());
    record.next_state = decision.state;
    record.next_attempt_at_ms = decision.next_attempt_at_ms;
    stats_.transform_errors[static_cast<size_t>(verdict.breach)].fetch_add(1, std::memory_order_relaxed);
    if (decision.state == storage::DeliveryState::dead) {
      stats_.dead.fetch_add(1, std::memory_order_relaxed);
      alert_dead(delivery, attempt_number, std::string(decision.reason) + " (last result: " + verdict.message + ")");
    } else {
      stats_.retried.fetch_add(1, std::memory_order_relaxed);
    }
  }
  spdlog::info("destination={} delivery={} event={} attempt={} trace_id={} outcome={} error={}", config_->name,
               delivery.delivery_id, delivery.public_id, attempt_number, trace.trace_id,
               storage::to_string(record.next_state), loop::log_value(record.error));
  release_after(std::move(record));
}

void DestinationQueue::release_after(storage::AttemptRecord record) {
  const int64_t id = record.delivery_id;
  auto release = [this, id] {
    in_flight_.erase(std::remove(in_flight_.begin(), in_flight_.end(), id), in_flight_.end());
    stats_.in_flight = in_flight_.size();
    // The results of one writer batch arrive together: one pump refills for all of them,
    // instead of a query per finished attempt.
    pump_soon();
  };
  // The id leaves in_flight_ only once the new state is committed, so the next pump cannot
  // pick the same row again from a stale read.
  loop::EventLoop& loop = context_.loop;
  if (!context_.store.submit_attempt(std::move(record), [&loop, release](bool) { loop.post(release); })) {
    release();
  }
}

void DestinationQueue::after_result(bool destination_failed, int64_t started_at_ms, int64_t now_ms,
                                    const std::string& what) {
  alerts::Alerter* alerter = context_.alerter;
  const bool open = breaker_.state() != CircuitBreaker::State::closed;
  if (open && !circuit_was_open_) {
    circuit_opened_at_ms_ = now_ms;
    if (alerter) {
      alerter->raise(alerts::Alert{
          .kind = config::AlertKind::circuit_opened,
          .subject = config_->name,
          .summary = "circuit opened for destination " + config_->name + " (last result: " + what +
                     "); its deliveries wait for probes",
          .fields = {{"last_result", alerts::json_string(what)},
                     {"next_probe_at", alerts::json_time(breaker_.reopens_at_ms())}}});
    }
  } else if (!open && circuit_was_open_ && alerter) {
    alerter->raise(alerts::Alert{
        .kind = config::AlertKind::circuit_closed,
        .subject = config_->name,
        .summary = "circuit closed for destination " + config_->name + " after " +
                   std::to_string((now_ms - circuit_opened_at_ms_) / 1000) + " s: delivering again",
        .fields = {{"open_seconds", std::to_string((now_ms - circuit_opened_at_ms_) / 1000)}}});
  }
  circuit_was_open_ = open;

  if (!destination_failed) {
    failing_since_ms_.reset();
    return;
  }
  if (!failing_since_ms_) failing_since_ms_ = started_at_ms;
  const int64_t disable_after = config_->disable_after.count();
  if (disable_after <= 0 || stats_.disabled.load() || now_ms - *failing_since_ms_ < disable_after) return;
  spdlog::warn("destination={} disabled: failing since {} (disable_after {} s); its deliveries wait until it is "
               "resumed",
               config_->name, *failing_since_ms_, disable_after / 1000);
  stats_.disabled = true;
  pause();
  if (context_.disabled) context_.disabled(config_->name);
  if (alerter) {
    alerter->raise(alerts::Alert{
        .kind = config::AlertKind::destination_disabled,
        .subject = config_->name,
        .summary = "destination " + config_->name + " disabled after failing for " +
                   std::to_string((now_ms - *failing_since_ms_) / 1000) + " s (last result: " + what +
                   "); its deliveries wait until `hookgate destinations resume " + config_->name + "`",
        .fields = {{"failing_since", alerts::json_time(*failing_since_ms_)},
                   {"disable_after_seconds", std::to_string(disable_after / 1000)},
                   {"last_result", alerts::json_string(what)}}});
  }
}

void DestinationQueue::alert_dead(const storage::DueDelivery& delivery, int64_t attempts, const std::string& reason) {
  // An alert that could not be delivered is not alerted on again: that would never end.
  if (context_.alerter == nullptr || delivery.source == alerts::kAlertSource) return;
  context_.alerter->raise(alerts::Alert{
      .kind = config::AlertKind::delivery_dead,
      .subject = config_->name,
      .summary = "delivery " + std::to_string(delivery.delivery_id) + " of event " + delivery.public_id + " (" +
                 delivery.source + ") to " + config_->name + " is dead after " + std::to_string(attempts) +
                 " attempts: " + reason,
      .fields = {{"event", alerts::json_string(delivery.public_id)},
                 {"delivery", std::to_string(delivery.delivery_id)},
                 {"source", alerts::json_string(delivery.source)},
                 {"event_type", alerts::json_string(delivery.event_type)},
                 {"attempts", std::to_string(attempts)},
                 {"reason", alerts::json_string(reason)}}});
}

}  // namespace hookgate::gateway::delivery
