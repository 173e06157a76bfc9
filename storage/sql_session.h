// One database connection seen through the few calls that the operator-facing queries need
// (`hookgate events`, `replay`, the admin API, retention), so those queries are written once
// for both backends. Not for the hot paths: ingest and delivery speak their engine directly.
//
// SQL uses $1, $2… placeholders and the subset of SQL that SQLite and PostgreSQL read alike;
// what differs is asked of dialect(). Not thread-safe: one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hookgate::storage {

// A bound parameter: NULL, an integer, text, or bytes (BLOB / bytea).
struct SqlBytes {
  std::string_view bytes;
};
using SqlParam = std::variant<std::monostate, int64_t, std::string_view, SqlBytes>;

// One result row, every column as text (integers in decimal, bytes as they are); nullopt is NULL.
using SqlRow = std::vector<std::optional<std::string>>;

enum class SqlDialect { sqlite, postgres };

class SqlSession {
 public:
  virtual ~SqlSession() = default;

  [[nodiscard]] virtual SqlDialect dialect() const = 0;
  // Runs a statement that returns rows. False with error() set on failure.
  [[nodiscard]] virtual bool query(std::string_view sql, const std::vector<SqlParam>& params,
                                   std::vector<SqlRow>& rows) = 0;
  // Runs a statement without rows; the number of rows it changed, or -1 with error() set.
  [[nodiscard]] virtual int64_t execute(std::string_view sql, const std::vector<SqlParam>& params) = 0;
  // Opens a write transaction (SQLite: BEGIN IMMEDIATE, so it waits for the lock up front).
  [[nodiscard]] virtual bool begin() = 0;
  [[nodiscard]] virtual bool commit() = 0;
  virtual void rollback() = 0;
  // Tells the processes delivering from this database that deliveries became due (PostgreSQL:
  // NOTIFY, so every node looks at once). SQLite: nothing; its server re-checks every second.
  virtual void notify_deliveries() {}
  [[nodiscard]] virtual const std::string& error() const = 0;
};

// A column as an integer (0 for NULL).
[[nodiscard]] int64_t row_int(const SqlRow& row, size_t column);
// A column as text ("" for NULL).
[[nodiscard]] std::string row_text(const SqlRow& row, size_t column);

}  // namespace hookgate::storage
