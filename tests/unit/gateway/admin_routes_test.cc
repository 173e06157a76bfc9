// The admin API's route table against what it serves and what it publishes: every entry is in
// the OpenAPI document with its method, parameters and statuses; every entry is reachable with
// the token and answers only the statuses it documents; the router keeps its 401/404/405
// rules; GET /api/openapi.json is exactly `hookgate openapi`.
#include "gateway/admin/admin_routes.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <set>

#include "gateway/admin/admin_api.h"
#include "gateway/cli/commands.h"
#include "storage/event_store.h"
#include "tests/unit/gateway/admin_fakes.h"

namespace hookgate::gateway::admin {
namespace {

using namespace std::chrono;

using testing::FakeControl;
using testing::FixedClock;

constexpr const char* kToken = "t0ken-for-tests";
// The router's 404 (error_response); the handlers' 404s name what is unknown.
constexpr std::string_view kRouterNotFound = "{\"error\":\"not_found\"}";
const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> template_parameters(std::string_view path) {
  std::vector<std::string> names;
  for (size_t open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1)) {
    names.emplace_back(path.substr(open + 1, path.find('}', open) - open - 1));
  }
  return names;
}

// `route.path` with its {…} filled with values the fixture's store and control know (`known`)
// or do not.
std::string concrete_path(const AdminRoute& route, bool known) {
  std::string path(route.path);
  const bool delivery = path.rfind("/api/deliveries/", 0) == 0;
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"{id}", delivery ? (known ? "1" : "99") : (known ? "evt_01" : "evt_404")},
           {"{name}", known ? "billing" : "nope"}}) {
    if (const size_t at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
  }
  return path;
}

bool documents(const AdminRoute& route, int status) {
  if (status == 401 && route.needs_token) return true;
  return std::any_of(route.responses.begin(), route.responses.end(),
                     [&](const AdminResponseDoc& r) { return r.status == status; });
}

class AdminRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hookgate-admin-routes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    storage::StoreOptions options;
    options.path = (dir_ / "events.db").string();
    std::string error;
    auto store = storage::EventStore::open(options, error);
    ASSERT_TRUE(store) << error;
    storage::NewEvent event;
    event.public_id = "evt_01";
    event.source = "stripe";
    event.vendor_event_id = "in_1";
    event.event_type = "invoice.paid";
    event.received_at_ms = FixedClock::kNowMs - 60'000;
    event.method = "POST";
    event.path = "/in/stripe";
    event.body = "{}";
    event.destinations = {"billing"};
    std::promise<storage::WriteOutcome> done;
    ASSERT_TRUE(store->submit(std::move(event), [&done](const storage::WriteOutcome& o) { done.set_value(o); }));
    ASSERT_EQ(done.get_future().get().status, storage::WriteOutcome::Status::stored);
    store->close();
    auto queries = storage::EventQueries::open(options, false, error);
    ASSERT_TRUE(queries) << error;
    api_ = std::make_unique<AdminApi>(AdminApiOptions{.token = kToken}, control_, std::move(queries), clock_);
  }

  void TearDown() override {
    api_.reset();
    std::filesystem::remove_all(dir_);
  }

  connections::Response call(const std::string& method, const std::string& path, const std::string& query = "",
                bool token = true) {
    connections::InboundRequest request;
    request.method = method;
    request.path = path;
    request.query = query;
    if (token) request.headers.push_back({"Authorization", std::string("Bearer ") + kToken});
    return api_->answer(request);
  }

  // POST /console/login with the token's form: the session cookie's value and its CSRF token.
  std::pair<std::string, std::string> log_in() {
    connections::InboundRequest login;
    login.method = "POST";
    login.path = "/console/login";
    login.body = std::string("token=") + kToken;
    const connections::Response answer = api_->answer(login);
    std::string cookie;
    for (const auto& [name, value] : answer.headers) {
      if (name == "Set-Cookie") cookie = value.substr(value.find('=') + 1, value.find(';') - value.find('=') - 1);
    }
    connections::InboundRequest info;
    info.method = "GET";
    info.path = "/api/session";
    info.headers.push_back({"Cookie", "hookgate_session=" + cookie});
    const std::string body = api_->answer(info).body;
    const size_t at = body.find("\"csrf_token\":\"") + 14;
    return {cookie, body.substr(at, body.find('"', at) - at)};
  }

  // As a browser in a fresh console session would: the cookie, and the CSRF token on writes.
  connections::Response session_call(const std::string& method, const std::string& path) {
    const auto [cookie, csrf] = log_in();
    connections::InboundRequest request;
    request.method = method;
    request.path = path;
    request.headers.push_back({"Cookie", "hookgate_session=" + cookie});
    request.headers.push_back({"X-CSRF-Token", csrf});
    if (path == "/console/login") request.body = std::string("token=") + kToken;
    return api_->answer(request);
  }

  static std::string header_of(const connections::Response& response, const std::string& wanted) {
    for (const auto& [name, value] : response.headers) {
      if (name == wanted) return value;
    }
    return "(none)";
  }

  static std::string allow_of(const connections::Response& response) {
    for (const auto& [name, value] : response.headers) {
      if (name == "Allow") return value;
    }
    return "(none)";
  }

  std::filesystem::path dir_;
  FixedClock clock_;
  FakeControl control_;
  std::unique_ptr<AdminApi> api_;
};

