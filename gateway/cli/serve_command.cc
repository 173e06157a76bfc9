#include <event2/thread.h>
#include <signal.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>

#include "gateway/cli/commands.h"
#include "gateway/cli/ready_file.h"
#include "gateway/cli/server.h"
#include "gateway/loop/logging.h"
#include "gateway/store/store_options.h"

namespace hookgate::gateway::cli {
namespace {

// SIGHUP: the config file again (sources, secrets, destinations, routes; all or nothing),
// then the TLS certificate files of server.listen and admin.listen.
void reload(const ServeOptions& options, Server& server, ServeState& state) {
  const config::LoadResult loaded = config::load_config(options.config_path);
  ++(loaded.config ? state.reloads_applied : state.reloads_refused);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) spdlog::error("SIGHUP: {}", error.to_string());
    spdlog::error("SIGHUP: {} is invalid; still serving the previous configuration", options.config_path);
  } else {
    if (!options.log_level) spdlog::set_level(spdlog::level::from_str(loaded.config->log.level));
    for (const auto& section : server.reload(loaded.config)) {
      spdlog::warn("SIGHUP: changes to '{}' take effect at the next restart", section);
    }
    spdlog::info("SIGHUP: reloaded {} ({} sources, {} destinations, {} routes)", options.config_path,
                 loaded.config->sources.size(), loaded.config->destinations.size(), loaded.config->routes.size());
  }
  for (const auto& result : server.reload_tls()) {
    const char* which = result.admin ? "admin listener " : "";
    ++(result.reloaded ? state.tls_reloaded : state.tls_kept);
    if (result.reloaded) {
      spdlog::info("SIGHUP: reloaded TLS certificates of {}https://{}", which, result.address);
    } else {
      spdlog::error("SIGHUP: kept the current TLS certificates of {}https://{}: {}", which, result.address,
                    result.error);
    }
  }
}

void publish(const ServeOptions& options, const ServeState& state) {
  if (options.ready_file.empty()) return;
  std::string error;
  if (!write_ready_file(options.ready_file, state, error)) spdlog::error("ready file: {}", error);
}

}  // namespace

int run_serve(const ServeOptions& options) {
  const config::LoadResult loaded = config::load_config(options.config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
    return 1;
  }
  const config::Config& config = *loaded.config;
  const std::string level = options.log_level.value_or(config.log.level);
  if (!loop::configure_logging(level, config.log.format)) {
    std::fprintf(stderr, "unknown log level '%s'\n", level.c_str());
    return 1;
  }
  if (sodium_init() < 0 || evthread_use_pthreads() != 0) {
    spdlog::critical("cannot initialise libsodium or libevent threading");
    return 1;
  }

  // Signals are taken synchronously by this thread (sigwait); every thread started from here
  // inherits the blocked mask, so none of them is interrupted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  loop::SystemClock clock;
  Server server(loaded.config, clock);
  std::string error;
  if (!server.start(error)) {
    spdlog::critical("cannot start: {}", error);
    spdlog::shutdown();
    return 1;
  }
  for (const auto& url : server.listener_urls()) spdlog::info("listening on {}", url);
  if (!server.admin_address().empty()) {
    const char* scheme = config.admin->listen.tls ? "https" : "http";
    spdlog::info("admin API on {}://{}, console at {}://{}/console (log in with admin.token)", scheme,
                 server.admin_address(), scheme, server.admin_address());
  }
  if (config.storage.is_postgres()) {
    // display(): where the database is, never who or with which password.
    spdlog::info("storing events in {}", store::store_location(config.storage).display());
  } else {
    spdlog::info("storing events in {} (synchronous={})", config.storage.path,
                 config.storage.synchronous == config::Synchronous::full ? "full" : "normal");
  }

  ServeState state;
  state.pid = ::getpid();
  state.listeners = server.listener_urls();
  if (!server.admin_address().empty()) {
    state.admin = std::string(config.admin->listen.tls ? "https" : "http") + "://" + server.admin_address();
  }
  publish(options, state);

  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGHUP) {
      reload(options, server, state);
      publish(options, state);
      continue;
    }
    spdlog::info("{}: shutting down", received == SIGTERM ? "SIGTERM" : "SIGINT");
    break;
  }
  server.shutdown();
  const storage::WriterStats stats = server.writer_stats();
  spdlog::info("stopped: {} events stored in {} batches; WAL checkpoints: {} in the background, {} on the writer ({} forced)",
               stats.events_stored, stats.batches, stats.checkpoints.background, stats.checkpoints.inline_,
               stats.checkpoints.forced);
  if (!options.ready_file.empty()) ::unlink(options.ready_file.c_str());
  spdlog::shutdown();  // flushes the asynchronous log queue
  return 0;
}

}  // namespace hookgate::gateway::cli
