#include "gateway/admin/admin_api.h"

// The project's version (project(hookgate VERSION …) in CMakeLists.txt) for info.version, when
// the build passes it; until then the same number as `hookgate --version`. The unit tests
// compare it with CMake's PROJECT_VERSION.
#ifndef HOOKGATE_VERSION
#define HOOKGATE_VERSION "0.1.0"
#endif

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "gateway/admin/admin_answers.h"
#include "gateway/admin/browser_security.h"
#include "gateway/admin/sensitive_fields.h"
#include "gateway/store/event_filter_options.h"
#include "gateway/store/event_json.h"
#include "verify/ascii.h"
#include "verify/form.h"
#include "verify/json_text.h"

namespace hookgate::gateway::admin {
namespace {

using admin_answers::error_with_detail;
using admin_answers::json;
using admin_answers::parse_id;
using admin_answers::see_other;

constexpr size_t kDigestBytes = crypto_generichash_BYTES;
constexpr int64_t kMaxListLimit = 10'000;
constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

connections::Response method_not_allowed(std::string allow) {
  connections::Response response = connections::error_response(405, "method_not_allowed");
  response.headers.emplace_back("Allow", std::move(allow));
  return response;
}

// to_event_filter's messages name CLI flags ("--since: …"); the API's parameters have no dashes.
std::string without_flag_dashes(std::string message) {
  if (message.rfind("--", 0) == 0) message.erase(0, 2);
  return message;
}

}  // namespace

// Who sent a request: the bearer token, a console session (its cookie), or nobody.
struct AdminApi::Caller {
  bool bearer = false;
  std::string session_cookie;             // the cookie's value when it names a live session
  const ConsoleSession* session = nullptr;
};

AdminApi::AdminApi(AdminApiOptions options, AdminControl& control, std::unique_ptr<storage::EventQueries> queries,
                   const loop::Clock& clock)
    : token_digest_(secret_digest(options.token)),
      tls_(options.tls),
      control_(control),
      queries_(std::move(queries)),
      clock_(clock),
      sessions_(options.sessions) {}

bool AdminApi::bearer_authorized(const connections::InboundRequest& request) const {
  constexpr std::string_view kScheme = "Bearer ";
  std::string_view value = header_value(request, "authorization");
  if (value.size() < kScheme.size() || !verify::ascii_iequals(value.substr(0, kScheme.size()), kScheme)) return false;
  value.remove_prefix(kScheme.size());
  const std::string presented = secret_digest(value);
  return sodium_memcmp(presented.data(), token_digest_.data(), kDigestBytes) == 0;
}

AdminApi::Caller AdminApi::identify(const connections::InboundRequest& request) {
  Caller caller;
  caller.bearer = bearer_authorized(request);
  if (caller.bearer) return caller;
  if (const auto cookie = session_cookie_of(request)) {
    caller.session = sessions_.touch(*cookie, clock_.now_unix_ms());
    if (caller.session) caller.session_cookie = std::string(*cookie);
  }
  return caller;
}

connections::Response AdminApi::answer(const connections::InboundRequest& request) {
  connections::Response response = route(request);
  add_security_headers(response);
  return response;
}

connections::Response AdminApi::route(const connections::InboundRequest& request) {
  AdminRouteMatch match = match_admin_route(routes(), request.method, request.path);
  const Caller caller = identify(request);
  // Before routing: without the token nobody learns which API paths exist.
  if (match.needs_token && !caller.bearer && !caller.session) {
    connections::Response response = connections::error_response(401, "unauthorized");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
  }
  // What a browser may send by itself (a cookie) must not change state from another site:
  // SameSite=Strict keeps the cookie home, and these two checks hold even where it does not.
  if (!caller.bearer && request.method != "GET" && request.method != "HEAD") {
    if (!same_origin(request)) return connections::error_response(403, "cross_origin");
    if (caller.session && !same_secret(header_value(request, "x-csrf-token"), caller.session->csrf_token)) {
      return connections::error_response(403, "csrf");
    }
  }
  if (!match.path_known) return connections::error_response(404, "not_found");
  if (!match.route) return method_not_allowed(std::move(match.allow));
  return match.route->handler(*this, AdminCall{request, std::move(match.path_values), caller.session, caller.session_cookie});
}

connections::Response AdminApi::healthz() { return json(200, R"({"status":"ok"})"); }

connections::Response AdminApi::readyz() {
  if (const auto reason = control_.not_ready_reason()) {
    return json(503, R"({"status":"not_ready","reason":")" + *reason + "\"}");
  }
  return json(200, R"({"status":"ready"})");
}