TEST(AdminRouteTable, EntriesAreUniqueAndEveryApiRouteNeedsTheToken) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  std::set<std::string_view> operation_ids;
  for (const AdminRoute& route : AdminApi::routes()) {
    EXPECT_TRUE(seen.insert({route.method, route.path}).second) << route.method << " " << route.path;
    EXPECT_TRUE(operation_ids.insert(route.operation_id).second) << route.operation_id;
    EXPECT_NE(route.handler, nullptr) << route.path;
    EXPECT_FALSE(route.summary.empty()) << route.path;
    if (route.path.rfind("/api/", 0) == 0) {
      EXPECT_TRUE(route.needs_token) << route.path;
    }
    // Every {…} is declared, in order, as a path parameter; nothing else is.
    std::vector<std::string> declared;
    for (const AdminParameter& p : route.parameters) {
      if (p.in == AdminParameter::In::path) declared.emplace_back(p.name);
    }
    EXPECT_EQ(declared, template_parameters(route.path)) << route.path;
  }
  // The routes, all of them.
  for (const std::string_view path : {"/healthz", "/readyz", "/metrics", "/api/openapi.json", "/api/events",
                                      "/api/events/{id}", "/api/events/{id}/retry", "/api/deliveries/{id}",
                                      "/api/deliveries/{id}/retry", "/api/deliveries/{id}/cancel",
                                      "/api/destinations", "/api/destinations/{name}/pause",
                                      "/api/destinations/{name}/resume", "/api/events/{id}/cancel",
                                      "/api/deliveries/retry", "/api/deliveries/cancel", "/api/sources", "/api/tail",
                                      "/api/session", "/console", "/console/login", "/console/logout"}) {
    const auto routes = AdminApi::routes();
    EXPECT_TRUE(std::any_of(routes.begin(), routes.end(), [&](const AdminRoute& r) { return r.path == path; })) << path;
  }
}

TEST(AdminRouteTable, EveryRouteIsInTheDocumentWithItsMethodParametersAndStatuses) {
  const std::string text = AdminApi::openapi_document();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(doc["openapi"]), "3.1.0");
  EXPECT_EQ(std::string_view(doc["info"]["title"]), "hookgate admin API");
  EXPECT_EQ(std::string_view(doc["info"]["version"]), HOOKGATE_PROJECT_VERSION);
  EXPECT_EQ(std::string_view(doc["components"]["securitySchemes"]["bearer"]["scheme"]), "bearer");
  size_t operations = 0;
  for (auto [path, item] : doc["paths"].get_object()) {
    operations += item.get_object().size();
    (void)path;
  }
  EXPECT_EQ(operations, AdminApi::routes().size());  // nothing in the document that is not in the table

  for (const AdminRoute& route : AdminApi::routes()) {
    SCOPED_TRACE(std::string(route.method) + " " + std::string(route.path));
    simdjson::dom::element operation;
    ASSERT_EQ(doc["paths"][route.path][lowercase(route.method)].get(operation), simdjson::SUCCESS);
    EXPECT_EQ(std::string_view(operation["operationId"]), route.operation_id);
    simdjson::dom::array security = operation["security"];
    EXPECT_EQ(security.size(), route.needs_token ? 1u : 0u);

    std::set<std::string> path_parameters;
    simdjson::dom::array parameters;
    if (operation["parameters"].get(parameters) == simdjson::SUCCESS) {
      for (auto parameter : parameters) {
        if (std::string_view(parameter["in"]) == "path") {
          path_parameters.emplace(std::string_view(parameter["name"]));
          EXPECT_TRUE(bool(parameter["required"]));
        }
      }
    }
    const auto names = template_parameters(route.path);
    EXPECT_EQ(path_parameters, std::set<std::string>(names.begin(), names.end()));

    std::set<int> statuses;
    for (auto [status, response] : operation["responses"].get_object()) {
      statuses.insert(std::stoi(std::string(status)));
      (void)response;
    }
    std::set<int> expected;
    for (const AdminResponseDoc& r : route.responses) expected.insert(r.status);
    if (route.needs_token) expected.insert(401);
    EXPECT_EQ(statuses, expected);
  }
}

