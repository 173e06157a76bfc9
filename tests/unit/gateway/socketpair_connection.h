// The connection adapters' test bench: a real loop on its own thread, one ConnectionContext,
// and a socketpair whose server end a connection of type `C` (Http1Connection,
// Http2Connection) adopts; the test speaks on the client end.
#pragma once

#include <event2/bufferevent.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>

#include "config/config.h"
#include "gateway/connections/connection_context.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/event_loop.h"
#include "gateway/metrics/status_counters.h"

namespace hookgate::gateway::testing {

template <class C>
class SocketpairConnection {
 public:
  // Starts the loop and a `C` on the server end; client() is the other end.
  SocketpairConnection(connections::RequestHandler& handler, config::ServerConfig limits) : limits_(std::move(limits)) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    client_ = fds[0];
    context_ = std::make_unique<connections::ConnectionContext>(
        connections::ConnectionContext{loop_, handler, limits_, clock_, open, {}, false, &refusals});
    thread_ = std::thread([this] { loop_.run(); });
    on_loop([this, server = fds[1]] {
      evutil_make_socket_nonblocking(server);
      loop::BufferEventPtr bev(bufferevent_socket_new(loop_.base(), server, BEV_OPT_CLOSE_ON_FREE));
      auto connection = std::make_shared<C>(*context_, std::move(bev), "test-peer", 1);
      open.fetch_add(1);
      context_->connections.insert(connection);
      connection->start();
    });
  }
  ~SocketpairConnection() {
    drain();
    ::close(client_);
    loop_.stop();
    thread_.join();
    context_.reset();  // what is left is freed here, after the loop
  }
  SocketpairConnection(const SocketpairConnection&) = delete;
  SocketpairConnection& operator=(const SocketpairConnection&) = delete;

  [[nodiscard]] int client() const { return client_; }

  // Runs `task` on the loop and waits for it.
  void on_loop(const std::function<void()>& task) {
    std::promise<void> done;
    loop_.post([&] {
      task();
      done.set_value();
    });
    done.get_future().wait();
  }

  // Drains every connection (shutdown's first step).
  void drain() {
    on_loop([this] {
      const auto connections = context_->connections;
      for (const auto& connection : connections) connection->drain();
    });
  }

  std::atomic<uint32_t> open{0};  // the connections still open: 0 once the adapter closed
  metrics::StatusCounters refusals;  // the answers the adapter gave itself

 private:
  config::ServerConfig limits_;
  loop::SystemClock clock_;
  loop::EventLoop loop_;
  std::unique_ptr<connections::ConnectionContext> context_;
  std::thread thread_;
  int client_ = -1;
};

}  // namespace hookgate::gateway::testing
