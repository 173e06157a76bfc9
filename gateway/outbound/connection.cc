#include "gateway/outbound/connection.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "gateway/outbound/tls_context.h"

namespace hookgate::gateway::outbound {

namespace {

timeval to_timeval(std::chrono::milliseconds d) {
  const auto ms = d.count() < 0 ? 0 : d.count();
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

// "connection refused": the C library's text, lower-cased to read as part of a sentence.
std::string describe_errno(int error) {
  std::string text = std::generic_category().message(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

void release_body(const void*, size_t, void* body) {
  // The evbuffer is done with the bytes: drop the reference that kept them alive.
  delete static_cast<std::shared_ptr<const std::string>*>(body);
}

}  // namespace

Connection::Socket& Connection::Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

void Connection::Socket::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int Connection::Socket::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Connection::Connection(const ConnectionTarget& target, ConnectionOwner* owner, std::uint64_t id)
    : target_(target),
      owner_(owner),
      id_(id),
      start_event_(event_new(target.base, -1, 0, &Connection::on_start, this)),
      connect_timer_(event_new(target.base, -1, 0, &Connection::on_connect_timeout, this)),
      idle_timer_(event_new(target.base, -1, 0, &Connection::on_idle_timer, this)) {}

Connection::~Connection() { close(); }

void Connection::open() {
  if (phase_ != Phase::created) return;
  phase_ = Phase::resolving;
  const timeval timeout = to_timeval(target_.connect_timeout);
  event_add(connect_timer_.get(), &timeout);
  // Starting on the next iteration keeps every report out of open()'s caller.
  event_active(start_event_.get(), 0, 0);
}

void Connection::close() {
  phase_ = Phase::closed;
  dns_request_.reset();
  connect_event_.reset();
  connecting_socket_.reset();
  bev_.reset();
  ssl_ = nullptr;
  if (start_event_) event_del(start_event_.get());
  if (connect_timer_) event_del(connect_timer_.get());
  if (idle_timer_) event_del(idle_timer_.get());
}

void Connection::fail(ConnectFailure failure, std::string detail) {
  close();
  owner_->on_connect_failed(*this, failure, std::move(detail));
}

void Connection::on_start(evutil_socket_t, short, void* self) {
  auto* connection = static_cast<Connection*>(self);
  if (connection->phase_ != Phase::resolving) return;
  const config::Endpoint& endpoint = connection->target_.endpoint;

  Address literal;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&literal.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&literal.storage);
  if (inet_pton(AF_INET, endpoint.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(endpoint.port);
    literal.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, endpoint.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(endpoint.port);
    literal.length = sizeof(sockaddr_in6);
  }
  if (literal.length > 0) {
    connection->addresses_.push_back(literal);
    connection->connect_next();
    return;
  }

  if (!connection->target_.dns) {
    connection->fail(ConnectFailure::dns, "no DNS resolver for host name " + endpoint.host);
    return;
  }
  evutil_addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  const std::string port = std::to_string(endpoint.port);
  // The callback may run before evdns_getaddrinfo returns (a hosts-file entry): the request
  // pointer is then null and nothing is pending.
  evdns_getaddrinfo_request* request = evdns_getaddrinfo(connection->target_.dns, endpoint.host.c_str(), port.c_str(),
                                                         &hints, &Connection::on_resolved, connection);
  if (request) connection->dns_request_.reset(request);
}

void Connection::on_resolved(int result, evutil_addrinfo* addresses, void* self) {
  if (result == EVUTIL_EAI_CANCEL) {  // `self` may be gone: the lookup was cancelled by close()
    if (addresses) evutil_freeaddrinfo(addresses);
    return;
  }
  auto* connection = static_cast<Connection*>(self);
  (void)connection->dns_request_.release();  // evdns frees the request after this callback
  if (result != 0) {
    if (addresses) evutil_freeaddrinfo(addresses);
    connection->fail(ConnectFailure::dns, std::string("dns lookup failed: ") + evutil_gai_strerror(result));
    return;
  }
  for (const evutil_addrinfo* ai = addresses; ai; ai = ai->ai_next) {
    if (!ai->ai_addr || ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Address address;
    std::memcpy(&address.storage, ai->ai_addr, ai->ai_addrlen);
    address.length = static_cast<socklen_t>(ai->ai_addrlen);
    connection->addresses_.push_back(address);
  }
  if (addresses) evutil_freeaddrinfo(addresses);
  if (connection->addresses_.empty()) {
    connection->fail(ConnectFailure::dns, "dns lookup returned no address");
    return;
  }
  connection->connect_next();
}

std::string Connection::describe_address(const Address& address) const {
  char text[INET6_ADDRSTRLEN] = "?";
  const auto* sa = reinterpret_cast<const sockaddr*>(&address.storage);
  if (sa->sa_family == AF_INET) {
    evutil_inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(target_.endpoint.port);
  }
  evutil_inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text, sizeof text);
  return "[" + std::string(text) + "]:" + std::to_string(target_.endpoint.port);
}

// Tries the remaining addresses in order; the first that accepts wins. Only the last error is
// reported: with several addresses it is the one nearest to working.
void Connection::connect_next() {
  phase_ = Phase::connecting;
  while (next_address_ < addresses_.size()) {
    const Address& address = addresses_[next_address_++];
    Socket socket(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
    if (socket.get() < 0) {
      last_connect_error_ = "socket: " + describe_errno(errno);
      continue;
    }
    const int one = 1;
    // The head and body are queued together; Nagle would only delay the last segment.
    (void)setsockopt(socket.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0) {
      tcp_established(std::move(socket));
      return;
    }
    if (errno == EINPROGRESS) {
      connect_event_.reset(event_new(target_.base, socket.get(), EV_WRITE, &Connection::on_connect_ready, this));
      connecting_socket_ = std::move(socket);
      event_add(connect_event_.get(), nullptr);
      return;
    }
    last_connect_error_ = describe_errno(errno) + " (" + describe_address(address) + ")";
  }
  fail(ConnectFailure::connect, last_connect_error_.empty() ? "no address to connect to" : last_connect_error_);
}

void Connection::on_connect_ready(evutil_socket_t fd, short, void* self) {
  auto* connection = static_cast<Connection*>(self);
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  Socket socket = std::move(connection->connecting_socket_);
  connection->connect_event_.reset();
  if (error != 0) {
    connection->last_connect_error_ =
        describe_errno(error) + " (" + connection->describe_address(connection->addresses_[connection->next_address_ - 1]) + ")";
    socket.reset();
    connection->connect_next();
    return;
  }
  connection->tcp_established(std::move(socket));
}

void Connection::tcp_established(Socket socket) {
  constexpr int kOptions = BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS;
  if (!target_.tls) {
    bev_.reset(bufferevent_socket_new(target_.base, socket.get(), kOptions));
    if (!bev_) {
      fail(ConnectFailure::connect, "cannot create bufferevent");
      return;
    }
    (void)socket.release();
    bufferevent_setcb(bev_.get(), &Connection::on_read, nullptr, &Connection::on_event, this);
    bufferevent_enable(bev_.get(), EV_READ | EV_WRITE);
    phase_ = Phase::established;
    event_del(connect_timer_.get());
    owner_->on_connected(*this);
    return;
  }

  std::string error;
  SslPtr ssl = make_client_ssl(target_.tls, target_.endpoint.host, target_.verify_tls, error);
  if (!ssl) {
    fail(ConnectFailure::tls, std::move(error));
    return;
  }
  SSL* raw = ssl.release();  // bufferevent_openssl_socket_new owns it from here, even on failure
  bev_.reset(bufferevent_openssl_socket_new(target_.base, socket.get(), raw, BUFFEREVENT_SSL_CONNECTING, kOptions));
  if (!bev_) {
    fail(ConnectFailure::tls, "cannot create TLS bufferevent");
    return;
  }
  (void)socket.release();
  ssl_ = raw;
  // Many servers close without close_notify; a body read until close still ends at EOF.
  bufferevent_openssl_set_allow_dirty_shutdown(bev_.get(), 1);
  bufferevent_setcb(bev_.get(), &Connection::on_read, nullptr, &Connection::on_event, this);
  bufferevent_enable(bev_.get(), EV_READ | EV_WRITE);
  phase_ = Phase::handshaking;
}

void Connection::on_connect_timeout(evutil_socket_t, short, void* self) {
  auto* connection = static_cast<Connection*>(self);
  const char* during = "connecting";
  if (connection->phase_ == Phase::resolving) during = "resolving";
  if (connection->phase_ == Phase::handshaking) during = "in tls handshake";
  connection->fail(ConnectFailure::timeout, "connect timed out after " +
                                                std::to_string(connection->target_.connect_timeout.count()) + "ms " +
                                                during);
}

void Connection::on_idle_timer(evutil_socket_t, short, void* self) {
  auto* connection = static_cast<Connection*>(self);
  connection->owner_->on_idle_timeout(*connection);
}

void Connection::on_read(bufferevent*, void* self) {
  auto* connection = static_cast<Connection*>(self);
  if (connection->phase_ != Phase::established) return;  // a deferred read after close()
  connection->owner_->on_readable(*connection);
}

void Connection::on_event(bufferevent* bev, short what, void* self) {
  auto* connection = static_cast<Connection*>(self);
  const int socket_error = EVUTIL_SOCKET_ERROR();  // restored by libevent for deferred callbacks
  if (connection->phase_ == Phase::handshaking) {
    if (what & BEV_EVENT_CONNECTED) {
      connection->phase_ = Phase::established;
      event_del(connection->connect_timer_.get());
      connection->owner_->on_connected(*connection);
      return;
    }
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
      const std::string fallback = (what & BEV_EVENT_EOF) || socket_error == 0
                                       ? std::string("connection closed during tls handshake")
                                       : "tls handshake failed: " + describe_errno(socket_error);
      connection->fail(ConnectFailure::tls, describe_tls_failure(connection->ssl_, bev, fallback));
    }
    return;
  }
  if (connection->phase_ != Phase::established) return;
  if (what & BEV_EVENT_EOF) {
    connection->owner_->on_lost(*connection, true, "connection closed by peer");
  } else if (what & BEV_EVENT_ERROR) {
    std::string detail = socket_error != 0 ? describe_errno(socket_error) : std::string("connection error");
    if (connection->ssl_) detail = describe_tls_failure(connection->ssl_, bev, detail);
    connection->owner_->on_lost(*connection, false, std::move(detail));
  }
}

void Connection::write(std::string_view head, std::shared_ptr<const std::string> body) {
  if (!bev_ || phase_ != Phase::established) return;
  evbuffer* output = bufferevent_get_output(bev_.get());
  evbuffer_add(output, head.data(), head.size());
  if (body && !body->empty()) {
    const std::string& bytes = *body;
    auto* keep = new std::shared_ptr<const std::string>(std::move(body));
    if (evbuffer_add_reference(output, bytes.data(), bytes.size(), &release_body, keep) != 0) {
      evbuffer_add(output, bytes.data(), bytes.size());
      delete keep;
    }
  }
}

evbuffer* Connection::input() const {
  return bev_ && phase_ == Phase::established ? bufferevent_get_input(bev_.get()) : nullptr;
}

bool Connection::output_pending() const {
  return bev_ && evbuffer_get_length(bufferevent_get_output(bev_.get())) > 0;
}

void Connection::park(std::chrono::milliseconds timeout) {
  const timeval tv = to_timeval(timeout);
  event_add(idle_timer_.get(), &tv);
}

void Connection::unpark() { event_del(idle_timer_.get()); }

}  // namespace hookgate::gateway::outbound
