#include "gateway/alerts/alerter.h"

#include <spdlog/spdlog.h>

#include "gateway/ingest/public_id.h"

namespace hookgate::gateway::alerts {
namespace {

int64_t repeat_after_ms(const config::Config& config) {
  return config.alerts ? config.alerts->repeat_after.count() : 0;
}

size_t index(config::AlertKind kind) { return static_cast<size_t>(kind); }

}  // namespace

Alerter::Alerter(std::shared_ptr<const config::Config> config, storage::EventStore& store, const loop::Clock& clock)
    : config_(std::move(config)), throttle_(repeat_after_ms(*config_)), store_(store), clock_(clock) {}

void Alerter::reconfigure(std::shared_ptr<const config::Config> config) {
  const std::lock_guard lock(mutex_);
  throttle_.set_repeat_after(repeat_after_ms(*config));
  config_ = std::move(config);
}

bool Alerter::wanted(config::AlertKind kind) const {
  const std::lock_guard lock(mutex_);
  if (!config_->alerts) return false;
  for (const auto& target : config_->alerts->send) {
    if (target.wants(kind)) return true;
  }
  return false;
}

void Alerter::raise(Alert alert) {
  stats_.raised[index(alert.kind)].fetch_add(1, std::memory_order_relaxed);
  const int64_t now = clock_.now_unix_ms();
  std::vector<std::string> json_to, slack_to;
  uint64_t held_back = 0;
  {
    const std::lock_guard lock(mutex_);
    if (!config_->alerts) return;
    const bool about_destination = subject_field(alert.kind) == "destination";
    for (const auto& target : config_->alerts->send) {
      if (!target.wants(alert.kind)) continue;
      // An alert about a destination never goes to that destination: it is failing, and its
      // own alerts would feed on each other.
      if (about_destination && target.destination == alert.subject) continue;
      (target.format == config::AlertFormat::slack ? slack_to : json_to).push_back(target.destination);
    }
    if (json_to.empty() && slack_to.empty()) return;
    // A disabled destination is news every time: it waits for an operator.
    if (alert.kind != config::AlertKind::destination_disabled) {
      const auto admitted = throttle_.admit(std::string(config::to_string(alert.kind)) + "/" + alert.subject, now);
      if (!admitted) {
        stats_.held_back[index(alert.kind)].fetch_add(1, std::memory_order_relaxed);
        return;
      }
      held_back = *admitted;
    }
  }
  if (!json_to.empty()) submit(alert, config::AlertFormat::json, std::move(json_to), now, held_back);
  if (!slack_to.empty()) submit(alert, config::AlertFormat::slack, std::move(slack_to), now, held_back);
}

void Alerter::submit(const Alert& alert, config::AlertFormat format, std::vector<std::string> destinations,
                     int64_t now_ms, uint64_t held_back) {
  storage::NewEvent event;
  event.public_id = ingest::make_public_id(now_ms);
  event.source = std::string(kAlertSource);
  event.event_type = "hookgate." + std::string(config::to_string(alert.kind));
  event.received_at_ms = now_ms;
  event.method = "POST";
  event.path = "/";
  event.headers = "Content-Type: application/json\r\nUser-Agent: hookgate\r\n";
  event.body = format == config::AlertFormat::slack ? alert_slack(alert, held_back) : alert_json(alert, now_ms, held_back);
  event.destinations = std::move(destinations);
  const size_t kind = index(alert.kind);
  const std::string id = event.public_id;
  const bool queued = store_.submit(std::move(event), [this, kind, id](const storage::WriteOutcome& outcome) {
    if (outcome.status == storage::WriteOutcome::Status::stored) {
      stats_.stored[kind].fetch_add(1, std::memory_order_relaxed);
    } else {
      stats_.dropped[kind].fetch_add(1, std::memory_order_relaxed);
      spdlog::warn("alerts: alert {} ({}) could not be stored; it is dropped", id, config::to_string(static_cast<config::AlertKind>(kind)));
    }
  });
  if (!queued) {
    stats_.dropped[kind].fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("alerts: the store queue is full; alert {} ({}) dropped", id, config::to_string(alert.kind));
  } else {
    spdlog::info("alerts: {} {}{}{} event={}", config::to_string(alert.kind), subject_field(alert.kind),
                 subject_field(alert.kind).empty() ? "" : "=", alert.subject, id);
  }
}

}  // namespace hookgate::gateway::alerts
