#include "gateway/admin/admin_api.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "gateway/event_filter_options.h"
#include "gateway/event_json.h"
#include "gateway/json_text.h"
#include "verify/ascii.h"
#include "verify/form.h"

namespace hookgate::gateway {
namespace {

constexpr size_t kDigestBytes = crypto_generichash_BYTES;
constexpr int64_t kMaxListLimit = 10'000;

std::string digest(std::string_view text) {
  std::string out(kDigestBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  return out;
}

Response json(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.body.push_back('\n');
  return response;
}

// {"error":"<reason>","detail":"<text>"}: `detail` is for people and may quote the input.
Response error_with_detail(int status, std::string_view reason, std::string_view detail) {
  std::string body = "{\"error\":\"" + std::string(reason) + "\",\"detail\":";
  append_json_string(body, detail);
  body += "}";
  return json(status, std::move(body));
}

Response method_not_allowed(std::string_view allow) {
  Response response = error_response(405, "method_not_allowed");
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t end = path.find('/');
    segments.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return segments;
}

std::optional<int64_t> parse_id(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// to_event_filter's messages name CLI flags ("--since: …"); the API's parameters have no dashes.
std::string without_flag_dashes(std::string message) {
  if (message.rfind("--", 0) == 0) message.erase(0, 2);
  return message;
}

}  // namespace

AdminApi::AdminApi(std::string token, AdminControl& control, std::unique_ptr<storage::EventQueries> queries,
                   const Clock& clock)
    : token_digest_(digest(token)), control_(control), queries_(std::move(queries)), clock_(clock) {}

void AdminApi::handle(InboundRequest request, EventLoop&, Respond respond) { respond(answer(request)); }

bool AdminApi::authorized(const InboundRequest& request) const {
  constexpr std::string_view kScheme = "Bearer ";
  for (const auto& header : request.headers) {
    if (!verify::ascii_iequals(header.name, "authorization")) continue;
    std::string_view value = header.value;
    if (value.size() < kScheme.size() || !verify::ascii_iequals(value.substr(0, kScheme.size()), kScheme)) return false;
    value.remove_prefix(kScheme.size());
    const std::string presented = digest(value);
    return sodium_memcmp(presented.data(), token_digest_.data(), kDigestBytes) == 0;
  }
  return false;
}

Response AdminApi::answer(const InboundRequest& request) {
  const std::vector<std::string_view> path = split_path(request.path);
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";

  if (path.size() == 1 && path[0] == "healthz") {
    return get ? json(200, R"({"status":"ok"})") : method_not_allowed("GET");
  }
  if (path.size() == 1 && path[0] == "readyz") {
    if (!get) return method_not_allowed("GET");
    if (const auto reason = control_.not_ready_reason()) {
      return json(503, R"({"status":"not_ready","reason":")" + *reason + "\"}");
    }
    return json(200, R"({"status":"ready"})");
  }
  const bool metrics = path.size() == 1 && path[0] == "metrics";
  const bool api = !path.empty() && path[0] == "api";
  if (!metrics && !api) return error_response(404, "not_found");
  // Before routing: without the token nobody learns which API paths exist.
  if (!authorized(request)) {
    Response response = error_response(401, "unauthorized");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
  }
  if (metrics) {
    if (!get) return method_not_allowed("GET");
    Response response;
    response.status = 200;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = control_.metrics_text();
    return response;
  }

  const std::string_view collection = path.size() > 1 ? path[1] : std::string_view{};
  const std::string id = path.size() > 2 ? verify::percent_decode(path[2], false) : std::string();
  const std::string_view action = path.size() > 3 ? path[3] : std::string_view{};
  if (path.size() > 4) return error_response(404, "not_found");
  if (collection == "events") {
    if (path.size() == 2) return get ? list_events(request.query) : method_not_allowed("GET");
    if (path.size() == 3) return get ? show_event(id) : method_not_allowed("GET");
    if (action == "retry") return post ? retry_event(id) : method_not_allowed("POST");
  } else if (collection == "deliveries" && path.size() >= 3) {
    if (path.size() == 3) return get ? show_delivery(id) : method_not_allowed("GET");
    if (action == "retry") return post ? retry_delivery(id) : method_not_allowed("POST");
    if (action == "cancel") return post ? cancel_delivery(id) : method_not_allowed("POST");
  } else if (collection == "destinations") {
    if (path.size() == 2) return get ? list_destinations() : method_not_allowed("GET");
    if (action == "pause" || action == "resume") {
      return post ? pause_destination(id, action == "pause") : method_not_allowed("POST");
    }
  }
  return error_response(404, "not_found");
}

Response AdminApi::list_events(const std::string& query) {
  EventFilterOptions options;
  for (auto& [name, value] : verify::parse_form(query)) {
    if (name == "source") options.source = value;
    else if (name == "destination") options.destination = value;
    else if (name == "event_id") options.event_ids.push_back(value);
    else if (name == "status") options.status = value;
    else if (name == "since") options.since = value;
    else if (name == "until") options.until = value;
    else if (name == "event_type") options.event_type = value;
    else if (name == "limit") {
      const auto limit = parse_id(value);
      if (!limit || *limit > kMaxListLimit) {
        return error_with_detail(400, "bad_filter", "limit: '" + value + "' is not a number from 1 to 10000");
      }
      options.limit = *limit;
    } else {
      return error_with_detail(400, "bad_filter", "unknown parameter '" + name + "'");
    }
  }
  storage::EventFilter filter;
  std::string error;
  if (!to_event_filter(options, clock_.now_unix_ms(), filter, error)) {
    return error_with_detail(400, "bad_filter", without_flag_dashes(error));
  }
  const auto events = queries_->list(filter);
  std::string body = "{\"count\":" + std::to_string(events.size()) + ",\"events\":[";
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) body += ",";
    append_event_json(body, events[i]);
  }
  body += "]}";
  return json(200, std::move(body));
}

