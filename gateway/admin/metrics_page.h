// /metrics: every counter of the gateway in Prometheus text format, names prefixed hookgate_
// (the names are a contract, listed in the README).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "gateway/alerts/alerter.h"
#include "gateway/delivery/delivery_engine.h"
#include "gateway/ingest/ingest_pipeline.h"
#include "gateway/metrics/histogram.h"
#include "storage/event_queries.h"
#include "storage/event_store.h"

namespace hookgate::gateway::admin {

// Fed by the store's BatchObserver.
struct WriterMetrics {
  metrics::Histogram batch_size{metrics::batch_size_bounds()};   // operations per transaction
  metrics::Histogram commit_seconds{metrics::latency_bounds()};  // BEGIN..COMMIT, committed only
};

struct MetricsSources {
  const ingest::IngestPipeline& pipeline;
  const delivery::DeliveryEngine& delivery;
  const WriterMetrics& writer;
  storage::WriterStats writer_stats;
  size_t store_queue_depth = 0;
  uint32_t open_connections = 0;
  // Pending deliveries of one destination, read at scrape time.
  std::function<storage::Backlog(const std::string& destination)> backlog;
  int64_t now_ms = 0;
  const alerts::AlertStats* alerts = nullptr;  // null: no alert counters
};

[[nodiscard]] std::string render_metrics(const MetricsSources& sources);

}  // namespace hookgate::gateway::admin
