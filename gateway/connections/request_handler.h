// What a connection hands a complete request to: the ingest pipeline on the public listeners,
// the admin API on the admin listener. The sessions (HTTP/1.1, HTTP/2) know only this.
#pragma once

#include "gateway/connections/exchange.h"
#include "gateway/loop/event_loop.h"

namespace hookgate::gateway::connections {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Called on `loop`'s thread; `respond` must be called exactly once, on that same thread
  // (post it back there when the answer is produced elsewhere).
  virtual void handle(InboundRequest request, loop::EventLoop& loop, Respond respond) = 0;
};

}  // namespace hookgate::gateway::connections
