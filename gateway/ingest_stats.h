// Counters of the ingest path. Lock-free; read by tests, logs and (later) /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "verify/verifier.h"

namespace hookgate::gateway {

inline constexpr size_t kVerdictCount = verify::kVerdictCount;

struct SourceStats {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> stored{0};
  std::atomic<uint64_t> duplicates{0};
  std::atomic<uint64_t> store_failures{0};  // answered 503
  std::atomic<uint64_t> handshakes{0};      // handshakes and challenges answered (never stored)
  std::array<std::atomic<uint64_t>, kVerdictCount> rejected{};  // by verify::Verdict (ok unused)
};

struct IngestStats {
  std::atomic<uint64_t> not_found{0};
  std::atomic<uint64_t> method_not_allowed{0};
  std::atomic<uint64_t> overloaded{0};  // store queue full or closed: answered 503
};

}  // namespace hookgate::gateway
