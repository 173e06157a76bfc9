#include "storage/event_queries.h"

namespace hookgate::storage {
namespace {

// Builds "WHERE …" for deliveries d joined to events e, binding values in order.
struct Where {
  std::string sql;
  std::vector<std::string> texts;  // bound in order as ?1.. (numbers are inlined as integers)

  void add(const std::string& clause) { sql += (sql.empty() ? " WHERE " : " AND ") + clause; }
  void add_text(const std::string& clause, const std::string& value) {
    texts.push_back(value);
    std::string c = clause;
    c.replace(c.find('?'), 1, "?" + std::to_string(texts.size()));
    add(c);
  }
};

Where delivery_where(const EventFilter& filter) {
  Where where;
  if (filter.source) where.add_text("e.source = ?", *filter.source);
  if (filter.destination) where.add_text("d.destination = ?", *filter.destination);
  if (!filter.event_ids.empty()) {
    std::string in;
    for (const auto& id : filter.event_ids) {
      where.texts.push_back(id);
      in += (in.empty() ? "" : ", ") + std::string("?") + std::to_string(where.texts.size());
    }
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
  }
  if (filter.since_ms) where.add("e.received_at >= " + std::to_string(*filter.since_ms));
  if (filter.until_ms) where.add("e.received_at < " + std::to_string(*filter.until_ms));
  if (filter.event_type) where.add_text("e.event_type GLOB ?", *filter.event_type);
  return where;
}

void bind_all(Statement& stmt, const Where& where) {
  for (size_t i = 0; i < where.texts.size(); ++i) stmt.bind(static_cast<int>(i + 1), std::string_view(where.texts[i]));
}

std::string blob_text(Statement& stmt, int column) {
  const void* data = sqlite3_column_blob(stmt.get(), column);
  return data ? std::string(static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(stmt.get(), column)))
              : std::string();
}

DeliverySummary read_delivery(Statement& stmt, int first) {
  DeliverySummary d;
  d.id = stmt.column_int(first);
  d.destination = stmt.column_text(first + 1);
  d.state = stmt.column_text(first + 2);
  d.attempts = stmt.column_int(first + 3);
  if (!stmt.column_is_null(first + 4)) d.next_attempt_at_ms = stmt.column_int(first + 4);
  if (!stmt.column_is_null(first + 5)) d.last_status = stmt.column_int(first + 5);
  d.last_error = stmt.column_text(first + 6);
  d.updated_at_ms = stmt.column_int(first + 7);
  return d;
}

// The first seven columns of every event query, read by read_event().
constexpr const char* kEventColumns =
    "e.id, e.public_id, e.source, coalesce(e.vendor_event_id, ''), coalesce(e.event_type, ''),"
    " e.received_at, length(e.body)";

EventSummary read_event(Statement& stmt) {
  EventSummary e;
  e.id = stmt.column_int(0);
  e.public_id = stmt.column_text(1);
  e.source = stmt.column_text(2);
  e.vendor_event_id = stmt.column_text(3);
  e.event_type = stmt.column_text(4);
  e.received_at_ms = stmt.column_int(5);
  e.body_bytes = stmt.column_int(6);
  return e;
}

constexpr const char* kDeliveryColumns =
    "d.id, d.destination, d.state, d.attempts, d.next_attempt_at, d.last_status, coalesce(d.last_error, ''), d.updated_at";

}  // namespace

std::unique_ptr<EventQueries> EventQueries::open(const std::string& path, bool read_only, std::string& error) {
  std::unique_ptr<EventQueries> queries(new EventQueries());
  queries->db_ = open_database(path, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, error);
  if (!queries->db_) return nullptr;
  (void)exec(queries->db_.get(), "PRAGMA busy_timeout=10000");
  return queries;
}

std::vector<EventSummary> EventQueries::list(const EventFilter& filter) {
  const Where where = delivery_where(filter);
  // Events that have a matching delivery; or, with no delivery-level filter, every event.
  const bool needs_delivery = filter.destination || filter.status != EventFilter::Status::all;
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM events e";
  if (needs_delivery) {
    sql += " WHERE e.id IN (SELECT d.event_id FROM deliveries d JOIN events e ON e.id = d.event_id" + where.sql + ")";
  } else {
    sql += where.sql;
  }
  sql += " ORDER BY e.id DESC";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
  Statement stmt(db_.get(), sql);
  std::vector<EventSummary> events;
  if (!stmt.ok()) return events;
  bind_all(stmt, where);
  while (stmt.step() == SQLITE_ROW) events.push_back(read_event(stmt));
  Statement deliveries(db_.get(), std::string("SELECT ") + kDeliveryColumns +
                                      " FROM deliveries d WHERE d.event_id = ?1 ORDER BY d.id");
  for (auto& e : events) {
    deliveries.bind(1, e.id);
    while (deliveries.step() == SQLITE_ROW) e.deliveries.push_back(read_delivery(deliveries, 0));
    deliveries.reset();
  }
  return events;
}

