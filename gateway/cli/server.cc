#include "gateway/cli/server.h"

#include <arpa/inet.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <netinet/in.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "gateway/connections/protocol_selector.h"
#include "gateway/loop/connection_drain.h"
#include "gateway/loop/libevent_handles.h"
#include "gateway/loop/socket_address.h"
#include "gateway/store/store_options.h"

namespace hookgate::gateway::cli {
namespace {

}  // namespace

// What one listening socket's accept callback needs: its loop and which listener it is.
struct Server::ListenerSlot {
  Worker* worker;
  size_t index;  // into config.server.listen, ports_, tls_
};

struct Server::Worker {
  Worker(Server& server, ingest::IngestPipeline& pipeline)
      : owner(server),
        context{loop, pipeline, server.config_->server, server.clock_, server.open_connections_, {}, false,
                &pipeline.http_refusals()} {}

  Server& owner;
  loop::EventLoop loop;
  connections::ConnectionContext context;  // destroyed before `loop`: connections free their bufferevents first
  std::vector<loop::ListenerPtr> listeners;
  std::vector<std::unique_ptr<ListenerSlot>> slots;  // outlive `listeners`' callbacks
  std::thread thread;
};

Server::Server(std::shared_ptr<const config::Config> config, const loop::Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

Server::~Server() { shutdown(); }

bool Server::start(std::string& error) {
  for (const auto& listener : config_->server.listen) {
    if (!listener.tls) {
      tls_.push_back(nullptr);
      continue;
    }
    std::string tls_error;
    auto context = connections::TlsContext::load(*listener.tls, tls_error);
    if (!context) {
      error = "listener " + listener.host + ":" + std::to_string(listener.port) + ": " + tls_error;
      return false;
    }
    tls_.push_back(std::move(context));
  }

  store_ = storage::EventStore::open(store::store_options(config_->storage), error);
  if (!store_) return false;
  alerter_ = std::make_unique<alerts::Alerter>(config_, *store_, clock_);
  pipeline_ = std::make_unique<ingest::IngestPipeline>(config_, *store_, clock_);
  delivery::EngineOptions engine_options;
  engine_options.alerter = alerter_.get();
  delivery_ = std::make_unique<delivery::DeliveryEngine>(config_, *store_, clock_, engine_options);
  // New deliveries start as soon as their batch commits: the writer wakes their queues.
  store_->set_delivery_observer([engine = delivery_.get()](const std::vector<std::string>& destinations) {
    engine->wake(destinations);
  });
  store_->set_batch_observer([metrics = &writer_metrics_](size_t operations, std::chrono::microseconds duration,
                                                          bool committed) {
    metrics->batch_size.observe(static_cast<double>(operations));
    if (committed) metrics->commit_seconds.observe(static_cast<double>(duration.count()) / 1e6);
  });
  if (!delivery_->start(error)) return false;
  if (config_->storage.retention) {
    retention_ = std::make_unique<store::RetentionSweeper>(store::store_location(config_->storage),
                                                           *config_->storage.retention, clock_);
    if (!retention_->start(error)) return false;
  }

  alert_watcher_ = std::make_unique<alerts::AlertWatcher>(config_, *pipeline_, *alerter_, clock_);
  alert_watcher_->start();

  for (const auto& listener : config_->server.listen) ports_.push_back(listener.port);

  unsigned threads = config_->server.io_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(*this, *pipeline_));
    if (!bind_listeners(*workers_.back(), error)) return false;
  }
  for (size_t i = 0; i < config_->server.listen.size(); ++i) {
    const auto& listener = config_->server.listen[i];
    bound_.push_back(loop::host_port(listener.host, ports_[i]));
  }
  for (auto& worker : workers_) {
    worker->thread = std::thread([w = worker.get()] {
      pthread_setname_np(pthread_self(), "hg-io");
      w->loop.run();
    });
  }
  if (config_->admin) {
    admin_ = std::make_unique<admin::AdminServer>(
        config_,
        admin::AdminTargets{*pipeline_, *delivery_, *store_, writer_metrics_, open_connections_, draining_, *alerter_},
        clock_);
    if (!admin_->start(error)) return false;
  }
  return true;
}

