// The two alerts raised from counters sampled over time. Edge-triggered: each raises once
// when its condition starts to hold, and again only after it stopped holding in between.
// Pure: time and counter values are passed in. One thread.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace hookgate::gateway::alerts {

// A source's refusals (verification failures) among its requests over a sliding window.
class RejectionWatch {
 public:
  RejectionWatch(uint32_t percent, int64_t window_ms, uint32_t min_requests)
      : percent_(percent), window_ms_(window_ms), min_requests_(min_requests) {}

  struct Crossing {
    uint64_t requests = 0;  // in the window
    uint64_t rejected = 0;
  };
  // `received` and `rejected`: the source's running totals now. A crossing when the window
  // holds at least min_requests and at least percent of them were refused, and the previous
  // observation was below that.
  [[nodiscard]] std::optional<Crossing> observe(int64_t now_ms, uint64_t received, uint64_t rejected);

 private:
  struct Sample {
    int64_t at_ms;
    uint64_t received;
    uint64_t rejected;
  };
  uint32_t percent_;
  int64_t window_ms_;
  uint32_t min_requests_;
  std::deque<Sample> samples_;  // oldest first; the oldest is at most window_ms_ old
  bool above_ = false;
};

// A level against a threshold (the store's use of max_size).
class LevelWatch {
 public:
  // True when `value` reached `threshold` and the previous observation was below it.
  [[nodiscard]] bool observe(uint64_t value, uint64_t threshold);

 private:
  bool above_ = false;
};

}  // namespace hookgate::gateway::alerts
