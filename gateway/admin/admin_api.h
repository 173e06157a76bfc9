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
//
// Answers before routing: 401 (with WWW-Authenticate: Bearer) without the token for every
// path under /api, known or not, and for /metrics; then 404 for a path not in the table, 405
// with Allow for a method the path does not have. {id} and {name} are percent-decoded.
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
#include "gateway/clock.h"
#include "gateway/request_handler.h"
#include "storage/event_queries.h"

namespace hookgate::gateway {

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
  };
  [[nodiscard]] virtual std::vector<DestinationState> destinations() const = 0;
};

class AdminApi final : public RequestHandler {
 public:
  AdminApi(std::string token, AdminControl& control, std::unique_ptr<storage::EventQueries> queries,
           const Clock& clock);

  void handle(InboundRequest request, EventLoop& loop, Respond respond) override;
  // The answer to one request; handle() is this plus the callback.
  [[nodiscard]] Response answer(const InboundRequest& request);

  // The routing table, in the order of the document's paths.
  [[nodiscard]] static std::span<const AdminRoute> routes();
  // admin_openapi_document(routes()) with the project's version: what GET /api/openapi.json
  // answers and `hookgate openapi` prints.
  [[nodiscard]] static std::string openapi_document();

 private:
  [[nodiscard]] bool authorized(const InboundRequest& request) const;
  [[nodiscard]] Response healthz();
  [[nodiscard]] Response readyz();
  [[nodiscard]] Response metrics();
  [[nodiscard]] Response openapi();
  [[nodiscard]] Response list_events(const std::string& query);
  [[nodiscard]] Response show_event(const std::string& id);
  [[nodiscard]] Response retry_event(const std::string& id);
  [[nodiscard]] Response show_delivery(const std::string& id);
  [[nodiscard]] Response retry_delivery(const std::string& id);
  [[nodiscard]] Response cancel_delivery(const std::string& id);
  [[nodiscard]] Response list_destinations();
  [[nodiscard]] Response pause_destination(const std::string& name, bool pause);

  std::string token_digest_;  // BLAKE2b of the token: compared in constant time
  AdminControl& control_;
  std::unique_ptr<storage::EventQueries> queries_;
  const Clock& clock_;
};

}  // namespace hookgate::gateway
