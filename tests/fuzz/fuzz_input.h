// What the fuzz targets share: the framing of a fuzz input for the byte-stream targets, and a
// check that stops the run with a message when a property does not hold.
//
// Byte-stream inputs (HTTP/1.1 requests, HTTP/1.1 responses, HTTP/2 frames) start with a
// two-byte-plus prefix that the target reads first:
//   byte 0      flags: the target's own options (limits, HEAD, preface…)
//   byte 1      k: the number of cut points (k % 16)
//   k bytes     the sizes of the first k pieces (0 means 1); the rest is one last piece
//   the rest    the bytes the peer sends
// so that libFuzzer mutates the splits as freely as the bytes, and a committed seed is a
// readable payload behind "\x00\x00" (default options, one piece).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace hookgate::fuzz {

struct StreamInput {
  std::uint8_t flags = 0;
  std::vector<std::size_t> pieces;  // sizes of the first pieces; the rest is one more
  std::string_view payload;
};

inline StreamInput read_stream_input(const std::uint8_t* data, std::size_t size) {
  StreamInput in;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.empty()) return in;
  in.flags = static_cast<std::uint8_t>(bytes[0]);
  bytes.remove_prefix(1);
  if (bytes.empty()) return in;
  const std::size_t cuts = static_cast<std::uint8_t>(bytes[0]) % 16;
  bytes.remove_prefix(1);
  for (std::size_t i = 0; i < cuts && !bytes.empty(); ++i) {
    const auto piece = static_cast<std::uint8_t>(bytes[0]);
    in.pieces.push_back(piece == 0 ? 1 : piece);
    bytes.remove_prefix(1);
  }
  in.payload = bytes;
  return in;
}

// Calls `fn(piece)` for each piece of `payload` cut as `pieces` says.
template <class Fn>
void for_each_piece(std::string_view payload, const std::vector<std::size_t>& pieces, Fn&& fn) {
  std::size_t next = 0;
  while (!payload.empty()) {
    std::size_t size = payload.size();
    if (next < pieces.size()) size = std::min(size, pieces[next++]);
    fn(payload.substr(0, size));
    payload.remove_prefix(size);
  }
}

// A property that must hold for every input: a crash that libFuzzer reports with the input.
#define HOOKGATE_FUZZ_CHECK(condition)                                                          \
  do {                                                                                          \
    if (!(condition)) {                                                                         \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition);  \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)

}  // namespace hookgate::fuzz