Response AdminApi::show_event(const std::string& id) {
  const auto detail = queries_->show(id);
  if (!detail) return error_response(404, "unknown_event");
  std::string body;
  append_event_detail_json(body, *detail);
  return json(200, std::move(body));
}

Response AdminApi::retry_event(const std::string& id) {
  const auto detail = queries_->show(id);
  if (!detail) return error_response(404, "unknown_event");
  std::vector<int64_t> ids;
  std::vector<std::string> destinations;
  for (const auto& delivery : detail->summary.deliveries) {
    if (delivery.state == "inflight") continue;  // its attempt is running; it ends by itself
    ids.push_back(delivery.id);
    destinations.push_back(delivery.destination);
  }
  std::string error;
  const int64_t changed = queries_->reschedule(ids, clock_.now_unix_ms(), error);
  if (changed < 0) return error_with_detail(503, "store_busy", error);
  control_.rescheduled(destinations);
  spdlog::info("admin: event={} retried deliveries={}", detail->summary.public_id, changed);
  return json(200, "{\"event\":\"" + detail->summary.public_id + "\",\"rescheduled\":" + std::to_string(changed) + "}");
}

Response AdminApi::show_delivery(const std::string& id) {
  const auto delivery_id = parse_id(id);
  const auto delivery = delivery_id ? queries_->delivery(*delivery_id) : std::nullopt;
  if (!delivery) return error_response(404, "unknown_delivery");
  std::string body;
  append_delivery_json(body, *delivery);
  return json(200, std::move(body));
}

Response AdminApi::retry_delivery(const std::string& id) {
  const auto delivery_id = parse_id(id);
  const auto delivery = delivery_id ? queries_->delivery(*delivery_id) : std::nullopt;
  if (!delivery) return error_response(404, "unknown_delivery");
  if (delivery->state == "inflight") return error_response(409, "in_flight");
  std::string error;
  const int64_t changed = queries_->reschedule({delivery->id}, clock_.now_unix_ms(), error);
  if (changed < 0) return error_with_detail(503, "store_busy", error);
  if (changed == 0) return error_response(409, "in_flight");  // started between the read and the write
  control_.rescheduled({delivery->destination});
  spdlog::info("admin: delivery={} destination={} retried", delivery->id, delivery->destination);
  return json(200, "{\"delivery\":" + std::to_string(delivery->id) + ",\"state\":\"pending\"}");
}

Response AdminApi::cancel_delivery(const std::string& id) {
  const auto delivery_id = parse_id(id);
  const auto delivery = delivery_id ? queries_->delivery(*delivery_id) : std::nullopt;
  if (!delivery) return error_response(404, "unknown_delivery");
  std::string error;
  const int64_t changed = queries_->cancel(delivery->id, clock_.now_unix_ms(), error);
  if (changed < 0) return error_with_detail(503, "store_busy", error);
  if (changed == 0) {
    const auto now = queries_->delivery(delivery->id);
    return json(409, R"({"error":"not_cancellable","state":")" + (now ? now->state : delivery->state) + "\"}");
  }
  control_.cancelled(delivery->destination);
  spdlog::info("admin: delivery={} destination={} cancelled", delivery->id, delivery->destination);
  return json(200, "{\"delivery\":" + std::to_string(delivery->id) + ",\"state\":\"cancelled\"}");
}

Response AdminApi::list_destinations() {
  std::string body = "{\"destinations\":[";
  bool first = true;
  for (const auto& d : control_.destinations()) {
    if (!first) body += ",";
    first = false;
    body += "{\"name\":";
    append_json_string(body, d.name);
    body += std::string(",\"paused\":") + (d.paused ? "true" : "false") +
            ",\"circuit_open\":" + (d.circuit_open ? "true" : "false") + ",\"in_flight\":" + std::to_string(d.in_flight) + "}";
  }
  body += "]}";
  return json(200, std::move(body));
}

Response AdminApi::pause_destination(const std::string& name, bool pause) {
  const auto configured = control_.destinations();
  if (std::none_of(configured.begin(), configured.end(), [&](const auto& d) { return d.name == name; })) {
    return error_response(404, "unknown_destination");
  }
  // Stored first: it is what a restart and every other node on the database follow. Then this
  // node switches at once.
  std::string error;
  if (!queries_->set_destination_state(name, pause ? std::optional<std::string>("paused") : std::nullopt,
                                       clock_.now_unix_ms(), error)) {
    return error_with_detail(503, "store_busy", error);
  }
  const bool known = pause ? control_.pause(name) : control_.resume(name);
  if (!known) return error_response(404, "unknown_destination");  // removed by a reload meanwhile
  spdlog::info("admin: destination={} {}", name, pause ? "paused" : "resumed");
  std::string body = "{\"destination\":";
  append_json_string(body, name);
  body += std::string(",\"paused\":") + (pause ? "true" : "false") + "}";
  return json(200, std::move(body));
}

}  // namespace hookgate::gateway
