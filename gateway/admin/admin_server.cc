#include "gateway/admin/admin_server.h"

#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <future>

#include "gateway/admin/counter_keys.h"
#include "gateway/connections/protocol_selector.h"
#include "gateway/loop/connection_drain.h"
#include "gateway/loop/libevent_handles.h"
#include "gateway/loop/socket_address.h"
#include "gateway/store/store_options.h"

namespace hookgate::gateway::admin {
namespace {

// Operators and scrapers, not vendors: a few connections are plenty, and a cap keeps a
// misbehaving script from holding sockets.
constexpr uint32_t kMaxAdminConnections = 64;
// How often the console's per-minute history takes the counters (a minute starts up to this late).
constexpr timeval kSampleInterval{5, 0};

std::string provider_of(const verify::VerifySpec& spec) {
  if (!spec.provider.empty()) return spec.provider;
  if (spec.hmac) return "hmac";
  if (spec.signature) return "signature";
  if (spec.token) return "token";
  if (spec.basic_auth) return "basic_auth";
  return "none";
}

}  // namespace

// AdminControl over the running server. Admin loop thread only (its backlog queries are its own).
class AdminServer::Control final : public AdminControl {
 public:
  Control(const config::Config& config, AdminTargets& targets, std::unique_ptr<storage::EventQueries> backlog,
          const loop::Clock& clock)
      : config_(config), targets_(targets), backlog_(std::move(backlog)), clock_(clock) {}

  std::string metrics_text() override {
    return render_metrics(MetricsSources{
        .pipeline = targets_.pipeline,
        .delivery = targets_.delivery,
        .writer = targets_.writer,
        .writer_stats = targets_.store.stats(),
        .store_queue_depth = targets_.store.queue_depth(),
        .open_connections = targets_.open_connections.load(std::memory_order_relaxed),
        .backlog = [this](const std::string& destination) { return backlog_->backlog(destination); },
        .now_ms = clock_.now_unix_ms(),
        .alerts = &targets_.alerter.stats(),
    });
  }

  std::optional<std::string> not_ready_reason() const override {
    if (targets_.draining.load()) return "draining";
    const storage::WriterStats stats = targets_.store.stats();
    if (!stats.last_batch_committed) return "store_failing";
    if (stats.at_max_size) return "store_full";
    return std::nullopt;
  }

  bool pause(const std::string& destination) override { return targets_.delivery.pause(destination); }
  bool resume(const std::string& destination) override { return targets_.delivery.resume(destination); }
  void rescheduled(const std::vector<std::string>& destinations) override { targets_.delivery.wake(destinations); }

  void cancelled(const std::string& destination) override { targets_.delivery.count_cancelled(destination); }

  std::vector<DestinationState> destinations() const override {
    std::vector<DestinationState> out;
    for (const auto& name : targets_.delivery.destination_names()) {
      DestinationState state;
      state.name = name;
      if (const auto* stats = targets_.delivery.stats(name)) {
        state.paused = stats->paused.load();
        state.disabled = stats->disabled.load();
        state.circuit_open = stats->circuit_open.load();
        state.in_flight = stats->in_flight.load();
      }
      for (const auto& destination : config_.destinations) {
        if (destination.name == name) state.url_host = destination.endpoint.authority;
      }
      out.push_back(std::move(state));
    }
    return out;
  }

  std::vector<SourceInfo> sources() const override {
    std::vector<SourceInfo> out;
    for (const auto& source : config_.sources) out.push_back(SourceInfo{source.name, provider_of(source.verify)});
    return out;
  }

  CounterSnapshot counters() const override {
    CounterSnapshot out;
    for (const auto& source : config_.sources) {
      const ingest::SourceStats* stats = targets_.pipeline.source_stats(source.name);
      if (!stats) continue;
      const auto put = [&](std::string_view what, uint64_t value) { out[counter_keys::source(source.name, what)] = value; };
      put("received", stats->received.load());
      put("stored", stats->stored.load());
      put("duplicates", stats->duplicates.load());
      uint64_t rejected = 0;
      for (size_t v = 1; v < ingest::kVerdictCount; ++v) {
        const uint64_t n = stats->rejected[v].load();
        rejected += n;
        if (n) put("rejected." + std::string(verify::to_string(static_cast<verify::Verdict>(v))), n);
      }
      put("rejected", rejected);
    }
    for (const auto& name : targets_.delivery.destination_names()) {
      const auto* stats = targets_.delivery.stats(name);
      if (!stats) continue;
      const auto put = [&](std::string_view what, uint64_t value) { out[counter_keys::destination(name, what)] = value; };
      put("attempts", stats->attempts.load());
      put("delivered", stats->delivered.load());
      put("failed", stats->retried.load() + stats->dead.load());
      const auto latency = stats->attempt_seconds.read();
      put("latency_count", latency.cumulative.empty() ? 0 : latency.cumulative.back());
      put("latency_sum_us", static_cast<uint64_t>(latency.sum * 1e6));
      for (size_t i = 0; i < latency.cumulative.size(); ++i) put("latency_le." + std::to_string(i), latency.cumulative[i]);
    }
    return out;
  }

