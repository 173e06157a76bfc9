// Public event ids: "evt_" + a ULID (26 Crockford base32 characters: 48 bits of unix ms, then
// 80 bits that are random per thread and count up within it). Sorted by time, unique across
// threads, processes and nodes (so destinations can dedupe on webhook-id across a fleet).
#pragma once

#include <cstdint>
#include <string>

namespace hookgate::gateway::ingest {

// Thread-safe: each thread keeps its own random state.
[[nodiscard]] std::string make_public_id(int64_t unix_ms);

}  // namespace hookgate::gateway::ingest
