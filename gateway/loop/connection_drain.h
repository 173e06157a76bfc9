// Shutdown's waits, for the ingest server, the admin server and the delivery engine: poll a
// condition from the control thread until it holds or the grace period is over. The deadline is
// read from the injected clock's monotonic side; the pauses between polls are real sleeps.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

#include "gateway/loop/clock.h"

namespace hookgate::gateway::loop {

// Polls `done` every `poll` until it returns true (then true) or `grace` has passed (false).
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds grace,
                       std::chrono::milliseconds poll, const Clock& clock) {
  const auto deadline = clock.monotonic() + grace;
  while (!done()) {
    if (clock.monotonic() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

// Waits for draining connections to close: a connection that finished its exchange closes
// itself and decrements `open`. True when every one closed within `grace`.
inline bool wait_for_connections_to_close(const std::atomic<uint32_t>& open, std::chrono::milliseconds grace,
                                          std::chrono::milliseconds poll, const Clock& clock) {
  return wait_until([&open] { return open.load() == 0; }, grace, poll, clock);
}

}  // namespace hookgate::gateway::loop
