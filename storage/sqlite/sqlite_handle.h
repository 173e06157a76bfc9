// RAII ownership of SQLite handles and a thin statement wrapper. Not thread-safe: a
// Database and its statements belong to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hookgate::storage {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

using DatabaseHandle = std::unique_ptr<sqlite3, SqliteCloser>;

// A prepared statement. Bind indexes are 1-based, as in SQLite. reset() clears bindings too.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);  // check ok() afterwards

  [[nodiscard]] bool ok() const { return stmt_ != nullptr; }
  [[nodiscard]] sqlite3_stmt* get() const { return stmt_.get(); }

  void bind(int index, int64_t value);
  void bind(int index, std::string_view text);       // bound as TEXT, copied by SQLite
  void bind_blob(int index, std::string_view bytes);  // bound as BLOB, copied by SQLite
  // Not copied (SQLITE_STATIC): the bytes must stay valid and unchanged until reset(). For the
  // writer's hot path, whose values live in the pending operation that outlives step and reset.
  void bind_unowned_text(int index, std::string_view text);
  void bind_unowned_blob(int index, std::string_view bytes);
  void bind_unowned_text_or_null(int index, const std::optional<std::string>& text);  // NULL when absent
  void bind_null(int index);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  [[nodiscard]] int step();
  void reset();

  [[nodiscard]] int64_t column_int(int column) const;
  [[nodiscard]] std::string column_text(int column) const;
  [[nodiscard]] bool column_is_null(int column) const;

 private:
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
};

// Opens (creating if needed) a database file with the given flags, through the SQLite VFS
// named `vfs` (empty: the default one). On failure returns null and sets `error`.
[[nodiscard]] DatabaseHandle open_database(const std::string& path, int flags, std::string& error,
                                           const std::string& vfs = {});

// Runs SQL with no result rows (several statements allowed). Returns the SQLite code.
[[nodiscard]] int exec(sqlite3* db, std::string_view sql, std::string* error = nullptr);

}  // namespace hookgate::storage
