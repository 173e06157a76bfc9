#include "gateway/admin/metrics_page.h"

#include "gateway/metrics/prometheus_text.h"

namespace hookgate::gateway::admin {

std::string render_metrics(const MetricsSources& in) {
  metrics::PrometheusText out;
  const std::vector<std::string> sources = in.pipeline.source_names();
  const std::vector<std::string> destinations = in.delivery.destination_names();

  // Ingest, per source.
  out.family("hookgate_requests_total", "counter", "Requests answered for a source, by HTTP status.");
  for (const auto& source : sources) {
    const ingest::SourceStats* stats = in.pipeline.source_stats(source);
    for (int status = 100; status <= 599; ++status) {
      if (const uint64_t n = stats->responses.of(status)) {
        const std::string code = std::to_string(status);
        out.sample("hookgate_requests_total", {{"source", source}, {"status", code}}, n);
      }
    }
  }
  out.family("hookgate_http_refused_total", "counter",
             "Requests refused at the HTTP layer, by status: malformed (400), too slow (408), body too large "
             "(413), head too large (431), and every 503 (store queue full or store failed).");
  for (const int status : {400, 408, 413, 431, 503}) {  // always present, so that rate() starts at 0
    out.sample("hookgate_http_refused_total", {{"status", std::to_string(status)}},
               in.pipeline.stats().refused.of(status));
  }
  for (int status = 100; status <= 599; ++status) {  // the parser's rarer refusals, once they happen
    if (status == 400 || status == 408 || status == 413 || status == 431 || status == 503) continue;
    if (const uint64_t n = in.pipeline.stats().refused.of(status)) {
      out.sample("hookgate_http_refused_total", {{"status", std::to_string(status)}}, n);
    }
  }
  out.family("hookgate_unrouted_requests_total", "counter", "Requests for a path no source serves (404).");
  out.sample("hookgate_unrouted_requests_total", {}, in.pipeline.stats().not_found.load());
  out.family("hookgate_rejected_total", "counter", "Requests denied with 401, by source and reason.");
  for (const auto& source : sources) {
    const ingest::SourceStats* stats = in.pipeline.source_stats(source);
    for (size_t v = 1; v < ingest::kVerdictCount; ++v) {
      const std::string_view reason = verify::to_string(static_cast<verify::Verdict>(v));
      out.sample("hookgate_rejected_total", {{"source", source}, {"reason", reason}}, stats->rejected[v].load());
    }
  }
  const auto per_source = [&](std::string_view name, std::string_view help, auto field) {
    out.family(name, "counter", help);
    for (const auto& source : sources) {
      out.sample(name, {{"source", source}}, (in.pipeline.source_stats(source)->*field).load());
    }
  };
  per_source("hookgate_events_stored_total", "Events stored (and acknowledged).", &ingest::SourceStats::stored);
  per_source("hookgate_duplicates_total", "Events acknowledged as duplicates of a stored one.",
             &ingest::SourceStats::duplicates);
  per_source("hookgate_handshakes_total", "Handshakes and challenges answered (never stored).",
             &ingest::SourceStats::handshakes);
  per_source("hookgate_store_failures_total", "Events the store could not write (answered 503).",
             &ingest::SourceStats::store_failures);
  out.family("hookgate_overloaded_total", "counter", "Requests refused with 503 because the store queue was full.");
  out.sample("hookgate_overloaded_total", {}, in.pipeline.stats().overloaded.load());
  out.family("hookgate_open_connections", "gauge", "Open inbound connections.");
  out.sample("hookgate_open_connections", {}, static_cast<uint64_t>(in.open_connections));

  // Delivery, per destination.
  out.family("hookgate_deliveries_total", "counter", "Delivery attempts by outcome: delivered, retried, dead, cancelled, skipped (by a transform).");
  for (const auto& destination : destinations) {
    const delivery::DestinationStats* stats = in.delivery.stats(destination);
    if (!stats) continue;
    out.sample("hookgate_deliveries_total", {{"destination", destination}, {"outcome", "delivered"}}, stats->delivered.load());
    out.sample("hookgate_deliveries_total", {{"destination", destination}, {"outcome", "retried"}}, stats->retried.load());
    out.sample("hookgate_deliveries_total", {{"destination", destination}, {"outcome", "dead"}}, stats->dead.load());
    out.sample("hookgate_deliveries_total", {{"destination", destination}, {"outcome", "cancelled"}}, stats->cancelled.load());
    out.sample("hookgate_deliveries_total", {{"destination", destination}, {"outcome", "skipped"}}, stats->skipped.load());
  }
  out.family("hookgate_transform_errors_total", "counter",
             "Transform script runs that failed a delivery attempt, by cause: error (a runtime error or a malformed "
             "result), instruction_limit, memory_limit, time_limit.");
  for (const auto& destination : destinations) {
    const delivery::DestinationStats* stats = in.delivery.stats(destination);
    if (!stats) continue;
    static constexpr const char* kCauses[] = {"error", "instruction_limit", "memory_limit", "time_limit"};
    for (size_t i = 0; i < stats->transform_errors.size(); ++i) {
      out.sample("hookgate_transform_errors_total", {{"destination", destination}, {"cause", kCauses[i]}},
                 stats->transform_errors[i].load());
    }
  }
  out.family("hookgate_delivery_attempt_seconds", "histogram", "Time from writing a delivery request to its response or failure.");
  for (const auto& destination : destinations) {
    if (const auto* stats = in.delivery.stats(destination)) {
      out.histogram("hookgate_delivery_attempt_seconds", {{"destination", destination}}, stats->attempt_seconds.read());
    }
  }
  out.family("hookgate_queue_depth", "gauge", "Deliveries waiting (pending) for a destination.");
  std::vector<storage::Backlog> backlogs;
  for (const auto& destination : destinations) {
    backlogs.push_back(in.backlog ? in.backlog(destination) : storage::Backlog{});
    out.sample("hookgate_queue_depth", {{"destination", destination}}, static_cast<uint64_t>(backlogs.back().pending));
  }
  out.family("hookgate_oldest_pending_seconds", "gauge", "Age of the oldest event with a pending delivery to a destination (0 when none).");
  for (size_t i = 0; i < destinations.size(); ++i) {
    const auto& oldest = backlogs[i].oldest_received_at_ms;
    const double age = oldest ? static_cast<double>(std::max<int64_t>(0, in.now_ms - *oldest)) / 1000.0 : 0.0;
    out.sample("hookgate_oldest_pending_seconds", {{"destination", destinations[i]}}, age);
  }
  const auto per_destination_gauge = [&](std::string_view name, std::string_view help, auto read) {
    out.family(name, "gauge", help);
    for (const auto& destination : destinations) {
      if (const auto* stats = in.delivery.stats(destination)) out.sample(name, {{"destination", destination}}, read(*stats));
    }
  };
  per_destination_gauge("hookgate_deliveries_in_flight", "Attempts running now.",
                        [](const delivery::DestinationStats& s) { return s.in_flight.load(); });
  per_destination_gauge("hookgate_circuit_open", "1 while the destination's circuit breaker is open.",
                        [](const delivery::DestinationStats& s) { return uint64_t{s.circuit_open.load() ? 1u : 0u}; });
  per_destination_gauge("hookgate_destination_paused", "1 while an operator has paused the destination.",
                        [](const delivery::DestinationStats& s) { return uint64_t{s.paused.load() ? 1u : 0u}; });
  per_destination_gauge("hookgate_destination_disabled",
                        "1 while the destination is disabled (disable_after), until an operator resumes it.",
                        [](const delivery::DestinationStats& s) { return uint64_t{s.disabled.load() ? 1u : 0u}; });

  // Alerts.
  if (in.alerts != nullptr) {
    out.family("hookgate_alerts_total", "counter",
               "Alerts by kind and outcome: raised, stored (an alert event with its deliveries), held_back "
               "(alerts.repeat_after), dropped (the store refused it).");
    for (size_t k = 0; k < config::kAlertKindCount; ++k) {
      const std::string kind(config::to_string(static_cast<config::AlertKind>(k)));
      out.sample("hookgate_alerts_total", {{"kind", kind}, {"outcome", "raised"}}, in.alerts->raised[k].load());
      out.sample("hookgate_alerts_total", {{"kind", kind}, {"outcome", "stored"}}, in.alerts->stored[k].load());
      out.sample("hookgate_alerts_total", {{"kind", kind}, {"outcome", "held_back"}}, in.alerts->held_back[k].load());
      out.sample("hookgate_alerts_total", {{"kind", kind}, {"outcome", "dropped"}}, in.alerts->dropped[k].load());
    }
  }

  // The writer.
  out.family("hookgate_writer_batch_size", "histogram", "Operations (events, attempts, leases) per writer transaction.");
  out.histogram("hookgate_writer_batch_size", {}, in.writer.batch_size.read());
  out.family("hookgate_commit_seconds", "histogram", "Writer transaction time, BEGIN to COMMIT (fsync included).");
  out.histogram("hookgate_commit_seconds", {}, in.writer.commit_seconds.read());
  out.family("hookgate_writer_failed_batches_total", "counter", "Writer transactions rolled back (disk full, I/O error).");
  out.sample("hookgate_writer_failed_batches_total", {}, in.writer_stats.failed_batches);
  out.family("hookgate_store_queue_depth", "gauge", "Operations waiting for the writer.");
  out.sample("hookgate_store_queue_depth", {}, static_cast<uint64_t>(in.store_queue_depth));
  return out.take();
}

}  // namespace hookgate::gateway::admin
