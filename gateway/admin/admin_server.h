// The admin listener (admin.listen): its own loop and thread, so a slow scrape or a large
// events query never delays ingest. Serves the AdminApi over HTTP/1.1 and h2c, or, when
// admin.listen has tls, over TLS with ALPN (h2, http/1.1) exactly as a server TLS listener
// does (tls_context.h). reload_tls() re-reads its certificate files (SIGHUP), as for server.listen.
//
// Threading: construct, start() and stop() from the control thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "config/config.h"
#include "gateway/admin/admin_api.h"
#include "gateway/admin/metrics_page.h"
#include "gateway/connections/connection_context.h"
#include "gateway/connections/tls_context.h"
#include "gateway/loop/event_loop.h"

struct evconnlistener;

namespace hookgate::gateway::admin {

// The parts of the running server the admin API reads and steers.
struct AdminTargets {
  ingest::IngestPipeline& pipeline;
  delivery::DeliveryEngine& delivery;
  storage::EventStore& store;
  const WriterMetrics& writer;
  const std::atomic<uint32_t>& open_connections;  // inbound, public listeners
  const std::atomic<bool>& draining;              // set when shutdown begins
  const alerts::Alerter& alerter;
};

class AdminServer {
 public:
  AdminServer(std::shared_ptr<const config::Config> config, AdminTargets targets, const loop::Clock& clock);
  ~AdminServer();

  // Loads admin.listen's certificates (fails closed, naming the file), opens its database
  // connections and binds admin.listen. False with `error` on failure.
  [[nodiscard]] bool start(std::string& error);
  // "127.0.0.1:9090" as bound (the port resolved when 0); valid after start().
  [[nodiscard]] const std::string& bound_address() const { return bound_; }
  // Re-reads admin.listen's certificate files: new handshakes use them, a failure keeps the
  // current ones (`error` says why). False without an error when the listener is cleartext.
  [[nodiscard]] bool reload_tls(std::string& error);
  [[nodiscard]] bool serves_tls() const { return tls_ != nullptr; }
  // Closes the listener and every admin connection, stops the thread. Idempotent.
  void stop();

 private:
  class Control;
  static void on_accept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int length, void* self);
  static void on_sample(evutil_socket_t, short, void* self);

  std::shared_ptr<const config::Config> config_;
  AdminTargets targets_;
  const loop::Clock& clock_;
  loop::EventLoop loop_;
  std::unique_ptr<Control> control_;
  std::unique_ptr<AdminApi> api_;
  std::atomic<uint32_t> open_connections_{0};
  std::unique_ptr<connections::ConnectionContext> context_;
  std::unique_ptr<connections::TlsContext> tls_;  // null for cleartext
  loop::ListenerPtr listener_;
  loop::EventPtr sample_timer_;  // the console's counter history
  std::string bound_;
  std::thread thread_;
};

}  // namespace hookgate::gateway::admin
