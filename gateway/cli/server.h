// The serving process: I/O loops with their listeners, the event store, the ingest pipeline,
// and an orderly shutdown (stop accepting, finish in-flight requests, flush the writer).
//
// Threading: construct, start() and shutdown() from one control thread; the loops run on
// threads of their own.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "gateway/admin/admin_server.h"
#include "gateway/admin/metrics_page.h"
#include "gateway/alerts/alert_watcher.h"
#include "gateway/alerts/alerter.h"
#include "gateway/connections/connection_context.h"
#include "gateway/connections/tls_context.h"
#include "gateway/delivery/delivery_engine.h"
#include "gateway/ingest/ingest_pipeline.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/event_loop.h"
#include "gateway/store/retention_sweeper.h"
#include "storage/event_store.h"

struct evconnlistener;

namespace hookgate::gateway::cli {

class Server {
 public:
  Server(std::shared_ptr<const config::Config> config, const loop::Clock& clock);
  ~Server();

  // Loads the TLS certificates (fails closed: a file that does not load is an error naming
  // it), opens the store, binds every listener, starts the loops. False with `error` on failure.
  [[nodiscard]] bool start(std::string& error);

  // The addresses actually bound ("127.0.0.1:43123"), in config order; valid after start().
  [[nodiscard]] const std::vector<std::string>& bound_addresses() const { return bound_; }
  // The same as URLs: "http://127.0.0.1:43123", "https://[::1]:8443" for TLS listeners.
  [[nodiscard]] std::vector<std::string> listener_urls() const;

  // Reads every TLS listener's certificate files again (SIGHUP). A listener whose new files
  // load serves them to new handshakes, while open connections go on with the old ones; one
  // whose files do not load keeps its current certificates. One entry per TLS listener, in
  // config order. Control thread, after start().
  struct TlsReload {
    std::string address;  // as in bound_addresses(), or admin_address()
    bool admin = false;   // the admin listener's certificates
    bool reloaded = false;
    std::string error;    // why not, when !reloaded
  };
  [[nodiscard]] std::vector<TlsReload> reload_tls();

  // SIGHUP: serves `next`'s sources, secrets, destinations and routes from the next request
  // on, atomically (each request and attempt sees the old or the new set, never a mix).
  // Sections that only a restart can change (server, storage, admin, log format) keep their
  // running values; their names are returned so the caller can say so.
  // `next` must be a validated config. Control thread, after start().
  [[nodiscard]] std::vector<std::string> reload(std::shared_ptr<const config::Config> next);

  // Stops accepting, lets in-flight requests finish for up to server.shutdown_grace, closes
  // every connection, commits everything queued and stops the loops. Idempotent.
  void shutdown();

  // The admin listener's address as bound, or empty without an admin section.
  [[nodiscard]] std::string admin_address() const { return admin_ ? admin_->bound_address() : std::string(); }

  [[nodiscard]] const ingest::IngestPipeline& pipeline() const { return *pipeline_; }
  [[nodiscard]] storage::WriterStats writer_stats() const { return store_->stats(); }
  [[nodiscard]] delivery::DeliveryEngine& delivery() const { return *delivery_; }

 private:
  struct Worker;
  struct ListenerSlot;
  static void on_accept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int length, void* slot);
  bool bind_listeners(Worker& worker, std::string& error);

  std::shared_ptr<const config::Config> config_;  // as started: server, storage and admin stay
  const loop::Clock& clock_;
  std::unique_ptr<storage::EventStore> store_;
  std::unique_ptr<alerts::Alerter> alerter_;             // after store_, which it writes to
  std::unique_ptr<ingest::IngestPipeline> pipeline_;
  std::unique_ptr<alerts::AlertWatcher> alert_watcher_;  // reads pipeline_, raises through alerter_
  std::unique_ptr<delivery::DeliveryEngine> delivery_;  // after store_: destroyed before it
  std::unique_ptr<store::RetentionSweeper> retention_;          // only with storage.retention
  admin::WriterMetrics writer_metrics_;
  std::unique_ptr<admin::AdminServer> admin_;                   // only with an admin section
  std::atomic<uint32_t> open_connections_{0};
  std::atomic<bool> draining_{false};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<connections::TlsContext>> tls_;  // per listener; null for cleartext
  std::vector<uint16_t> ports_;  // per listener: the port all workers bind (resolved from 0 once)
  std::vector<std::string> bound_;
  bool stopped_ = false;
};

}  // namespace hookgate::gateway::cli
