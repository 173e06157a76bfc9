// The admin API without sockets: answer() on requests, over a real database seeded through
// the event store, and a fake of the running server it steers.
#include "gateway/admin/admin_api.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <future>

#include "storage/event_store.h"
#include "tests/unit/gateway/admin_fakes.h"

namespace hookgate::gateway::admin {
namespace {

using namespace std::chrono;
using testing::FakeControl;
using testing::FixedClock;


constexpr const char* kToken = "t0ken-for-tests";

class AdminApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hookgate-admin-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string path = (dir_ / "events.db").string();
    storage::StoreOptions options;
    options.path = path;
    std::string error;
    auto store = storage::EventStore::open(options, error);
    ASSERT_TRUE(store) << error;
    store_event(*store, "evt_01", "in_1", "invoice.paid", {"billing", "audit"}, "{\"n\":1}");
    store_event(*store, "evt_02", "in_2", "customer.created", {"billing"}, std::string("\xff\xfe\x00", 3));
    store->close();
    auto queries = storage::EventQueries::open(options, false, error);
    ASSERT_TRUE(queries) << error;
    api_ = std::make_unique<AdminApi>(AdminApiOptions{.token = kToken}, control_, std::move(queries), clock_);
  }

  void TearDown() override {
    api_.reset();
    std::filesystem::remove_all(dir_);
  }

  static void store_event(storage::EventStore& store, const std::string& public_id, const std::string& vendor_id,
                          const std::string& type, std::vector<std::string> destinations, std::string body) {
    storage::NewEvent event;
    event.public_id = public_id;
    event.source = "stripe";
    event.vendor_event_id = vendor_id;
    event.event_type = type;
    event.received_at_ms = FixedClock::kNowMs - 60'000;
    event.method = "POST";
    event.path = "/in/stripe";
    event.headers = "Content-Type: application/json\r\n";
    event.body = std::move(body);
    event.destinations = std::move(destinations);
    std::promise<storage::WriteOutcome> done;
    ASSERT_TRUE(store.submit(std::move(event), [&done](const storage::WriteOutcome& o) { done.set_value(o); }));
    ASSERT_EQ(done.get_future().get().status, storage::WriteOutcome::Status::stored);
  }

  connections::Response call(const std::string& method, const std::string& path, const std::string& query = "",
                const std::string& authorization = std::string("Bearer ") + kToken) {
    connections::InboundRequest request;
    request.method = method;
    request.path = path;
    request.query = query;
    if (!authorization.empty()) request.headers.push_back({"Authorization", authorization});
    return api_->answer(request);
  }

  std::filesystem::path dir_;
  FixedClock clock_;
  FakeControl control_;
  std::unique_ptr<AdminApi> api_;
};

