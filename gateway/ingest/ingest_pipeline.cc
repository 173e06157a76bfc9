#include "gateway/ingest/ingest_pipeline.h"

#include <spdlog/spdlog.h>

#include <array>
#include <span>

#include "gateway/http/request.h"
#include "gateway/ingest/public_id.h"
#include "verify/content_key.h"
#include "verify/event_fields.h"
#include "verify/json_body.h"
#include "verify/learned_secret.h"

namespace hookgate::gateway::ingest {
namespace {

// Vendors retry on 503; a short hint spreads the retries of a burst.
constexpr std::string_view kRetryAfterSeconds = "5";
// Header views kept on the stack while a request is verified; more go to the heap.
constexpr size_t kStackHeaderViews = 32;

// The fields that say which request a log line is about (request_id.h).
std::string origin(const connections::InboundRequest& request) {
  return "request_id=" + request.request_id + " peer=" + request.peer;
}

// Every 503 leaves through here, so that each one is counted once.
connections::Response unavailable(metrics::StatusCounters& refused, std::string_view reason) {
  refused.count(503);
  connections::Response response = connections::error_response(503, reason);
  response.headers.emplace_back("Retry-After", kRetryAfterSeconds);
  return response;
}

// What a stored (or duplicate) event is acknowledged with: {"id":…} and 200 by default; the
// preset may ask for another status (Discord 204, Microsoft Graph 202) or body (Adyen).
connections::Response accepted(const std::string& public_id, int status, std::string_view body) {
  connections::Response response;
  response.status = status;
  if (status == 204) return response;  // no body allowed
  if (!body.empty()) {
    response.content_type = "text/plain; charset=utf-8";
    response.body = body;
    return response;
  }
  response.body.reserve(public_id.size() + 9);
  response.body.append("{\"id\":\"").append(public_id).append("\"}");
  return response;
}

// The handshake reply as the vendor's protocol wants it.
connections::Response handshake_response(const verify::HandshakeReply& reply) {
  connections::Response response;
  response.status = reply.status;
  response.content_type = reply.content_type.empty() ? "text/plain; charset=utf-8" : reply.content_type;
  response.headers = reply.headers;
  response.body = reply.body;
  return response;
}

// "203.0.113.7:443" → "203.0.113.7"; "[2001:db8::1]:443" → "2001:db8::1".
std::string_view peer_ip(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    const size_t close = peer.find(']');
    return close == std::string_view::npos ? std::string_view{} : peer.substr(1, close - 1);
  }
  return peer.substr(0, peer.rfind(':'));
}

std::string serialize_headers(const std::vector<connections::HeaderField>& headers) {
  size_t size = 0;
  for (const auto& h : headers) size += h.name.size() + h.value.size() + 4;
  std::string out;
  out.reserve(size);
  for (const auto& h : headers) out.append(h.name).append(": ").append(h.value).append("\r\n");
  return out;
}

}  // namespace

IngestPipeline::IngestPipeline(std::shared_ptr<const config::Config> config, storage::EventStore& store,
                               const loop::Clock& clock)
    : store_(store), clock_(clock) {
  current_.store(prepare(std::move(config)));
}

std::shared_ptr<const IngestPipeline::Snapshot> IngestPipeline::prepare(std::shared_ptr<const config::Config> config) {
  auto snapshot = std::make_shared<Snapshot>(Snapshot{config, RouteTable(*config), {}});
  for (const auto& source : config->sources) {
    snapshot->stats.emplace(source.name, &counters_for(source.name));
    // Secrets learned in earlier handshakes (Asana) are back before the first request.
    if (verify::LearnedSecret* cell = source.verifier->learned_secret()) {
      std::optional<std::string> secret;
      {
        const std::lock_guard lock(mutex_);
        if (auto it = learned_secrets_.find(source.name); it != learned_secrets_.end()) secret = it->second;
      }
      if (!secret) secret = store_.handshake_secret(source.name);
      if (secret && !cell->set(*secret)) spdlog::warn("source={} stored handshake secret is unusable", source.name);
    }
  }
  return snapshot;
}

