// The PostgreSQL schema and its migrations. The tables and columns are those of the SQLite
// schema (sqlite/schema.h), so operators' queries read alike, except where PostgreSQL has a
// better tool: (source, vendor_event_id) is a UNIQUE constraint (no dedupe_key), `headers` is
// bytea (received bytes need not be UTF-8), and two tables exist only here because only here
// several nodes share the database: `nodes` and `destination_owners`.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace hookgate::storage {

// The schema version this build writes (table hookgate_schema).
inline constexpr int kPgSchemaVersion = 4;

// Brings the database to kPgSchemaVersion, one step per transaction, under an advisory lock
// so that nodes starting together migrate once. Refuses, with `error` set and nothing
// changed, a database whose schema is newer than this build (an older node beside upgraded
// ones).
[[nodiscard]] bool pg_migrate(PGconn* conn, std::string& error);

}  // namespace hookgate::storage
