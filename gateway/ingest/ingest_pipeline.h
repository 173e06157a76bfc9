// The ingest path shared by every protocol: route by path to a source, answer the vendor's
// handshake if it is one (never stored), else verify, extract the vendor's event id and type,
// hand the event to the store, answer once it is durable.
//
// Threading: handle() is called on an I/O loop thread; the answer is delivered on that same
// loop via EventLoop::post. One pipeline serves every loop: what it routes and verifies with
// is an immutable snapshot (config, routes) swapped atomically by reconfigure(), so a request
// runs from start to answer on the snapshot it began with.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "gateway/connections/exchange.h"
#include "gateway/connections/request_handler.h"
#include "gateway/ingest/ingest_outcome.h"
#include "gateway/ingest/ingest_stats.h"
#include "gateway/ingest/route_table.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/event_loop.h"
#include "storage/event_store.h"

namespace hookgate::gateway::ingest {

class IngestPipeline final : public connections::RequestHandler {
 public:
  IngestPipeline(std::shared_ptr<const config::Config> config, storage::EventStore& store, const loop::Clock& clock);

  void handle(connections::InboundRequest request, loop::EventLoop& loop, connections::Respond respond) override;

  // Serves `config`'s sources and routes from the next request on; requests already running
  // finish on the old ones. Any thread.
  void reconfigure(std::shared_ptr<const config::Config> config);

  [[nodiscard]] const IngestStats& stats() const { return stats_; }
  // Where the public listeners' sessions count the refusals they answer themselves. Any thread.
  [[nodiscard]] metrics::StatusCounters& http_refusals() { return stats_.refused; }
  // Null for a source never configured. Counters outlive reloads: a source that is reloaded
  // keeps counting where it was.
  [[nodiscard]] const SourceStats* source_stats(const std::string& source) const;
  // The sources being served now, in config order.
  [[nodiscard]] std::vector<std::string> source_names() const;

 private:
  struct Snapshot {
    std::shared_ptr<const config::Config> config;
    RouteTable routes;
    std::unordered_map<std::string, SourceStats*> stats;  // every source of `config`
  };
  [[nodiscard]] std::shared_ptr<const Snapshot> prepare(std::shared_ptr<const config::Config> config);
  [[nodiscard]] SourceStats& counters_for(const std::string& source);

  // The one exit: counts `outcome`, logs it and answers it. `counters` is null for a request
  // that matched no source; `origin` names the request in the log (request_id, peer).
  void finish(IngestOutcome outcome, SourceStats* counters, std::string_view source, std::string_view origin,
              const connections::Respond& respond);
  // Sends a handshake's reply; one that hands over a secret (Asana) is stored first.
  void answer_handshake(const config::SourceConfig& source, SourceStats& counters, verify::HandshakeReply reply,
                        verify::TimePoint now, loop::EventLoop& loop, const std::string& origin,
                        const connections::Respond& respond, std::shared_ptr<const Snapshot> snapshot);

  storage::EventStore& store_;
  const loop::Clock& clock_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  IngestStats stats_;
  mutable std::mutex mutex_;  // guards the two maps below, not the counters
  std::map<std::string, std::unique_ptr<SourceStats>, std::less<>> source_stats_;  // only grows
  // Handshake secrets (Asana) learned since the store opened, for the verifiers of a reload.
  std::map<std::string, std::string, std::less<>> learned_secrets_;
};

}  // namespace hookgate::gateway::ingest
