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
#include "gateway/clock.h"
#include "gateway/connection_context.h"
#include "gateway/delivery/delivery_engine.h"
#include "gateway/retention_sweeper.h"
#include "gateway/event_loop.h"
#include "gateway/ingest_pipeline.h"
#include "storage/event_store.h"

struct evconnlistener;

namespace hookgate::gateway {

class Server {
 public:
  Server(std::shared_ptr<const config::Config> config, const Clock& clock);
  ~Server();

  // Opens the store, binds every listener, starts the loops. False with `error` on failure.
  [[nodiscard]] bool start(std::string& error);

  // The addresses actually bound ("127.0.0.1:43123"), in config order; valid after start().
  [[nodiscard]] const std::vector<std::string>& bound_addresses() const { return bound_; }

  // Stops accepting, lets in-flight requests finish for up to server.shutdown_grace, closes
  // every connection, commits everything queued and stops the loops. Idempotent.
  void shutdown();

  [[nodiscard]] const IngestPipeline& pipeline() const { return *pipeline_; }
  [[nodiscard]] storage::WriterStats writer_stats() const { return store_->stats(); }
  [[nodiscard]] delivery::DeliveryEngine& delivery() const { return *delivery_; }

 private:
  struct Worker;
  static void on_accept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int length, void* worker);
  bool bind_listeners(Worker& worker, std::string& error);

  std::shared_ptr<const config::Config> config_;
  const Clock& clock_;
  std::unique_ptr<storage::EventStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
  std::unique_ptr<delivery::DeliveryEngine> delivery_;  // after store_: destroyed before it
  std::unique_ptr<RetentionSweeper> retention_;          // only with storage.retention
  std::atomic<uint32_t> open_connections_{0};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<uint16_t> ports_;  // per listener: the port all workers bind (resolved from 0 once)
  std::vector<std::string> bound_;
  bool stopped_ = false;
};

}  // namespace hookgate::gateway
