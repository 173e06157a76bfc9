// The first owner of every accepted connection: finishes the TLS handshake (on a TLS
// listener), then chooses the protocol and hands the socket over, bytes already read
// included, to an Http1Connection or an Http2Connection:
//   - TLS with ALPN "h2" → HTTP/2; ALPN "http/1.1" → HTTP/1.1;
//   - cleartext, or TLS without ALPN → by the first bytes (protocol_sniffer.h): the HTTP/2
//     preface means h2 with prior knowledge, anything else HTTP/1.1. A partial preface waits.
// The handshake and the first bytes must arrive within header_timeout; otherwise, on a
// handshake failure, or on SIGTERM, the connection is closed without an answer.
// Owned by its ConnectionContext; loop thread only.
#pragma once

#include <event2/util.h>

#include <cstdint>
#include <memory>
#include <string>

#include "gateway/connections/connection_context.h"
#include "gateway/connections/tls_context.h"
#include "gateway/loop/event_loop.h"
#include "gateway/loop/libevent_handles.h"

struct sockaddr;

namespace hookgate::gateway::connections {

// What every listener does with a socket it accepted (`address`: the peer's): closes it while
// the context drains or once context.open_connections reaches `max_open`; otherwise sets
// TCP_NODELAY and hands it, in a bufferevent (accepting TLS when `tls` is set), to a
// ProtocolSelector counted in open_connections. Loop thread of `context`.
void adopt_accepted(ConnectionContext& context, evutil_socket_t fd, const sockaddr* address, const TlsContext* tls,
                    uint32_t max_open);

class ProtocolSelector final : public Connection, public std::enable_shared_from_this<ProtocolSelector> {
 public:
  // `certificates`: null on a cleartext listener; otherwise the set `bev` (an OpenSSL
  // bufferevent in accepting state) was created from, kept alive until the handshake is over.
  ProtocolSelector(ConnectionContext& context, loop::BufferEventPtr bev, std::string peer,
                   std::shared_ptr<const TlsCertificateSet> certificates);
  ~ProtocolSelector() override;

  // Call once the shared_ptr exists and is in the context's set.
  void start();
  void drain() override;

 private:
  static void on_read(bufferevent*, void* self);
  static void on_event(bufferevent*, short what, void* self);
  static void on_deadline(evutil_socket_t, short, void* self);

  void choose();
  void hand_off(bool http2);
  void close();

  ConnectionContext& context_;
  loop::BufferEventPtr bev_;  // null once handed off or closed
  loop::EventPtr deadline_;
  std::string peer_;
  const uint64_t connection_id_;  // request_id.h; handed on to the session chosen
  std::shared_ptr<const TlsCertificateSet> certificates_;
  bool handshake_done_ = false;
};

}  // namespace hookgate::gateway::connections