std::vector<std::string> Server::reload(std::shared_ptr<const config::Config> next) {
  std::vector<std::string> restart_needed;
  if (!(next->server == config_->server)) restart_needed.emplace_back("server");
  if (!(next->storage == config_->storage)) restart_needed.emplace_back("storage");
  if (next->admin != config_->admin) restart_needed.emplace_back("admin");
  if (next->log.format != config_->log.format) restart_needed.emplace_back("log.format");
  pipeline_->reconfigure(next);
  alerter_->reconfigure(next);
  alert_watcher_->reconfigure(next);
  delivery_->reconfigure(std::move(next));
  return restart_needed;
}

bool Server::bind_listeners(Worker& worker, std::string& error) {
  for (size_t i = 0; i < config_->server.listen.size(); ++i) {
    const auto& listener = config_->server.listen[i];
    const std::string text = loop::host_port(listener.host, ports_[i]);
    sockaddr_storage address{};
    int length = 0;
    if (!loop::make_address(listener.host, ports_[i], address, length)) {
      error = "listener " + text + ": not an IP address and port";
      return false;
    }
    // Every loop binds the same port (SO_REUSEPORT): the kernel spreads connections.
    worker.slots.push_back(std::make_unique<ListenerSlot>(ListenerSlot{&worker, i}));
    evconnlistener* raw = evconnlistener_new_bind(
        worker.loop.base(), &Server::on_accept, worker.slots.back().get(),
        LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT,
        1024, reinterpret_cast<sockaddr*>(&address), length);
    if (!raw) {
      error = "cannot listen on " + text + ": " + evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR());
      return false;
    }
    worker.listeners.emplace_back(raw);
    if (ports_[i] == 0) ports_[i] = loop::bound_port(evconnlistener_get_fd(raw));
  }
  return true;
}

void Server::on_accept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int, void* arg) {
  const auto& slot = *static_cast<ListenerSlot*>(arg);
  Worker& worker = *slot.worker;
  connections::adopt_accepted(worker.context, fd, address, worker.owner.tls_[slot.index].get(),
                              worker.owner.config_->server.max_connections);
}

std::vector<std::string> Server::listener_urls() const {
  std::vector<std::string> urls;
  for (size_t i = 0; i < bound_.size(); ++i) urls.push_back((tls_[i] ? "https://" : "http://") + bound_[i]);
  return urls;
}

std::vector<Server::TlsReload> Server::reload_tls() {
  std::vector<TlsReload> results;
  for (size_t i = 0; i < tls_.size() && i < bound_.size(); ++i) {
    if (!tls_[i]) continue;
    TlsReload result;
    result.address = bound_[i];
    result.reloaded = tls_[i]->reload(result.error);
    results.push_back(std::move(result));
  }
  if (admin_ && admin_->serves_tls()) {
    TlsReload result;
    result.address = admin_->bound_address();
    result.admin = true;
    result.reloaded = admin_->reload_tls(result.error);
    results.push_back(std::move(result));
  }
  return results;
}

void Server::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  draining_ = true;  // /readyz answers 503 from now on
  for (auto& worker : workers_) {
    if (!worker->thread.joinable()) continue;
    worker->loop.post([w = worker.get()] {
      w->listeners.clear();
      w->context.draining = true;
      const auto connections = w->context.connections;  // drain() may remove itself
      for (const auto& connection : connections) connection->drain();
    });
  }
  // In-flight requests finish normally while the store keeps committing.
  (void)loop::wait_for_connections_to_close(open_connections_, config_->server.shutdown_grace,
                                            std::chrono::milliseconds(10), clock_);
  // Attempts in flight get the same grace to finish and be recorded, before the writer closes.
  if (retention_) retention_->stop();
  if (alert_watcher_) alert_watcher_->stop();
  if (admin_) admin_->stop();  // before what it reads and steers goes
  if (delivery_) delivery_->stop(config_->server.shutdown_grace);
  if (store_) store_->close();  // commits whatever is still queued; answers are posted to the loops
  for (auto& worker : workers_) {
    if (!worker->thread.joinable()) continue;
    worker->loop.stop();
    worker->thread.join();
  }
  if (open_connections_.load() > 0) {
    spdlog::warn("shutdown: closed {} connections still open after the grace period", open_connections_.load());
  }
  workers_.clear();
}

}  // namespace hookgate::gateway::cli
