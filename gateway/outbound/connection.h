// One outbound TCP (+TLS) connection, knowing nothing of HTTP: resolves the endpoint's host
// (evdns; an IP literal never goes through DNS), connects to each resolved address in turn
// until one accepts, runs the TLS handshake, then moves bytes for its owner.
//
// Loop thread only. Reports to the owner happen only inside libevent callbacks, never inside
// open(), write() or park(), and each report is the last thing its callback does: the owner may
// close() the connection from a report, but must not destroy it there (it defers the deletion).
// The bufferevent is created with BEV_OPT_DEFER_CALLBACKS, so a write never re-enters the owner.
#pragma once

#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/loop/event_loop.h"

namespace hookgate::gateway::outbound {

enum class ConnectFailure { dns, connect, timeout, tls };

class Connection;

class ConnectionOwner {
 public:
  // Established (TLS handshake done for https): write() may be called.
  virtual void on_connected(Connection& connection) = 0;
  // Could not be established; the connection is already closed.
  virtual void on_connect_failed(Connection& connection, ConnectFailure failure, std::string detail) = 0;
  // New bytes wait in input().
  virtual void on_readable(Connection& connection) = 0;
  // The peer closed (`eof`) or the connection broke after it was established. input() still
  // holds what arrived before; the owner reads it, then must close() the connection.
  virtual void on_lost(Connection& connection, bool eof, std::string detail) = 0;
  // A parked connection reached its idle timeout.
  virtual void on_idle_timeout(Connection& connection) = 0;

 protected:
  ~ConnectionOwner() = default;
};

// What every connection of one pool shares. Owned by the pool; outlives its connections.
struct ConnectionTarget {
  event_base* base = nullptr;
  evdns_base* dns = nullptr;  // null: only IP-literal hosts can be reached
  config::Endpoint endpoint;
  SSL_CTX* tls = nullptr;  // set for https
  bool verify_tls = true;
  std::chrono::milliseconds connect_timeout{5000};
};

class Connection {
 public:
  enum class Phase { created, resolving, connecting, handshaking, established, closed };

  Connection(const ConnectionTarget& target, ConnectionOwner* owner, std::uint64_t id);
  ~Connection();  // close()
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void set_owner(ConnectionOwner* owner) { owner_ = owner; }

  // Starts resolving and connecting from the next loop iteration. Exactly one of on_connected
  // and on_connect_failed follows, within the connect timeout (DNS + TCP + TLS).
  void open();

  // Queues the request bytes; only once established. `body` is referenced, not copied, until
  // the kernel (or TLS) took it.
  void write(std::string_view head, std::shared_ptr<const std::string> body);

  // Received bytes not yet drained by the owner; null unless established.
  [[nodiscard]] evbuffer* input() const;
  // True while queued bytes have not all been written.
  [[nodiscard]] bool output_pending() const;

  // Parks an established connection: on_idle_timeout after `timeout`. Reading stays on, so the
  // peer's close or any stray byte is reported at once.
  void park(std::chrono::milliseconds timeout);
  void unpark();

  // Releases the socket, the TLS session, a pending DNS lookup and the timers. No report follows.
  // Idempotent; safe inside the connection's own callbacks.
  void close();

  [[nodiscard]] Phase phase() const { return phase_; }
  [[nodiscard]] std::uint64_t id() const { return id_; }

 private:
  // Cancelling makes evdns call back later with EVUTIL_EAI_CANCEL, which on_resolved ignores
  // without touching the (then possibly freed) connection.
  struct DnsRequestCanceller {
    void operator()(evdns_getaddrinfo_request* request) const { evdns_getaddrinfo_cancel(request); }
  };
  class Socket {
   public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() { reset(); }
    Socket(Socket&& other) noexcept : fd_(other.release()) {}
    Socket& operator=(Socket&& other) noexcept;
    void reset();
    [[nodiscard]] int get() const { return fd_; }
    int release();

   private:
    int fd_ = -1;
  };
  struct Address {
    sockaddr_storage storage{};
    socklen_t length = 0;
  };

  static void on_start(evutil_socket_t, short, void* self);
  static void on_resolved(int result, evutil_addrinfo* addresses, void* self);
  static void on_connect_ready(evutil_socket_t, short, void* self);
  static void on_connect_timeout(evutil_socket_t, short, void* self);
  static void on_idle_timer(evutil_socket_t, short, void* self);
  static void on_read(bufferevent*, void* self);
  static void on_event(bufferevent*, short what, void* self);

  void connect_next();
  void tcp_established(Socket socket);
  void fail(ConnectFailure failure, std::string detail);
  [[nodiscard]] std::string describe_address(const Address& address) const;

  const ConnectionTarget& target_;
  ConnectionOwner* owner_;
  std::uint64_t id_;
  Phase phase_ = Phase::created;

  loop::EventPtr start_event_;
  loop::EventPtr connect_timer_;
  loop::EventPtr idle_timer_;
  std::unique_ptr<evdns_getaddrinfo_request, DnsRequestCanceller> dns_request_;
  std::vector<Address> addresses_;
  size_t next_address_ = 0;
  std::string last_connect_error_;
  Socket connecting_socket_;
  loop::EventPtr connect_event_;
  loop::BufferEventPtr bev_;
  SSL* ssl_ = nullptr;  // owned by bev_ (BEV_OPT_CLOSE_ON_FREE)
};

}  // namespace hookgate::gateway::outbound
