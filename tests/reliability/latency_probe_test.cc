// A figure for the long run, not a ctest test: the p99 delivery latency (vendor's POST sent →
// request at the destination) of two healthy destinations, first with every destination
// healthy (baseline), then while a third destination on the same routes hangs. The issue's
// bar is "within 20% of the baseline"; tests/reliability/run --long prints both figures and
// that verdict. This only asserts that nothing is lost: timing bounds on a shared machine
// would be flaky, so the figure is reported, not asserted.
//
// HOOKGATE_PROBE_SECONDS: length of each phase (default 30); HOOKGATE_PROBE_RATE: events/s
// (default 50).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "controlled_destination.h"
#include "harness.h"
#include "load_client.h"
#include "verify/verifier.h"

namespace hookgate::reliability {
namespace {

using namespace std::chrono;
using testing::Gateway;
using testing::HttpClient;
using testing::TempDir;

struct Percentiles {
  double p50_ms = 0, p99_ms = 0;
  size_t samples = 0;
};

Percentiles percentiles(std::vector<double> ms) {
  Percentiles out;
  out.samples = ms.size();
  if (ms.empty()) return out;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))]; };
  out.p50_ms = at(0.50);
  out.p99_ms = at(0.99);
  return out;
}

// Posts at `rate` events/s for `duration`; returns public id → time the POST was sent.
std::map<std::string, steady_clock::time_point> post_steadily(Gateway& gateway, const verify::Verifier& verifier,
                                                             const std::string& prefix, int64_t rate, seconds duration) {
  std::map<std::string, steady_clock::time_point> sent;
  std::mutex mutex;
  std::vector<std::thread> vendors;
  constexpr int kVendors = 2;
  const auto start = steady_clock::now();
  for (int c = 0; c < kVendors; ++c) {
    vendors.emplace_back([&, c] {
      HttpClient client(gateway.port());
      const auto interval = duration_cast<steady_clock::duration>(seconds(1)) * kVendors / rate;
      auto next = start + interval * c / kVendors;
      for (int i = 0; next < start + duration; ++i, next += interval) {
        std::this_thread::sleep_until(next);
        const std::string body = stripe_body(prefix + std::to_string(c) + "_" + std::to_string(i), "invoice.paid", 500);
        const auto at = steady_clock::now();
        const Ack ack = to_ack(client.request("POST", "/in/stripe", signed_headers(verifier, body), body));
        EXPECT_EQ(ack.status, 200) << ack.body;
        if (ack.public_id.empty()) continue;
        std::lock_guard lock(mutex);
        sent[ack.public_id] = at;
      }
    });
  }
  for (auto& v : vendors) v.join();
  return sent;
}

// Latencies of `sent` at the healthy destinations, once each has every event (or timeout).
std::vector<double> latencies(const std::map<std::string, steady_clock::time_point>& sent,
                              const std::vector<const ControlledDestination*>& healthy) {
  const auto deadline = steady_clock::now() + seconds(120);
  std::vector<double> out;
  for (const auto* destination : healthy) {
    std::map<std::string, steady_clock::time_point> answered;
    for (;;) {
      answered = destination->answered();
      const bool all = std::all_of(sent.begin(), sent.end(), [&](const auto& s) { return answered.count(s.first) > 0; });
      if (all || steady_clock::now() > deadline) break;
      std::this_thread::sleep_for(milliseconds(100));
    }
    for (const auto& [id, at] : sent) {
      const auto it = answered.find(id);
      EXPECT_NE(it, answered.end()) << id << " never reached a healthy destination";
      if (it != answered.end()) out.push_back(duration<double, std::milli>(it->second - at).count());
    }
  }
  return out;
}

TEST(LatencyProbe, HealthyDestinationsP99WithAndWithoutAHangingNeighbour) {
  const auto phase = seconds(std::max<int64_t>(5, env_int("HOOKGATE_PROBE_SECONDS", 30)));
  const int64_t rate = std::max<int64_t>(2, env_int("HOOKGATE_PROBE_RATE", 50));
  ControlledDestination healthy_a, healthy_b, neighbour;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 2}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_latency_probe"]}}
destinations:
  healthy_a: {url: ")" + healthy_a.url() + R"(", concurrency: 8}
  healthy_b: {url: ")" + healthy_b.url() + R"(", concurrency: 8}
  neighbour: {url: ")" + neighbour.url() + R"(", timeout: 2s, concurrency: 8, retry: {schedule: [1s, 2s, 5s, 10s, 10s, 10s, 10s, 10s, 10s, 10s, 10s, 10s], jitter: 0}}
routes:
  - {from: stripe, to: [healthy_a, healthy_b, neighbour]}
)");
  const auto verifier = verifier_for(gateway.config_path(), "stripe");
  ASSERT_TRUE(verifier);
  ASSERT_TRUE(gateway.start());

  // Warm-up, not measured: first connections, page cache, the writer's first batches.
  (void)latencies(post_steadily(gateway, *verifier, "warm_", rate, seconds(5)), {&healthy_a, &healthy_b});
  const auto baseline_sent = post_steadily(gateway, *verifier, "base_", rate, phase);
  const Percentiles baseline = percentiles(latencies(baseline_sent, {&healthy_a, &healthy_b}));
  ASSERT_TRUE(neighbour.set_mode(ControlledDestination::Mode::hang));
  const auto trouble_sent = post_steadily(gateway, *verifier, "trouble_", rate, phase);
  const Percentiles trouble = percentiles(latencies(trouble_sent, {&healthy_a, &healthy_b}));
  ASSERT_TRUE(neighbour.set_mode(ControlledDestination::Mode::answer));

  const double ratio = baseline.p99_ms > 0 ? trouble.p99_ms / baseline.p99_ms : 0;
  std::printf("latency probe: rate=%lld/s phase_s=%lld baseline_p50_ms=%.2f baseline_p99_ms=%.2f (n=%zu) "
              "trouble_p50_ms=%.2f trouble_p99_ms=%.2f (n=%zu) p99_ratio=%.3f within_20pct=%s\n",
              static_cast<long long>(rate), static_cast<long long>(phase.count()), baseline.p50_ms, baseline.p99_ms,
              baseline.samples, trouble.p50_ms, trouble.p99_ms, trouble.samples, ratio, ratio <= 1.2 ? "yes" : "no");
  std::fflush(stdout);
}

}  // namespace
}  // namespace hookgate::reliability
