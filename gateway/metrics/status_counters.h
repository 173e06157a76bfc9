// Answers counted by HTTP status code. Lock-free; the ingest pipeline counts its answers per
// source here, and the connections the answers they give themselves.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace hookgate::gateway::metrics {

// Answers by status code, 100..599 (one slot each: cheap, and no code is ever lost to an
// "other" bucket).
class StatusCounters {
 public:
  void count(int status) {
    if (status >= 100 && status <= 599) slots_[static_cast<size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  }
  [[nodiscard]] uint64_t of(int status) const {
    return status >= 100 && status <= 599 ? slots_[static_cast<size_t>(status - 100)].load(std::memory_order_relaxed) : 0;
  }

 private:
  std::array<std::atomic<uint64_t>, 500> slots_{};
};

}  // namespace hookgate::gateway::metrics
