#include "gateway/store/event_filter_options.h"

#include <ctime>

#include "config/values.h"
#include "verify/timestamp.h"

namespace hookgate::gateway::store {
namespace {

bool parse_time(const std::string& flag, const std::string& text, int64_t now_ms, int64_t& out, std::string& error) {
  if (auto ts = verify::parse_timestamp(text, verify::TimestampFormat::rfc3339)) {
    out = ts->millis ? ts->value : ts->value * 1000;
    return true;
  }
  const auto relative = config::detail::parse_duration(text);
  if (relative.value) {
    out = now_ms - relative.value->count();
    return true;
  }
  error = flag + ": '" + text + "' is neither an RFC 3339 time (2026-11-22T10:00:00Z) nor a duration ago (2h, 7d)";
  return false;
}

}  // namespace

bool to_event_filter(const EventFilterOptions& options, int64_t now_ms, storage::EventFilter& filter, std::string& error) {
  using Status = storage::EventFilter::Status;
  filter = {};
  filter.source = options.source;
  filter.destination = options.destination;
  filter.event_ids = options.event_ids;
  filter.event_type = options.event_type;
  if (options.status == "all") filter.status = Status::all;
  else if (options.status == "pending") filter.status = Status::pending;
  else if (options.status == "failed") filter.status = Status::failed;
  else if (options.status == "dead") filter.status = Status::dead;
  else if (options.status == "delivered") filter.status = Status::delivered;
  else if (options.status == "skipped") filter.status = Status::skipped;
  else {
    error = "--status: '" + options.status + "' is not one of failed, dead, delivered, skipped, pending, all";
    return false;
  }
  if (options.since) {
    int64_t since = 0;
    if (!parse_time("--since", *options.since, now_ms, since, error)) return false;
    filter.since_ms = since;
  }
  if (options.until) {
    int64_t until = 0;
    if (!parse_time("--until", *options.until, now_ms, until, error)) return false;
    filter.until_ms = until;
  }
  if (filter.since_ms && filter.until_ms && *filter.since_ms >= *filter.until_ms) {
    error = "--since must be before --until";
    return false;
  }
  if (options.limit < 0) {
    error = "--limit must be 0 (no limit) or more";
    return false;
  }
  filter.limit = options.limit;
  return true;
}

std::string format_time_ms(int64_t unix_ms) {
  const time_t seconds = static_cast<time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];  // room for any int in every field: GCC checks the worst case
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return text;
}

}  // namespace hookgate::gateway::store
