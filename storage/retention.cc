#include "storage/retention.h"

#include <vector>

#include "storage/open_store.h"

namespace hookgate::storage {

std::unique_ptr<RetentionPurger> RetentionPurger::open(const StoreLocation& location, std::string& error) {
  auto session = open_sql_session(location, /*read_only=*/false, error);
  if (!session) return nullptr;
  return std::make_unique<RetentionPurger>(std::move(session));
}

int64_t RetentionPurger::purge_batch(int64_t before_ms, int64_t limit, std::string& error) {
  const auto fail = [&] {
    error = session_->error();
    session_->rollback();
    return int64_t{-1};
  };
  if (!session_->begin()) {
    error = session_->error();
    return -1;
  }
  // Oldest first by id (insertion order follows received_at); stops at the first young event,
  // so each batch reads only what it deletes plus the kept unfinished ones.
  std::vector<SqlRow> rows;
  if (!session_->query("SELECT e.id FROM events e WHERE e.received_at < $1 AND NOT EXISTS ("
                       " SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state IN ('pending', 'inflight'))"
                       " ORDER BY e.id LIMIT $2",
                       {before_ms, limit}, rows)) {
    return fail();
  }
  for (const auto& row : rows) {
    const int64_t id = row_int(row, 0);
    // Children first: explicit deletes do not depend on the connection's foreign key setting.
    for (const char* sql : {"DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id = $1)",
                            "DELETE FROM deliveries WHERE event_id = $1", "DELETE FROM events WHERE id = $1"}) {
      if (session_->execute(sql, {id}) < 0) return fail();
    }
  }
  if (!session_->commit()) return fail();
  return static_cast<int64_t>(rows.size());
}

}  // namespace hookgate::storage
