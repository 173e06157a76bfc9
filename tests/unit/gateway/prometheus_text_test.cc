// The Prometheus exposition format and the lock-free histogram behind /metrics.
#include "gateway/metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hookgate::gateway::metrics {
namespace {

TEST(Histogram, BucketsAreUpperInclusiveAndCumulative) {
  Histogram histogram({0.01, 0.1, 1});
  for (const double value : {0.001, 0.01, 0.05, 0.1, 0.5, 2.0, 30.0}) histogram.observe(value);
  const Histogram::Reading reading = histogram.read();
  EXPECT_EQ(reading.cumulative, (std::vector<uint64_t>{2, 4, 5, 7}));
  EXPECT_DOUBLE_EQ(reading.sum, 0.001 + 0.01 + 0.05 + 0.1 + 0.5 + 2.0 + 30.0);
}

TEST(Histogram, ConcurrentObservationsAreAllCounted) {
  Histogram histogram(batch_size_bounds());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&histogram] {
      for (int i = 0; i < 10'000; ++i) histogram.observe(static_cast<double>(i % 100));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(histogram.read().cumulative.back(), 40'000u);
}

TEST(PrometheusText, FamiliesSamplesAndEscapedLabels) {
  PrometheusText text;
  text.family("hookgate_requests_total", "counter", "Requests.");
  text.sample("hookgate_requests_total", {{"source", "a\"b\\c\nd"}, {"status", "200"}}, uint64_t{7});
  text.sample("hookgate_up", {}, 0.5);
  EXPECT_EQ(text.take(),
            "# HELP hookgate_requests_total Requests.\n"
            "# TYPE hookgate_requests_total counter\n"
            "hookgate_requests_total{source=\"a\\\"b\\\\c\\nd\",status=\"200\"} 7\n"
            "hookgate_up 0.5\n");
}

TEST(PrometheusText, HistogramHasBucketsWithLeThenSumAndCount) {
  Histogram histogram({0.005, 1});
  histogram.observe(0.002);
  histogram.observe(3);
  PrometheusText text;
  text.histogram("hookgate_x_seconds", {{"destination", "d"}}, histogram.read());
  EXPECT_EQ(text.take(),
            "hookgate_x_seconds_bucket{destination=\"d\",le=\"0.005\"} 1\n"
            "hookgate_x_seconds_bucket{destination=\"d\",le=\"1\"} 1\n"
            "hookgate_x_seconds_bucket{destination=\"d\",le=\"+Inf\"} 2\n"
            "hookgate_x_seconds_sum{destination=\"d\"} 3.002\n"
            "hookgate_x_seconds_count{destination=\"d\"} 2\n");
}

}  // namespace
}  // namespace hookgate::gateway::metrics
