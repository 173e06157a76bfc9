#include "storage/retention.h"

#include <vector>

namespace hookgate::storage {

std::unique_ptr<RetentionPurger> RetentionPurger::open(const std::string& path, std::string& error) {
  std::unique_ptr<RetentionPurger> purger(new RetentionPurger());
  purger->db_ = open_database(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, error);
  if (!purger->db_) return nullptr;
  sqlite3* db = purger->db_.get();
  (void)exec(db, "PRAGMA busy_timeout=5000");
  // Oldest first by rowid (insertion order follows received_at); stops at the first young
  // event, so each batch reads only what it deletes plus the kept unfinished ones.
  purger->select_ = Statement(db,
      "SELECT e.id FROM events e WHERE e.received_at < ?1 AND NOT EXISTS ("
      " SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state IN ('pending', 'inflight'))"
      " ORDER BY e.id LIMIT ?2");
  // Children first: explicit deletes do not depend on the connection's foreign_keys setting.
  purger->delete_attempts_ = Statement(db,
      "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id = ?1)");
  purger->delete_deliveries_ = Statement(db, "DELETE FROM deliveries WHERE event_id = ?1");
  purger->delete_event_ = Statement(db, "DELETE FROM events WHERE id = ?1");
  for (const Statement* stmt : {&purger->select_, &purger->delete_attempts_, &purger->delete_deliveries_, &purger->delete_event_}) {
    if (!stmt->ok()) {
      error = std::string("cannot prepare retention query: ") + sqlite3_errmsg(db);
      return nullptr;
    }
  }
  return purger;
}

int64_t RetentionPurger::purge_batch(int64_t before_ms, int64_t limit, std::string& error) {
  sqlite3* db = db_.get();
  if (exec(db, "BEGIN IMMEDIATE", &error) != SQLITE_OK) return -1;
  std::vector<int64_t> ids;
  select_.bind(1, before_ms);
  select_.bind(2, limit);
  while (select_.step() == SQLITE_ROW) ids.push_back(select_.column_int(0));
  select_.reset();
  for (int64_t id : ids) {
    for (Statement* stmt : {&delete_attempts_, &delete_deliveries_, &delete_event_}) {
      stmt->bind(1, id);
      const int rc = stmt->step();
      stmt->reset();
      if (rc != SQLITE_DONE) {
        error = sqlite3_errmsg(db);
        (void)exec(db, "ROLLBACK");
        return -1;
      }
    }
  }
  if (exec(db, "COMMIT", &error) != SQLITE_OK) {
    (void)exec(db, "ROLLBACK");
    return -1;
  }
  return static_cast<int64_t>(ids.size());
}

}  // namespace hookgate::storage
