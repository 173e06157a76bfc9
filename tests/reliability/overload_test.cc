// Overload: far more concurrent requests than a small storage.queue_limit admits (HTTP/2
// connections with 100 streams each, plus HTTP/1.1 clients), for a time-scaled period.
// Asserted:
//   - every answer is 200 with an id or 503 with Retry-After: nothing else, no collapse;
//   - every 200 is stored exactly once under its id, and nothing answered 503 is stored;
//   - the gateway's resident memory stays under a generous bound (bounded queues);
//   - once the load stops, the gateway serves normally.
// HOOKGATE_OVERLOAD_SECONDS sets the period (CI: 6; the long run: 60).
#include <gtest/gtest.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "controlled_destination.h"
#include "h2_client.h"
#include "harness.h"
#include "load_client.h"
#include "verify/verifier.h"

namespace hookgate::reliability {
namespace {

using namespace std::chrono;
using testing::Database;
using testing::Gateway;
using testing::H2Client;
using testing::HttpClient;
using testing::TempDir;

// Far above what a gateway holding 16 queued events of ~1 KB needs (a few tens of MiB): a
// leak or an unbounded queue under this load goes past it quickly.
constexpr int64_t kRssBoundKib = 256 * 1024;

struct Outcomes {
  std::mutex mutex;
  std::map<std::string, std::string> acked;  // vendor id → public id
  std::set<std::string> refused;             // vendor ids answered 503
  uint64_t no_answer = 0;
  uint64_t unexpected = 0;
  uint64_t missing_retry_after = 0;

  void add(const std::string& vendor_id, int status, const std::string& body, bool has_retry_after) {
    std::lock_guard lock(mutex);
    if (status == 200 && !public_id_in(body).empty()) {
      acked[vendor_id] = public_id_in(body);
    } else if (status == 503) {
      refused.insert(vendor_id);
      if (!has_retry_after) ++missing_retry_after;
    } else if (status == 0) {
      ++no_answer;
    } else {
      if (unexpected++ == 0) ADD_FAILURE() << "unexpected answer under overload: " << status << " " << body;
    }
  }
};

bool has_retry_after(const testing::Headers& headers) {
  return std::any_of(headers.begin(), headers.end(), [](const auto& h) { return strcasecmp(h.first.c_str(), "retry-after") == 0; });
}

TEST(Overload, BoundedQueueAnswers503WithRetryAfterNeverAcksWhatItDidNotStoreAndKeepsMemoryBounded) {
  const int64_t seconds_of_load = std::max<int64_t>(2, env_int("HOOKGATE_OVERLOAD_SECONDS", 6));
  ControlledDestination sink;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 2}
storage: {path: events.db, queue_limit: 16, max_batch: 16}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_overload"]}}
destinations:
  sink: {url: ")" + sink.url() + R"("}
routes:
  - {from: stripe, to: [sink]}
)");
  const auto verifier = verifier_for(gateway.config_path(), "stripe");
  ASSERT_TRUE(verifier);
  ASSERT_TRUE(gateway.start());
  const int64_t rss_idle = rss_kib(gateway.pid());

