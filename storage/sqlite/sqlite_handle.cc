#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::storage {

Statement::Statement(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  // PERSISTENT: these statements live as long as the connection and run many times.
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &raw, nullptr) == SQLITE_OK) {
    stmt_.reset(raw);
  }
}

void Statement::bind(int index, int64_t value) { sqlite3_bind_int64(stmt_.get(), index, value); }

void Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_.get(), index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}

void Statement::bind_unowned_text(int index, std::string_view text) {
  sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void Statement::bind_unowned_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_.get(), index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

void Statement::bind_unowned_text_or_null(int index, const std::optional<std::string>& text) {
  if (text) {
    bind_unowned_text(index, std::string_view(*text));
  } else {
    bind_null(index);
  }
}

void Statement::bind_null(int index) { sqlite3_bind_null(stmt_.get(), index); }

int Statement::step() { return sqlite3_step(stmt_.get()); }

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size)) : std::string();
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

DatabaseHandle open_database(const std::string& path, int flags, std::string& error, const std::string& vfs) {
  // Debian's SQLite is built without lookaside, so each of its allocations (about 20 per event
  // and 20 per delivery) is a malloc; with memory statistics on (the default) each also takes
  // a process-wide mutex to count it. Nothing here reads those statistics. Takes effect only
  // before SQLite initialises (the first open, unless a test registered a VFS earlier).
  [[maybe_unused]] static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, vfs.empty() ? nullptr : vfs.c_str());
  DatabaseHandle db(raw);
  if (rc != SQLITE_OK) {
    error = "cannot open database " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    return nullptr;
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

int exec(sqlite3* db, std::string_view sql, std::string* error) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK && error) *error = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return rc;
}

}  // namespace hookgate::storage
