// The delivery engine in-process: a real SQLite store, the engine's own loop and a scripted
// destination (outbound_test_server.h). What each destination queue promises: no more
// attempts in flight than its concurrency, a retry after a failed attempt, nothing new while
// paused and the backlog after a resume, and a stop that waits for the attempt in flight and
// records it. The black-box versions of these run the binary (tests/integration/delivery_test.cc).
#include "gateway/delivery/delivery_engine.h"

#include <event2/thread.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "config/config.h"
#include "outbound_test_server.h"
#include "storage/event_queries.h"
#include "storage/event_store.h"

namespace hookgate::gateway::delivery {
namespace {

using namespace std::chrono_literals;
using outbound::testing::ServerConnection;
using outbound::testing::TestServer;

// A destination that counts requests and the most it had at once, answers `status`, and
// holds every answer while `held` is set.
class Destination {
 public:
  Destination()
      : server_([this](ServerConnection& connection) {
          while (connection.read_request()) {
            {
              std::unique_lock lock(mutex_);
              ++received_;
              ++in_flight_;
              most_in_flight_ = std::max(most_in_flight_, in_flight_);
              changed_.notify_all();
              changed_.wait(lock, [this] { return !held_; });
              --in_flight_;
            }
            const int status = next_status();
            const std::string reason = status == 200 ? "OK" : "Unavailable";
            if (!connection.write("HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Length: 2\r\n\r\nok")) return;
          }
        }) {}
  ~Destination() { release(); }

  void hold() {
    const std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    const std::lock_guard lock(mutex_);
    held_ = false;
    changed_.notify_all();
  }
  // The statuses of the next answers, then 200.
  void answer(std::vector<int> statuses) {
    const std::lock_guard lock(mutex_);
    statuses_ = std::move(statuses);
  }
  // Waits (10 s at most) until `n` requests are being held at once, or were received.
  bool wait_in_flight(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return in_flight_ >= n; });
  }
  bool wait_received(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return received_ >= n; });
  }
  int received() {
    const std::lock_guard lock(mutex_);
    return received_;
  }
  int most_in_flight() {
    const std::lock_guard lock(mutex_);
    return most_in_flight_;
  }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/hook"; }

 private:
  int next_status() {
    const std::lock_guard lock(mutex_);
    if (statuses_.empty()) return 200;
    const int status = statuses_.front();
    statuses_.erase(statuses_.begin());
    return status;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  int received_ = 0, in_flight_ = 0, most_in_flight_ = 0;
  std::vector<int> statuses_;
  TestServer server_;  // last: its threads use the members above until it is destroyed
};

class DeliveryEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(evthread_use_pthreads(), 0); }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hookgate-engine-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    if (engine_) engine_->stop(5s);
    engine_.reset();
    if (store_) store_->close();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The engine on a config with one destination, `billing`, with these extra settings.
  void start(const std::string& billing_settings) {
    const std::string yaml = "server: {listen: [\"127.0.0.1:0\"]}\nstorage: {path: " + (dir_ / "events.db").string() +
                             "}\nsources:\n  s: {path: /in/s, verify: {provider: none}}\n"
                             "destinations:\n  billing: {url: \"" + destination_.url() + "\", " + billing_settings +
                             "}\nroutes:\n  - {from: s, to: [billing]}\n";
    const config::LoadResult loaded = config::load_config_text(yaml, "engine-test.yaml", dir_.string());
    ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors.front().message);
    config_ = loaded.config;
    storage::StoreOptions options;
    options.path = (dir_ / "events.db").string();
    std::string error;
    store_ = storage::EventStore::open(options, error);
    ASSERT_TRUE(store_) << error;
    EngineOptions options_for_test;
    options_for_test.poll_interval_ms = 50;
    engine_ = std::make_unique<DeliveryEngine>(config_, *store_, clock_, options_for_test);
    ASSERT_TRUE(engine_->start(error)) << error;
  }

  void submit(int n) {
    for (int i = 0; i < n; ++i) {
      storage::NewEvent event;
      event.public_id = "evt_" + std::to_string(next_id_);
      event.source = "s";
      event.vendor_event_id = "v" + std::to_string(next_id_++);
      event.received_at_ms = clock_.now_unix_ms();
      event.method = "POST";
      event.path = "/in/s";
      event.body = "{}";
      event.destinations = {"billing"};
      std::promise<storage::WriteOutcome> done;
      ASSERT_TRUE(store_->submit(std::move(event), [&done](const storage::WriteOutcome& o) { done.set_value(o); }));
      ASSERT_EQ(done.get_future().get().status, storage::WriteOutcome::Status::stored);
    }
    engine_->wake({"billing"});
  }

  int64_t deliveries_in(const std::string& state) {
    std::string error;
    storage::StoreLocation location;
    location.path = (dir_ / "events.db").string();
    auto queries = storage::EventQueries::open(location, true, error);
    EXPECT_TRUE(queries) << error;
    storage::EventFilter filter;
    filter.limit = 0;
    int64_t n = 0;
    for (const auto& delivery : queries->replay_candidates(filter)) n += delivery.state == state;
    return n;
  }

  bool eventually_delivered(int64_t n) {
    for (int i = 0; i < 500; ++i) {
      if (deliveries_in("delivered") == n) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  const DestinationStats& stats() { return *engine_->stats("billing"); }

  std::filesystem::path dir_;
  loop::SystemClock clock_;
  Destination destination_;
  std::shared_ptr<const config::Config> config_;
  std::unique_ptr<storage::EventStore> store_;
  std::unique_ptr<DeliveryEngine> engine_;
  int next_id_ = 1;
};

TEST_F(DeliveryEngineTest, NeverMoreAttemptsInFlightThanTheConcurrencyAndEveryEventDeliveredOnce) {
  start("concurrency: 2");
  destination_.hold();
  submit(6);
  ASSERT_TRUE(destination_.wait_in_flight(2));
  EXPECT_EQ(stats().in_flight.load(), 2u);
  destination_.release();
  ASSERT_TRUE(eventually_delivered(6));
  EXPECT_EQ(destination_.received(), 6);
  EXPECT_EQ(destination_.most_in_flight(), 2);
  EXPECT_EQ(stats().attempts.load(), 6u);
  EXPECT_EQ(stats().delivered.load(), 6u);
  EXPECT_EQ(stats().retried.load(), 0u);
}

TEST_F(DeliveryEngineTest, AFailedAttemptIsRetriedOnItsScheduleUntilDelivered) {
  start("retry: {schedule: [10ms, 10ms], jitter: 0}");
  destination_.answer({503, 500});
  submit(1);
  ASSERT_TRUE(eventually_delivered(1));
  EXPECT_EQ(destination_.received(), 3);
  EXPECT_EQ(stats().attempts.load(), 3u);
  EXPECT_EQ(stats().retried.load(), 2u);
  EXPECT_EQ(stats().delivered.load(), 1u);
  EXPECT_EQ(stats().dead.load(), 0u);
}

TEST_F(DeliveryEngineTest, RetriesExhaustedMakeTheDeliveryDead) {
  start("retry: {schedule: [10ms], jitter: 0}");
  destination_.answer({500, 500, 500});
  submit(1);
  for (int i = 0; i < 500 && deliveries_in("dead") == 0; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(deliveries_in("dead"), 1);
  EXPECT_EQ(destination_.received(), 2);  // the first attempt and one retry
  EXPECT_EQ(stats().dead.load(), 1u);
}

TEST_F(DeliveryEngineTest, APausedDestinationStartsNothingUntilResumedThenDeliversItsBacklog) {
  start("concurrency: 4");
  ASSERT_TRUE(engine_->pause("billing"));
  EXPECT_FALSE(engine_->pause("nowhere"));
  submit(3);
  // The engine is woken for these deliveries; paused, it must leave them pending.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(destination_.received(), 0);
  EXPECT_EQ(deliveries_in("pending"), 3);
  ASSERT_TRUE(engine_->resume("billing"));
  ASSERT_TRUE(eventually_delivered(3));
  EXPECT_EQ(destination_.received(), 3);
}

TEST_F(DeliveryEngineTest, StopWaitsForTheAttemptInFlightAndRecordsIt) {
  start("concurrency: 1");
  destination_.hold();
  submit(1);
  ASSERT_TRUE(destination_.wait_in_flight(1));
  auto stopped = std::async(std::launch::async, [this] { engine_->stop(10s); });
  EXPECT_EQ(stopped.wait_for(200ms), std::future_status::timeout);  // it waits for the attempt
  destination_.release();
  stopped.get();
  EXPECT_EQ(deliveries_in("delivered"), 1);
  EXPECT_EQ(stats().delivered.load(), 1u);
}

}  // namespace
}  // namespace hookgate::gateway::delivery
