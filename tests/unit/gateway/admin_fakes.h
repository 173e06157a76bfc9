// The AdminApi's test doubles: a fixed clock and an AdminControl that records what it is told
// (one destination, billing). Shared by the admin API and route-table tests.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gateway/admin/admin_api.h"
#include "gateway/loop/clock.h"

namespace hookgate::gateway::testing {

using std::chrono::milliseconds;
using std::chrono::system_clock;

class FixedClock final : public loop::Clock {
 public:
  [[nodiscard]] system_clock::time_point now() const override { return system_clock::time_point(milliseconds(now_ms)); }
  static constexpr int64_t kNowMs = 1'800'000'000'000;
  int64_t now_ms = kNowMs;  // tests move it on
};

class FakeControl final : public admin::AdminControl {
 public:
  std::string metrics_text() override { return "hookgate_up 1\n"; }
  std::optional<std::string> not_ready_reason() const override { return not_ready; }
  bool pause(const std::string& destination) override {
    if (destination != "billing") return false;
    paused = true;
    return true;
  }
  bool resume(const std::string& destination) override {
    if (destination != "billing") return false;
    paused = false;
    return true;
  }
  void rescheduled(const std::vector<std::string>& destinations) override {
    woken.insert(woken.end(), destinations.begin(), destinations.end());
  }
  void cancelled(const std::string& destination) override { cancels.push_back(destination); }
  std::vector<DestinationState> destinations() const override {
    return {DestinationState{.name = "billing", .paused = paused, .url_host = "billing.internal:8443"}};
  }
  std::vector<SourceInfo> sources() const override { return {SourceInfo{"stripe", "stripe"}}; }
  admin::CounterSnapshot counters() const override { return counter_values; }

  std::optional<std::string> not_ready;
  bool paused = false;
  std::vector<std::string> woken;
  std::vector<std::string> cancels;
  admin::CounterSnapshot counter_values;  // by counter_keys.h names
};

}  // namespace hookgate::gateway::testing
