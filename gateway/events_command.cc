// `hookgate events list|show`: what came in, and what happened to each delivery.
#include <chrono>
#include <cstdio>

#include "config/config.h"
#include "gateway/commands.h"
#include "gateway/event_filter_options.h"
#include "gateway/json_text.h"

namespace hookgate::gateway {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::unique_ptr<storage::EventQueries> open_queries(const std::string& config_path, bool read_only) {
  const config::LoadResult loaded = config::load_config(config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
    return nullptr;
  }
  std::string error;
  auto queries = storage::EventQueries::open(loaded.config->storage.path, read_only, error);
  if (!queries) std::fprintf(stderr, "%s\n", error.c_str());
  return queries;
}

void append_delivery_json(std::string& out, const storage::DeliverySummary& d) {
  out += "{\"id\":" + std::to_string(d.id) + ",\"destination\":";
  append_json_string(out, d.destination);
  out += ",\"state\":\"" + d.state + "\",\"attempts\":" + std::to_string(d.attempts);
  out += ",\"next_attempt_at\":" + (d.next_attempt_at_ms ? "\"" + format_time_ms(*d.next_attempt_at_ms) + "\"" : std::string("null"));
  out += ",\"last_status\":" + (d.last_status ? std::to_string(*d.last_status) : std::string("null"));
  out += ",\"last_error\":";
  append_json_string(out, d.last_error);
  out += "}";
}

void append_event_json(std::string& out, const storage::EventSummary& e) {
  out += "{\"id\":\"" + e.public_id + "\",\"source\":";
  append_json_string(out, e.source);
  out += ",\"vendor_event_id\":";
  append_json_string(out, e.vendor_event_id);
  out += ",\"event_type\":";
  append_json_string(out, e.event_type);
  out += ",\"received_at\":\"" + format_time_ms(e.received_at_ms) + "\",\"body_bytes\":" + std::to_string(e.body_bytes);
  out += ",\"deliveries\":[";
  for (size_t i = 0; i < e.deliveries.size(); ++i) {
    if (i) out += ",";
    append_delivery_json(out, e.deliveries[i]);
  }
  out += "]}";
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

int run_events_list(const std::string& config_path, const EventFilterOptions& options, bool json) {
  storage::EventFilter filter;
  std::string error;
  if (!to_event_filter(options, now_ms(), filter, error)) {
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
      append_event_json(out, events[i]);
    }
    out += "]\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  std::printf("%-30s %-24s %-12s %-28s %s\n", "ID", "RECEIVED", "SOURCE", "TYPE", "DELIVERIES");
  for (const auto& e : events) {
    std::printf("%-30s %-24s %-12s %-28s %s\n", e.public_id.c_str(), format_time_ms(e.received_at_ms).c_str(),
                e.source.c_str(), e.event_type.empty() ? "-" : e.event_type.c_str(), delivery_cell(e).c_str());
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
    append_event_json(out, e);
    out.pop_back();  // reopen the object to add the details
    out += ",\"method\":";
    append_json_string(out, detail->method);
    out += ",\"path\":";
    append_json_string(out, detail->path);
    out += ",\"query\":";
    append_json_string(out, detail->query);
    out += ",\"headers\":";
    append_json_string(out, detail->headers);
    out += ",\"body\":";
    append_json_string(out, detail->body);
    out += ",\"attempts\":[";
    for (size_t i = 0; i < detail->attempts.size(); ++i) {
      const auto& a = detail->attempts[i];
      if (i) out += ",";
      out += "{\"delivery_id\":" + std::to_string(a.delivery_id) + ",\"started_at\":\"" + format_time_ms(a.started_at_ms) +
             "\",\"duration_ms\":" + std::to_string(a.duration_us / 1000) +
             ",\"status\":" + (a.status ? std::to_string(*a.status) : std::string("null")) + ",\"error\":";
      append_json_string(out, a.error);
      out += ",\"response_excerpt\":";
      append_json_string(out, a.response_excerpt);
      out += "}";
    }
    out += "]}\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  std::printf("event      %s\nsource     %s\nvendor id  %s\ntype       %s\nreceived   %s\nrequest    %s %s%s%s\n\n",
              e.public_id.c_str(), e.source.c_str(), e.vendor_event_id.empty() ? "-" : e.vendor_event_id.c_str(),
              e.event_type.empty() ? "-" : e.event_type.c_str(), format_time_ms(e.received_at_ms).c_str(),
              detail->method.c_str(), detail->path.c_str(), detail->query.empty() ? "" : "?", detail->query.c_str());
  std::printf("%s\n%s\n\n", detail->headers.c_str(), detail->body.c_str());
  for (const auto& d : e.deliveries) {
    std::printf("delivery %lld -> %s: %s after %lld attempts", static_cast<long long>(d.id), d.destination.c_str(),
                d.state.c_str(), static_cast<long long>(d.attempts));
    if (d.next_attempt_at_ms && (d.state == "pending" || d.state == "inflight")) {
      std::printf(", next at %s", format_time_ms(*d.next_attempt_at_ms).c_str());
    }
    std::printf("\n");
    for (const auto& a : detail->attempts) {
      if (a.delivery_id != d.id) continue;
      std::printf("  %s  %6lld ms  %s  %s\n", format_time_ms(a.started_at_ms).c_str(),
                  static_cast<long long>(a.duration_us / 1000), a.status ? std::to_string(*a.status).c_str() : "---",
                  a.error.empty() ? a.response_excerpt.substr(0, 60).c_str() : a.error.c_str());
    }
  }
  return 0;
}

}  // namespace hookgate::gateway