connections::Response AdminApi::metrics() {
  connections::Response response;
  response.status = 200;
  response.content_type = std::string(kMetricsContentType);
  response.body = control_.metrics_text();
  return response;
}

connections::Response AdminApi::openapi() {
  connections::Response response;
  response.status = 200;
  response.body = openapi_document();  // ends with a newline, as json() bodies do
  return response;
}

// The filters of GET /api/events and the bulk calls, by the names of kListEventsParameters
// (a unit test sends each of them). `paging`: limit and before are accepted; `dry_run`: so is
// dry_run. nullopt when they are good, else the 400 to answer.
std::optional<connections::Response> AdminApi::read_filter(const std::string& query, FilterKeys keys,
                                                           storage::EventFilter& filter, bool& dry_run) const {
  store::EventFilterOptions options;
  std::optional<int64_t> before;
  for (auto& [name, value] : verify::parse_form(query)) {
    if (name == "source") options.source = value;
    else if (name == "destination") options.destination = value;
    else if (name == "event_id") options.event_ids.push_back(value);
    else if (name == "status") options.status = value;
    else if (name == "since") options.since = value;
    else if (name == "until") options.until = value;
    else if (name == "event_type") options.event_type = value;
    else if (keys == FilterKeys::paging && name == "before") {
      before = parse_id(value);
      if (!before) return error_with_detail(400, "bad_filter", "before: '" + value + "' is not a next_before of this API");
    } else if (keys == FilterKeys::paging && name == "limit") {
      const auto limit = parse_id(value);
      if (!limit || *limit > kMaxListLimit) {
        return error_with_detail(400, "bad_filter", "limit: '" + value + "' is not a number from 1 to 10000");
      }
      options.limit = *limit;
    } else if (keys == FilterKeys::bulk && name == "dry_run") {
      if (value != "true" && value != "false") {
        return error_with_detail(400, "bad_filter", "dry_run: '" + value + "' is not true or false");
      }
      dry_run = value == "true";
    } else {
      return error_with_detail(400, "bad_filter", "unknown parameter '" + name + "'");
    }
  }
  if (keys == FilterKeys::bulk) options.limit = 0;
  std::string error;
  if (!store::to_event_filter(options, clock_.now_unix_ms(), filter, error)) {
    return error_with_detail(400, "bad_filter", without_flag_dashes(error));
  }
  filter.before_id = before;
  return std::nullopt;
}

connections::Response AdminApi::list_events(const std::string& query) {
  storage::EventFilter filter;
  bool dry_run = false;
  if (auto refused = read_filter(query, FilterKeys::paging, filter, dry_run)) return std::move(*refused);
  const auto events = queries_->list(filter);
  std::string body = "{\"count\":" + std::to_string(events.size()) + ",\"events\":[";
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) body += ",";
    store::append_event_json(body, events[i]);
  }
  // Keyset paging: the next page is the events older than this page's last (the row id, so
  // a page costs the same on the first and the millionth event).
  const bool full = filter.limit > 0 && static_cast<int64_t>(events.size()) == filter.limit;
  body += "],\"next_before\":" + (full ? "\"" + std::to_string(events.back().id) + "\"" : std::string("null")) + "}";
  return json(200, std::move(body));
}

connections::Response AdminApi::show_event(const std::string& id) {
  auto detail = queries_->show(id);
  if (!detail) return connections::error_response(404, "unknown_event");
  detail->headers = mask_header_block(detail->headers);
  detail->query = mask_query(detail->query);
  std::string body;
  store::append_event_detail_json(body, *detail);
  return json(200, std::move(body));
}