  Outcomes outcomes;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> sent{0};
  std::vector<std::thread> vendors;
  // HTTP/2: 4 connections, each with bursts of 100 concurrent streams.
  for (int c = 0; c < 4; ++c) {
    vendors.emplace_back([&, c] {
      for (int burst = 0; !stop; ++burst) {
        H2Client client(gateway.port());
        if (!client.connected()) return;
        std::vector<std::pair<int32_t, std::string>> streams;
        for (int i = 0; i < 100; ++i) {
          const std::string vendor_id = "h2_" + std::to_string(c) + "_" + std::to_string(burst) + "_" + std::to_string(i);
          const std::string body = stripe_body(vendor_id, "invoice.paid", 800);
          streams.emplace_back(client.submit("POST", "/in/stripe", signed_headers(*verifier, body), body), vendor_id);
          ++sent;
        }
        (void)client.run(seconds(60));
        for (const auto& [stream, vendor_id] : streams) {
          const auto& result = client.result(stream);
          outcomes.add(vendor_id, result.status, result.body, has_retry_after(result.headers));
        }
      }
    });
  }
  // HTTP/1.1: 8 keep-alive clients posting back to back.
  for (int c = 0; c < 8; ++c) {
    vendors.emplace_back([&, c] {
      HttpClient client(gateway.port(), seconds(60));
      for (int i = 0; !stop; ++i) {
        const std::string vendor_id = "h1_" + std::to_string(c) + "_" + std::to_string(i);
        const std::string body = stripe_body(vendor_id, "invoice.paid", 800);
        ++sent;
        const auto response = client.request("POST", "/in/stripe", signed_headers(*verifier, body), body);
        outcomes.add(vendor_id, response.status, response.body, response.header("Retry-After").has_value());
      }
    });
  }
  int64_t rss_peak = rss_idle;
  const auto end = steady_clock::now() + seconds(seconds_of_load);
  while (steady_clock::now() < end) {
    rss_peak = std::max(rss_peak, rss_kib(gateway.pid()));
    std::this_thread::sleep_for(milliseconds(50));
  }
  stop = true;
  for (auto& v : vendors) v.join();
  rss_peak = std::max(rss_peak, rss_kib(gateway.pid()));

  EXPECT_EQ(outcomes.unexpected, 0u);
  EXPECT_EQ(outcomes.no_answer, 0u) << "requests left unanswered (the gateway collapsed or timed out)";
  EXPECT_EQ(outcomes.missing_retry_after, 0u) << "503 without Retry-After";
  EXPECT_GT(outcomes.refused.size(), 0u) << "never overloaded: the test did not test overload";
  EXPECT_GT(outcomes.acked.size(), 0u) << "nothing stored under load";
  EXPECT_GT(rss_peak, 0);
  EXPECT_LT(rss_peak, kRssBoundKib) << "resident memory grew past the bound under overload";

  // After the load: the gateway serves normally.
  {
    HttpClient client(gateway.port());
    const std::string body = stripe_body("after_overload", "invoice.paid");
    const Ack ack = to_ack(client.request("POST", "/in/stripe", signed_headers(*verifier, body), body));
    EXPECT_EQ(ack.status, 200) << ack.body;
    EXPECT_FALSE(ack.public_id.empty());
  }
  // Every 200 is stored exactly once under its id; nothing refused is stored.
  Database db(gateway.db_path());
  std::map<std::string, std::vector<std::string>> stored;
  for (const auto& row : db.rows("SELECT vendor_event_id, public_id FROM events")) stored[row[0]].push_back(row[1]);
  uint64_t lost = 0;
  for (const auto& [vendor_id, public_id] : outcomes.acked) {
    const auto it = stored.find(vendor_id);
    if (it == stored.end()) {
      ++lost;
      continue;
    }
    EXPECT_EQ(it->second, std::vector<std::string>{public_id}) << vendor_id;
  }
  EXPECT_EQ(lost, 0u) << "acked under overload but not stored";
  for (const auto& vendor_id : outcomes.refused) EXPECT_FALSE(stored.count(vendor_id)) << vendor_id << " answered 503 but stored";
  if (db.is_sqlite()) EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  std::printf("overload (%llds, queue_limit 16): sent=%llu acked=%zu refused_503=%zu lost=%llu rss_idle_kib=%lld rss_peak_kib=%lld\n",
              static_cast<long long>(seconds_of_load), static_cast<unsigned long long>(sent.load()), outcomes.acked.size(),
              outcomes.refused.size(), static_cast<unsigned long long>(lost), static_cast<long long>(rss_idle),
              static_cast<long long>(rss_peak));
  EXPECT_EQ(gateway.stop(), 0);
}

}  // namespace
}  // namespace hookgate::reliability
