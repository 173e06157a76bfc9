// What the console reads and does beyond the single-item calls (AdminApi's handlers for
// bulk retry and cancel, the per-minute figures of sources and destinations, and the live
// tail's long poll). The same calls serve scripts with the bearer token.
#include <event2/event.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "gateway/admin/admin_answers.h"
#include "gateway/admin/admin_api.h"
#include "gateway/admin/browser_security.h"
#include "gateway/admin/counter_keys.h"
#include "gateway/metrics/histogram.h"
#include "gateway/store/event_json.h"
#include "verify/form.h"
#include "verify/json_text.h"

namespace hookgate::gateway::admin {
namespace {

using admin_answers::error_with_detail;
using admin_answers::json;
using admin_answers::parse_id;

// One bulk call acts on at most this many deliveries: beyond, narrow the filter (or use
// `hookgate replay`, which shows progress).
constexpr size_t kMaxBulkDeliveries = 100'000;
constexpr size_t kMaxTailEvents = 200;
constexpr int64_t kDefaultTailWaitS = 25;
constexpr int64_t kMaxTailWaitS = 30;
constexpr size_t kMaxTailWaiters = 32;
constexpr timeval kTailPollInterval{0, 400'000};
// The tail looks again at the events of the last few seconds below its cursor (see
// EventQueries::changed_since): PostgreSQL nodes commit ids out of order within a batch's time.
constexpr int64_t kTailRecentMs = 5'000;
constexpr int64_t kTailOverlapIds = 1'000;

std::string cursor_text(const storage::EventQueries::TailCursor& cursor) {
  return std::to_string(cursor.event_id) + "." + std::to_string(cursor.attempt_id);
}

std::optional<storage::EventQueries::TailCursor> parse_cursor(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view events = text.substr(0, dot), attempts = text.substr(dot + 1);
  const auto zero_or_id = [](std::string_view part) -> std::optional<int64_t> {
    if (part == "0") return 0;
    return parse_id(part);
  };
  const auto e = zero_or_id(events), a = zero_or_id(attempts);
  if (!e || !a) return std::nullopt;
  return storage::EventQueries::TailCursor{*e, *a};
}

// Something was stored or attempted since `after`.
bool advanced(const storage::EventQueries::TailCursor& now, const storage::EventQueries::TailCursor& after) {
  return now.event_id > after.event_id || now.attempt_id > after.attempt_id;
}

void append_number_or_null(std::string& out, std::optional<double> value) {
  if (!value) {
    out += "null";
    return;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", *value);
  out += text;
}

void append_series(std::string& out, const std::vector<uint64_t>& values) {
  out += "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(values[i]);
  }
  out += "]";
}

// The counters now, read against their history: growth over the last hour and per minute.
struct LastHour {
  const CounterHistory& history;
  CounterSnapshot now;
  int64_t now_ms;

  [[nodiscard]] uint64_t current(const std::string& key) const {
    const auto found = now.find(key);
    return found == now.end() ? 0 : found->second;
  }
  [[nodiscard]] uint64_t total(const std::string& key) const { return history.last_hour(key, now_ms, current(key)); }
  [[nodiscard]] std::vector<uint64_t> per_minute(const std::string& key) const {
    return history.per_minute(key, now_ms, current(key));
  }
};

}  // namespace

AdminApi::~AdminApi() = default;

void AdminApi::handle(connections::InboundRequest request, loop::EventLoop& loop, connections::Respond respond) {
  connections::Response response = answer(request);
  if (!parked_) {
    respond(std::move(response));
    return;
  }
  // Nothing new yet: answer when there is, or at the deadline with `response` (empty).
  std::unique_ptr<TailWait> wait = std::move(parked_);
  if (waiters_.size() >= kMaxTailWaiters) {
    respond(std::move(response));  // the empty answer now: the page asks again
    return;
  }
  wait->respond = std::move(respond);
  waiters_.push_back(std::move(wait));
  if (!tail_timer_) {
    tail_timer_.reset(event_new(loop.base(), -1, EV_PERSIST,
                                [](evutil_socket_t, short, void* self) { static_cast<AdminApi*>(self)->poll_waiters(); },
                                this));
  }
  if (!event_pending(tail_timer_.get(), EV_TIMEOUT, nullptr)) event_add(tail_timer_.get(), &kTailPollInterval);
}

void AdminApi::poll_waiters() {
  const int64_t now_ms = clock_.now_unix_ms();
  const auto cursor = queries_->tail_cursor();
  std::vector<std::unique_ptr<TailWait>> still;
  std::map<std::pair<int64_t, int64_t>, connections::Response> answers;
  for (auto& wait : waiters_) {
    if (!(cursor && advanced(*cursor, wait->after)) && now_ms < wait->deadline_ms) {
      still.push_back(std::move(wait));
      continue;
    }
    // Tabs of one console wait on the same cursor: one query answers them all.
    const std::pair key{wait->after.event_id, wait->after.attempt_id};
    auto found = answers.find(key);
    if (found == answers.end()) {
      connections::Response response = tail_answer(wait->after, cursor.value_or(wait->after), now_ms);
      add_security_headers(response);
      found = answers.emplace(key, std::move(response)).first;
    }
    wait->respond(found->second);
  }
  waiters_ = std::move(still);
  if (waiters_.empty() && tail_timer_) event_del(tail_timer_.get());
}

void AdminApi::release_waiters() {
  const int64_t now_ms = clock_.now_unix_ms();
  for (auto& wait : waiters_) {
    connections::Response response = tail_answer(wait->after, wait->after, now_ms);
    add_security_headers(response);
    wait->respond(std::move(response));
  }
  waiters_.clear();
  tail_timer_.reset();
}

connections::Response AdminApi::tail_answer(const storage::EventQueries::TailCursor& after,
                                            const storage::EventQueries::TailCursor& now_cursor, int64_t now_ms) {
  std::vector<storage::EventSummary> events;
  if (!(now_cursor == after)) events = queries_->changed_since(after, now_ms, kTailRecentMs, kTailOverlapIds, kMaxTailEvents);
  std::string body = "{\"cursor\":\"" + cursor_text(now_cursor) + "\",\"events\":[";
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) body += ",";
    store::append_event_json(body, events[i]);
  }
  body += "]}";
  return json(200, std::move(body));
}

