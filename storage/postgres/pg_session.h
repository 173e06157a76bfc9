// SqlSession on a PostgreSQL connection of its own, reconnecting by itself: a query that finds
// the connection broken (the server restarted, a failover) connects again and, outside a
// transaction, runs once more.
#pragma once

#include <memory>
#include <string>

#include "storage/postgres/pg_connection.h"
#include "storage/sql_session.h"
#include "storage/store_location.h"

namespace hookgate::storage {

class PgSession final : public SqlSession {
 public:
  // Connects and checks that the schema is one this build reads (it migrates nothing: the
  // server does). Null with `error`.
  static std::unique_ptr<PgSession> open(const StoreLocation& location, std::string& error);

  [[nodiscard]] SqlDialect dialect() const override { return SqlDialect::postgres; }
  [[nodiscard]] bool query(std::string_view sql, const std::vector<SqlParam>& params,
                           std::vector<SqlRow>& rows) override;
  [[nodiscard]] int64_t execute(std::string_view sql, const std::vector<SqlParam>& params) override;
  [[nodiscard]] bool begin() override;
  [[nodiscard]] bool commit() override;
  void rollback() override;
  void notify_deliveries() override;
  [[nodiscard]] const std::string& error() const override { return error_; }

 private:
  explicit PgSession(std::string url) : url_(std::move(url)) {}
  [[nodiscard]] PgResult run(std::string_view sql, const std::vector<SqlParam>& params);
  std::string url_;
  PgConn conn_;
  bool in_transaction_ = false;
  std::string error_;
};

}  // namespace hookgate::storage
