// The ingest path shared by every protocol: route by path to a source, answer the vendor's
// handshake if it is one (never stored), else verify, extract the vendor's event id and type,
// hand the event to the store, answer once it is durable.
//
// Threading: handle() is called on an I/O loop thread; the answer is delivered on that same
// loop via EventLoop::post. Immutable after construction except for the atomic counters, so
// one pipeline serves every loop.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "config/config.h"
#include "gateway/clock.h"
#include "gateway/event_loop.h"
#include "gateway/exchange.h"
#include "gateway/ingest_stats.h"
#include "gateway/route_table.h"
#include "storage/event_store.h"

namespace hookgate::gateway {

class IngestPipeline {
 public:
  IngestPipeline(std::shared_ptr<const config::Config> config, storage::EventStore& store,
                 const Clock& clock);

  void handle(InboundRequest request, EventLoop& loop, Respond respond);

  [[nodiscard]] const IngestStats& stats() const { return stats_; }
  // Null for an unknown source.
  [[nodiscard]] const SourceStats* source_stats(const std::string& source) const;

 private:
  void reject(const config::SourceConfig& source, SourceStats& counters, verify::Verdict verdict,
              const InboundRequest& request, const Respond& respond);
  // Sends a handshake's reply; one that hands over a secret (Asana) is stored first.
  void answer_handshake(const config::SourceConfig& source, SourceStats& counters,
                        verify::HandshakeReply reply, verify::Clock::time_point now, EventLoop& loop,
                        const InboundRequest& request, const Respond& respond);

  std::shared_ptr<const config::Config> config_;
  storage::EventStore& store_;
  const Clock& clock_;
  RouteTable routes_;
  IngestStats stats_;
  std::unordered_map<std::string, std::unique_ptr<SourceStats>> source_stats_;
};

}  // namespace hookgate::gateway