std::optional<EventDetail> EventQueries::show(const std::string& id) {
  Statement stmt(db_.get(), std::string("SELECT ") + kEventColumns +
                                ", e.method, e.path, e.query, e.headers, e.body FROM events e"
                                " WHERE e.public_id = ?1 OR e.vendor_event_id = ?1 ORDER BY e.id DESC LIMIT 1");
  stmt.bind(1, std::string_view(id));
  if (stmt.step() != SQLITE_ROW) return std::nullopt;
  EventDetail detail;
  detail.summary = read_event(stmt);
  EventSummary& e = detail.summary;
  detail.method = stmt.column_text(7);
  detail.path = stmt.column_text(8);
  detail.query = stmt.column_text(9);
  detail.headers = stmt.column_text(10);
  detail.body = blob_text(stmt, 11);

  Statement deliveries(db_.get(), std::string("SELECT ") + kDeliveryColumns +
                                      " FROM deliveries d WHERE d.event_id = ?1 ORDER BY d.id");
  deliveries.bind(1, e.id);
  while (deliveries.step() == SQLITE_ROW) e.deliveries.push_back(read_delivery(deliveries, 0));
  Statement attempts(db_.get(),
                     "SELECT a.delivery_id, a.started_at, coalesce(a.duration_us, 0), a.status, coalesce(a.error, ''),"
                     " a.response_excerpt FROM attempts a JOIN deliveries d ON d.id = a.delivery_id"
                     " WHERE d.event_id = ?1 ORDER BY a.id");
  attempts.bind(1, e.id);
  while (attempts.step() == SQLITE_ROW) {
    AttemptSummary a;
    a.delivery_id = attempts.column_int(0);
    a.started_at_ms = attempts.column_int(1);
    a.duration_us = attempts.column_int(2);
    if (!attempts.column_is_null(3)) a.status = attempts.column_int(3);
    a.error = attempts.column_text(4);
    a.response_excerpt = blob_text(attempts, 5);
    detail.attempts.push_back(std::move(a));
  }
  return detail;
}

std::vector<DeliverySummary> EventQueries::replay_candidates(const EventFilter& filter) {
  Where where = delivery_where(filter);
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
  Statement stmt(db_.get(), sql);
  std::vector<DeliverySummary> out;
  if (!stmt.ok()) return out;
  bind_all(stmt, where);
  while (stmt.step() == SQLITE_ROW) out.push_back(read_delivery(stmt, 0));
  return out;
}

int64_t EventQueries::reschedule(const std::vector<int64_t>& delivery_ids, int64_t now_ms, std::string& error,
                                 const std::function<void(size_t done)>& progress) {
  Statement update(db_.get(),
                   "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?2, lease_until = NULL,"
                   " updated_at = ?2 WHERE id = ?1 AND state != 'inflight'");
  int64_t changed = 0;
  // Chunks keep each write transaction short beside a running server's writer.
  constexpr size_t kChunk = 500;
  for (size_t start = 0; start < delivery_ids.size(); start += kChunk) {
    if (exec(db_.get(), "BEGIN IMMEDIATE", &error) != SQLITE_OK) return -1;
    for (size_t i = start; i < std::min(delivery_ids.size(), start + kChunk); ++i) {
      update.bind(1, delivery_ids[i]);
      update.bind(2, now_ms);
      if (update.step() != SQLITE_DONE) {
        error = sqlite3_errmsg(db_.get());
        update.reset();
        (void)exec(db_.get(), "ROLLBACK");
        return -1;
      }
      changed += sqlite3_changes(db_.get());
      update.reset();
    }
    if (exec(db_.get(), "COMMIT", &error) != SQLITE_OK) return -1;
    if (progress) progress(std::min(delivery_ids.size(), start + kChunk));
  }
  return changed;
}

std::optional<DeliverySummary> EventQueries::delivery(int64_t delivery_id) {
  Statement stmt(db_.get(), std::string("SELECT ") + kDeliveryColumns + " FROM deliveries d WHERE d.id = ?1");
  if (!stmt.ok()) return std::nullopt;
  stmt.bind(1, delivery_id);
  if (stmt.step() != SQLITE_ROW) return std::nullopt;
  return read_delivery(stmt, 0);
}

int64_t EventQueries::cancel(int64_t delivery_id, int64_t now_ms, std::string& error) {
  Statement update(db_.get(),
                   "UPDATE deliveries SET state = 'cancelled', lease_until = NULL, updated_at = ?2"
                   " WHERE id = ?1 AND state IN ('pending', 'inflight')");
  update.bind(1, delivery_id);
  update.bind(2, now_ms);
  if (update.step() != SQLITE_DONE) {
    error = sqlite3_errmsg(db_.get());
    return -1;
  }
  return sqlite3_changes(db_.get());
}

}  // namespace hookgate::storage
