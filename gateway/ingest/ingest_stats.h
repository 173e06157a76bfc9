// Counters of the ingest path. Lock-free; read by tests, logs and /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "gateway/metrics/status_counters.h"
#include "verify/verifier.h"

namespace hookgate::gateway::ingest {

inline constexpr size_t kVerdictCount = verify::kVerdictCount;

struct SourceStats {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> stored{0};
  std::atomic<uint64_t> duplicates{0};
  std::atomic<uint64_t> store_failures{0};  // answered 503
  std::atomic<uint64_t> handshakes{0};      // handshakes and challenges answered (never stored)
  std::array<std::atomic<uint64_t>, kVerdictCount> rejected{};  // by verify::Verdict (ok unused)
  metrics::StatusCounters responses;  // every answer the pipeline gave for this source
};

struct IngestStats {
  // Requests refused at the HTTP layer, by status: what the HTTP/1.1 and HTTP/2 sessions answer
  // themselves (400 malformed, 408 too slow, 413 body, 431 head, and the parser's rarer 411,
  // 414, 417, 501, 505), counted by the connections, and every 503 (store queue full, store
  // failed), counted by the pipeline.
  metrics::StatusCounters refused;
  std::atomic<uint64_t> not_found{0};
  std::atomic<uint64_t> method_not_allowed{0};
  std::atomic<uint64_t> overloaded{0};  // store queue full or closed: answered 503
};

}  // namespace hookgate::gateway::ingest
