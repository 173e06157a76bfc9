#include "gateway/delivery/circuit_breaker.h"

#include <algorithm>
#include <limits>

namespace hookgate::gateway::delivery {

bool CircuitBreaker::allow(int64_t now_ms) {
  switch (state_) {
    case State::closed:
      return true;
    case State::open:
      if (now_ms < open_until_ms_) return false;
      state_ = State::half_open;
      probe_in_flight_ = true;
      return true;
    case State::half_open:
      if (probe_in_flight_) return false;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

size_t CircuitBreaker::permits(int64_t now_ms) const {
  switch (state_) {
    case State::closed: return std::numeric_limits<size_t>::max();
    case State::open: return now_ms < open_until_ms_ ? 0 : 1;
    case State::half_open: return probe_in_flight_ ? 0 : 1;
  }
  return 0;
}

void CircuitBreaker::record(bool failure) {
  const uint32_t size = std::clamp<uint32_t>(options_.window, 1, 64);
  if (window_filled_ == size) {
    if (window_failures_[window_next_]) --window_failure_count_;  // the oldest result leaves
  } else {
    ++window_filled_;
  }
  window_failures_[window_next_] = failure;
  if (failure) ++window_failure_count_;
  window_next_ = (window_next_ + 1) % size;
}

void CircuitBreaker::reset_window() {
  window_failures_.reset();
  window_next_ = window_filled_ = window_failure_count_ = 0;
}

void CircuitBreaker::on_success() {
  if (state_ == State::closed) {
    record(false);
  } else {
    reset_window();  // a successful probe starts a fresh history
  }
  state_ = State::closed;
  consecutive_failures_ = 0;
  probe_in_flight_ = false;
  open_for_ms_ = options_.open_for_ms;
}

void CircuitBreaker::on_failure(int64_t now_ms) {
  if (state_ == State::half_open) {
    // The probe failed: stay away twice as long.
    open_for_ms_ = std::min(open_for_ms_ * 2, options_.max_open_for_ms);
    state_ = State::open;
    open_until_ms_ = now_ms + open_for_ms_;
    probe_in_flight_ = false;
    return;
  }
  if (state_ != State::closed) return;
  record(true);
  const uint32_t size = std::clamp<uint32_t>(options_.window, 1, 64);
  const bool rate_tripped = window_filled_ == size &&
                            window_failure_count_ * 100 >= options_.failure_percent_to_open * size;
  if (++consecutive_failures_ >= options_.failures_to_open || rate_tripped) {
    state_ = State::open;
    open_until_ms_ = now_ms + open_for_ms_;
    consecutive_failures_ = 0;
    reset_window();
  }
}

TokenBucket::TokenBucket(uint32_t count, int64_t per_ms)
    : count_(std::max<int64_t>(count, 1)),
      per_ms_(std::max<int64_t>(per_ms, 1)),
      capacity_(count_ * per_ms_),
      units_(capacity_) {}

void TokenBucket::refill(int64_t now_ms) {
  if (last_ms_ >= 0 && now_ms > last_ms_) {
    units_ = std::min(capacity_, units_ + (now_ms - last_ms_) * count_);
  }
  if (now_ms > last_ms_) last_ms_ = now_ms;
}

bool TokenBucket::take(int64_t now_ms) {
  refill(now_ms);
  if (units_ < per_ms_) return false;
  units_ -= per_ms_;
  return true;
}

size_t TokenBucket::available(int64_t now_ms) {
  refill(now_ms);
  return static_cast<size_t>(units_ / per_ms_);
}

int64_t TokenBucket::next_token_at(int64_t now_ms) {
  refill(now_ms);
  if (units_ >= per_ms_) return now_ms;
  return now_ms + (per_ms_ - units_ + count_ - 1) / count_;
}

}  // namespace hookgate::gateway::delivery
