// Builds the Prometheus text exposition format (version 0.0.4): a family header once, then
// its samples. Label values are escaped as the format requires (\\, \", \n).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/metrics/histogram.h"

namespace hookgate::gateway::metrics {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class PrometheusText {
 public:
  // "# HELP name help" and "# TYPE name type"; type is counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, Labels labels, double value);
  void sample(std::string_view name, Labels labels, uint64_t value);
  // name_bucket{…,le="…"}, name_sum, name_count.
  void histogram(std::string_view name, Labels labels, const Histogram::Reading& reading);

  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  void append_labels(Labels labels, std::string_view le = {});
  std::string out_;
};

}  // namespace hookgate::gateway::metrics
