// Time as a dependency: logic asks a Clock, tests pass a fake one.
#pragma once

#include <chrono>
#include <cstdint>

namespace hookgate::gateway::loop {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
  // For durations and caps (a transform's time limit): never steps back. Fakes may override.
  [[nodiscard]] virtual std::chrono::steady_clock::time_point monotonic() const { return std::chrono::steady_clock::now(); }

  [[nodiscard]] int64_t now_unix_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace hookgate::gateway::loop
