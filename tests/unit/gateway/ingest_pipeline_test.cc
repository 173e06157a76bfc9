// The ingest pipeline in process: a real store and event loop, a fake clock, no sockets.
#include "gateway/ingest/ingest_pipeline.h"

#include <event2/thread.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "verify/registry.h"

namespace hookgate::gateway::ingest {
namespace {

using namespace std::chrono;

class FakeClock final : public loop::Clock {
 public:
  explicit FakeClock(system_clock::time_point now) : now_(now) {}
  [[nodiscard]] system_clock::time_point now() const override { return now_; }
  void set(system_clock::time_point now) { now_ = now; }

 private:
  system_clock::time_point now_;
};

constexpr const char* kConfig = R"(
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_test"]}}
destinations:
  billing: {url: "http://127.0.0.1:9/b"}
routes:
  - {from: stripe, to: [billing]}
)";

// A Stripe vector made with the stripe SDK's generateTestHeaderString: valid exactly around t=1700000000.
constexpr const char* kBody = R"({"id":"evt_1","object":"event"})";
constexpr const char* kSignature = "t=1700000000,v1=4c15fb2a43f93ef61eaa3e0893866d57cad9cad4223242cfb96f362480cb4021";
const system_clock::time_point kSignedAt{seconds(1700000000)};

class IngestPipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_GE(sodium_init(), 0);
    ASSERT_EQ(evthread_use_pthreads(), 0);
  }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hookgate-pipeline-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const auto loaded = config::load_config_text(kConfig, "test.yaml", dir_.string());
    ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    config_ = loaded.config;
    storage::StoreOptions options;
    options.path = config_->storage.path;
    options.busy_timeout_ms = 20;
    std::string error;
    store_ = storage::EventStore::open(options, error);
    ASSERT_TRUE(store_) << error;
    pipeline_ = std::make_unique<IngestPipeline>(config_, *store_, clock_);
    loop_thread_ = std::thread([this] { loop_.run(); });
  }

  void TearDown() override {
    store_->close();
    loop_.stop();
    loop_thread_.join();
    std::filesystem::remove_all(dir_);
  }

  // Runs handle() on the loop thread, as a connection would, and waits for the answer.
  connections::Response handle(connections::InboundRequest request) {
    std::promise<connections::Response> answer;
    loop_.post([&] {
      pipeline_->handle(std::move(request), loop_,
                        [&answer](connections::Response r) { answer.set_value(std::move(r)); });
    });
    return answer.get_future().get();
  }

  static connections::InboundRequest stripe_request(std::string signature = kSignature, std::string body = kBody) {
    connections::InboundRequest request;
    request.method = "POST";
    request.path = "/in/stripe";
    request.headers = {{"Stripe-Signature", std::move(signature)}, {"Content-Type", "application/json"}};
    request.body = std::move(body);
    request.peer = "127.0.0.1:1";
    return request;
  }

  std::filesystem::path dir_;
  std::shared_ptr<const config::Config> config_;
  FakeClock clock_{kSignedAt + seconds(10)};
  std::unique_ptr<storage::EventStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
  loop::EventLoop loop_;
  std::thread loop_thread_;
};

TEST_F(IngestPipelineTest, PublishedVectorIsStoredAndAckedAtItsOwnTime) {
  const connections::Response response = handle(stripe_request());
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body.rfind("{\"id\":\"evt_", 0), 0u) << response.body;
  const SourceStats* stats = pipeline_->source_stats("stripe");
  ASSERT_NE(stats, nullptr);
  EXPECT_EQ(stats->received.load(), 1u);
  EXPECT_EQ(stats->stored.load(), 1u);
  EXPECT_EQ(store_->stats().events_stored, 1u);
}

