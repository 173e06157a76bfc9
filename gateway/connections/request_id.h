// Short ids that tie the log lines of one connection and one request together.
//   connection id: 1, 2, 3… per process, in accept order (public and admin listeners alike);
//   request id: "<connection>.<n>", where n counts an HTTP/1.1 connection's requests from 1,
//               and is the stream id on HTTP/2 (1, 3, 5…).
// They restart with the process: with the log line's time they are unique, and a stored
// event's line also carries its evt_… id, which every delivery line of that event repeats.
#pragma once

#include <cstdint>
#include <string>

namespace hookgate::gateway::connections {

// The next connection id. Any thread.
[[nodiscard]] uint64_t next_connection_id();

[[nodiscard]] inline std::string request_id(uint64_t connection, uint64_t n) {
  return std::to_string(connection) + "." + std::to_string(n);
}

}  // namespace hookgate::gateway::connections
