// Shutdown's wait for draining connections to close, for the ingest server and the admin
// server: a connection that finished its exchange closes itself and decrements the count.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace hookgate::gateway {

// Polls `open` until it is 0 or `grace` has passed; true when every connection closed.
inline bool wait_for_connections_to_close(const std::atomic<uint32_t>& open, std::chrono::milliseconds grace,
                                          std::chrono::milliseconds poll) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (open.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace hookgate::gateway
