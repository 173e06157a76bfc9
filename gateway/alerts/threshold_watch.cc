#include "gateway/alerts/threshold_watch.h"

namespace hookgate::gateway::alerts {

std::optional<RejectionWatch::Crossing> RejectionWatch::observe(int64_t now_ms, uint64_t received, uint64_t rejected) {
  samples_.push_back(Sample{now_ms, received, rejected});
  // Keep the newest sample at or before the window's start as the base.
  while (samples_.size() > 1 && samples_[1].at_ms <= now_ms - window_ms_) samples_.pop_front();
  const Sample& base = samples_.front();
  const Crossing window{received - base.received, rejected - base.rejected};
  const bool above = window.requests >= min_requests_ && window.rejected * 100 >= uint64_t{percent_} * window.requests;
  const bool crossed = above && !above_;
  above_ = above;
  if (!crossed) return std::nullopt;
  return window;
}

bool LevelWatch::observe(uint64_t value, uint64_t threshold) {
  const bool above = value >= threshold;
  const bool crossed = above && !above_;
  above_ = above;
  return crossed;
}

}  // namespace hookgate::gateway::alerts