void IngestPipeline::reconfigure(std::shared_ptr<const config::Config> config) {
  current_.store(prepare(std::move(config)));
}

SourceStats& IngestPipeline::counters_for(const std::string& source) {
  const std::lock_guard lock(mutex_);
  auto& slot = source_stats_[source];
  if (!slot) slot = std::make_unique<SourceStats>();
  return *slot;
}

const SourceStats* IngestPipeline::source_stats(const std::string& source) const {
  const std::lock_guard lock(mutex_);
  const auto it = source_stats_.find(source);
  return it == source_stats_.end() ? nullptr : it->second.get();
}

std::vector<std::string> IngestPipeline::source_names() const {
  const std::shared_ptr<const Snapshot> snapshot = current_.load();
  std::vector<std::string> names;
  for (const auto& source : snapshot->config->sources) names.push_back(source.name);
  return names;
}

void IngestPipeline::finish(IngestOutcome outcome, SourceStats* counters, std::string_view source,
                            std::string_view origin, const connections::Respond& respond) {
  using Kind = IngestOutcome::Kind;
  const std::string_view as_handshake = outcome.handshake ? " result=handshake" : "";
  if (outcome.handshake && counters) counters->handshakes.fetch_add(1, std::memory_order_relaxed);
  connections::Response response;
  switch (outcome.kind) {
    case Kind::not_found:
      stats_.not_found.fetch_add(1, std::memory_order_relaxed);
      spdlog::debug("status=404 path_length={} {}", outcome.path_length, origin);
      response = connections::error_response(404, "not_found");
      break;
    case Kind::method_not_allowed:
      stats_.method_not_allowed.fetch_add(1, std::memory_order_relaxed);
      spdlog::info("source={} status=405 reason=method_not_allowed {}", source, origin);
      response = connections::error_response(405, "method_not_allowed");
      response.headers.emplace_back("Allow", outcome.answers_get ? "GET, POST" : "POST");
      break;
    case Kind::rejected: {
      if (counters) counters->rejected[static_cast<size_t>(outcome.verdict)].fetch_add(1, std::memory_order_relaxed);
      const std::string_view reason = verify::to_string(outcome.verdict);
      spdlog::info("source={} status=401 reason={} {}", source, reason, origin);
      response = connections::error_response(401, reason);
      break;
    }
    case Kind::handshake:
      spdlog::info("source={} status={} result=handshake{} {}", source, outcome.reply.status,
                   outcome.secret_stored ? " secret=stored" : "", origin);
      response = handshake_response(outcome.reply);
      break;
    case Kind::stored:
    case Kind::duplicate: {
      const bool stored = outcome.kind == Kind::stored;
      if (counters) (stored ? counters->stored : counters->duplicates).fetch_add(1, std::memory_order_relaxed);
      spdlog::info("source={} status={} result={} id={} {}", source, outcome.status, stored ? "stored" : "duplicate",
                   outcome.public_id, origin);
      response = accepted(outcome.public_id, outcome.status, outcome.success_body);
      break;
    }
    case Kind::store_failed:
      if (counters && !outcome.handshake) counters->store_failures.fetch_add(1, std::memory_order_relaxed);
      spdlog::warn("source={} status=503 reason=store_failed{} {}", source, as_handshake, origin);
      response = unavailable(stats_.refused, "store_failed");
      break;
    case Kind::overloaded:
      stats_.overloaded.fetch_add(1, std::memory_order_relaxed);
      spdlog::warn("source={} status=503 reason=overloaded{} {}", source, as_handshake, origin);
      response = unavailable(stats_.refused, "overloaded");
      break;
    case Kind::internal:
      spdlog::error("source={} status=500 reason=internal{} {}", source, as_handshake, origin);
      response = connections::error_response(500, "internal");
      break;
  }
  if (counters) counters->responses.count(response.status);
  respond(std::move(response));
}

