// Per-destination circuit breaker. It opens after `failures_to_open` consecutive destination
// failures, or when at least `failure_percent_to_open` of the last `window` results were
// failures (a flapping service that answers one request in three never trips the first rule);
// open, it stops attempts for `open_for` (doubling on each failed probe, up to `max_open_for`);
// then one probe is let through (half-open); its success closes the circuit.
// Pure: time is passed in. One thread.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>

namespace hookgate::gateway::delivery {

class CircuitBreaker {
 public:
  enum class State { closed, open, half_open };
  struct Options {
    uint32_t failures_to_open = 5;
    int64_t open_for_ms = 10'000;
    int64_t max_open_for_ms = 60'000;  // a service back up waits at most a minute for a probe
    uint32_t window = 20;              // results remembered for the rate rule (at most 64)
    uint32_t failure_percent_to_open = 50;  // of a full window
  };

  explicit CircuitBreaker(Options options) : options_(options), open_for_ms_(options.open_for_ms) {}

  // May an attempt start now? In half-open only one probe is allowed until its result.
  [[nodiscard]] bool allow(int64_t now_ms);
  // How many attempts allow() would let start now, without changing state: unlimited when
  // closed, one probe when due, none while open or a probe is out.
  [[nodiscard]] size_t permits(int64_t now_ms) const;
  void on_success();
  void on_failure(int64_t now_ms);

  [[nodiscard]] State state() const { return state_; }
  // When an open circuit lets the next probe through.
  [[nodiscard]] int64_t reopens_at_ms() const { return open_until_ms_; }

 private:
  Options options_;
  State state_ = State::closed;
  void record(bool failure);  // into the window, closed state only
  void reset_window();

  uint32_t consecutive_failures_ = 0;
  std::bitset<64> window_failures_;  // ring of the last `window` results: set = failure
  uint32_t window_next_ = 0;         // slot the next result goes to
  uint32_t window_filled_ = 0;       // results in the ring, up to `window`
  uint32_t window_failure_count_ = 0;
  int64_t open_until_ms_ = 0;
  int64_t open_for_ms_;
  bool probe_in_flight_ = false;
};

// At most `count` starts per `per_ms`, refilled continuously (integer arithmetic: a token is
// per_ms units and every elapsed millisecond adds count units). Pure: time is passed in.
class TokenBucket {
 public:
  TokenBucket(uint32_t count, int64_t per_ms);
  [[nodiscard]] bool take(int64_t now_ms);
  // Whole tokens there now.
  [[nodiscard]] size_t available(int64_t now_ms);
  // When the next token will be there (now_ms when one is available).
  [[nodiscard]] int64_t next_token_at(int64_t now_ms);

 private:
  void refill(int64_t now_ms);
  int64_t count_;
  int64_t per_ms_;
  int64_t capacity_;  // count * per_ms units: a full burst of `count`
  int64_t units_;
  int64_t last_ms_ = -1;
};

}  // namespace hookgate::gateway::delivery
