#include "storage/postgres/pg_schema.h"

#include <array>
#include <string_view>

#include "storage/postgres/pg_connection.h"

namespace hookgate::storage {
namespace {

// The advisory lock key migrations hold: "hookgate" as a number.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7526746914093166945)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7526746914093166945)";

// steps[i] takes the schema from version i to i+1. Append only; never edit a shipped step.
constexpr std::array<std::string_view, kPgSchemaVersion> kSteps = {
    // 0 → 1. Times are unix milliseconds (bigint). Identity keys keep inserts append-only.
    R"sql(
CREATE TABLE events (
  id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id       text    NOT NULL UNIQUE,
  source          text    NOT NULL,
  vendor_event_id text,
  event_type      text,
  received_at     bigint  NOT NULL,
  method          text    NOT NULL,
  path            text    NOT NULL,
  query           text    NOT NULL DEFAULT '',
  headers         bytea   NOT NULL,
  body            bytea   NOT NULL,
  CONSTRAINT events_source_vendor_event_id UNIQUE (source, vendor_event_id)
);

CREATE TABLE deliveries (
  id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        bigint  NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  destination     text    NOT NULL,
  state           text    NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'inflight', 'delivered', 'dead', 'cancelled')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint,
  lease_until     bigint,
  last_status     integer,
  last_error      text,
  updated_at      bigint  NOT NULL,
  UNIQUE (event_id, destination)
);
-- Small partial indexes: only rows still to deliver are in them.
CREATE INDEX deliveries_due ON deliveries (destination, next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_fifo ON deliveries (destination, id) WHERE state IN ('pending', 'inflight');
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE state = 'inflight';

CREATE TABLE attempts (
  id               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  delivery_id      bigint  NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  started_at       bigint  NOT NULL,
  duration_us      bigint,
  status           integer,
  error            text,
  response_excerpt bytea
);
CREATE INDEX attempts_delivery_id ON attempts (delivery_id);

CREATE TABLE handshake_secrets (
  source     text   PRIMARY KEY,
  secret     text   NOT NULL,
  created_at bigint NOT NULL
);

-- Gateway nodes sharing this database; heartbeat_at is on the database's clock.
CREATE TABLE nodes (
  node         text   PRIMARY KEY,
  started_at   bigint NOT NULL,
  heartbeat_at bigint NOT NULL
);

-- Which node delivers to each destination, until lease_until (the database's clock). One
-- owner at a time keeps a destination's concurrency, rate limit, circuit breaker and FIFO
-- order exact across nodes.
CREATE TABLE destination_owners (
  destination text   PRIMARY KEY,
  node        text   NOT NULL,
  lease_until bigint NOT NULL
);
)sql",
    // 1 → 2: destinations an operator paused (or, later, that disabled themselves): stored, so
    // every node holds them and a restart keeps them. No row: the destination delivers.
    R"sql(
CREATE TABLE destination_states (
  destination text   PRIMARY KEY,
  state       text   NOT NULL CHECK (state IN ('paused', 'disabled')),
  changed_at  bigint NOT NULL
);
)sql",
    // 2 → 3: 'skipped', the state of a delivery its transform script declined (transform/).
    R"sql(
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
  CHECK (state IN ('pending', 'inflight', 'delivered', 'dead', 'cancelled', 'skipped'));
)sql",
    // 3 → 4: content dedupe keys, for sources whose vendor sends no event id (write_batch.h,
    // ContentKey): the event stored under (source, digest) and when the key expires. Writes
    // delete a few expired keys each, through the expires_at index.
    R"sql(
CREATE TABLE content_keys (
  source     text   NOT NULL,
  digest     bytea  NOT NULL,
  public_id  text   NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (source, digest)
);
CREATE INDEX content_keys_expires_at ON content_keys (expires_at);
)sql",
};

bool run(PGconn* conn, const std::string& sql, std::string& error) {
  PgResult result = pg_exec(conn, sql);
  if (pg_ok(result.get())) return true;
  error = pg_error(conn, result.get());
  return false;
}

bool migrate_locked(PGconn* conn, std::string& error) {
  if (!run(conn, "CREATE TABLE IF NOT EXISTS hookgate_schema (version integer NOT NULL)", error)) return false;
  PgResult current = pg_exec(conn, "SELECT max(version) FROM hookgate_schema");
  if (!pg_ok(current.get())) {
    error = pg_error(conn, current.get());
    return false;
  }
  const int version = PQgetisnull(current.get(), 0, 0) ? 0 : static_cast<int>(pg_int(current.get(), 0, 0));
  if (version > kPgSchemaVersion) {
    error = "database schema version " + std::to_string(version) + " is newer than this hookgate supports (" +
            std::to_string(kPgSchemaVersion) + "): upgrade this node to the version the others run";
    return false;
  }
  for (int step = version; step < kPgSchemaVersion; ++step) {
    const std::string sql = "BEGIN;\n" + std::string(kSteps[static_cast<size_t>(step)]) +
                            "\nDELETE FROM hookgate_schema;\nINSERT INTO hookgate_schema (version) VALUES (" +
                            std::to_string(step + 1) + ");\nCOMMIT;";
    // A multi-statement string runs through the simple protocol: one result per statement,
    // the last one's status is what PQexec returns.
    PgResult result(PQexec(conn, sql.c_str()));
    if (!pg_ok(result.get())) {
      error = "migration to schema version " + std::to_string(step + 1) + " failed: " + pg_error(conn, result.get());
      PgResult rollback(PQexec(conn, "ROLLBACK"));
      return false;
    }
  }
  return true;
}

}  // namespace

bool pg_migrate(PGconn* conn, std::string& error) {
  if (!run(conn, kMigrationLock, error)) return false;
  const bool ok = migrate_locked(conn, error);
  std::string ignored;
  (void)run(conn, kMigrationUnlock, ignored);
  return ok;
}

}  // namespace hookgate::storage
