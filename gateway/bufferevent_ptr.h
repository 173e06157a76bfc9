// Owning handle of a libevent bufferevent (plain socket or OpenSSL). Freeing it closes the
// socket (and frees the SSL) when it was created with BEV_OPT_CLOSE_ON_FREE, as every
// connection's is. Freeing from inside one of the bufferevent's own callbacks is safe.
#pragma once

#include <event2/bufferevent.h>

#include <memory>

namespace hookgate::gateway {

struct BufferEventDeleter {
  void operator()(bufferevent* bev) const { bufferevent_free(bev); }
};
using BufferEventPtr = std::unique_ptr<bufferevent, BufferEventDeleter>;

}  // namespace hookgate::gateway
