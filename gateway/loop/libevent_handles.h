// Owning handles of libevent objects, one deleter each for the whole gateway.
// A bufferevent created with BEV_OPT_CLOSE_ON_FREE, as every connection's is, closes its socket
// (and frees its SSL) when freed; freeing it from inside one of its own callbacks is safe.
#pragma once

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <memory>

namespace hookgate::gateway::loop {

struct EventBaseDeleter {
  void operator()(event_base* base) const { event_base_free(base); }
};
struct EventDeleter {
  void operator()(event* ev) const { event_free(ev); }
};
struct ListenerDeleter {
  void operator()(evconnlistener* listener) const { evconnlistener_free(listener); }
};
struct BufferEventDeleter {
  void operator()(bufferevent* bev) const { bufferevent_free(bev); }
};
using EventBasePtr = std::unique_ptr<event_base, EventBaseDeleter>;
using EventPtr = std::unique_ptr<event, EventDeleter>;
using ListenerPtr = std::unique_ptr<evconnlistener, ListenerDeleter>;
using BufferEventPtr = std::unique_ptr<bufferevent, BufferEventDeleter>;

}  // namespace hookgate::gateway::loop
