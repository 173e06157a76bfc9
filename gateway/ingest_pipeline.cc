#include "gateway/ingest_pipeline.h"

#include <spdlog/spdlog.h>

#include "gateway/public_id.h"
#include "verify/event_fields.h"

namespace hookgate::gateway {
namespace {

// Vendors retry on 503; a short hint spreads the retries of a burst.
constexpr std::string_view kRetryAfterSeconds = "5";

Response unavailable(std::string_view reason) {
  Response response = error_response(503, reason);
  response.headers.emplace_back("Retry-After", kRetryAfterSeconds);
  return response;
}

Response accepted(const std::string& public_id) {
  Response response;
  response.status = 200;
  response.body.reserve(public_id.size() + 9);
  response.body.append("{\"id\":\"").append(public_id).append("\"}");
  return response;
}

std::string serialize_headers(const std::vector<HeaderField>& headers) {
  size_t size = 0;
  for (const auto& h : headers) size += h.name.size() + h.value.size() + 4;
  std::string out;
  out.reserve(size);
  for (const auto& h : headers) out.append(h.name).append(": ").append(h.value).append("\r\n");
  return out;
}

}  // namespace

IngestPipeline::IngestPipeline(std::shared_ptr<const config::Config> config,
                               storage::EventStore& store, const Clock& clock)
    : config_(std::move(config)), store_(store), clock_(clock), routes_(*config_) {
  for (const auto& source : config_->sources) {
    source_stats_.emplace(source.name, std::make_unique<SourceStats>());
  }
}

const SourceStats* IngestPipeline::source_stats(const std::string& source) const {
  const auto it = source_stats_.find(source);
  return it == source_stats_.end() ? nullptr : it->second.get();
}

void IngestPipeline::reject(const config::SourceConfig& source, SourceStats& counters,
                            verify::Verdict verdict, const InboundRequest& request,
                            const Respond& respond) {
  counters.rejected[static_cast<size_t>(verdict)].fetch_add(1, std::memory_order_relaxed);
  const std::string_view reason = verify::to_string(verdict);
  spdlog::info("source={} status=401 reason={} peer={}", source.name, reason, request.peer);
  respond(error_response(401, reason));
}

void IngestPipeline::handle(InboundRequest request, EventLoop& loop, Respond respond) {
  const config::SourceConfig* source = config_->source_by_path(request.path);
  if (!source) {
    stats_.not_found.fetch_add(1, std::memory_order_relaxed);
    spdlog::debug("status=404 path_length={} peer={}", request.path.size(), request.peer);
    respond(error_response(404, "not_found"));
    return;
  }
  if (request.method != "POST") {
    stats_.method_not_allowed.fetch_add(1, std::memory_order_relaxed);
    Response response = error_response(405, "method_not_allowed");
    response.headers.emplace_back("Allow", "POST");
    spdlog::info("source={} status=405 reason=method_not_allowed peer={}", source->name, request.peer);
    respond(std::move(response));
    return;
  }
  SourceStats& counters = *source_stats_.at(source->name);
  counters.received.fetch_add(1, std::memory_order_relaxed);

  std::vector<verify::HeaderView> header_views;
  header_views.reserve(request.headers.size());
  for (const auto& h : request.headers) header_views.push_back({h.name, h.value});
  std::string public_url;
  if (!source->public_url.empty()) {
    public_url = source->public_url;
    if (!request.query.empty()) public_url.append("?").append(request.query);
  } else {
    public_url = request.path;
    if (!request.query.empty()) public_url.append("?").append(request.query);
  }
  verify::Request view;
  view.method = request.method;
  view.path = request.path;
  view.query = request.query;
  view.public_url = public_url;
  view.headers = header_views;
  view.body = request.body;
  view.body_padded = request.body.capacity() >= request.body.size() + 64;

  const auto now = clock_.now();
  const verify::Verdict verdict = source->verifier->verify(view, now);
  if (verdict != verify::Verdict::ok) {
    reject(*source, counters, verdict, request, respond);
    return;
  }

  storage::NewEvent event;
  event.vendor_event_id = verify::extract_field(source->verifier->event_id_field(), view);
  event.event_type = verify::extract_field(source->verifier->event_type_field(), view);
  event.received_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  event.public_id = make_public_id(event.received_at_ms);
  event.source = source->name;
  event.destinations = routes_.destinations_for(source->name, event.event_type.value_or(""), view.body,
                                                view.body_padded);
  event.headers = serialize_headers(request.headers);
  event.method = std::move(request.method);
  event.path = std::move(request.path);
  event.query = std::move(request.query);
  event.body = std::move(request.body);

  // The completion runs on the writer thread; the answer goes back to the owning loop.
  auto completion = [&loop, respond, &counters, source_name = source->name, peer = std::move(request.peer)](
                        const storage::WriteOutcome& outcome) {
    loop.post([respond, &counters, outcome, source_name, peer] {
      switch (outcome.status) {
        case storage::WriteOutcome::Status::stored:
          counters.stored.fetch_add(1, std::memory_order_relaxed);
          spdlog::info("source={} status=200 result=stored id={} peer={}", source_name, outcome.public_id, peer);
          respond(accepted(outcome.public_id));
          break;
        case storage::WriteOutcome::Status::duplicate:
          counters.duplicates.fetch_add(1, std::memory_order_relaxed);
          spdlog::info("source={} status=200 result=duplicate id={} peer={}", source_name, outcome.public_id, peer);
          respond(accepted(outcome.public_id));
          break;
        case storage::WriteOutcome::Status::failed:
          counters.store_failures.fetch_add(1, std::memory_order_relaxed);
          spdlog::warn("source={} status=503 reason=store_failed peer={}", source_name, peer);
          respond(unavailable("store_failed"));
          break;
      }
    });
  };
  if (!store_.submit(std::move(event), std::move(completion))) {
    stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("source={} status=503 reason=overloaded", source->name);
    respond(unavailable("overloaded"));
  }
}

}  // namespace hookgate::gateway
