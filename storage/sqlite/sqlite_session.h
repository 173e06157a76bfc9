// SqlSession on a SQLite connection of its own ($N placeholders become ?N).
#pragma once

#include <memory>
#include <string>

#include "storage/sql_session.h"
#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::storage {

class SqliteSession final : public SqlSession {
 public:
  // A missing file is an error (the server creates it); `read_only` opens it so.
  static std::unique_ptr<SqliteSession> open(const std::string& path, bool read_only, std::string& error);

  [[nodiscard]] SqlDialect dialect() const override { return SqlDialect::sqlite; }
  [[nodiscard]] bool query(std::string_view sql, const std::vector<SqlParam>& params,
                           std::vector<SqlRow>& rows) override;
  [[nodiscard]] int64_t execute(std::string_view sql, const std::vector<SqlParam>& params) override;
  [[nodiscard]] bool begin() override;
  [[nodiscard]] bool commit() override;
  void rollback() override;
  [[nodiscard]] const std::string& error() const override { return error_; }

 private:
  // Prepared, bound and ready to step; nullopt with error_ set.
  [[nodiscard]] std::optional<Statement> prepare(std::string_view sql, const std::vector<SqlParam>& params);
  DatabaseHandle db_;
  std::string error_;
};

}  // namespace hookgate::storage
