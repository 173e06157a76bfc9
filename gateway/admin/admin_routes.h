// The admin API's routing table, and the OpenAPI 3.1 document made from it. One entry per
// method and path template carries both what serves a request and what the document says of
// it, so the published contract (docs/openapi.json, GET /api/openapi.json) cannot drift from
// what the listener answers: tests/unit/gateway/admin_routes_test.cc and the contract test
// contracts.openapi_is_current hold the two together.
//
// Everything here is immutable data and pure functions: callable from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/connections/exchange.h"

namespace hookgate::gateway::admin {

class AdminApi;
struct ConsoleSession;

struct AdminParameter {
  enum class In { path, query };
  std::string_view name{};
  In in = In::query;
  std::string_view type = "string";   // JSON Schema type: "string" or "integer"
  std::string_view description{};
  std::string_view example{};           // in the document; a value the handler accepts
  std::string_view choices{};           // "a,b,c": the schema's enum; empty: any value
  std::string_view default_value{};     // query only; empty: none
  int64_t minimum = 0;                // integers only; 0: unbounded
  int64_t maximum = 0;
  bool repeatable = false;            // query only: may be given several times (an array)
};

struct AdminResponseDoc {
  enum class Body { object, text, error };  // a JSON object, text, {"error":…,"detail"?:…}
  int status = 200;
  std::string_view description{};
  Body body = Body::object;
};

// A request that matched a route: the values of its {…} segments, percent-decoded, in the
// template's order.
struct AdminCall {
  const connections::InboundRequest& request;
  std::vector<std::string> path_values;
  // The console session that authorized the call, and its cookie's value (null and empty: the
  // bearer token did, or nothing did on a route without the token).
  const ConsoleSession* session = nullptr;
  std::string session_cookie{};
};

struct AdminRoute {
  std::string_view method{};        // "GET", "POST"
  std::string_view path{};          // literal segments and whole-segment {name}s: "/api/events/{id}/retry"
  bool needs_token = true;
  connections::Response (*handler)(AdminApi& api, const AdminCall& call) = nullptr;
  std::string_view operation_id{};  // snake_case, unique
  std::string_view summary{};
  std::string_view content_type = "application/json";  // of the 2xx body, as the handler sets it
  std::span<const AdminParameter> parameters{};  // every {…} of `path`, then the query's
  // What the handler itself can answer; the document adds 401 to every route that needs the
  // token (it is answered before routing).
  std::span<const AdminResponseDoc> responses{};
};

// Every path whose first segment is this needs the token before any routing, known or not,
// so nobody learns without it which API paths exist. Routes outside it that need the token
// (/metrics) ask for it on their own paths only. A route under it never goes without the token.
inline constexpr std::string_view kAdminTokenPrefix = "api";

struct AdminRouteMatch {
  const AdminRoute* route = nullptr;  // the entry of the request's method and path
  bool path_known = false;            // some entry has this path (route null: a 405)
  bool needs_token = false;           // under kAdminTokenPrefix, or an entry of the path needs it
  std::string allow;                  // the path's methods in table order: "GET, POST"
  std::vector<std::string> path_values;  // of `route`
};

// Matches `path` (without query; empty segments are skipped, so "//api/events/" is
// "/api/events") against `routes`: literal segments compare raw, {…} segments take any
// non-empty segment and are percent-decoded ('+' stays '+').
// A path that fits a literal entry fits none of the templates with fewer literals.
[[nodiscard]] AdminRouteMatch match_admin_route(std::span<const AdminRoute> routes, std::string_view method,
                                                std::string_view path);

// The OpenAPI 3.1.0 document of `routes`: paths in table order, pretty-printed with 2 spaces
// as JSON.stringify(doc, null, 2) would, and a trailing newline; the same bytes for the same
// table. `version` is info.version.
[[nodiscard]] std::string admin_openapi_document(std::span<const AdminRoute> routes, std::string_view version);

}  // namespace hookgate::gateway::admin