connections::Response AdminApi::retry_event(const std::string& id) {
  const auto detail = queries_->show(id);
  if (!detail) return connections::error_response(404, "unknown_event");
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

connections::Response AdminApi::show_delivery(const std::string& id) {
  const auto delivery_id = parse_id(id);
  const auto delivery = delivery_id ? queries_->delivery(*delivery_id) : std::nullopt;
  if (!delivery) return connections::error_response(404, "unknown_delivery");
  std::string body;
  store::append_delivery_json(body, *delivery);
  return json(200, std::move(body));
}

connections::Response AdminApi::retry_delivery(const std::string& id) {
  const auto delivery_id = parse_id(id);
  const auto delivery = delivery_id ? queries_->delivery(*delivery_id) : std::nullopt;
  if (!delivery) return connections::error_response(404, "unknown_delivery");
  if (delivery->state == "inflight") return connections::error_response(409, "in_flight");
  std::string error;
  const int64_t changed = queries_->reschedule({delivery->id}, clock_.now_unix_ms(), error);
  if (changed < 0) return error_with_detail(503, "store_busy", error);
  if (changed == 0) return connections::error_response(409, "in_flight");  // started between the read and the write
  control_.rescheduled({delivery->destination});
  spdlog::info("admin: delivery={} destination={} retried", delivery->id, delivery->destination);
  return json(200, "{\"delivery\":" + std::to_string(delivery->id) + ",\"state\":\"pending\"}");
}

connections::Response AdminApi::cancel_delivery(const std::string& id) {
  const auto delivery_id = parse_id(id);
  const auto delivery = delivery_id ? queries_->delivery(*delivery_id) : std::nullopt;
  if (!delivery) return connections::error_response(404, "unknown_delivery");
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

connections::Response AdminApi::pause_destination(const std::string& name, bool pause) {
  const auto configured = control_.destinations();
  if (std::none_of(configured.begin(), configured.end(), [&](const auto& d) { return d.name == name; })) {
    return connections::error_response(404, "unknown_destination");
  }
  // Stored first: it is what a restart and every other node on the database follow. Then this
  // node switches at once.
  std::string error;
  if (!queries_->set_destination_state(name, pause ? std::optional<std::string>("paused") : std::nullopt,
                                       clock_.now_unix_ms(), error)) {
    return error_with_detail(503, "store_busy", error);
  }
  const bool known = pause ? control_.pause(name) : control_.resume(name);
  if (!known) return connections::error_response(404, "unknown_destination");  // removed by a reload meanwhile
  spdlog::info("admin: destination={} {}", name, pause ? "paused" : "resumed");
  std::string body = "{\"destination\":";
  verify::append_json_string(body, name);
  body += std::string(",\"paused\":") + (pause ? "true" : "false") + "}";
  return json(200, std::move(body));
}

// The table. Each entry's responses are what its handler can answer (401 is added for the
// token routes); the unit tests send every entry a request and check its status is listed.
namespace {

using In = AdminParameter::In;
using Body = AdminResponseDoc::Body;

constexpr AdminParameter kEventId[] = {
    {.name = "id", .in = In::path, .description = "The event's evt_… id or the vendor's event id",
     .example = "evt_01M80NQES8S5MYFV169F5YYA5D"},
};
constexpr AdminParameter kDeliveryId[] = {
    {.name = "id", .in = In::path, .type = "integer", .description = "A delivery's id (an event's deliveries[].id)",
     .example = "42", .minimum = 1},
};
constexpr AdminParameter kDestinationName[] = {
    {.name = "name", .in = In::path, .description = "A destination of the config", .example = "billing"},
};
// The filters of `hookgate events list`, by the names list_events reads.
constexpr AdminParameter kListEventsParameters[] = {
    {.name = "source", .description = "Only events from this source", .example = "stripe"},
    {.name = "destination", .description = "Only events with a delivery to this destination", .example = "billing"},
    {.name = "event_id", .description = "An event's evt_… id or the vendor's id (repeatable: any of them)",
     .example = "evt_01M80NQES8S5MYFV169F5YYA5D", .repeatable = true},
    {.name = "status", .description = "Only events with a delivery in this state", .example = "failed",
     .choices = "failed,dead,delivered,pending,all", .default_value = "all"},
    {.name = "since", .description = "Received at or after: an RFC 3339 time or a duration ago (2h, 7d)",
     .example = "2h"},
    {.name = "until", .description = "Received before: an RFC 3339 time or a duration ago", .example = "2026-11-22T10:00:00Z"},
    {.name = "event_type", .description = "Glob on the event type", .example = "invoice.*"},
    {.name = "limit", .type = "integer", .description = "At most this many events, newest first", .example = "50",
     .default_value = "100", .minimum = 1, .maximum = kMaxListLimit},
    {.name = "before", .type = "integer", .description = "The next_before of the previous page: the events older than it",
     .example = "1200", .minimum = 1},
};

constexpr AdminParameter kBulkParameters[] = {
    {.name = "source", .description = "Only deliveries of events from this source", .example = "stripe"},
    {.name = "destination", .description = "Only deliveries to this destination", .example = "billing"},
    {.name = "event_id", .description = "An event's evt_… id or the vendor's id (repeatable: any of them)",
     .example = "evt_01M80NQES8S5MYFV169F5YYA5D", .repeatable = true},
    {.name = "status", .description = "Only deliveries in this state", .example = "dead",
     .choices = "failed,dead,delivered,pending,all", .default_value = "all"},
    {.name = "since", .description = "Received at or after: an RFC 3339 time or a duration ago (2h, 7d)", .example = "6h"},
    {.name = "until", .description = "Received before: an RFC 3339 time or a duration ago", .example = "2026-11-22T10:00:00Z"},
    {.name = "event_type", .description = "Glob on the event type", .example = "invoice.*"},
    {.name = "dry_run", .description = "true: only count what the call would change", .example = "true",
     .choices = "true,false", .default_value = "false"},
};
constexpr AdminParameter kTailParameters[] = {
    {.name = "after", .description = "The cursor of the previous answer; without it, the answer is at once and empty",
     .example = "0.0"},
    {.name = "wait", .type = "integer", .description = "Seconds to wait for something new", .example = "1",
     .default_value = "25", .minimum = 1, .maximum = 30},
};

constexpr AdminResponseDoc kRootResponses[] = {{303, "See Other: /console", Body::text}};
constexpr AdminResponseDoc kConsolePageResponses[] = {
    {200, "The console (a console session)", Body::text},
    {401, "No session: the login form", Body::text},
};
constexpr AdminResponseDoc kLoginPageResponses[] = {{200, "The login form", Body::text}};
constexpr AdminResponseDoc kStylesheetResponses[] = {{200, "The console's stylesheet", Body::text}};
constexpr AdminResponseDoc kScriptResponses[] = {
    {200, "The console's script (a console session)", Body::text},
    {401, "unauthorized: no session", Body::error},
};
constexpr AdminResponseDoc kLoginResponses[] = {
    {303, "Logged in: the session cookie is set (HttpOnly, SameSite=Strict), on to /console", Body::text},
    {401, "Wrong token: the login form again", Body::text},
    {403, "cross_origin: an Origin that is not this listener", Body::error},
    {429, "Too many wrong tokens in the last minute: the login form, Retry-After", Body::text},
};
constexpr AdminResponseDoc kLogoutResponses[] = {
    {303, "The session is ended and its cookie cleared; on to /console/login", Body::text},
    {403, "csrf or cross_origin: without the session's X-CSRF-Token, or from another origin", Body::error},
};
constexpr AdminResponseDoc kSessionResponses[] = {
    {200, "{\"csrf_token\",\"expires_at\",\"idle_timeout_s\"} of the console session"},
    {404, "no_session: called with the bearer token", Body::error},
};
constexpr AdminResponseDoc kCancelEventResponses[] = {
    {200, "{\"event\":…,\"cancelled\":N}: every pending or in-flight delivery"},
    {403, "csrf or cross_origin (a console session)", Body::error},
    {404, "unknown_event", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};
constexpr AdminResponseDoc kBulkRetryResponses[] = {
    {200, "{\"matched\":N,\"rescheduled\":N}, or with dry_run {\"matched\":N,\"dry_run\":true}"},
    {400, "A bad filter: {\"error\":\"bad_filter\",\"detail\":\"…\"}", Body::error},
    {403, "csrf or cross_origin (a console session)", Body::error},
    {422, "too_many: more than 100000 deliveries match, with \"matched\"", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};
constexpr AdminResponseDoc kBulkCancelResponses[] = {
    {200, "{\"matched\":N,\"cancelled\":N}, or with dry_run {\"matched\":N,\"dry_run\":true}"},
    {400, "A bad filter: {\"error\":\"bad_filter\",\"detail\":\"…\"}", Body::error},
    {403, "csrf or cross_origin (a console session)", Body::error},
    {422, "too_many: more than 100000 deliveries match, with \"matched\"", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};
constexpr AdminResponseDoc kListSourcesResponses[] = {
    {200, "{\"sources\":[{\"name\",\"provider\",\"last_hour\":{…},\"series\":{…}}]}: this node's figures"},
};
constexpr AdminResponseDoc kTailResponses[] = {
    {200, "{\"cursor\":…,\"events\":[…]}: what arrived or changed since `after`, newest first, at most 200"},
    {400, "bad_cursor, bad_wait or bad_parameter", Body::error},
    {503, "store_busy: the store could not be read", Body::error},
};

constexpr AdminResponseDoc kHealthzResponses[] = {{200, "The process serves: {\"status\":\"ok\"}"}};
constexpr AdminResponseDoc kReadyzResponses[] = {
    {200, "Ready: {\"status\":\"ready\"}"},
    {503, "Not ready: {\"status\":\"not_ready\",\"reason\":\"store_failing\"|\"store_full\"|\"draining\"}"},
};
constexpr AdminResponseDoc kMetricsResponses[] = {{200, "Prometheus text exposition format 0.0.4", Body::text}};
constexpr AdminResponseDoc kOpenapiResponses[] = {{200, "This document"}};
constexpr AdminResponseDoc kListEventsResponses[] = {
    {200, "{\"count\":N,\"events\":[…],\"next_before\":…}: the events as `hookgate events list --json`, and the"
          " `before` of the next page (null on the last)"},
    {400, "A bad filter: {\"error\":\"bad_filter\",\"detail\":\"…\"}", Body::error},
};
constexpr AdminResponseDoc kShowEventResponses[] = {
    {200, "The event: headers, body (body_base64 when not UTF-8), every delivery and attempt"},
    {404, "unknown_event", Body::error},
};
constexpr AdminResponseDoc kRetryEventResponses[] = {
    {403, "csrf or cross_origin (a console session)", Body::error},
    {200, "{\"event\":…,\"rescheduled\":N}: every delivery not in flight is due now"},
    {404, "unknown_event", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};
constexpr AdminResponseDoc kShowDeliveryResponses[] = {
    {200, "The delivery"},
    {404, "unknown_delivery", Body::error},
};
constexpr AdminResponseDoc kRetryDeliveryResponses[] = {
    {403, "csrf or cross_origin (a console session)", Body::error},
    {200, "{\"delivery\":N,\"state\":\"pending\"}: due now, with a fresh retry schedule"},
    {404, "unknown_delivery", Body::error},
    {409, "in_flight: an attempt is running", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};
constexpr AdminResponseDoc kCancelDeliveryResponses[] = {
    {403, "csrf or cross_origin (a console session)", Body::error},
    {200, "{\"delivery\":N,\"state\":\"cancelled\"}"},
    {404, "unknown_delivery", Body::error},
    {409, "not_cancellable, with the delivery's \"state\"", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};
constexpr AdminResponseDoc kListDestinationsResponses[] = {
    {200, "{\"destinations\":[{\"name\",\"paused\",\"disabled\",\"circuit_open\",\"in_flight\",\"url_host\","
          "\"queue_depth\",\"oldest_pending_age_s\",\"last_hour\":{…},\"series\":{…}}]}"},
};
constexpr AdminResponseDoc kPauseResponses[] = {
    {403, "csrf or cross_origin (a console session)", Body::error},
    {200, "{\"destination\":…,\"paused\":true|false}; stored, so a restart and every node hold it"},
    {404, "unknown_destination", Body::error},
    {503, "store_busy: the store refused the write", Body::error},
};

}  // namespace

std::span<const AdminRoute> AdminApi::routes() {
  // Lambdas here may call the private handlers; each is a plain function pointer.
  static constexpr AdminRoute kRoutes[] = {
      {.method = "GET", .path = "/healthz", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall&) { return api.healthz(); },
       .operation_id = "healthz", .summary = "Liveness: 200 while the process serves",
       .responses = kHealthzResponses},
      {.method = "GET", .path = "/readyz", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall&) { return api.readyz(); },
       .operation_id = "readyz", .summary = "Readiness: 503 with the reason while the store fails or shutdown runs",
       .responses = kReadyzResponses},
      {.method = "GET", .path = "/metrics",
       .handler = [](AdminApi& api, const AdminCall&) { return api.metrics(); },
       .operation_id = "metrics", .summary = "Prometheus metrics", .content_type = kMetricsContentType,
       .responses = kMetricsResponses},
      {.method = "GET", .path = "/", .needs_token = false,
       .handler = [](AdminApi&, const AdminCall&) { return see_other("/console"); },
       .operation_id = "root", .summary = "On to the console: the admin listener's address opens it",
       .content_type = "text/plain; charset=utf-8", .responses = kRootResponses},
      {.method = "GET", .path = "/console", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall& call) { return api.console_page(call); },
       .operation_id = "console", .summary = "The web console (the login form without a session)",
       .content_type = "text/html; charset=utf-8", .responses = kConsolePageResponses},
      {.method = "GET", .path = "/console/login", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall&) { return api.login_page(200, ""); },
       .operation_id = "console_login_page", .summary = "The console's login form",
       .content_type = "text/html; charset=utf-8", .responses = kLoginPageResponses},
      {.method = "POST", .path = "/console/login", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall& call) { return api.login(call); },
       .operation_id = "console_login", .summary = "Log in with the admin token (form field `token`)",
       .content_type = "text/plain; charset=utf-8", .responses = kLoginResponses},
      {.method = "POST", .path = "/console/logout", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall& call) { return api.logout(call); },
       .operation_id = "console_logout", .summary = "End the console session",
       .content_type = "text/plain; charset=utf-8", .responses = kLogoutResponses},
      {.method = "GET", .path = "/console/console.css", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall& call) { return api.console_asset(call, "console.css"); },
       .operation_id = "console_stylesheet", .summary = "The console's stylesheet",
       .content_type = "text/css; charset=utf-8", .responses = kStylesheetResponses},
      {.method = "GET", .path = "/console/console.js", .needs_token = false,
       .handler = [](AdminApi& api, const AdminCall& call) { return api.console_asset(call, "console.js"); },
       .operation_id = "console_script", .summary = "The console's script",
       .content_type = "text/javascript; charset=utf-8", .responses = kScriptResponses},
      {.method = "GET", .path = "/api/session",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.session_info(call); },
       .operation_id = "console_session", .summary = "The console session's CSRF token and expiry",
       .responses = kSessionResponses},
      {.method = "GET", .path = "/api/openapi.json",
       .handler = [](AdminApi& api, const AdminCall&) { return api.openapi(); },
       .operation_id = "openapi", .summary = "This OpenAPI document (docs/openapi.json)",
       .responses = kOpenapiResponses},
      {.method = "GET", .path = "/api/events",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.list_events(call.request.query); },
       .operation_id = "list_events", .summary = "Stored events, newest first, with the filters of `hookgate events list`",
       .parameters = kListEventsParameters, .responses = kListEventsResponses},
      {.method = "GET", .path = "/api/events/{id}",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.show_event(call.path_values[0]); },
       .operation_id = "show_event", .summary = "One event with its deliveries and attempts",
       .parameters = kEventId, .responses = kShowEventResponses},
      {.method = "POST", .path = "/api/events/{id}/retry",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.retry_event(call.path_values[0]); },
       .operation_id = "retry_event", .summary = "Make every delivery of the event due now",
       .parameters = kEventId, .responses = kRetryEventResponses},
      {.method = "POST", .path = "/api/events/{id}/cancel",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.cancel_event(call.path_values[0]); },
       .operation_id = "cancel_event", .summary = "Cancel every pending or in-flight delivery of the event",
       .parameters = kEventId, .responses = kCancelEventResponses},
      {.method = "GET", .path = "/api/tail",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.tail(call.request.query); },
       .operation_id = "tail_events", .summary = "Long poll: the events that arrived or changed since a cursor",
       .parameters = kTailParameters, .responses = kTailResponses},
      {.method = "POST", .path = "/api/deliveries/retry",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.bulk(call.request.query, true); },
       .operation_id = "bulk_retry", .summary = "Make every delivery matching the filter due now (dry_run: count them)",
       .parameters = kBulkParameters, .responses = kBulkRetryResponses},
      {.method = "POST", .path = "/api/deliveries/cancel",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.bulk(call.request.query, false); },
       .operation_id = "bulk_cancel", .summary = "Cancel every pending delivery matching the filter (dry_run: count them)",
       .parameters = kBulkParameters, .responses = kBulkCancelResponses},
      {.method = "GET", .path = "/api/deliveries/{id}",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.show_delivery(call.path_values[0]); },
       .operation_id = "show_delivery", .summary = "One delivery",
       .parameters = kDeliveryId, .responses = kShowDeliveryResponses},
      {.method = "POST", .path = "/api/deliveries/{id}/retry",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.retry_delivery(call.path_values[0]); },
       .operation_id = "retry_delivery", .summary = "Make the delivery due now, with a fresh retry schedule",
       .parameters = kDeliveryId, .responses = kRetryDeliveryResponses},
      {.method = "POST", .path = "/api/deliveries/{id}/cancel",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.cancel_delivery(call.path_values[0]); },
       .operation_id = "cancel_delivery", .summary = "Cancel a pending or in-flight delivery",
       .parameters = kDeliveryId, .responses = kCancelDeliveryResponses},
      {.method = "GET", .path = "/api/destinations",
       .handler = [](AdminApi& api, const AdminCall&) { return api.list_destinations(); },
       .operation_id = "list_destinations",
       .summary = "Every destination's state, queue and last hour (this node's attempts)",
       .responses = kListDestinationsResponses},
      {.method = "GET", .path = "/api/sources",
       .handler = [](AdminApi& api, const AdminCall&) { return api.list_sources(); },
       .operation_id = "list_sources", .summary = "Every source's accepted and rejected requests, last hour, per minute",
       .responses = kListSourcesResponses},
      {.method = "POST", .path = "/api/destinations/{name}/pause",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.pause_destination(call.path_values[0], true); },
       .operation_id = "pause_destination", .summary = "Stop starting attempts to the destination (stored)",
       .parameters = kDestinationName, .responses = kPauseResponses},
      {.method = "POST", .path = "/api/destinations/{name}/resume",
       .handler = [](AdminApi& api, const AdminCall& call) { return api.pause_destination(call.path_values[0], false); },
       .operation_id = "resume_destination", .summary = "Deliver to the destination again (stored)",
       .parameters = kDestinationName, .responses = kPauseResponses},
  };
  return kRoutes;
}

std::string AdminApi::openapi_document() { return admin_openapi_document(routes(), HOOKGATE_VERSION); }

}  // namespace hookgate::gateway::admin
