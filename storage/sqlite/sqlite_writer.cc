#include "storage/sqlite/sqlite_writer.h"

#include <algorithm>
#include <chrono>

#include "storage/sqlite/schema.h"
#include "storage/store_space.h"

namespace hookgate::storage {

struct SqliteWriter::Statements {
  Statement begin, commit, rollback, find_duplicate, insert_event, insert_delivery;
  Statement find_content_key, upsert_content_key, purge_content_keys;
  Statement update_delivery, insert_attempt, lease_delivery, recover_leases, upsert_handshake_secret;
  Statement page_count, freelist_count;
};

// What storage.max_size keeps back from new events (store_space.h): delivery bookkeeping
// (attempt rows, leases) must still commit when ingest is refused for space: otherwise no
// delivery could finish, retention could purge nothing, and a full store would stay full for good.

SqliteWriter::SqliteWriter(const StoreOptions& options) : options_(options) {}

std::unique_ptr<SqliteWriter> SqliteWriter::open(const StoreOptions& options, std::string& error) {
  std::unique_ptr<SqliteWriter> store(new SqliteWriter(options));
  store->db_ = open_database(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, error,
                             options.vfs);
  if (!store->db_) return nullptr;
  sqlite3* db = store->db_.get();

  const std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=" +
                              std::to_string(options.busy_timeout_ms) + ";" +
                              (options.durability == Durability::full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
  std::string pragma_error;
  if (exec(db, pragmas, &pragma_error) != SQLITE_OK) {
    error = "cannot configure database " + options.path + ": " + pragma_error;
    return nullptr;
  }
  // journal_mode answers with the mode it got; a file system without WAL support would fall back silently.
  {
    Statement mode(db, "PRAGMA journal_mode");
    if (!mode.ok() || mode.step() != SQLITE_ROW || mode.column_text(0) != "wal") {
      error = "database " + options.path + " cannot use WAL mode";
      return nullptr;
    }
  }
  if (!migrate(db, error)) return nullptr;
  if (options.max_size_bytes > 0 && !store->apply_max_size(error)) return nullptr;

  auto s = std::make_unique<Statements>();
  s->begin = Statement(db, "BEGIN IMMEDIATE");
  s->commit = Statement(db, "COMMIT");
  s->rollback = Statement(db, "ROLLBACK");
  s->find_duplicate = Statement(db,
      "SELECT id, public_id FROM events WHERE dedupe_key = ?1 AND source = ?2 AND vendor_event_id = ?3");
  // A key whose event retention already deleted is as good as expired.
  s->find_content_key = Statement(db,
      "SELECT e.id, e.public_id FROM content_keys k JOIN events e ON e.public_id = k.public_id"
      " WHERE k.source = ?1 AND k.digest = ?2 AND k.expires_at > ?3");
  s->upsert_content_key = Statement(db,
      "INSERT INTO content_keys (source, digest, public_id, expires_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (source, digest) DO UPDATE SET public_id = excluded.public_id, expires_at = excluded.expires_at");
  s->purge_content_keys = Statement(db,
      "DELETE FROM content_keys WHERE rowid IN"
      " (SELECT rowid FROM content_keys WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)");
  s->insert_event = Statement(db,
      "INSERT INTO events (public_id, source, vendor_event_id, dedupe_key, event_type, received_at,"
      " method, path, query, headers, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  s->insert_delivery = Statement(db,
      "INSERT INTO deliveries (event_id, destination, state, attempts, next_attempt_at, updated_at)"
      " VALUES (?1, ?2, 'pending', 0, ?3, ?3)");
  s->update_delivery = Statement(db,
      "UPDATE deliveries SET state = CASE WHEN state IN ('pending', 'inflight') THEN ?2 ELSE state END,"
      " attempts = attempts + 1, next_attempt_at = ?3, lease_until = NULL, last_status = ?4,"
      " last_error = ?5, updated_at = ?6 WHERE id = ?1");
  s->insert_attempt = Statement(db,
      "INSERT INTO attempts (delivery_id, started_at, duration_us, status, error, response_excerpt)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s->lease_delivery = Statement(db,
      "UPDATE deliveries SET state = 'inflight', lease_until = ?2, updated_at = ?3 WHERE id = ?1 AND state = 'pending'");
  s->recover_leases = Statement(db,
      "UPDATE deliveries SET state = 'pending', lease_until = NULL, updated_at = ?1"
      " WHERE state = 'inflight' AND lease_until <= ?1");
  s->upsert_handshake_secret = Statement(db,
      "INSERT INTO handshake_secrets (source, secret, created_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (source) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at");
  s->page_count = Statement(db, "PRAGMA page_count");
  s->freelist_count = Statement(db, "PRAGMA freelist_count");
  for (const Statement* stmt : {&s->begin, &s->commit, &s->rollback, &s->find_duplicate, &s->find_content_key,
                                &s->upsert_content_key, &s->purge_content_keys, &s->insert_event,
                                &s->insert_delivery, &s->update_delivery, &s->insert_attempt,
                                &s->lease_delivery, &s->recover_leases, &s->upsert_handshake_secret,
                                &s->page_count, &s->freelist_count}) {
    if (!stmt->ok()) {
      error = std::string("cannot prepare statement: ") + sqlite3_errmsg(db);
      return nullptr;
    }
  }
  store->statements_ = std::move(s);
  {
    Statement secrets(db, "SELECT source, secret FROM handshake_secrets ORDER BY source");
    if (!secrets.ok()) {
      error = std::string("cannot read handshake secrets: ") + sqlite3_errmsg(db);
      return nullptr;
    }
    while (secrets.step() == SQLITE_ROW) {
      store->handshake_secrets_.emplace_back(secrets.column_text(0), secrets.column_text(1));
    }
  }
  store->checkpointer_ = WalCheckpointer::start(db, options.path, options.vfs, error);
  if (!store->checkpointer_) return nullptr;
  return store;
}

SqliteWriter::~SqliteWriter() { checkpointer_.reset(); }

CheckpointStats SqliteWriter::checkpoints() const { return checkpointer_ ? checkpointer_->stats() : CheckpointStats{}; }

// max_page_count belongs to the connection, not the file: it is set on every open. It is
// applied after the migrations so that a small cap never stops the schema from being created.
bool SqliteWriter::apply_max_size(std::string& error) {
  sqlite3* db = db_.get();
  Statement page_size(db, "PRAGMA page_size");
  if (!page_size.ok() || page_size.step() != SQLITE_ROW || page_size.column_int(0) <= 0) {
    error = std::string("cannot read the page size of ") + options_.path + ": " + sqlite3_errmsg(db);
    return false;
  }
  const uint64_t wanted = std::max<uint64_t>(1, options_.max_size_bytes / static_cast<uint64_t>(page_size.column_int(0)));
  Statement cap(db, "PRAGMA max_page_count = " + std::to_string(wanted));
  if (!cap.ok() || cap.step() != SQLITE_ROW) {
    error = std::string("cannot apply storage.max_size to ") + options_.path + ": " + sqlite3_errmsg(db);
    return false;
  }
  // SQLite answers with the cap it kept: the current size when the file is already larger.
  const int64_t max_pages = cap.column_int(0);
  event_page_limit_ = max_size_event_page_limit(max_pages);
  return true;
}

int64_t SqliteWriter::used_pages() {
  Statements& s = *statements_;
  int64_t pages = -1, free_pages = 0;
  if (s.page_count.step() == SQLITE_ROW) pages = s.page_count.column_int(0);
  s.page_count.reset();
  if (s.freelist_count.step() == SQLITE_ROW) free_pages = s.freelist_count.column_int(0);
  s.freelist_count.reset();
  return pages < 0 ? -1 : pages - free_pages;
}

bool SqliteWriter::space_freed() {
  if (event_page_limit_ <= 0) return true;
  const int64_t used = used_pages();
  return used >= 0 && used < event_page_limit_;
}

int SqliteWriter::write(PendingEvent& pending) {
  Statements& s = *statements_;
  NewEvent& e = pending.event;
  WriteOutcome& outcome = pending.outcome;
  std::optional<int64_t> key;
  // Every text is bound unowned (SQLite does not copy it): `pending` outlives each step and the
  // reset after it, which clears the bindings. A copy per value cost ~500 instructions.
  if (e.vendor_event_id) {
    key = dedupe_key(e.source, *e.vendor_event_id);
    s.find_duplicate.bind(1, *key);
    s.find_duplicate.bind_unowned_text(2, e.source);
    s.find_duplicate.bind_unowned_text(3, *e.vendor_event_id);
    const int rc = s.find_duplicate.step();
    if (rc == SQLITE_ROW) {
      outcome.status = WriteOutcome::Status::duplicate;
      outcome.event_id = s.find_duplicate.column_int(0);
      outcome.public_id = s.find_duplicate.column_text(1);
    }
    s.find_duplicate.reset();
    if (rc == SQLITE_ROW) return SQLITE_OK;
    if (rc != SQLITE_DONE) return rc;
  } else if (e.content_key) {
    Statement& find = s.find_content_key;
    find.bind_unowned_text(1, e.source);
    find.bind_unowned_blob(2, e.content_key->digest);
    find.bind(3, e.received_at_ms);
    const int rc = find.step();
    if (rc == SQLITE_ROW) {
      outcome.status = WriteOutcome::Status::duplicate;
      outcome.event_id = find.column_int(0);
      outcome.public_id = find.column_text(1);
    }
    find.reset();
    if (rc == SQLITE_ROW) return SQLITE_OK;
    if (rc != SQLITE_DONE) return rc;
  }
  // At max_size a new event is refused (its outcome stays `failed`) but the batch goes on:
  // the reserve is for the attempts and leases in it. A duplicate above needs no space.
  if (event_page_limit_ > 0 && used_pages() >= event_page_limit_) return SQLITE_OK;

  Statement& insert = s.insert_event;
  insert.bind_unowned_text(1, e.public_id);
  insert.bind_unowned_text(2, e.source);
  insert.bind_unowned_text_or_null(3, e.vendor_event_id);
  if (key) insert.bind(4, *key); else insert.bind_null(4);
  insert.bind_unowned_text_or_null(5, e.event_type);
  insert.bind(6, e.received_at_ms);
  insert.bind_unowned_text(7, e.method);
  insert.bind_unowned_text(8, e.path);
  insert.bind_unowned_text(9, e.query);
  insert.bind_unowned_text(10, e.headers);
  insert.bind_unowned_blob(11, e.body);
  int rc = insert.step();
  insert.reset();
  if (rc != SQLITE_DONE) return rc;
  const int64_t event_id = sqlite3_last_insert_rowid(db_.get());

  for (const std::string& destination : e.destinations) {
    s.insert_delivery.bind(1, event_id);
    s.insert_delivery.bind_unowned_text(2, destination);
    s.insert_delivery.bind(3, e.received_at_ms);
    rc = s.insert_delivery.step();
    s.insert_delivery.reset();
    if (rc != SQLITE_DONE) return rc;
  }
  if (e.content_key) {
    rc = take_content_key(e);
    if (rc != SQLITE_OK) return rc;
  }
  outcome.status = WriteOutcome::Status::stored;
  outcome.event_id = event_id;
  outcome.public_id = e.public_id;
  return SQLITE_OK;
}

// Stores `e`'s key (taking over an expired one), then deletes a few expired keys: two per key
// written, so the table shrinks back to the live keys whatever the traffic.
int SqliteWriter::take_content_key(const NewEvent& e) {
  Statements& s = *statements_;
  Statement& upsert = s.upsert_content_key;
  upsert.bind_unowned_text(1, e.source);
  upsert.bind_unowned_blob(2, e.content_key->digest);
  upsert.bind_unowned_text(3, e.public_id);
  upsert.bind(4, e.content_key->expires_at_ms);
  int rc = upsert.step();
  upsert.reset();
  if (rc != SQLITE_DONE) return rc;
  Statement& purge = s.purge_content_keys;
  purge.bind(1, e.received_at_ms);
  purge.bind(2, int64_t{2});
  rc = purge.step();
  purge.reset();
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int SqliteWriter::write(PendingAttempt& pending) {
  Statements& s = *statements_;
  const AttemptRecord& a = pending.attempt;
  Statement& update = s.update_delivery;
  update.bind(1, a.delivery_id);
  update.bind_unowned_text(2, to_string(a.next_state));  // a static string
  if (a.next_state == DeliveryState::pending) update.bind(3, a.next_attempt_at_ms); else update.bind_null(3);
  if (a.status != 0) update.bind(4, int64_t{a.status}); else update.bind_null(4);
  if (!a.error.empty()) update.bind_unowned_text(5, a.error); else update.bind_null(5);
  update.bind(6, a.started_at_ms + a.duration_us / 1000);
  int rc = update.step();
  update.reset();
  if (rc != SQLITE_DONE) return rc;

  Statement& insert = s.insert_attempt;
  insert.bind(1, a.delivery_id);
  insert.bind(2, a.started_at_ms);
  insert.bind(3, a.duration_us);
  if (a.status != 0) insert.bind(4, int64_t{a.status}); else insert.bind_null(4);
  if (!a.error.empty()) insert.bind_unowned_text(5, a.error); else insert.bind_null(5);
  insert.bind_unowned_blob(6, a.response_excerpt);  // `pending` outlives the step
  rc = insert.step();
  insert.reset();
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int SqliteWriter::write(PendingLeases& pending) {
  Statement& lease = statements_->lease_delivery;
  for (int64_t id : pending.delivery_ids) {
    lease.bind(1, id);
    lease.bind(2, pending.lease_until_ms);
    lease.bind(3, pending.now_ms);
    const int rc = lease.step();
    lease.reset();
    if (rc != SQLITE_DONE) return rc;
  }
  return SQLITE_OK;
}

int SqliteWriter::write(PendingRecovery& pending) {
  Statement& recover = statements_->recover_leases;
  recover.bind(1, pending.now_ms);
  const int rc = recover.step();
  recover.reset();
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int SqliteWriter::write(PendingSecret& pending) {
  Statement& upsert = statements_->upsert_handshake_secret;
  upsert.bind(1, std::string_view(pending.source));
  upsert.bind(2, std::string_view(pending.secret));
  upsert.bind(3, pending.created_at_ms);
  const int rc = upsert.step();
  upsert.reset();
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

bool SqliteWriter::commit(std::vector<Pending>& batch) {
  Statements& s = *statements_;
  int rc = s.begin.step();
  s.begin.reset();
  bool ok = rc == SQLITE_DONE;
  for (size_t i = 0; ok && i < batch.size(); ++i) {
    ok = std::visit([this](auto& pending) { return write(pending); }, batch[i]) == SQLITE_OK;
  }
  if (ok) {
    rc = s.commit.step();
    s.commit.reset();
    ok = rc == SQLITE_DONE;
  }
  if (!ok && !sqlite3_get_autocommit(db_.get())) {
    // Still inside the transaction (SQLite may already have rolled back on I/O errors).
    (void)s.rollback.step();
    s.rollback.reset();
  }
  return ok;
}

int64_t dedupe_key(std::string_view source, std::string_view vendor_event_id) {
  uint64_t hash = 14695981039346656037ULL;
  auto mix = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  for (char c : source) mix(static_cast<unsigned char>(c));
  mix(0);
  for (char c : vendor_event_id) mix(static_cast<unsigned char>(c));
  return static_cast<int64_t>(hash >> 1);
}

}  // namespace hookgate::storage