connections::Response AdminApi::tail(const std::string& query) {
  std::optional<storage::EventQueries::TailCursor> after;
  int64_t wait_s = kDefaultTailWaitS;
  for (auto& [name, value] : verify::parse_form(query)) {
    if (name == "after") {
      after = parse_cursor(value);
      if (!after) return error_with_detail(400, "bad_cursor", "after: '" + value + "' is not a cursor of this API");
    } else if (name == "wait") {
      const auto seconds = parse_id(value);
      if (!seconds || *seconds > kMaxTailWaitS) {
        return error_with_detail(400, "bad_wait", "wait: '" + value + "' is not a number of seconds from 1 to 30");
      }
      wait_s = *seconds;
    } else {
      return error_with_detail(400, "bad_parameter", "unknown parameter '" + name + "'");
    }
  }
  const auto cursor = queries_->tail_cursor();
  if (!cursor) return error_with_detail(503, "store_busy", queries_->error());
  const int64_t now_ms = clock_.now_unix_ms();
  if (!after) return json(200, "{\"cursor\":\"" + cursor_text(*cursor) + "\",\"events\":[]}");
  if (advanced(*cursor, *after)) {
    return tail_answer(*after, *cursor, now_ms);
  }
  parked_ = std::make_unique<TailWait>(TailWait{*after, now_ms + wait_s * 1000, nullptr});
  return json(200, "{\"cursor\":\"" + cursor_text(*after) + "\",\"events\":[]}");
}

