// The bufferevent of an accepted connection, for every listener: plain, or with OpenSSL
// accepting when the listener has TLS. `certificates` is set to the certificate set the
// handshake uses: the caller keeps it until the handshake is over (SNI runs inside it).
#pragma once

#include <event2/util.h>

#include <memory>

#include "gateway/connections/tls_context.h"
#include "gateway/loop/libevent_handles.h"

struct event_base;

namespace hookgate::gateway::connections {

// Null when it cannot be set up (out of memory); the socket is then the caller's to close.
[[nodiscard]] loop::BufferEventPtr accepted_bufferevent(event_base* base, evutil_socket_t fd, const TlsContext* tls,
                                                        std::shared_ptr<const TlsCertificateSet>& certificates);

}  // namespace hookgate::gateway::connections
