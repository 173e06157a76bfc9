// A Prometheus histogram with fixed upper bounds: observe() from any thread without a lock,
// read() a copy for a scrape (each bucket is exact; the set may straddle an observation,
// which Prometheus tolerates).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace hookgate::gateway::metrics {

class Histogram {
 public:
  // `upper_bounds` ascending; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> upper_bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void observe(double value);

  struct Reading {
    std::vector<double> upper_bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== the count)
    double sum = 0;
  };
  [[nodiscard]] Reading read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Seconds, 1 ms .. 60 s: attempts to destinations, commits.
[[nodiscard]] std::vector<double> latency_bounds();
// Events per writer transaction: 1 .. 4096.
[[nodiscard]] std::vector<double> batch_size_bounds();

}  // namespace hookgate::gateway::metrics
