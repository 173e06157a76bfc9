#include "storage/sqlite/schema.h"

#include <array>
#include <string_view>

#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::storage {
namespace {

// A step's SQL runs in one transaction with the new user_version. A step that edits
// sqlite_schema's text (`edits_schema_text`) runs with writable_schema on and bumps
// schema_version, so every connection reloads the definitions (SQLite's documented procedure).
struct Migration {
  std::string_view sql;
  bool edits_schema_text = false;
};

// migrations[i] takes the schema from version i to i+1. Append only; never edit a shipped step.
constexpr std::array<Migration, kSchemaVersion> kMigrations = {{
    // 0 → 1: events, deliveries, attempts. Times are unix milliseconds (INTEGER).
    // Integer primary keys keep inserts append-only. (source, vendor_event_id) is unique;
    // the writer enforces it through dedupe_key, a 63-bit hash of both, because a unique
    // index on the random text ids costs 2-3x in insert rate (measured when it was designed).
    {R"sql(
CREATE TABLE events (
  id              INTEGER PRIMARY KEY,
  public_id       TEXT    NOT NULL,
  source          TEXT    NOT NULL,
  vendor_event_id TEXT,
  dedupe_key      INTEGER,
  event_type      TEXT,
  received_at     INTEGER NOT NULL,
  method          TEXT    NOT NULL,
  path            TEXT    NOT NULL,
  query           TEXT    NOT NULL DEFAULT '',
  headers         TEXT    NOT NULL,
  body            BLOB    NOT NULL
);
CREATE UNIQUE INDEX events_public_id ON events(public_id);
CREATE INDEX events_dedupe_key ON events(dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  destination     TEXT    NOT NULL,
  state           TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'inflight', 'delivered', 'dead', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  lease_until     INTEGER,
  last_status     INTEGER,
  last_error      TEXT,
  updated_at      INTEGER NOT NULL,
  UNIQUE (event_id, destination)
);
-- Small partial indexes: only rows still to deliver are in them.
CREATE INDEX deliveries_due ON deliveries(destination, next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_fifo ON deliveries(destination, id) WHERE state = 'pending';
CREATE INDEX deliveries_leased ON deliveries(lease_until) WHERE state = 'inflight';

CREATE TABLE attempts (
  id               INTEGER PRIMARY KEY,
  delivery_id      INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  started_at       INTEGER NOT NULL,
  duration_us      INTEGER,
  status           INTEGER,
  error            TEXT,
  response_excerpt BLOB
);
CREATE INDEX attempts_delivery_id ON attempts(delivery_id);
)sql"},
    // 1 → 2: secrets a vendor hands over in a handshake (Asana's X-Hook-Secret), one per
    // source, kept across restarts. created_at is unix milliseconds.
    {R"sql(
CREATE TABLE handshake_secrets (
  source     TEXT    PRIMARY KEY,
  secret     TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
)sql"},
    // 2 → 3: deliveries' state CHECK as a chain of equalities. SQLite compiles `IN (five
    // constants)` into a temporary b-tree built for every row written: about a fifth of the
    // writer's time while deliveries drain. Same constraint, no row changes, so the table
    // definition is edited in place (SQLite's documented writable_schema procedure; migrate()
    // bumps schema_version so every connection reloads it).
    {R"sql(
UPDATE sqlite_schema
   SET sql = replace(sql,
                     'CHECK (state IN (''pending'', ''inflight'', ''delivered'', ''dead'', ''cancelled''))',
                     'CHECK (state = ''pending'' OR state = ''inflight'' OR state = ''delivered'' OR state = ''dead'' OR state = ''cancelled'')')
 WHERE type = 'table' AND name = 'deliveries';
)sql", /*edits_schema_text=*/true},
    // 3 → 4: destinations an operator paused (or, later, that disabled themselves), so that
    // the state survives a restart and, on a shared database, holds on every node. No row:
    // the destination delivers. changed_at is unix milliseconds.
    {R"sql(
CREATE TABLE destination_states (
  destination TEXT    PRIMARY KEY,
  state       TEXT    NOT NULL CHECK (state = 'paused' OR state = 'disabled'),
  changed_at  INTEGER NOT NULL
);
)sql"},
    // 4 → 5: 'skipped', the state of a delivery its transform script declined (transform/).
    // The CHECK is edited in place, as in 2 → 3.
    {R"sql(
UPDATE sqlite_schema
   SET sql = replace(sql, 'OR state = ''cancelled'')', 'OR state = ''cancelled'' OR state = ''skipped'')')
 WHERE type = 'table' AND name = 'deliveries';
)sql", /*edits_schema_text=*/true},
    // 5 → 6: content dedupe keys, for sources whose vendor sends no event id (write_batch.h,
    // ContentKey). One row per (source, digest): the event stored under it and when the key
    // expires (unix ms). The expires_at index lets each write delete a few expired keys, so
    // the table stays about one dedupe window in size.
    {R"sql(
CREATE TABLE content_keys (
  source     TEXT    NOT NULL,
  digest     BLOB    NOT NULL,
  public_id  TEXT    NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (source, digest)
);
CREATE INDEX content_keys_expires_at ON content_keys(expires_at);
)sql"},
}};

int user_version(sqlite3* db) {
  Statement stmt(db, "PRAGMA user_version");
  return stmt.ok() && stmt.step() == SQLITE_ROW ? static_cast<int>(stmt.column_int(0)) : -1;
}

}  // namespace

bool migrate(sqlite3* db, std::string& error) {
  const int current = user_version(db);
  if (current < 0) {
    error = std::string("cannot read schema version: ") + sqlite3_errmsg(db);
    return false;
  }
  if (current > kSchemaVersion) {
    error = "database schema version " + std::to_string(current) +
            " is newer than this hookgate supports (" + std::to_string(kSchemaVersion) + ")";
    return false;
  }
  for (int version = current; version < kSchemaVersion; ++version) {
    std::string step_error;
    if (exec(db, "BEGIN IMMEDIATE", &step_error) != SQLITE_OK) {
      error = "migration to schema version " + std::to_string(version + 1) + " failed: " + step_error;
      return false;
    }
    const Migration& step = kMigrations[static_cast<size_t>(version)];
    std::string sql(step.sql);
    if (step.edits_schema_text) {
      Statement cookie(db, "PRAGMA schema_version");
      const int64_t schema_version = cookie.ok() && cookie.step() == SQLITE_ROW ? cookie.column_int(0) : -1;
      cookie.reset();
      if (schema_version < 0) {
        (void)exec(db, "ROLLBACK");
        error = std::string("cannot read schema_version: ") + sqlite3_errmsg(db);
        return false;
      }
      sql = "PRAGMA writable_schema = ON;\n" + sql + "\nPRAGMA schema_version = " +
            std::to_string(schema_version + 1) + ";\nPRAGMA writable_schema = OFF;";
    }
    sql += "\nPRAGMA user_version = " + std::to_string(version + 1) + ";\nCOMMIT;";
    if (exec(db, sql, &step_error) != SQLITE_OK) {
      (void)exec(db, "ROLLBACK");
      error = "migration to schema version " + std::to_string(version + 1) + " failed: " + step_error;
      return false;
    }
  }
  return true;
}

}  // namespace hookgate::storage