TEST_F(AdminRoutesTest, EveryRouteAnswersWithTheTokenAndOnlyWithStatusesItDocuments) {
  for (const bool known : {true, false}) {
    for (const AdminRoute& route : AdminApi::routes()) {
      const std::string path = concrete_path(route, known);
      SCOPED_TRACE(std::string(route.method) + " " + path);
      // The console's pages and its session answer a console session, not the token.
      const bool console = route.path.starts_with("/console") || route.operation_id == "console_session";
      const connections::Response response =
          console ? session_call(std::string(route.method), path) : call(std::string(route.method), path);
      EXPECT_NE(response.body, kRouterNotFound);
      EXPECT_NE(response.status, 405);
      EXPECT_TRUE(documents(route, response.status)) << response.status << " " << response.body;
      if (known) {
        const bool redirects = route.operation_id == "console_login" || route.operation_id == "console_logout" ||
                               route.operation_id == "root";
        EXPECT_EQ(response.status, redirects ? 303 : 200) << response.body;
      }
      if (response.status == 200) {
        EXPECT_EQ(response.content_type, route.content_type);
      }
    }
  }
}

TEST_F(AdminRoutesTest, EveryDocumentedQueryParameterIsAcceptedWithItsExample) {
  const AdminRoute* list = nullptr;
  for (const AdminRoute& route : AdminApi::routes()) {
    if (route.operation_id == "list_events") list = &route;
  }
  ASSERT_NE(list, nullptr);
  std::set<std::string_view> names;
  for (const AdminParameter& p : list->parameters) {
    ASSERT_EQ(p.in, AdminParameter::In::query);
    names.insert(p.name);
    const connections::Response response =
        call("GET", "/api/events", std::string(p.name) + "=" + std::string(p.example));
    EXPECT_EQ(response.status, 200) << p.name << ": " << response.body;
  }
  // The names list_events accepts (gateway/store/event_filter_options.h), and no other.
  EXPECT_EQ(names, (std::set<std::string_view>{"source", "destination", "event_id", "status", "since", "until",
                                               "event_type", "limit", "before"}));
  EXPECT_EQ(call("GET", "/api/events", "sauce=stripe").status, 400);
}

TEST_F(AdminRoutesTest, EveryQueryParameterOfTheBulkAndTailCallsIsAcceptedWithItsExample) {
  for (const AdminRoute& route : AdminApi::routes()) {
    if (route.operation_id != "bulk_retry" && route.operation_id != "bulk_cancel" && route.operation_id != "tail_events") continue;
    for (const AdminParameter& p : route.parameters) {
      const connections::Response response =
          call(std::string(route.method), std::string(route.path), std::string(p.name) + "=" + std::string(p.example));
      EXPECT_EQ(response.status, 200) << route.path << " " << p.name << ": " << response.body;
    }
    EXPECT_EQ(call(std::string(route.method), std::string(route.path), "sauce=stripe").status, 400) << route.path;
  }
  // The bulk calls have no paging: they act on everything the filter matches.
  EXPECT_EQ(call("POST", "/api/deliveries/retry", "limit=5").status, 400);
  EXPECT_EQ(call("POST", "/api/deliveries/retry", "dry_run=yes").status, 400);
}

TEST_F(AdminRoutesTest, AWrongMethodAnswers405WithThePathsMethods) {
  for (const AdminRoute& route : AdminApi::routes()) {
    std::string allow;
    for (const AdminRoute& same : AdminApi::routes()) {
      if (same.path == route.path) allow += (allow.empty() ? "" : ", ") + std::string(same.method);
    }
    for (const std::string& method : kMethods) {
      if (allow.find(method) != std::string::npos) continue;
      const connections::Response response = call(method, concrete_path(route, true));
      EXPECT_EQ(response.status, 405) << method << " " << route.path;
      EXPECT_EQ(allow_of(response), allow) << method << " " << route.path;
    }
  }
  EXPECT_EQ(allow_of(call("DELETE", "/api/events")), "GET");
  EXPECT_EQ(allow_of(call("GET", "/api/deliveries/retry")), "POST");  // the literal path, not {id}
  EXPECT_EQ(call("GET", "/api/deliveries/1").status, 200);
  EXPECT_EQ(allow_of(call("GET", "/api/destinations/billing/pause")), "POST");
  EXPECT_EQ(allow_of(call("HEAD", "/healthz", "", false)), "GET");  // no token needed to learn that
}

