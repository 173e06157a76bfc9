// `serve --ready-file FILE`: what a supervisor or a test needs to know about a running server,
// without reading its log. Written once the listeners and the store are up, and again when a
// SIGHUP has been handled; each write replaces the file whole (a new file renamed over it), so
// a reader never sees half of one. Removed at a clean exit.
//
//   {"pid":4242,"listeners":["http://127.0.0.1:8080"],"admin":"http://127.0.0.1:9000",
//    "reloads":{"applied":1,"refused":0},"tls_reloads":{"reloaded":2,"kept":0}}
//
// "listeners" are the bound addresses in config order (a port 0 resolved); "admin" is "" when
// there is no admin section. The counts grow by one per SIGHUP: "applied" or "refused" for the
// config file, and per TLS listener "reloaded" or "kept" (its new certificates were refused).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hookgate::gateway::cli {

struct ServeState {
  int64_t pid = 0;
  std::vector<std::string> listeners;
  std::string admin;
  uint64_t reloads_applied = 0;
  uint64_t reloads_refused = 0;
  uint64_t tls_reloaded = 0;
  uint64_t tls_kept = 0;
};

[[nodiscard]] std::string ready_file_json(const ServeState& state);

// Replaces `path` with the state; false with `error` set when it cannot be written.
[[nodiscard]] bool write_ready_file(const std::string& path, const ServeState& state, std::string& error);

}  // namespace hookgate::gateway::cli
