// What every connection of one loop shares: the loop, the request handler, the limits, and the set
// of live connections (for graceful drain). Loop thread only, except `open_connections`.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_set>

#include "config/config.h"
#include "gateway/connections/request_handler.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/event_loop.h"
#include "gateway/metrics/status_counters.h"

namespace hookgate::gateway::connections {

class Connection {
 public:
  virtual ~Connection() = default;
  // Closes now when no request is in progress; otherwise after its response. Loop thread.
  virtual void drain() = 0;
};

struct ConnectionContext {
  loop::EventLoop& loop;
  RequestHandler& handler;
  const config::ServerConfig& limits;
  const loop::Clock& clock;                 // the sessions' deadlines: clock.monotonic()
  std::atomic<uint32_t>& open_connections;  // process-wide, all loops
  std::unordered_set<std::shared_ptr<Connection>> connections;
  bool draining = false;
  // Public listeners: the answers a session gives itself (400, 408, 413, 431…) are counted
  // here, by status. Null on the admin listener.
  metrics::StatusCounters* refusals = nullptr;

  // Called by a connection when it has closed: forgets it and frees it after the callback.
  void forget(const std::shared_ptr<Connection>& connection) {
    if (connections.erase(connection) > 0) {
      open_connections.fetch_sub(1, std::memory_order_relaxed);
      loop.defer_delete(connection);
    }
  }

  // A connection passes its socket on to another (the protocol selector to the HTTP/1.1 or
  // HTTP/2 session it chose): still one open connection, now owned by `next`.
  void hand_off(const std::shared_ptr<Connection>& previous, std::shared_ptr<Connection> next) {
    if (connections.erase(previous) > 0) loop.defer_delete(previous);
    connections.insert(std::move(next));
  }
};

}  // namespace hookgate::gateway::connections
