// `hookgate events list|show`: what came in, and what happened to each delivery.
#include <chrono>
#include <cstdio>

#include "config/config.h"
#include "gateway/cli/commands.h"
#include "gateway/cli/operator_queries.h"
#include "gateway/loop/clock.h"
#include "gateway/store/event_filter_options.h"
#include "gateway/store/event_json.h"

namespace hookgate::gateway::cli {
namespace {

// The command is where the clock is chosen: the wall clock (serve and replay do the same).
int64_t now_ms() { return loop::SystemClock().now_unix_ms(); }

std::unique_ptr<storage::EventQueries> open_queries(const std::string& config_path, bool read_only) {
  return open_operator_store(config_path, read_only).queries;
}

std::string delivery_cell(const storage::EventSummary& e) {
  std::string cell;
  for (const auto& d : e.deliveries) {
    if (!cell.empty()) cell += " ";
    cell += d.destination + ":" + d.state;
    if (d.state != "delivered" && d.attempts > 0) cell += "(" + std::to_string(d.attempts) + ")";
  }
  return cell.empty() ? "-" : cell;
}

}  // namespace

int run_events_list(const std::string& config_path, const store::EventFilterOptions& options, bool json) {
  storage::EventFilter filter;
  std::string error;
  if (!store::to_event_filter(options, now_ms(), filter, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  auto queries = open_queries(config_path, true);
  if (!queries) return 1;
  const auto events = queries->list(filter);
  if (json) {
    std::string out = "[";
    for (size_t i = 0; i < events.size(); ++i) {
      if (i) out += ",";
      store::append_event_json(out, events[i]);
    }
    out += "]\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  // VENDOR ID is what an operator has in hand from the vendor's dashboard (Stripe's evt_…,
  // GitHub's delivery GUID); a longer one widens its row rather than being cut.
  std::printf("%-30s %-36s %-24s %-12s %-28s %s\n", "ID", "VENDOR ID", "RECEIVED", "SOURCE", "TYPE", "DELIVERIES");
  for (const auto& e : events) {
    std::printf("%-30s %-36s %-24s %-12s %-28s %s\n", e.public_id.c_str(),
                e.vendor_event_id.empty() ? "-" : e.vendor_event_id.c_str(),
                store::format_time_ms(e.received_at_ms).c_str(), e.source.c_str(),
                e.event_type.empty() ? "-" : e.event_type.c_str(), delivery_cell(e).c_str());
  }
  std::fprintf(stderr, "%zu events\n", events.size());
  return 0;
}

int run_events_show(const std::string& config_path, const std::string& id, bool json) {
  auto queries = open_queries(config_path, true);
  if (!queries) return 1;
  const auto detail = queries->show(id);
  if (!detail) {
    std::fprintf(stderr, "no event with id '%s'\n", id.c_str());
    return 1;
  }
  const auto& e = detail->summary;
  if (json) {
    std::string out;
    store::append_event_detail_json(out, *detail);
    out += "\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  std::printf("event      %s\nsource     %s\nvendor id  %s\ntype       %s\nreceived   %s\nrequest    %s %s%s%s\n\n",
              e.public_id.c_str(), e.source.c_str(), e.vendor_event_id.empty() ? "-" : e.vendor_event_id.c_str(),
              e.event_type.empty() ? "-" : e.event_type.c_str(), store::format_time_ms(e.received_at_ms).c_str(),
              detail->method.c_str(), detail->path.c_str(), detail->query.empty() ? "" : "?", detail->query.c_str());
  std::printf("%s\n%s\n\n", detail->headers.c_str(), detail->body.c_str());
  for (const auto& d : e.deliveries) {
    std::printf("delivery %lld -> %s: %s after %lld attempts", static_cast<long long>(d.id), d.destination.c_str(),
                d.state.c_str(), static_cast<long long>(d.attempts));
    if (d.next_attempt_at_ms && (d.state == "pending" || d.state == "inflight")) {
      std::printf(", next at %s", store::format_time_ms(*d.next_attempt_at_ms).c_str());
    }
    std::printf("\n");
    for (const auto& a : detail->attempts) {
      if (a.delivery_id != d.id) continue;
      std::printf("  %s  %6lld ms  %s  %s\n", store::format_time_ms(a.started_at_ms).c_str(),
                  static_cast<long long>(a.duration_us / 1000), a.status ? std::to_string(*a.status).c_str() : "---",
                  a.error.empty() ? a.response_excerpt.substr(0, 60).c_str() : a.error.c_str());
    }
  }
  return 0;
}

}  // namespace hookgate::gateway::cli
