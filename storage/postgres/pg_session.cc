#include "storage/postgres/pg_session.h"

#include "storage/postgres/pg_schema.h"

namespace hookgate::storage {

std::unique_ptr<PgSession> PgSession::open(const StoreLocation& location, std::string& error) {
  std::unique_ptr<PgSession> session(new PgSession(location.postgres_url));
  session->conn_ = pg_connect(location.postgres_url, error);
  if (!session->conn_) return nullptr;
  PgResult version = pg_exec(session->conn_.get(), "SELECT max(version) FROM hookgate_schema");
  if (!pg_ok(version.get()) || PQgetisnull(version.get(), 0, 0)) {
    error = "the database has no hookgate schema yet: start `hookgate serve` on it once";
    return nullptr;
  }
  if (pg_int(version.get(), 0, 0) > kPgSchemaVersion) {
    error = "database schema version " + std::to_string(pg_int(version.get(), 0, 0)) +
            " is newer than this hookgate supports (" + std::to_string(kPgSchemaVersion) + ")";
    return nullptr;
  }
  return session;
}

PgResult PgSession::run(std::string_view sql, const std::vector<SqlParam>& params) {
  PgParams p;
  for (const SqlParam& param : params) {
    if (const auto* n = std::get_if<int64_t>(&param)) {
      p.add(*n);
    } else if (const auto* text = std::get_if<std::string_view>(&param)) {
      p.add(*text);
    } else if (const auto* bytes = std::get_if<SqlBytes>(&param)) {
      p.add_bytes(bytes->bytes);
    } else {
      p.add_null();
    }
  }
  const std::string text(sql);
  for (int tries = 0; tries < 2; ++tries) {
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
      if (in_transaction_) break;  // the transaction is lost with the connection
      conn_ = pg_connect(url_, error_);
      if (!conn_) return nullptr;
    }
    PgResult result = pg_exec(conn_.get(), text, p);
    if (pg_ok(result.get())) return result;
    error_ = pg_error(conn_.get(), result.get());
    if (PQstatus(conn_.get()) == CONNECTION_OK || in_transaction_) return nullptr;
  }
  if (in_transaction_) error_ = "connection to PostgreSQL lost inside a transaction";
  return nullptr;
}

bool PgSession::query(std::string_view sql, const std::vector<SqlParam>& params, std::vector<SqlRow>& rows) {
  rows.clear();
  PgResult result = run(sql, params);
  if (!result) return false;
  const int columns = PQnfields(result.get());
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    SqlRow row;
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(pg_value(result.get(), r, c));
      }
    }
    rows.push_back(std::move(row));
  }
  return true;
}

int64_t PgSession::execute(std::string_view sql, const std::vector<SqlParam>& params) {
  PgResult result = run(sql, params);
  if (!result) return -1;
  const char* changed = PQcmdTuples(result.get());
  return changed && *changed ? std::stoll(changed) : 0;
}

bool PgSession::begin() {
  if (!run("BEGIN", {})) return false;
  in_transaction_ = true;
  return true;
}

bool PgSession::commit() {
  PgResult result = run("COMMIT", {});
  in_transaction_ = false;
  // COMMIT of a transaction that failed earlier succeeds as a ROLLBACK.
  if (result && std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    error_ = "the transaction was rolled back";
    return false;
  }
  return result != nullptr;
}

void PgSession::notify_deliveries() {
  PgResult ignored = run(std::string("SELECT pg_notify('") + kPgDeliveryChannel + "', '')", {});
}

void PgSession::rollback() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) PgResult ignored = pg_exec(conn_.get(), "ROLLBACK");
}

}  // namespace hookgate::storage
