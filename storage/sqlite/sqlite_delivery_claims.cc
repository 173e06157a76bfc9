#include "storage/sqlite/sqlite_delivery_claims.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>

namespace hookgate::storage {
namespace {

constexpr const char* kColumns =
    "d.id, d.event_id, d.attempts, d.next_attempt_at, e.public_id, e.source, coalesce(e.event_type, ''),"
    " e.received_at, e.method, e.headers, e.body";

// The due rows of a destination in due order; the claim cursor narrows it with one more term.
constexpr const char* kDueFrom =
    " FROM deliveries d JOIN events e ON e.id = d.event_id"
    " WHERE d.destination = ?1 AND d.state = 'pending' AND d.next_attempt_at <= ?2";
constexpr const char* kDueOrder = " ORDER BY d.next_attempt_at, d.id LIMIT ?3";

constexpr int64_t kFullScanEveryMs = 1'000;

}  // namespace

std::unique_ptr<SqliteDeliveryClaims> SqliteDeliveryClaims::open(EventStore& store, std::string& error) {
  const std::string& path = store.location().path;
  std::unique_ptr<SqliteDeliveryClaims> claims(new SqliteDeliveryClaims(store));
  const std::string lock_path = path + ".delivery.lock";
  claims->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (claims->lock_fd_ < 0 || flock(claims->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    error = "another hookgate process is delivering from " + path + " (a running `hookgate serve`?); only one may";
    return nullptr;
  }
  claims->db_ = open_database(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, error);
  if (!claims->db_) return nullptr;
  sqlite3* db = claims->db_.get();
  (void)exec(db, "PRAGMA busy_timeout=5000");
  claims->due_ = Statement(db, std::string("SELECT ") + kColumns + kDueFrom + kDueOrder);
  claims->due_after_ = Statement(db, std::string("SELECT ") + kColumns + kDueFrom +
                                         " AND (d.next_attempt_at, d.id) > (?4, ?5)" + kDueOrder);
  claims->fifo_head_ = Statement(db, std::string("SELECT ") + kColumns +
      " FROM deliveries d JOIN events e ON e.id = d.event_id"
      " WHERE d.destination = ?1 AND d.state = 'pending' ORDER BY d.id LIMIT 1");
  claims->next_due_ = Statement(db,
      "SELECT min(next_attempt_at) FROM deliveries WHERE destination = ?1 AND state = 'pending'");
  for (const Statement* stmt : {&claims->due_, &claims->due_after_, &claims->fifo_head_, &claims->next_due_}) {
    if (!stmt->ok()) {
      error = std::string("cannot prepare delivery query: ") + sqlite3_errmsg(db);
      return nullptr;
    }
  }
  return claims;
}

SqliteDeliveryClaims::~SqliteDeliveryClaims() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

DueDelivery SqliteDeliveryClaims::read_row(Statement& stmt) const {
  DueDelivery row;
  row.delivery_id = stmt.column_int(0);
  row.event_id = stmt.column_int(1);
  row.attempts = stmt.column_int(2);
  row.next_attempt_at_ms = stmt.column_int(3);
  row.public_id = stmt.column_text(4);
  row.source = stmt.column_text(5);
  row.event_type = stmt.column_text(6);
  row.received_at_ms = stmt.column_int(7);
  row.method = stmt.column_text(8);
  row.headers = stmt.column_text(9);
  const void* body = sqlite3_column_blob(stmt.get(), 10);
  const int size = sqlite3_column_bytes(stmt.get(), 10);
  row.body = std::make_shared<const std::string>(body ? static_cast<const char*>(body) : "", static_cast<size_t>(size));
  return row;
}

void SqliteDeliveryClaims::take_rows(Statement& stmt, size_t limit, const std::vector<int64_t>& in_flight,
                                     std::vector<DueDelivery>& rows) const {
  const auto taken = [](const std::vector<DueDelivery>& list, int64_t id) {
    return std::any_of(list.begin(), list.end(), [id](const DueDelivery& row) { return row.delivery_id == id; });
  };
  while (rows.size() < limit && stmt.step() == SQLITE_ROW) {
    const int64_t id = stmt.column_int(0);
    // Rows being attempted read as pending until their lease is written, which the writer
    // holds back (held_leases.h): most attempts end first and are never leased.
    if (std::find(in_flight.begin(), in_flight.end(), id) != in_flight.end() || taken(rows, id)) continue;
    rows.push_back(read_row(stmt));
  }
  stmt.reset();
}

std::vector<DueDelivery> SqliteDeliveryClaims::claim_due(const std::string& destination, int64_t now_ms, size_t limit,
                                                         int64_t lease_until_ms,
                                                         const std::vector<int64_t>& in_flight) {
  std::vector<DueDelivery> rows;
  if (limit == 0) return rows;
  ClaimCursor& cursor = cursors_[destination];
  if (cursor.valid && now_ms - cursor.full_scan_at_ms < kFullScanEveryMs) {
    due_after_.bind(1, std::string_view(destination));
    due_after_.bind(2, now_ms);
    due_after_.bind(3, static_cast<int64_t>(limit + in_flight.size()));
    due_after_.bind(4, cursor.next_attempt_at_ms);
    due_after_.bind(5, cursor.delivery_id);
    take_rows(due_after_, limit, in_flight, rows);
  }
  if (rows.size() < limit) {
    due_.bind(1, std::string_view(destination));
    due_.bind(2, now_ms);
    due_.bind(3, static_cast<int64_t>(limit + in_flight.size() + rows.size()));
    take_rows(due_, limit, in_flight, rows);
    cursor.full_scan_at_ms = now_ms;
  }
  // The cursor only moves on: a full scan that stopped early (at `limit`) behind it leaves the
  // rows between for the next full scan.
  for (const auto& row : rows) {
    if (!cursor.valid || std::pair(row.next_attempt_at_ms, row.delivery_id) >
                             std::pair(cursor.next_attempt_at_ms, cursor.delivery_id)) {
      cursor.next_attempt_at_ms = row.next_attempt_at_ms;
      cursor.delivery_id = row.delivery_id;
      cursor.valid = true;
    }
  }
  // One lease write for all of them, queued before any of their attempts can finish and queue
  // its result (a lease committed after the result would hold a retried row back until it
  // expired). This process is the only one delivering from the file, so reading first is safe.
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row.delivery_id);
  store_.submit_leases(std::move(ids), lease_until_ms, now_ms);
  return rows;
}

std::optional<DueDelivery> SqliteDeliveryClaims::claim_fifo_head(const std::string& destination, int64_t now_ms,
                                                                 int64_t lease_until_ms,
                                                                 std::optional<int64_t>& due_at_ms) {
  fifo_head_.bind(1, std::string_view(destination));
  std::optional<DueDelivery> row;
  if (fifo_head_.step() == SQLITE_ROW) row = read_row(fifo_head_);
  fifo_head_.reset();
  if (!row) return std::nullopt;
  if (row->next_attempt_at_ms > now_ms) {
    due_at_ms = row->next_attempt_at_ms;
    return std::nullopt;
  }
  store_.submit_leases({row->delivery_id}, lease_until_ms, now_ms);
  return row;
}

std::optional<int64_t> SqliteDeliveryClaims::next_due_at(const std::string& destination) {
  next_due_.bind(1, std::string_view(destination));
  std::optional<int64_t> when;
  if (next_due_.step() == SQLITE_ROW && !next_due_.column_is_null(0)) when = next_due_.column_int(0);
  next_due_.reset();
  return when;
}

}  // namespace hookgate::storage