TEST_F(AdminApiTest, HealthAndReadinessNeedNoToken) {
  EXPECT_EQ(call("GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(call("GET", "/readyz", "", "").status, 200);
  control_.not_ready = "store_failing";
  const connections::Response response = call("GET", "/readyz", "", "");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "{\"status\":\"not_ready\",\"reason\":\"store_failing\"}\n");
}

TEST_F(AdminApiTest, EverythingElseNeedsTheExactBearerToken) {
  for (const std::string& authorization : {std::string(), std::string("Bearer"), std::string("Bearer "),
                                           std::string("Basic ") + kToken, std::string("Bearer t0ken-for-test"),
                                           std::string("Bearer ") + kToken + "s"}) {
    EXPECT_EQ(call("GET", "/metrics", "", authorization).status, 401) << authorization;
    EXPECT_EQ(call("GET", "/api/events", "", authorization).status, 401) << authorization;
  }
  EXPECT_EQ(call("GET", "/metrics", "", std::string("bearer ") + kToken).status, 200);  // scheme is case-insensitive
  const connections::Response metrics = call("GET", "/metrics");
  EXPECT_EQ(metrics.body, "hookgate_up 1\n");
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(AdminApiTest, UnknownPathsAndMethods) {
  EXPECT_EQ(call("GET", "/").status, 303);  // the listener's address opens the console
  EXPECT_EQ(call("GET", "/nothing").status, 404);
  EXPECT_EQ(call("GET", "/api").status, 404);
  EXPECT_EQ(call("GET", "/api/events/evt_01/retry/now").status, 404);
  const connections::Response wrong = call("DELETE", "/api/events");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(std::find(wrong.headers.begin(), wrong.headers.end(), std::pair<std::string, std::string>{"Allow", "GET"}),
            wrong.headers.end());
  EXPECT_EQ(call("GET", "/api/deliveries/1/cancel").status, 405);
}

TEST_F(AdminApiTest, ListsEventsWithTheCliFilters) {
  connections::Response all = call("GET", "/api/events");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body.rfind("{\"count\":2,\"events\":[{\"id\":\"evt_02\"", 0), 0u) << all.body;  // newest first
  EXPECT_NE(call("GET", "/api/events", "event_type=invoice.*").body.find("\"count\":1,"), std::string::npos);
  EXPECT_NE(call("GET", "/api/events", "destination=audit").body.find("\"id\":\"evt_01\""), std::string::npos);
  EXPECT_NE(call("GET", "/api/events", "since=30s").body.find("\"count\":0,"), std::string::npos);
  EXPECT_NE(call("GET", "/api/events", "since=2m&limit=1").body.find("\"count\":1,"), std::string::npos);
  EXPECT_NE(call("GET", "/api/events", "event_id=in_2&event_id=evt_01").body.find("\"count\":2,"), std::string::npos);

  const connections::Response bad_since = call("GET", "/api/events", "since=yesterday");
  EXPECT_EQ(bad_since.status, 400);
  EXPECT_EQ(bad_since.body.rfind("{\"error\":\"bad_filter\",\"detail\":\"since: 'yesterday'", 0), 0u) << bad_since.body;
  EXPECT_EQ(call("GET", "/api/events", "limit=0").status, 400);
  EXPECT_EQ(call("GET", "/api/events", "limit=10001").status, 400);
  EXPECT_EQ(call("GET", "/api/events", "status=lost").status, 400);
  EXPECT_EQ(call("GET", "/api/events", "sauce=stripe").status, 400);
}

TEST_F(AdminApiTest, ShowsAnEventWithABinaryBodyAsBase64) {
  const connections::Response text = call("GET", "/api/events/in_1");
  ASSERT_EQ(text.status, 200);
  EXPECT_NE(text.body.find(R"("body":"{\"n\":1}")"), std::string::npos) << text.body;
  const connections::Response binary = call("GET", "/api/events/evt_02");
  ASSERT_EQ(binary.status, 200);
  EXPECT_NE(binary.body.find(R"("body":null,"body_base64":"//4A")"), std::string::npos) << binary.body;
  EXPECT_EQ(call("GET", "/api/events/evt_404").status, 404);
}

TEST_F(AdminApiTest, RetryingAnEventReschedulesEveryDeliveryAndWakesTheirQueues) {
  const connections::Response response = call("POST", "/api/events/evt_01/retry");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, "{\"event\":\"evt_01\",\"rescheduled\":2}\n");
  EXPECT_EQ(control_.woken, (std::vector<std::string>{"billing", "audit"}));
  EXPECT_EQ(call("POST", "/api/events/evt_404/retry").status, 404);
}

TEST_F(AdminApiTest, CancelsAPendingDeliveryOnce) {
  const connections::Response first = call("POST", "/api/deliveries/1/cancel");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.body, "{\"delivery\":1,\"state\":\"cancelled\"}\n");
  EXPECT_EQ(control_.cancels, (std::vector<std::string>{"billing"}));
  const connections::Response second = call("POST", "/api/deliveries/1/cancel");
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(second.body, "{\"error\":\"not_cancellable\",\"state\":\"cancelled\"}\n");
  EXPECT_NE(call("GET", "/api/deliveries/1").body.find("\"state\":\"cancelled\""), std::string::npos);
  // A retry brings a cancelled delivery back.
  EXPECT_EQ(call("POST", "/api/deliveries/1/retry").status, 200);
  EXPECT_NE(call("GET", "/api/deliveries/1").body.find("\"state\":\"pending\""), std::string::npos);
  for (const std::string id : {"0", "-1", "abc", "99", "1x"}) {
    EXPECT_EQ(call("POST", "/api/deliveries/" + id + "/cancel").status, 404) << id;
  }
}

TEST_F(AdminApiTest, PausesAndResumesKnownDestinationsOnly) {
  EXPECT_EQ(call("POST", "/api/destinations/billing/pause").body, "{\"destination\":\"billing\",\"paused\":true}\n");
  EXPECT_TRUE(control_.paused);
  EXPECT_NE(call("GET", "/api/destinations").body.find("\"paused\":true"), std::string::npos);
  EXPECT_EQ(call("POST", "/api/destinations/billing/resume").status, 200);
  EXPECT_FALSE(control_.paused);
  EXPECT_EQ(call("POST", "/api/destinations/nope/pause").status, 404);
  EXPECT_EQ(call("GET", "/api/destinations/billing/pause").status, 405);
}

}  // namespace
}  // namespace hookgate::gateway::admin
