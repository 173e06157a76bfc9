#include "gateway/ingest/public_id.h"

#include <sodium.h>

#include <array>

namespace hookgate::gateway::ingest {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct ThreadIdState {
  // 80 random bits, seeded once per thread from the OS; incremented per id so two ids of one
  // thread never collide, even within the same millisecond.
  uint16_t high = 0;
  uint64_t low = 0;
  ThreadIdState() {
    std::array<unsigned char, 10> seed{};
    randombytes_buf(seed.data(), seed.size());
    high = static_cast<uint16_t>(seed[0] << 8 | seed[1]);
    for (size_t i = 2; i < seed.size(); ++i) low = low << 8 | seed[i];
  }
};

}  // namespace

std::string make_public_id(int64_t unix_ms) {
  thread_local ThreadIdState state;
  if (++state.low == 0) ++state.high;

  // 128 bits: ms (48) | high (16) | low (64), printed as 26 base32 digits (130 bits, top 2 zero).
  const uint64_t hi = static_cast<uint64_t>(unix_ms) << 16 | state.high;
  const uint64_t lo = state.low;
  std::string id = "evt_";
  id.resize(4 + 26);
  for (int i = 25; i >= 0; --i) {
    const int bit = (25 - i) * 5;  // position of this digit's lowest bit
    uint64_t value;
    if (bit >= 64) {
      value = hi >> (bit - 64);
    } else if (bit + 5 <= 64) {
      value = lo >> bit;
    } else {
      value = (lo >> bit) | (hi << (64 - bit));
    }
    id[4 + static_cast<size_t>(i)] = kCrockford[value & 31];
  }
  return id;
}

}  // namespace hookgate::gateway::ingest
