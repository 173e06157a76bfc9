#include "storage/event_queries.h"

#include <algorithm>

#include "storage/open_store.h"

namespace hookgate::storage {
namespace {

// Builds "WHERE …" for deliveries d joined to events e, binding values in order as $1, $2…
// (numbers are inlined as integers).
struct Where {
  SqlDialect dialect;
  std::string sql;
  std::vector<std::string> texts;

  void add(const std::string& clause) { sql += (sql.empty() ? " WHERE " : " AND ") + clause; }
  std::string placeholder(std::string value) {
    texts.push_back(std::move(value));
    return "$" + std::to_string(texts.size());
  }
  std::vector<SqlParam> params() const {
    std::vector<SqlParam> out;
    for (const auto& text : texts) out.emplace_back(std::string_view(text));
    return out;
  }
};

// SQLite's GLOB (`*`, `?`, `[…]`) as a POSIX regular expression for PostgreSQL's `~`.
std::string glob_to_regex(std::string_view glob) {
  std::string out = "^";
  bool in_class = false;
  for (char c : glob) {
    if (in_class) {
      out += c;
      if (c == ']') in_class = false;
    } else if (c == '*') {
      out += ".*";
    } else if (c == '?') {
      out += '.';
    } else if (c == '[') {
      out += c;
      in_class = true;
    } else if (std::string_view(".^$+(){}|\\").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  if (in_class) out += ']';
  return out + "$";
}

Where delivery_where(SqlDialect dialect, const EventFilter& filter) {
  Where where{dialect, {}, {}};
  if (filter.source) where.add("e.source = " + where.placeholder(*filter.source));
  if (filter.destination) where.add("d.destination = " + where.placeholder(*filter.destination));
  if (!filter.event_ids.empty()) {
    std::string in;
    for (const auto& id : filter.event_ids) in += (in.empty() ? "" : ", ") + where.placeholder(id);
    where.add("(e.public_id IN (" + in + ") OR e.vendor_event_id IN (" + in + "))");
  }
  switch (filter.status) {
    case EventFilter::Status::all: break;
    case EventFilter::Status::pending: where.add("d.state IN ('pending', 'inflight')"); break;
    case EventFilter::Status::failed:
      where.add("(d.state = 'dead' OR (d.state IN ('pending', 'inflight') AND d.attempts > 0))");
      break;
    case EventFilter::Status::dead: where.add("d.state = 'dead'"); break;
    case EventFilter::Status::delivered: where.add("d.state = 'delivered'"); break;
    case EventFilter::Status::skipped: where.add("d.state = 'skipped'"); break;
  }
  if (filter.since_ms) where.add("e.received_at >= " + std::to_string(*filter.since_ms));
  if (filter.until_ms) where.add("e.received_at < " + std::to_string(*filter.until_ms));
  if (filter.before_id) where.add("e.id < " + std::to_string(*filter.before_id));
  if (filter.event_type) {
    where.add(dialect == SqlDialect::sqlite ? "e.event_type GLOB " + where.placeholder(*filter.event_type)
                                            : "e.event_type ~ " + where.placeholder(glob_to_regex(*filter.event_type)));
  }
  return where;
}

std::optional<int64_t> optional_int(const SqlRow& row, size_t column) {
  if (!row[column]) return std::nullopt;
  return row_int(row, column);
}

constexpr const char* kDeliveryColumns =
    "d.id, d.destination, d.state, d.attempts, d.next_attempt_at, d.last_status, coalesce(d.last_error, ''), d.updated_at";

DeliverySummary read_delivery(const SqlRow& row) {
  DeliverySummary d;
  d.id = row_int(row, 0);
  d.destination = row_text(row, 1);
  d.state = row_text(row, 2);
  d.attempts = row_int(row, 3);
  d.next_attempt_at_ms = optional_int(row, 4);
  d.last_status = optional_int(row, 5);
  d.last_error = row_text(row, 6);
  d.updated_at_ms = row_int(row, 7);
  return d;
}

// The first seven columns of every event query, read by read_event().
constexpr const char* kEventColumns =
    "e.id, e.public_id, e.source, coalesce(e.vendor_event_id, ''), coalesce(e.event_type, ''),"
    " e.received_at, length(e.body)";

EventSummary read_event(const SqlRow& row) {
  EventSummary e;
  e.id = row_int(row, 0);
  e.public_id = row_text(row, 1);
  e.source = row_text(row, 2);
  e.vendor_event_id = row_text(row, 3);
  e.event_type = row_text(row, 4);
  e.received_at_ms = row_int(row, 5);
  e.body_bytes = row_int(row, 6);
  return e;
}

}  // namespace

std::unique_ptr<EventQueries> EventQueries::open(const StoreLocation& location, bool read_only, std::string& error) {
  auto session = open_sql_session(location, read_only, error);
  if (!session) return nullptr;
  return std::make_unique<EventQueries>(std::move(session));
}

EventQueries::EventQueries(std::unique_ptr<SqlSession> session) : session_(std::move(session)) {}

std::vector<DeliverySummary> EventQueries::deliveries_of(int64_t event_id) {
  std::vector<SqlRow> rows;
  std::vector<DeliverySummary> out;
  if (!session_->query(std::string("SELECT ") + kDeliveryColumns + " FROM deliveries d WHERE d.event_id = $1 ORDER BY d.id",
                       {event_id}, rows)) {
    return out;
  }
  for (const auto& row : rows) out.push_back(read_delivery(row));
  return out;
}

std::vector<EventSummary> EventQueries::list(const EventFilter& filter) {
  const Where where = delivery_where(session_->dialect(), filter);
  // Events that have a matching delivery; or, with no delivery-level filter, every event.
  const bool needs_delivery = filter.destination || filter.status != EventFilter::Status::all;
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM events e";
  if (needs_delivery) {
    // Correlated, so both backends walk events newest first and stop at the limit, checking
    // each event's few deliveries by (event_id, destination): a page costs the same at any
    // depth, where `IN (all matching deliveries)` read every one of them first.
    std::string conditions = where.sql;
    conditions.replace(0, std::string_view(" WHERE ").size(), " AND ");
    sql += " WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id" + conditions + ")";
    // Outside too, so the walk starts at the page's first row.
    if (filter.before_id) sql += " AND e.id < " + std::to_string(*filter.before_id);
  } else {
    sql += where.sql;
  }
  sql += " ORDER BY e.id DESC";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
  std::vector<SqlRow> rows;
  std::vector<EventSummary> events;
  if (!session_->query(sql, where.params(), rows)) return events;
  for (const auto& row : rows) {
    events.push_back(read_event(row));
    events.back().deliveries = deliveries_of(events.back().id);
  }
  return events;
}

std::optional<EventDetail> EventQueries::show(const std::string& id) {
  std::vector<SqlRow> rows;
  if (!session_->query(std::string("SELECT ") + kEventColumns +
                           ", e.method, e.path, e.query, e.headers, e.body FROM events e"
                           " WHERE e.public_id = $1 OR e.vendor_event_id = $1 ORDER BY e.id DESC LIMIT 1",
                       {std::string_view(id)}, rows) ||
      rows.empty()) {
    return std::nullopt;
  }
  EventDetail detail;
  const SqlRow& row = rows.front();
  detail.summary = read_event(row);
  detail.method = row_text(row, 7);
  detail.path = row_text(row, 8);
  detail.query = row_text(row, 9);
  detail.headers = row_text(row, 10);
  detail.body = row_text(row, 11);
  detail.summary.deliveries = deliveries_of(detail.summary.id);

  std::vector<SqlRow> attempts;
  if (session_->query("SELECT a.delivery_id, a.started_at, coalesce(a.duration_us, 0), a.status, coalesce(a.error, ''),"
                      " a.response_excerpt FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                      " WHERE d.event_id = $1 ORDER BY a.id",
                      {detail.summary.id}, attempts)) {
    for (const auto& a : attempts) {
      AttemptSummary attempt;
      attempt.delivery_id = row_int(a, 0);
      attempt.started_at_ms = row_int(a, 1);
      attempt.duration_us = row_int(a, 2);
      attempt.status = optional_int(a, 3);
      attempt.error = row_text(a, 4);
      attempt.response_excerpt = row_text(a, 5);
      detail.attempts.push_back(std::move(attempt));
    }
  }
  return detail;
}

std::vector<DeliverySummary> EventQueries::replay_candidates(const EventFilter& filter) {
  Where where = delivery_where(session_->dialect(), filter);
  if (filter.event_ids.empty()) where.add("d.state != 'cancelled'");
  std::string sql = std::string("SELECT ") + kDeliveryColumns + " FROM deliveries d JOIN events e ON e.id = d.event_id";
  if (filter.limit > 0) {
    // The limit counts events: the newest `limit` events with a matching delivery. The inner
    // query reuses the outer one's numbered parameters.
    Where limited = where;
    limited.add("d.event_id IN (SELECT d.event_id FROM deliveries d JOIN events e ON e.id = d.event_id" + where.sql +
                " GROUP BY d.event_id ORDER BY d.event_id DESC LIMIT " + std::to_string(filter.limit) + ")");
    sql += limited.sql;
  } else {
    sql += where.sql;
  }
  sql += " ORDER BY d.id";
  std::vector<SqlRow> rows;
  std::vector<DeliverySummary> out;
  if (!session_->query(sql, where.params(), rows)) return out;
  for (const auto& row : rows) out.push_back(read_delivery(row));
  return out;
}

int64_t EventQueries::update_in_chunks(const std::vector<int64_t>& delivery_ids, const char* sql, int64_t now_ms,
                                       std::string& error, const std::function<void(size_t done)>& progress) {
  int64_t changed = 0;
  // Chunks keep each write transaction short beside a running server's writer.
  constexpr size_t kChunk = 500;
  for (size_t start = 0; start < delivery_ids.size(); start += kChunk) {
    if (!session_->begin()) {
      error = session_->error();
      return -1;
    }
    for (size_t i = start; i < std::min(delivery_ids.size(), start + kChunk); ++i) {
      const int64_t n = session_->execute(sql, {delivery_ids[i], now_ms});
      if (n < 0) {
        error = session_->error();
        session_->rollback();
        return -1;
      }
      changed += n;
    }
    if (!session_->commit()) {
      error = session_->error();
      return -1;
    }
    if (progress) progress(std::min(delivery_ids.size(), start + kChunk));
  }
  return changed;
}

int64_t EventQueries::reschedule(const std::vector<int64_t>& delivery_ids, int64_t now_ms, std::string& error,
                                 const std::function<void(size_t done)>& progress) {
  const int64_t changed = update_in_chunks(
      delivery_ids,
      "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $2, lease_until = NULL,"
      " updated_at = $2 WHERE id = $1 AND state != 'inflight'",
      now_ms, error, progress);
  if (changed > 0) session_->notify_deliveries();
  return changed;
}

std::optional<DeliverySummary> EventQueries::delivery(int64_t delivery_id) {
  std::vector<SqlRow> rows;
  if (!session_->query(std::string("SELECT ") + kDeliveryColumns + " FROM deliveries d WHERE d.id = $1", {delivery_id},
                       rows) ||
      rows.empty()) {
    return std::nullopt;
  }
  return read_delivery(rows.front());
}

namespace {
constexpr const char* kCancelSql =
    "UPDATE deliveries SET state = 'cancelled', lease_until = NULL, updated_at = $2"
    " WHERE id = $1 AND state IN ('pending', 'inflight')";
}  // namespace

int64_t EventQueries::cancel(int64_t delivery_id, int64_t now_ms, std::string& error) {
  const int64_t n = session_->execute(kCancelSql, {delivery_id, now_ms});
  if (n < 0) error = session_->error();
  return n;
}

int64_t EventQueries::cancel_many(const std::vector<int64_t>& delivery_ids, int64_t now_ms, std::string& error) {
  return update_in_chunks(delivery_ids, kCancelSql, now_ms, error, nullptr);
}

std::optional<EventQueries::TailCursor> EventQueries::tail_cursor() {
  std::vector<SqlRow> rows;
  if (!session_->query("SELECT (SELECT coalesce(max(id), 0) FROM events), (SELECT coalesce(max(id), 0) FROM attempts)",
                       {}, rows) ||
      rows.empty()) {
    return std::nullopt;
  }
  return TailCursor{row_int(rows.front(), 0), row_int(rows.front(), 1)};
}

std::vector<EventSummary> EventQueries::changed_since(const TailCursor& after, int64_t now_ms, int64_t recent_ms,
                                                      int64_t overlap, int64_t limit) {
  // Three index range scans (events by id, events by id with a time check on few rows,
  // attempts by id), never a table scan.
  const std::string sql =
      std::string("SELECT ") + kEventColumns + " FROM events e WHERE e.id IN ("
      "SELECT id FROM events WHERE id > $1"
      " UNION SELECT id FROM events WHERE id > $3 AND id <= $1 AND received_at >= $4"
      " UNION SELECT d.event_id FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.id > $2)"
      " ORDER BY e.id DESC LIMIT " + std::to_string(limit);
  std::vector<SqlRow> rows;
  std::vector<EventSummary> events;
  if (!session_->query(sql, {after.event_id, after.attempt_id, after.event_id - overlap, now_ms - recent_ms}, rows)) {
    return events;
  }
  for (const auto& row : rows) {
    events.push_back(read_event(row));
    events.back().deliveries = deliveries_of(events.back().id);
  }
  return events;
}

Backlog EventQueries::backlog(const std::string& destination) {
  std::vector<SqlRow> rows;
  Backlog backlog;
  if (session_->query("SELECT count(*), min(e.received_at) FROM deliveries d JOIN events e ON e.id = d.event_id"
                      " WHERE d.destination = $1 AND d.state = 'pending'",
                      {std::string_view(destination)}, rows) &&
      !rows.empty()) {
    backlog.pending = row_int(rows.front(), 0);
    backlog.oldest_received_at_ms = optional_int(rows.front(), 1);
  }
  return backlog;
}

std::optional<std::map<std::string, std::string>> EventQueries::destination_states() {
  std::vector<SqlRow> rows;
  if (!session_->query("SELECT destination, state FROM destination_states", {}, rows)) return std::nullopt;
  std::map<std::string, std::string> states;
  for (const SqlRow& row : rows) states.emplace(row_text(row, 0), row_text(row, 1));
  return states;
}

bool EventQueries::set_destination_state(const std::string& destination, const std::optional<std::string>& state,
                                         int64_t now_ms, std::string& error) {
  const int64_t n =
      state ? session_->execute("INSERT INTO destination_states (destination, state, changed_at) VALUES ($1, $2, $3)"
                                " ON CONFLICT (destination) DO UPDATE SET state = excluded.state,"
                                " changed_at = excluded.changed_at",
                                {std::string_view(destination), std::string_view(*state), now_ms})
            : session_->execute("DELETE FROM destination_states WHERE destination = $1",
                                {std::string_view(destination)});
  if (n < 0) error = session_->error();
  return n >= 0;
}

std::optional<std::string> EventQueries::handshake_secret(const std::string& source) {
  std::vector<SqlRow> rows;
  if (!session_->query("SELECT secret FROM handshake_secrets WHERE source = $1", {std::string_view(source)}, rows) ||
      rows.empty()) {
    return std::nullopt;
  }
  return row_text(rows.front(), 0);
}

}  // namespace hookgate::storage
