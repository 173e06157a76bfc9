#include "storage/open_store.h"

#include "storage/postgres/pg_delivery_claims.h"
#include "storage/postgres/pg_session.h"
#include "storage/postgres/pg_writer.h"
#include "storage/sqlite/sqlite_delivery_claims.h"
#include "storage/sqlite/sqlite_session.h"
#include "storage/sqlite/sqlite_writer.h"

namespace hookgate::storage {

std::unique_ptr<WriterBackend> open_writer_backend(const StoreOptions& options, std::string& error) {
  if (options.is_postgres()) return PgWriter::open(options, error);
  return SqliteWriter::open(options, error);
}

std::unique_ptr<SqlSession> open_sql_session(const StoreLocation& location, bool read_only, std::string& error) {
  if (location.is_postgres()) return PgSession::open(location, error);
  return SqliteSession::open(location.path, read_only, error);
}

std::unique_ptr<DeliveryClaims> open_delivery_claims(EventStore& store, std::string& error) {
  if (store.location().is_postgres()) return PgDeliveryClaims::open(store.location(), error);
  return SqliteDeliveryClaims::open(store, error);
}

}  // namespace hookgate::storage