TEST_F(IngestPipelineTest, ToleranceFollowsTheInjectedClockBothWays) {
  clock_.set(kSignedAt + seconds(301));
  connections::Response response = handle(stripe_request());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.body, R"({"error":"timestamp_too_old"})");

  clock_.set(kSignedAt - seconds(301));
  response = handle(stripe_request());
  EXPECT_EQ(response.body, R"({"error":"timestamp_in_future"})");

  clock_.set(kSignedAt + seconds(300));  // exactly at the tolerance: accepted
  EXPECT_EQ(handle(stripe_request()).status, 200);

  const SourceStats* stats = pipeline_->source_stats("stripe");
  EXPECT_EQ(stats->rejected[static_cast<size_t>(verify::Verdict::timestamp_too_old)].load(), 1u);
  EXPECT_EQ(stats->rejected[static_cast<size_t>(verify::Verdict::timestamp_in_future)].load(), 1u);
  EXPECT_EQ(stats->stored.load(), 1u);
}

TEST_F(IngestPipelineTest, DuplicateIsAckedWithTheOriginalIdAndCounted) {
  const connections::Response first = handle(stripe_request());
  const connections::Response second = handle(stripe_request());
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(pipeline_->source_stats("stripe")->duplicates.load(), 1u);
}

TEST_F(IngestPipelineTest, RoutingAndMethodErrorsAreCounted) {
  connections::InboundRequest unknown = stripe_request();
  unknown.path = "/in/other";
  EXPECT_EQ(handle(std::move(unknown)).status, 404);
  connections::InboundRequest get = stripe_request();
  get.method = "GET";
  const connections::Response response = handle(std::move(get));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Allow", "POST"}));
  EXPECT_EQ(pipeline_->stats().not_found.load(), 1u);
  EXPECT_EQ(pipeline_->stats().method_not_allowed.load(), 1u);
}

TEST_F(IngestPipelineTest, StoreThatCannotCommitAnswers503WithRetryAfterAndAcksNothing) {
  std::string error;
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(config_->storage.path.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const connections::Response response = handle(stripe_request());
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"error":"store_failed"})");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Retry-After");
  EXPECT_EQ(pipeline_->source_stats("stripe")->store_failures.load(), 1u);
  sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  EXPECT_EQ(handle(stripe_request()).status, 200);  // the vendor's retry succeeds
}

TEST_F(IngestPipelineTest, ClosedStoreAnswers503Overloaded) {
  store_->close();
  const connections::Response response = handle(stripe_request());
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"error":"overloaded"})");
  EXPECT_EQ(pipeline_->stats().overloaded.load(), 1u);
}

}  // namespace
}  // namespace hookgate::gateway::ingest

namespace hookgate::gateway::ingest {
namespace {

TEST_F(IngestPipelineTest, AnswersAreCountedByStatus) {
  EXPECT_EQ(handle(stripe_request()).status, 200);
  EXPECT_EQ(handle(stripe_request()).status, 200);  // duplicate
  EXPECT_EQ(handle(stripe_request("t=1700000000,v1=00")).status, 401);
  const SourceStats* stats = pipeline_->source_stats("stripe");
  EXPECT_EQ(stats->responses.of(200), 2u);
  EXPECT_EQ(stats->responses.of(401), 1u);
  EXPECT_EQ(stats->responses.of(503), 0u);
}

TEST_F(IngestPipelineTest, ReconfigureSwapsSecretsAndSourcesAndKeepsCounters) {
  EXPECT_EQ(handle(stripe_request()).status, 200);
  // The same source with another secret, and a new source.
  const auto next = config::load_config_text(R"(
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_rotated"]}}
  acme: {path: /in/acme, verify: none}
)", "test.yaml", dir_.string());
  ASSERT_TRUE(next.config) << next.errors[0].to_string();
  pipeline_->reconfigure(next.config);

  EXPECT_EQ(handle(stripe_request()).status, 401);  // signed with the old secret
  connections::InboundRequest acme;
  acme.method = "POST";
  acme.path = "/in/acme";
  acme.body = "{}";
  EXPECT_EQ(handle(acme).status, 200);
  EXPECT_EQ(pipeline_->source_names(), (std::vector<std::string>{"stripe", "acme"}));
  const SourceStats* stats = pipeline_->source_stats("stripe");
  EXPECT_EQ(stats->stored.load(), 1u);  // counted before the reload, still there
  EXPECT_EQ(stats->responses.of(401), 1u);
  EXPECT_EQ(pipeline_->source_stats("acme")->stored.load(), 1u);
}

}  // namespace
}  // namespace hookgate::gateway::ingest
