// The admin API behind admin.listen: health, readiness, Prometheus metrics and the operator's
// JSON API (events, retries, cancels, pausing destinations). Everything but /healthz and
// /readyz requires `Authorization: Bearer <admin.token>`.
//
// Its routes are one table (routes(), in admin_api.cc; the types in admin_routes.h): method,
// path template, whether the token is needed, handler and what the OpenAPI document says.
// GET /api/openapi.json and `hookgate openapi` serve that document (committed as
// docs/openapi.json, the test contracts.openapi_is_current keeps it current).
//
//   GET  /healthz                         200 while the process serves
//   GET  /readyz                          200, or 503 with the reason (store failing, draining)
//   GET  /metrics                         Prometheus text
//   GET  /api/openapi.json                the OpenAPI 3.1 document of this table
//   GET  /api/events?source=&destination=&event_id=&status=&since=&until=&event_type=&limit=
//   GET  /api/events/{id}                 headers, body, deliveries, attempts
//   POST /api/events/{id}/retry           every delivery of the event, due now
//   GET  /api/deliveries/{id}
//   POST /api/deliveries/{id}/retry       due now, fresh retry schedule
//   POST /api/deliveries/{id}/cancel      pending or inflight → cancelled
//   GET  /api/destinations                state of every destination
//   POST /api/destinations/{name}/pause   and /resume: stored (destination_states), so a
//                                         restart and every node on the database hold it
//   POST /api/events/{id}/cancel          every pending delivery of the event
//   POST /api/deliveries/retry?<filter>   and /cancel: in bulk, by the filters of /api/events;
//                                         dry_run=true only counts
//   GET  /api/sources                     accepted and rejected, last hour, per minute
//   GET  /api/tail?after=<cursor>&wait=   long poll: events that arrived or changed since
//   GET  /api/session                     the console session's CSRF token
//   GET  /console, /console/login, /console/console.css|js; POST /console/login|logout:
//                                         the web console (admin_console.cc)
//
// Answers before routing: 401 (with WWW-Authenticate: Bearer) without the token for every
// path under /api, known or not, and for /metrics; then 404 for a path not in the table, 405
// with Allow for a method the path does not have. {id} and {name} are percent-decoded.
// The console's session cookie stands for the token on /api, with two more checks on every
// POST it authorizes: the session's X-CSRF-Token header, and an Origin, when sent, of this
// listener (403 otherwise). The bearer token needs neither: a browser never sends it by itself.
//
// Threading: the admin loop's thread only (its SQLite connection is its own); routes() and
// openapi_document() from any thread.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/admin/admin_routes.h"
#include "gateway/admin/console_sessions.h"
#include "gateway/admin/counter_history.h"
#include "gateway/connections/request_handler.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/libevent_handles.h"
#include "storage/event_queries.h"

namespace hookgate::gateway::admin {

// What the API reads from and steers in the running server.
class AdminControl {
 public:
  virtual ~AdminControl() = default;
  [[nodiscard]] virtual std::string metrics_text() = 0;
  // nullopt when ready; else a snake_case reason.
  [[nodiscard]] virtual std::optional<std::string> not_ready_reason() const = 0;
  // False for a destination not configured.
  virtual bool pause(const std::string& destination) = 0;
  virtual bool resume(const std::string& destination) = 0;
  // Deliveries to these destinations were made due now by the API: start them.
  virtual void rescheduled(const std::vector<std::string>& destinations) = 0;
  virtual void cancelled(const std::string& destination) = 0;

  struct DestinationState {
    std::string name;
    bool paused = false;
    bool disabled = false;  // by disable_after; paused too until resumed
    bool circuit_open = false;
    uint64_t in_flight = 0;
    std::string url_host;  // "billing.internal:8443": where it delivers, without path or query
  };
  [[nodiscard]] virtual std::vector<DestinationState> destinations() const = 0;