connections::Response AdminApi::cancel_event(const std::string& id) {
  const auto detail = queries_->show(id);
  if (!detail) return connections::error_response(404, "unknown_event");
  std::vector<int64_t> ids;
  for (const auto& delivery : detail->summary.deliveries) {
    if (delivery.state == "pending" || delivery.state == "inflight") ids.push_back(delivery.id);
  }
  std::string error;
  const int64_t changed = queries_->cancel_many(ids, clock_.now_unix_ms(), error);
  if (changed < 0) return error_with_detail(503, "store_busy", error);
  for (const auto& delivery : detail->summary.deliveries) {
    if (std::find(ids.begin(), ids.end(), delivery.id) != ids.end()) control_.cancelled(delivery.destination);
  }
  spdlog::info("admin: event={} cancelled deliveries={}", detail->summary.public_id, changed);
  return json(200, "{\"event\":\"" + detail->summary.public_id + "\",\"cancelled\":" + std::to_string(changed) + "}");
}

connections::Response AdminApi::bulk(const std::string& query, bool retry) {
  storage::EventFilter filter;
  bool dry_run = false;
  if (auto refused = read_filter(query, FilterKeys::bulk, filter, dry_run)) return std::move(*refused);
  const auto candidates = queries_->replay_candidates(filter);
  std::vector<int64_t> ids;
  std::set<std::string> destinations;
  for (const auto& delivery : candidates) {
    // A retry leaves an attempt in flight alone (it ends by itself); a cancel takes only
    // what is still to be delivered.
    const bool takes = retry ? delivery.state != "inflight" : delivery.state == "pending" || delivery.state == "inflight";
    if (!takes) continue;
    ids.push_back(delivery.id);
    destinations.insert(delivery.destination);
  }
  const std::string matched = std::to_string(ids.size());
  if (ids.size() > kMaxBulkDeliveries) {
    return json(422, "{\"error\":\"too_many\",\"matched\":" + matched + ",\"max\":" + std::to_string(kMaxBulkDeliveries) + "}");
  }
  if (dry_run) return json(200, "{\"matched\":" + matched + ",\"dry_run\":true}");
  std::string error;
  const int64_t now_ms = clock_.now_unix_ms();
  const int64_t changed = retry ? queries_->reschedule(ids, now_ms, error) : queries_->cancel_many(ids, now_ms, error);
  if (changed < 0) return error_with_detail(503, "store_busy", error);
  if (retry) {
    control_.rescheduled({destinations.begin(), destinations.end()});
  } else {
    for (const auto& destination : destinations) control_.cancelled(destination);
  }
  spdlog::info("admin: bulk {} matched={} changed={}", retry ? "retry" : "cancel", ids.size(), changed);
  return json(200, "{\"matched\":" + matched + (retry ? ",\"rescheduled\":" : ",\"cancelled\":") + std::to_string(changed) + "}");
}

void AdminApi::sample_counters() { history_.record(clock_.now_unix_ms(), control_.counters()); }

connections::Response AdminApi::list_sources() {
  const LastHour figures{history_, control_.counters(), clock_.now_unix_ms()};
  const auto hour = [&](const std::string& key) { return figures.total(key); };
  std::string body = "{\"sources\":[";
  bool first = true;
  for (const auto& source : control_.sources()) {
    if (!first) body += ",";
    first = false;
    body += "{\"name\":";
    verify::append_json_string(body, source.name);
    body += ",\"provider\":";
    verify::append_json_string(body, source.provider);
    const auto key = [&](std::string_view what) { return counter_keys::source(source.name, what); };
    body += ",\"last_hour\":{\"received\":" + std::to_string(hour(key("received"))) +
            ",\"accepted\":" + std::to_string(hour(key("stored"))) +
            ",\"duplicates\":" + std::to_string(hour(key("duplicates"))) +
            ",\"rejected\":" + std::to_string(hour(key("rejected"))) + ",\"rejected_by_reason\":{";
    const std::string prefix = key("rejected.");
    bool first_reason = true;
    for (auto it = figures.now.lower_bound(prefix); it != figures.now.end() && it->first.starts_with(prefix); ++it) {
      const uint64_t n = hour(it->first);
      if (!n) continue;
      if (!first_reason) body += ",";
      first_reason = false;
      verify::append_json_string(body, it->first.substr(prefix.size()));
      body += ":" + std::to_string(n);
    }
    body += "}},\"series\":{\"minutes\":" + std::to_string(CounterHistory::kMinutes) + ",\"accepted\":";
    append_series(body, figures.per_minute(key("stored")));
    body += ",\"rejected\":";
    append_series(body, figures.per_minute(key("rejected")));
    body += "}}";
  }
  body += "]}";
  return json(200, std::move(body));
}