void IngestPipeline::answer_handshake(const config::SourceConfig& source, SourceStats& counters,
                                      verify::HandshakeReply reply, verify::TimePoint now, loop::EventLoop& loop,
                                      const std::string& origin, const connections::Respond& respond,
                                      std::shared_ptr<const Snapshot> snapshot) {
  IngestOutcome outcome(IngestOutcome::Kind::handshake, /*of_handshake=*/true);
  if (reply.learned_secret.empty()) {
    outcome.reply = std::move(reply);
    finish(std::move(outcome), &counters, source.name, origin, respond);
    return;
  }
  // A secret handed over (Asana): durable first, then in use, then answered. If it cannot be
  // stored the vendor gets 503 and retries the handshake, rather than events we cannot verify.
  verify::LearnedSecret* cell = source.verifier->learned_secret();
  if (!cell) {
    // The preset learns secrets but its verifier keeps none: a bug, never a vendor's doing.
    outcome.kind = IngestOutcome::Kind::internal;
    finish(std::move(outcome), &counters, source.name, origin, respond);
    return;
  }
  std::string secret = std::move(reply.learned_secret);
  reply.learned_secret.clear();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  // `snapshot` keeps the verifier that owns `cell` alive across a reload.
  auto done = [this, &loop, respond, cell, secret, reply = std::move(reply), source_name = source.name,
               origin, &counters, snapshot = std::move(snapshot)](bool committed) {
    const bool in_use = committed && cell->set(secret);
    if (in_use) {
      const std::lock_guard lock(mutex_);
      learned_secrets_[source_name] = secret;
    }
    loop.post([this, respond, in_use, reply, source_name, origin, &counters] {
      IngestOutcome ended(in_use ? IngestOutcome::Kind::handshake : IngestOutcome::Kind::store_failed,
                          /*of_handshake=*/true);
      ended.reply = reply;
      ended.secret_stored = in_use;
      finish(std::move(ended), &counters, source_name, origin, respond);
    });
  };
  if (!store_.submit_handshake_secret(source.name, std::move(secret), now_ms, std::move(done))) {
    finish(IngestOutcome(IngestOutcome::Kind::overloaded, /*of_handshake=*/true), &counters, source.name, origin,
           respond);
  }
}

