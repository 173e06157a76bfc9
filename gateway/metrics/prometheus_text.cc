#include "gateway/metrics/prometheus_text.h"

#include <fmt/format.h>

namespace hookgate::gateway::metrics {
namespace {

// Shortest text that reads back as the same double ("0.005", "1e-06", "42").
std::string number(double value) { return fmt::format("{}", value); }

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::append_labels(Labels labels, std::string_view le) {
  if (labels.size() == 0 && le.empty()) return;
  out_.push_back('{');
  bool first = true;
  const auto append = [&](std::string_view name, std::string_view value) {
    if (!first) out_.push_back(',');
    first = false;
    out_.append(name).append("=\"");
    for (const char c : value) {
      switch (c) {
        case '\\': out_.append("\\\\"); break;
        case '"': out_.append("\\\""); break;
        case '\n': out_.append("\\n"); break;
        default: out_.push_back(c);
      }
    }
    out_.push_back('"');
  };
  for (const auto& [name, value] : labels) append(name, value);
  if (!le.empty()) append("le", le);
  out_.push_back('}');
}

void PrometheusText::sample(std::string_view name, Labels labels, double value) {
  out_.append(name);
  append_labels(labels);
  out_.append(" ").append(number(value)).append("\n");
}

void PrometheusText::sample(std::string_view name, Labels labels, uint64_t value) {
  out_.append(name);
  append_labels(labels);
  out_.append(" ").append(std::to_string(value)).append("\n");
}

void PrometheusText::histogram(std::string_view name, Labels labels, const Histogram::Reading& reading) {
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < reading.cumulative.size(); ++i) {
    const std::string le = i < reading.upper_bounds.size() ? number(reading.upper_bounds[i]) : "+Inf";
    out_.append(bucket);
    append_labels(labels, le);
    out_.append(" ").append(std::to_string(reading.cumulative[i])).append("\n");
  }
  out_.append(name).append("_sum");
  append_labels(labels);
  out_.append(" ").append(number(reading.sum)).append("\n");
  out_.append(name).append("_count");
  append_labels(labels);
  out_.append(" ").append(std::to_string(reading.cumulative.empty() ? 0 : reading.cumulative.back())).append("\n");
}

}  // namespace hookgate::gateway::metrics