TEST_F(AdminRoutesTest, WithoutTheTokenEveryApiPathIs401BeforeRouting) {
  for (const std::string path : {"/api/openapi.json", "/api/events", "/api/nothing/here", "/api", "/metrics"}) {
    const connections::Response response = call("GET", path, "", false);
    EXPECT_EQ(response.status, 401) << path;
    EXPECT_EQ(header_of(response, "WWW-Authenticate"), "Bearer") << path;
    EXPECT_NE(header_of(response, "Content-Security-Policy").find("default-src 'none'"), std::string::npos) << path;
  }
  EXPECT_EQ(call("DELETE", "/api/events", "", false).status, 401);  // not 405: that would tell the path exists
  EXPECT_EQ(call("GET", "/healthz", "", false).status, 200);
  EXPECT_EQ(call("GET", "/readyz", "", false).status, 200);
  EXPECT_EQ(call("GET", "/metrics/x", "", false).status, 404);  // outside /api only /metrics itself asks
  EXPECT_EQ(call("GET", "/", "", false).status, 303);  // on to the console, which asks for a session
}

TEST_F(AdminRoutesTest, PathsMatchAsBefore) {
  EXPECT_EQ(call("GET", "//api//events/").status, 200);              // empty segments are skipped
  EXPECT_EQ(call("GET", "/api/events/evt%5F01").status, 200);        // {id} is percent-decoded
  EXPECT_EQ(call("POST", "/api/destinations/bil%6Cing/pause").status, 200);
  EXPECT_EQ(call("GET", "/api/%65vents").body, kRouterNotFound);  // literals are not
  EXPECT_EQ(call("GET", "/api/events/evt_01/retry/now").status, 404);
  EXPECT_EQ(call("GET", "/api/deliveries").status, 404);
  EXPECT_EQ(call("GET", "/api/destinations/billing").status, 404);
  EXPECT_EQ(call("GET", "/API/events").status, 404);
}

TEST_F(AdminRoutesTest, TheServedDocumentIsTheCommandsText) {
  const connections::Response served = call("GET", "/api/openapi.json");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.content_type, "application/json");
  ::testing::internal::CaptureStdout();
  const int exit_code = cli::run_openapi();
  std::fflush(stdout);
  const std::string printed = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(served.body, printed);
  EXPECT_EQ(printed, AdminApi::openapi_document());
  ASSERT_FALSE(printed.empty());
  EXPECT_EQ(printed.back(), '\n');
}

// The matcher on its own, for what the table does not have yet: two methods on one path.
connections::Response answer_get(AdminApi&, const AdminCall&) { return {}; }
constexpr AdminRoute kTwoMethods[] = {
    {.method = "GET", .path = "/api/things/{id}", .handler = answer_get, .operation_id = "show"},
    {.method = "POST", .path = "/api/things/{id}", .handler = answer_get, .operation_id = "replace"},
    {.method = "POST", .path = "/api/things/{id}/touch", .handler = answer_get, .operation_id = "touch"},
};

TEST(AdminRouteMatcher, ListsEveryMethodOfAPathAndDecodesItsValues) {
  const AdminRouteMatch wrong = match_admin_route(kTwoMethods, "DELETE", "/api/things/a%20b");
  EXPECT_TRUE(wrong.path_known);
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allow, "GET, POST");
  const AdminRouteMatch post = match_admin_route(kTwoMethods, "POST", "/api/things/a%20b+c");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.route->operation_id, "replace");
  EXPECT_EQ(post.path_values, (std::vector<std::string>{"a b+c"}));
  const AdminRouteMatch unknown = match_admin_route(kTwoMethods, "GET", "/api/other");
  EXPECT_FALSE(unknown.path_known);
  EXPECT_TRUE(unknown.needs_token);
  EXPECT_FALSE(match_admin_route(kTwoMethods, "GET", "/elsewhere").needs_token);
}

}  // namespace
}  // namespace hookgate::gateway::admin
