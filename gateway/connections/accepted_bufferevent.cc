#include "gateway/connections/accepted_bufferevent.h"

#include <event2/bufferevent_ssl.h>

namespace hookgate::gateway::connections {

loop::BufferEventPtr accepted_bufferevent(event_base* base, evutil_socket_t fd, const TlsContext* tls,
                                          std::shared_ptr<const TlsCertificateSet>& certificates) {
  loop::BufferEventPtr bev;
  if (tls == nullptr) {
    bev.reset(bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE));
    return bev;
  }
  certificates = tls->current();
  loop::SslPtr ssl = certificates->new_connection();
  if (!ssl) return bev;
  bev.reset(bufferevent_openssl_socket_new(base, fd, ssl.get(), BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE));
  if (bev) (void)ssl.release();  // the bufferevent frees it
  return bev;
}

}  // namespace hookgate::gateway::connections