connections::Response AdminApi::list_destinations() {
  const int64_t now_ms = clock_.now_unix_ms();
  const LastHour figures{history_, control_.counters(), now_ms};
  const auto hour = [&](const std::string& key) { return figures.total(key); };
  const std::vector<double> bounds = metrics::latency_bounds();
  std::string body = "{\"destinations\":[";
  bool first = true;
  for (const auto& d : control_.destinations()) {
    if (!first) body += ",";
    first = false;
    const auto key = [&](std::string_view what) { return counter_keys::destination(d.name, what); };
    const storage::Backlog backlog = queries_->backlog(d.name);
    body += "{\"name\":";
    verify::append_json_string(body, d.name);
    body += std::string(",\"paused\":") + (d.paused ? "true" : "false") + ",\"disabled\":" + (d.disabled ? "true" : "false") +
            ",\"circuit_open\":" + (d.circuit_open ? "true" : "false") + ",\"in_flight\":" + std::to_string(d.in_flight) +
            ",\"url_host\":";
    verify::append_json_string(body, d.url_host);
    body += ",\"queue_depth\":" + std::to_string(backlog.pending) + ",\"oldest_pending_age_s\":";
    append_number_or_null(body, backlog.oldest_received_at_ms
                                    ? std::optional<double>(std::max<int64_t>(0, now_ms - *backlog.oldest_received_at_ms) / 1000.0)
                                    : std::nullopt);
    const uint64_t attempts = hour(key("attempts")), delivered = hour(key("delivered")), failed = hour(key("failed"));
    const uint64_t timed = hour(key("latency_count"));
    std::optional<double> average, p95;
    if (timed > 0) {
      average = static_cast<double>(hour(key("latency_sum_us"))) / static_cast<double>(timed) / 1000.0;
      // The upper bound of the first bucket holding the 95th percentile (null: above 60 s).
      for (size_t i = 0; i < bounds.size(); ++i) {
        if (static_cast<double>(hour(key("latency_le." + std::to_string(i)))) >= 0.95 * static_cast<double>(timed)) {
          p95 = bounds[i] * 1000.0;
          break;
        }
      }
    }
    body += ",\"last_hour\":{\"attempts\":" + std::to_string(attempts) + ",\"delivered\":" + std::to_string(delivered) +
            ",\"failed\":" + std::to_string(failed) + ",\"success_rate\":";
    append_number_or_null(body, delivered + failed > 0 ? std::optional<double>(static_cast<double>(delivered) /
                                                                               static_cast<double>(delivered + failed))
                                                       : std::nullopt);
    body += ",\"latency_ms_avg\":";
    append_number_or_null(body, average);
    body += ",\"latency_ms_p95\":";
    append_number_or_null(body, p95);
    body += "},\"series\":{\"minutes\":" + std::to_string(CounterHistory::kMinutes) + ",\"delivered\":";
    append_series(body, figures.per_minute(key("delivered")));
    body += ",\"failed\":";
    append_series(body, figures.per_minute(key("failed")));
    body += "}}";
  }
  body += "]}";
  return json(200, std::move(body));
}

}  // namespace hookgate::gateway::admin