  struct SourceInfo {
    std::string name;
    std::string provider;  // the preset, "none", or the generic scheme: "hmac", "token", …
  };
  [[nodiscard]] virtual std::vector<SourceInfo> sources() const = 0;
  // Every cumulative counter the console charts, by the names of counter_keys.h.
  [[nodiscard]] virtual CounterSnapshot counters() const = 0;
};

// How the admin API is served (admin.listen).
struct AdminApiOptions {
  std::string token;
  bool tls = false;  // the session cookie is Secure
  ConsoleSessionLimits sessions{};
};

class AdminApi final : public connections::RequestHandler {
 public:
  AdminApi(AdminApiOptions options, AdminControl& control, std::unique_ptr<storage::EventQueries> queries,
           const loop::Clock& clock);
  ~AdminApi() override;

  void handle(connections::InboundRequest request, loop::EventLoop& loop, connections::Respond respond) override;
  // The answer to one request; handle() is this plus the callback, except that a tail request
  // with nothing new waits there (answer() gives the empty answer at once).
  [[nodiscard]] connections::Response answer(const connections::InboundRequest& request);

  // Takes the counters for the per-minute history; the admin loop calls it every few seconds.
  void sample_counters();
  // Answers every waiting tail request now (shutdown).
  void release_waiters();

  // The routing table, in the order of the document's paths.
  [[nodiscard]] static std::span<const AdminRoute> routes();
  // admin_openapi_document(routes()) with the project's version: what GET /api/openapi.json
  // answers and `hookgate openapi` prints.
  [[nodiscard]] static std::string openapi_document();

 private:
  struct Caller;
  // A tail request with nothing new yet: answered when something is, or at the deadline.
  struct TailWait {
    storage::EventQueries::TailCursor after;
    int64_t deadline_ms = 0;
    connections::Respond respond;
  };
  enum class FilterKeys { paging, bulk };
  [[nodiscard]] std::optional<connections::Response> read_filter(const std::string& query, FilterKeys keys,
                                                                 storage::EventFilter& filter, bool& dry_run) const;
  [[nodiscard]] connections::Response route(const connections::InboundRequest& request);
  [[nodiscard]] bool bearer_authorized(const connections::InboundRequest& request) const;
  [[nodiscard]] Caller identify(const connections::InboundRequest& request);
  [[nodiscard]] connections::Response console_page(const AdminCall& call);
  [[nodiscard]] connections::Response login_page(int status, std::string_view error);
  [[nodiscard]] connections::Response console_asset(const AdminCall& call, std::string_view name);
  [[nodiscard]] connections::Response login(const AdminCall& call);
  [[nodiscard]] connections::Response logout(const AdminCall& call);
  [[nodiscard]] connections::Response session_info(const AdminCall& call);
  [[nodiscard]] connections::Response cancel_event(const std::string& id);
  [[nodiscard]] connections::Response bulk(const std::string& query, bool retry);
  [[nodiscard]] connections::Response list_sources();
  [[nodiscard]] connections::Response tail(const std::string& query);
  [[nodiscard]] connections::Response tail_answer(const storage::EventQueries::TailCursor& after,
                                                  const storage::EventQueries::TailCursor& now_cursor, int64_t now_ms);
  void poll_waiters();
  [[nodiscard]] connections::Response healthz();
  [[nodiscard]] connections::Response readyz();
  [[nodiscard]] connections::Response metrics();
  [[nodiscard]] connections::Response openapi();
  [[nodiscard]] connections::Response list_events(const std::string& query);
  [[nodiscard]] connections::Response show_event(const std::string& id);
  [[nodiscard]] connections::Response retry_event(const std::string& id);
  [[nodiscard]] connections::Response show_delivery(const std::string& id);
  [[nodiscard]] connections::Response retry_delivery(const std::string& id);
  [[nodiscard]] connections::Response cancel_delivery(const std::string& id);
  [[nodiscard]] connections::Response list_destinations();
  [[nodiscard]] connections::Response pause_destination(const std::string& name, bool pause);

  std::string token_digest_;  // BLAKE2b of the token: compared in constant time
  bool tls_ = false;
  AdminControl& control_;
  std::unique_ptr<storage::EventQueries> queries_;
  const loop::Clock& clock_;
  ConsoleSessions sessions_;
  CounterHistory history_;
  std::unique_ptr<TailWait> parked_;      // set by tail() when it has nothing yet
  std::vector<std::unique_ptr<TailWait>> waiters_;
  loop::EventPtr tail_timer_;  // polls the store while waiters_ is not empty
};

}  // namespace hookgate::gateway::admin