 private:
  const config::Config& config_;
  AdminTargets& targets_;
  std::unique_ptr<storage::EventQueries> backlog_;
  const loop::Clock& clock_;
};

AdminServer::AdminServer(std::shared_ptr<const config::Config> config, AdminTargets targets, const loop::Clock& clock)
    : config_(std::move(config)), targets_(targets), clock_(clock) {}

AdminServer::~AdminServer() { stop(); }

bool AdminServer::start(std::string& error) {
  const config::AdminConfig& admin = *config_->admin;
  const std::string text = loop::host_port(admin.listen.host, admin.listen.port);
  if (admin.listen.tls) {
    std::string tls_error;
    tls_ = connections::TlsContext::load(*admin.listen.tls, tls_error);
    if (!tls_) {
      error = "admin listener " + text + ": " + tls_error;
      return false;
    }
  }
  auto backlog = storage::EventQueries::open(store::store_location(config_->storage), true, error);
  if (!backlog) return false;
  auto queries = storage::EventQueries::open(store::store_location(config_->storage), false, error);
  if (!queries) return false;
  control_ = std::make_unique<Control>(*config_, targets_, std::move(backlog), clock_);
  api_ = std::make_unique<AdminApi>(AdminApiOptions{.token = admin.token, .tls = admin.listen.tls.has_value()}, *control_,
                                    std::move(queries), clock_);
  api_->sample_counters();
  sample_timer_.reset(event_new(loop_.base(), -1, EV_PERSIST, &AdminServer::on_sample, this));
  event_add(sample_timer_.get(), &kSampleInterval);
  context_ = std::make_unique<connections::ConnectionContext>(
      connections::ConnectionContext{loop_, *api_, config_->server, clock_, open_connections_, {}, false});

  sockaddr_storage address{};
  int length = 0;
  if (!loop::make_address(admin.listen.host, admin.listen.port, address, length)) {
    error = "admin listener " + text + ": not an IP address and port";
    return false;
  }
  listener_.reset(evconnlistener_new_bind(loop_.base(), &AdminServer::on_accept, this,
                                          LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE, 64,
                                          reinterpret_cast<sockaddr*>(&address), length));
  if (!listener_) {
    error = "cannot listen on " + text + " (admin): " + evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR());
    return false;
  }
  bound_ = loop::host_port(admin.listen.host, loop::bound_port(evconnlistener_get_fd(listener_.get())));
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "hg-admin");
    loop_.run();
  });
  return true;
}

void AdminServer::on_sample(evutil_socket_t, short, void* self) { static_cast<AdminServer*>(self)->api_->sample_counters(); }

void AdminServer::on_accept(evconnlistener*, evutil_socket_t fd, sockaddr* address, int, void* self) {
  auto& server = *static_cast<AdminServer*>(self);
  connections::adopt_accepted(*server.context_, fd, address, server.tls_.get(), kMaxAdminConnections);
}

bool AdminServer::reload_tls(std::string& error) {
  if (!tls_) return false;
  return tls_->reload(error);
}

void AdminServer::stop() {
  if (!thread_.joinable()) return;
  std::promise<void> closed;
  loop_.post([this, &closed] {
    listener_.reset();
    sample_timer_.reset();
    api_->release_waiters();
    context_->draining = true;
    const auto connections = context_->connections;  // drain() may remove itself
    for (const auto& connection : connections) connection->drain();
    closed.set_value();
  });
  closed.get_future().wait();
  // Admin answers are immediate: what is still open after a moment is an idle client.
  (void)loop::wait_for_connections_to_close(open_connections_, std::chrono::milliseconds(500),
                                            std::chrono::milliseconds(5), clock_);
  loop_.stop();
  thread_.join();
  context_.reset();  // frees what is left on this thread, before the loop goes
}

}  // namespace hookgate::gateway::admin
