#include "gateway/connections/protocol_selector.h"

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "gateway/connections/accepted_bufferevent.h"
#include "gateway/connections/http1_connection.h"
#include "gateway/connections/http2_connection.h"
#include "gateway/connections/protocol_sniffer.h"
#include "gateway/connections/request_id.h"
#include "gateway/loop/socket_address.h"

namespace hookgate::gateway::connections {

void adopt_accepted(ConnectionContext& context, evutil_socket_t fd, const sockaddr* address, const TlsContext* tls,
                    uint32_t max_open) {
  if (context.draining || context.open_connections.load(std::memory_order_relaxed) >= max_open) {
    evutil_closesocket(fd);
    return;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::shared_ptr<const TlsCertificateSet> certificates;
  loop::BufferEventPtr bev = accepted_bufferevent(context.loop.base(), fd, tls, certificates);
  if (!bev) {
    spdlog::error("cannot set up an accepted connection (out of memory?)");
    evutil_closesocket(fd);
    return;
  }
  auto connection = std::make_shared<ProtocolSelector>(context, std::move(bev), loop::format_address(address),
                                                       std::move(certificates));
  context.open_connections.fetch_add(1, std::memory_order_relaxed);
  context.connections.insert(connection);
  connection->start();
}

ProtocolSelector::ProtocolSelector(ConnectionContext& context, loop::BufferEventPtr bev, std::string peer,
                                   std::shared_ptr<const TlsCertificateSet> certificates)
    : context_(context),
      bev_(std::move(bev)),
      deadline_(event_new(context.loop.base(), -1, 0, &ProtocolSelector::on_deadline, this)),
      peer_(std::move(peer)),
      connection_id_(next_connection_id()),
      certificates_(std::move(certificates)),
      handshake_done_(!certificates_) {}

ProtocolSelector::~ProtocolSelector() = default;

void ProtocolSelector::start() {
  bufferevent_setcb(bev_.get(), &ProtocolSelector::on_read, nullptr, &ProtocolSelector::on_event, this);
  bufferevent_enable(bev_.get(), EV_READ | EV_WRITE);
  const auto ms = context_.limits.header_timeout.count();
  const timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
  event_add(deadline_.get(), &tv);
}

void ProtocolSelector::drain() { close(); }

void ProtocolSelector::on_read(bufferevent*, void* self) {
  auto* selector = static_cast<ProtocolSelector*>(self);
  // Application data on a TLS bufferevent means the handshake is over, whether or not the
  // CONNECTED event came first.
  selector->handshake_done_ = true;
  selector->choose();
}

void ProtocolSelector::on_event(bufferevent*, short what, void* self) {
  auto* selector = static_cast<ProtocolSelector*>(self);
  if (what & BEV_EVENT_CONNECTED) {
    selector->handshake_done_ = true;
    selector->choose();
    return;
  }
  if (what & BEV_EVENT_ERROR) {
    // Scanners and clients that distrust the certificate end here: debug, not noise.
    const unsigned long ssl_error = selector->certificates_ ? bufferevent_get_openssl_error(selector->bev_.get()) : 0;
    spdlog::debug("connection failed before a request connection={} peer={} tls_error={}", selector->connection_id_,
                  selector->peer_, ssl_error);
  }
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) selector->close();
}

void ProtocolSelector::on_deadline(evutil_socket_t, short, void* self) {
  auto* selector = static_cast<ProtocolSelector*>(self);
  spdlog::debug("no request within header_timeout connection={} peer={}", selector->connection_id_, selector->peer_);
  selector->close();
}

void ProtocolSelector::choose() {
  if (!bev_ || !handshake_done_) return;
  if (certificates_) {
    switch (negotiated_protocol(bufferevent_openssl_get_ssl(bev_.get()))) {
      case AlpnProtocol::http2: hand_off(true); return;
      case AlpnProtocol::http1: hand_off(false); return;
      case AlpnProtocol::none: break;  // tell by the first bytes, as in cleartext
    }
  }
  evbuffer* input = bufferevent_get_input(bev_.get());
  const size_t available = std::min(evbuffer_get_length(input), kHttp2Preface.size());
  if (available == 0) return;
  const auto* bytes = reinterpret_cast<const char*>(evbuffer_pullup(input, static_cast<ev_ssize_t>(available)));
  switch (sniff_protocol(std::string_view(bytes, available))) {
    case Sniffed::need_more: return;
    case Sniffed::http1: hand_off(false); return;
    case Sniffed::http2: hand_off(true); return;
  }
}

void ProtocolSelector::hand_off(bool http2) {
  event_del(deadline_.get());
  // After the handshake the set is not needed: the SSL holds its own context references.
  certificates_.reset();
  const auto self = shared_from_this();
  if (http2) {
    auto next = std::make_shared<Http2Connection>(context_, std::move(bev_), std::move(peer_), connection_id_);
    context_.hand_off(self, next);
    next->start();
  } else {
    auto next = std::make_shared<Http1Connection>(context_, std::move(bev_), std::move(peer_), connection_id_);
    context_.hand_off(self, next);
    next->start();
  }
}

void ProtocolSelector::close() {
  if (!bev_) return;
  event_del(deadline_.get());
  bev_.reset();
  context_.forget(shared_from_this());
}

}  // namespace hookgate::gateway::connections
