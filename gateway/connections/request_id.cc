#include "gateway/connections/request_id.h"

#include <atomic>

namespace hookgate::gateway::connections {

uint64_t next_connection_id() {
  // Only an id for log lines: relaxed order is enough, and no clock or randomness is involved.
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace hookgate::gateway::connections
