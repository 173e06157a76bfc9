#include "storage/sqlite/sqlite_session.h"

#include <cctype>

namespace hookgate::storage {
namespace {

// "$12" → "?12": SQLite reads "$12" as a parameter named "$12", numbered by first appearance,
// which would not match when a query names $2 before $1.
std::string numbered_placeholders(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  }
  return out;
}

}  // namespace

std::unique_ptr<SqliteSession> SqliteSession::open(const std::string& path, bool read_only, std::string& error) {
  auto session = std::make_unique<SqliteSession>();
  session->db_ = open_database(path, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, error);
  if (!session->db_) return nullptr;
  (void)exec(session->db_.get(), "PRAGMA busy_timeout=10000");
  return session;
}

std::optional<Statement> SqliteSession::prepare(std::string_view sql, const std::vector<SqlParam>& params) {
  Statement stmt(db_.get(), numbered_placeholders(sql));
  if (!stmt.ok()) {
    error_ = sqlite3_errmsg(db_.get());
    return std::nullopt;
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    const SqlParam& p = params[i];
    if (const auto* n = std::get_if<int64_t>(&p)) {
      stmt.bind(index, *n);
    } else if (const auto* text = std::get_if<std::string_view>(&p)) {
      stmt.bind(index, *text);
    } else if (const auto* bytes = std::get_if<SqlBytes>(&p)) {
      stmt.bind_blob(index, bytes->bytes);
    } else {
      stmt.bind_null(index);
    }
  }
  return stmt;
}

bool SqliteSession::query(std::string_view sql, const std::vector<SqlParam>& params, std::vector<SqlRow>& rows) {
  rows.clear();
  auto stmt = prepare(sql, params);
  if (!stmt) return false;
  const int columns = sqlite3_column_count(stmt->get());
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW) {
    SqlRow row;
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (stmt->column_is_null(c)) {
        row.emplace_back(std::nullopt);
        continue;
      }
      // BLOBs as their bytes; integers and text through column_text (decimal for integers).
      if (sqlite3_column_type(stmt->get(), c) == SQLITE_BLOB) {
        const void* data = sqlite3_column_blob(stmt->get(), c);
        row.emplace_back(std::string(static_cast<const char*>(data),
                                     static_cast<size_t>(sqlite3_column_bytes(stmt->get(), c))));
      } else {
        row.emplace_back(stmt->column_text(c));
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    error_ = sqlite3_errmsg(db_.get());
    return false;
  }
  return true;
}

int64_t SqliteSession::execute(std::string_view sql, const std::vector<SqlParam>& params) {
  auto stmt = prepare(sql, params);
  if (!stmt) return -1;
  if (stmt->step() != SQLITE_DONE) {
    error_ = sqlite3_errmsg(db_.get());
    return -1;
  }
  return sqlite3_changes(db_.get());
}

bool SqliteSession::begin() { return exec(db_.get(), "BEGIN IMMEDIATE", &error_) == SQLITE_OK; }

bool SqliteSession::commit() {
  if (exec(db_.get(), "COMMIT", &error_) == SQLITE_OK) return true;
  rollback();
  return false;
}

void SqliteSession::rollback() {
  if (!sqlite3_get_autocommit(db_.get())) (void)exec(db_.get(), "ROLLBACK");
}

}  // namespace hookgate::storage
