// Opens the backend a StoreLocation names: the SQLite file, or the PostgreSQL database.
#pragma once

#include <memory>
#include <string>

#include "storage/delivery_claims.h"
#include "storage/event_store.h"
#include "storage/sql_session.h"

namespace hookgate::storage {

// The writer's connection: schema migrated, ready for EventStore. Null with `error`.
[[nodiscard]] std::unique_ptr<WriterBackend> open_writer_backend(const StoreOptions& options, std::string& error);

// A connection for operator queries (event_queries.h, retention.h). Null with `error`.
[[nodiscard]] std::unique_ptr<SqlSession> open_sql_session(const StoreLocation& location, bool read_only,
                                                           std::string& error);

// The delivery engine's claims on `store`'s database. SQLite: fails when another process
// delivers from the file. Null with `error`.
[[nodiscard]] std::unique_ptr<DeliveryClaims> open_delivery_claims(EventStore& store, std::string& error);

}  // namespace hookgate::storage
