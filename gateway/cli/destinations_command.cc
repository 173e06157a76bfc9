// `hookgate destinations list|pause|resume`: each configured destination's stored state, queue
// depth and oldest pending age, and the switch that every server on the database follows.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "gateway/cli/commands.h"
#include "gateway/cli/operator_queries.h"
#include "gateway/loop/clock.h"
#include "verify/json_text.h"

namespace hookgate::gateway::cli {
namespace {

// The command is where the clock is chosen: the wall clock (serve and replay do the same).
int64_t now_ms() { return loop::SystemClock().now_unix_ms(); }

// "2h03m", "4m12s", "9s": an age at a glance.
std::string age_text(int64_t ms) {
  const int64_t s = std::max<int64_t>(ms, 0) / 1000;
  char text[32];
  if (s >= 86400) {
    std::snprintf(text, sizeof text, "%lldd%02lldh", static_cast<long long>(s / 86400), static_cast<long long>(s % 86400 / 3600));
  } else if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(s / 3600), static_cast<long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s));
  }
  return text;
}

}  // namespace

int run_destinations_list(const std::string& config_path, bool json) {
  const OperatorStore store = open_operator_store(config_path, true);
  if (!store.queries) return 1;
  const auto states = store.queries->destination_states();
  if (!states) {
    std::fprintf(stderr, "cannot read destination states: %s\n", store.queries->error().c_str());
    return 1;
  }
  const int64_t now = now_ms();
  std::string out = json ? "[" : "";
  if (!json) {
    char head[160];
    std::snprintf(head, sizeof head, "%-24s %-10s %10s %14s\n", "NAME", "STATE", "PENDING", "OLDEST PENDING");
    out += head;
  }
  bool first = true;
  for (const auto& destination : store.config->destinations) {
    const auto it = states->find(destination.name);
    const std::string state = it == states->end() ? "delivering" : it->second;
    const storage::Backlog backlog = store.queries->backlog(destination.name);
    const bool waiting = backlog.oldest_received_at_ms.has_value();
    const int64_t oldest_ms = waiting ? now - backlog.oldest_received_at_ms.value() : 0;
    if (json) {
      if (!first) out += ",";
      out += "{\"name\":";
      verify::append_json_string(out, destination.name);
      out += ",\"state\":";
      verify::append_json_string(out, state);
      out += ",\"pending\":" + std::to_string(backlog.pending) + ",\"oldest_pending_seconds\":" +
             (waiting ? std::to_string(oldest_ms / 1000) : "null") + "}";
    } else {
      char row[200];
      std::snprintf(row, sizeof row, "%-24s %-10s %10lld %14s\n", destination.name.c_str(), state.c_str(),
                    static_cast<long long>(backlog.pending), waiting ? age_text(oldest_ms).c_str() : "-");
      out += row;
    }
    first = false;
  }
  if (json) out += "]\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

int run_destinations_pause(const std::string& config_path, const std::string& name, bool pause) {
  const OperatorStore store = open_operator_store(config_path, false);
  if (!store.queries) return 1;
  if (!store.config->destination_by_name(name)) {
    std::fprintf(stderr, "no destination '%s' in %s\n", name.c_str(), config_path.c_str());
    return 2;
  }
  std::string error;
  if (!store.queries->set_destination_state(name, pause ? std::optional<std::string>("paused") : std::nullopt,
                                            now_ms(), error)) {
    std::fprintf(stderr, "cannot store the state of '%s': %s\n", name.c_str(), error.c_str());
    return 1;
  }
  // Servers re-read destination states with their lease recovery (every 5 s).
  std::printf("%s %s: running servers follow within 5 s\n", name.c_str(), pause ? "paused" : "resumed");
  return 0;
}

}  // namespace hookgate::gateway::cli