void IngestPipeline::handle(connections::InboundRequest request, loop::EventLoop& loop, connections::Respond respond) {
  std::shared_ptr<const Snapshot> snapshot = current_.load();
  const config::SourceConfig* source = snapshot->config->source_by_path(request.path);
  if (!source) {
    IngestOutcome outcome(IngestOutcome::Kind::not_found);
    outcome.path_length = request.path.size();
    finish(std::move(outcome), nullptr, "", origin(request), respond);
    return;
  }
  // GET only reaches presets whose handshake is a GET (Meta, X, Dropbox, Okta), and only as
  // that handshake: a GET that is not one is still 405.
  SourceStats& counters = *snapshot->stats.at(source->name);
  const bool answers_get = source->verifier->answers_get();
  const auto method_not_allowed = [&] {
    IngestOutcome outcome(IngestOutcome::Kind::method_not_allowed);
    outcome.answers_get = answers_get;
    finish(std::move(outcome), &counters, source->name, origin(request), respond);
  };
  const auto rejected = [&](verify::Verdict verdict) {
    IngestOutcome outcome(IngestOutcome::Kind::rejected);
    outcome.verdict = verdict;
    finish(std::move(outcome), &counters, source->name, origin(request), respond);
  };
  const bool is_post = request.method == "POST";
  if (!is_post && !(answers_get && request.method == "GET")) {
    method_not_allowed();
    return;
  }
  counters.received.fetch_add(1, std::memory_order_relaxed);

  // Views of the headers: on the stack for a webhook's usual few dozen, else on the heap.
  std::array<verify::HeaderView, kStackHeaderViews> stack_views;
  std::vector<verify::HeaderView> heap_views;
  std::span<verify::HeaderView> header_views(stack_views.data(), request.headers.size());
  if (request.headers.size() > stack_views.size()) {
    heap_views.resize(request.headers.size());
    header_views = heap_views;
  }
  for (size_t i = 0; i < request.headers.size(); ++i) {
    header_views[i] = {request.headers[i].name, request.headers[i].value};
  }
  // The URL the vendor called: the configured public URL (behind a load balancer), else the path.
  std::string public_url = source->public_url.empty() ? request.path : source->public_url;
  if (!request.query.empty()) public_url.append("?").append(request.query);
  verify::Request view;
  view.method = request.method;
  view.path = request.path;
  view.query = request.query;
  view.public_url = public_url;
  view.headers = header_views;
  view.peer_ip = peer_ip(request.peer);
  view.body = request.body;
  view.body_padded = request.body.capacity() >= request.body.size() + http::Request::kBodyPadding;
  // Handshake detection, the event id and type and the route filters share one parse.
  verify::JsonBody json(view.body, view.body_padded);
  view.json = &json;

  const auto now = clock_.now();
  // Handshakes and challenges are answered here and never stored; signed ones were verified
  // by the preset, and a failed one is denied like any request.
  if (std::optional<verify::HandshakeOutcome> handshake = source->verifier->handshake(view, now)) {
    if (handshake->verdict != verify::Verdict::ok) {
      rejected(handshake->verdict);
      return;
    }
    answer_handshake(*source, counters, std::move(handshake->reply), now, loop, origin(request), respond, snapshot);
    return;
  }
  if (!is_post) {
    method_not_allowed();
    return;
  }
  const verify::Verdict verdict = source->verifier->verify(view, now);
  if (verdict != verify::Verdict::ok) {
    rejected(verdict);
    return;
  }

  storage::NewEvent event;
  event.vendor_event_id = verify::extract_field(source->verifier->event_id_field(), view);
  event.event_type = verify::extract_field(source->verifier->event_type_field(), view);
  event.received_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  event.public_id = make_public_id(event.received_at_ms);
  if (!event.vendor_event_id && source->dedupe.enabled()) {
    // The vendor sends no id: its retry is recognised by content, within the window.
    event.content_key = storage::ContentKey{
        verify::content_digest(source->dedupe, view),
        event.received_at_ms + std::chrono::duration_cast<std::chrono::milliseconds>(source->dedupe.window).count()};
  }
  event.source = source->name;
  event.destinations = snapshot->routes.destinations_for(
      source->name, RouteTable::Event{event.event_type.value_or(""), view.headers, view.query}, json);
  event.headers = serialize_headers(request.headers);
  event.method = std::move(request.method);
  event.path = std::move(request.path);
  event.query = std::move(request.query);
  event.body = std::move(request.body);

  // The completion runs on the writer thread, once; the answer goes back to the owning loop,
  // taking the completion's captures with it rather than copies.
  auto completion = [this, &loop, respond, &counters, source_name = source->name, peer = origin(request),
                     status = source->verifier->success_status(),
                     success_body = std::string(source->verifier->success_body())](
                        const storage::WriteOutcome& written) mutable {
    IngestOutcome outcome;
    outcome.status = status;
    outcome.public_id = written.public_id;
    outcome.success_body = std::move(success_body);
    switch (written.status) {
      case storage::WriteOutcome::Status::stored: outcome.kind = IngestOutcome::Kind::stored; break;
      case storage::WriteOutcome::Status::duplicate: outcome.kind = IngestOutcome::Kind::duplicate; break;
      case storage::WriteOutcome::Status::failed: outcome.kind = IngestOutcome::Kind::store_failed; break;
    }
    loop.post([this, respond = std::move(respond), &counters, outcome = std::move(outcome),
               source_name = std::move(source_name), peer = std::move(peer)]() mutable {
      finish(std::move(outcome), &counters, source_name, peer, respond);
    });
  };
  if (!store_.submit(std::move(event), std::move(completion))) {
    finish(IngestOutcome(IngestOutcome::Kind::overloaded), &counters, source->name, origin(request), respond);
  }
}

}  // namespace hookgate::gateway::ingest
