#include "storage/delivery_reader.h"

#include <algorithm>

namespace hookgate::storage {
namespace {

constexpr const char* kColumns =
    "d.id, d.event_id, d.attempts, d.next_attempt_at, e.public_id, e.source, coalesce(e.event_type, ''),"
    " e.received_at, e.method, e.headers, e.body";

}  // namespace

std::unique_ptr<DeliveryReader> DeliveryReader::open(const std::string& path, std::string& error) {
  std::unique_ptr<DeliveryReader> reader(new DeliveryReader());
  reader->db_ = open_database(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, error);
  if (!reader->db_) return nullptr;
  sqlite3* db = reader->db_.get();
  (void)exec(db, "PRAGMA busy_timeout=5000");
  reader->due_ = Statement(db, std::string("SELECT ") + kColumns +
      " FROM deliveries d JOIN events e ON e.id = d.event_id"
      " WHERE d.destination = ?1 AND d.state = 'pending' AND d.next_attempt_at <= ?2"
      " ORDER BY d.next_attempt_at, d.id LIMIT ?3");
  reader->fifo_head_ = Statement(db, std::string("SELECT ") + kColumns +
      " FROM deliveries d JOIN events e ON e.id = d.event_id"
      " WHERE d.destination = ?1 AND d.state = 'pending' ORDER BY d.id LIMIT 1");
  reader->next_due_ = Statement(db,
      "SELECT min(next_attempt_at) FROM deliveries WHERE destination = ?1 AND state = 'pending'");
  reader->backlog_ = Statement(db,
      "SELECT count(*), min(e.received_at) FROM deliveries d JOIN events e ON e.id = d.event_id"
      " WHERE d.destination = ?1 AND d.state = 'pending'");
  for (const Statement* stmt : {&reader->due_, &reader->fifo_head_, &reader->next_due_, &reader->backlog_}) {
    if (!stmt->ok()) {
      error = std::string("cannot prepare delivery query: ") + sqlite3_errmsg(db);
      return nullptr;
    }
  }
  return reader;
}

DueDelivery DeliveryReader::read_row(Statement& stmt) const {
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

std::vector<DueDelivery> DeliveryReader::due(const std::string& destination, int64_t now_ms, size_t limit,
                                             const std::vector<int64_t>& skip) {
  std::vector<DueDelivery> rows;
  if (limit == 0) return rows;
  due_.bind(1, std::string_view(destination));
  due_.bind(2, now_ms);
  due_.bind(3, static_cast<int64_t>(limit + skip.size()));
  while (rows.size() < limit && due_.step() == SQLITE_ROW) {
    const int64_t id = due_.column_int(0);
    if (std::find(skip.begin(), skip.end(), id) != skip.end()) continue;
    rows.push_back(read_row(due_));
  }
  due_.reset();
  return rows;
}

std::optional<DueDelivery> DeliveryReader::fifo_head(const std::string& destination) {
  fifo_head_.bind(1, std::string_view(destination));
  std::optional<DueDelivery> row;
  if (fifo_head_.step() == SQLITE_ROW) row = read_row(fifo_head_);
  fifo_head_.reset();
  return row;
}

std::optional<int64_t> DeliveryReader::next_due_at(const std::string& destination) {
  next_due_.bind(1, std::string_view(destination));
  std::optional<int64_t> when;
  if (next_due_.step() == SQLITE_ROW && !next_due_.column_is_null(0)) when = next_due_.column_int(0);
  next_due_.reset();
  return when;
}

DeliveryReader::Backlog DeliveryReader::backlog(const std::string& destination) {
  backlog_.bind(1, std::string_view(destination));
  Backlog result;
  if (backlog_.step() == SQLITE_ROW) {
    result.pending = backlog_.column_int(0);
    if (!backlog_.column_is_null(1)) result.oldest_received_at_ms = backlog_.column_int(1);
  }
  backlog_.reset();
  return result;
}

}  // namespace hookgate::storage
