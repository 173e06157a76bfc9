#include "storage/event_store.h"

#include <chrono>

#include "storage/schema.h"

namespace hookgate::storage {

struct EventStore::Statements {
  Statement begin, commit, rollback, find_duplicate, insert_event, insert_delivery;
};

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

EventStore::EventStore(const StoreOptions& options) : options_(options) {}

std::unique_ptr<EventStore> EventStore::open(const StoreOptions& options, std::string& error) {
  std::unique_ptr<EventStore> store(new EventStore(options));
  store->db_ = open_database(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, error);
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

  auto s = std::make_unique<Statements>();
  s->begin = Statement(db, "BEGIN IMMEDIATE");
  s->commit = Statement(db, "COMMIT");
  s->rollback = Statement(db, "ROLLBACK");
  s->find_duplicate = Statement(db,
      "SELECT id, public_id FROM events WHERE dedupe_key = ?1 AND source = ?2 AND vendor_event_id = ?3");
  s->insert_event = Statement(db,
      "INSERT INTO events (public_id, source, vendor_event_id, dedupe_key, event_type, received_at,"
      " method, path, query, headers, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  s->insert_delivery = Statement(db,
      "INSERT INTO deliveries (event_id, destination, state, attempts, next_attempt_at, updated_at)"
      " VALUES (?1, ?2, 'pending', 0, ?3, ?3)");
  for (const Statement* stmt : {&s->begin, &s->commit, &s->rollback, &s->find_duplicate, &s->insert_event, &s->insert_delivery}) {
    if (!stmt->ok()) {
      error = std::string("cannot prepare statement: ") + sqlite3_errmsg(db);
      return nullptr;
    }
  }
  store->statements_ = std::move(s);
  store->thread_ = std::thread([raw = store.get()] { raw->run(); });
  return store;
}

EventStore::~EventStore() { close(); }

bool EventStore::submit(NewEvent event, WriteCompletion done) {
  {
    std::lock_guard lock(mutex_);
    if (closing_ || queue_.size() >= options_.queue_limit) return false;
    queue_.push_back(Pending{std::move(event), std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void EventStore::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

WriterStats EventStore::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

size_t EventStore::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void EventStore::run() {
  std::vector<Pending> batch;
  batch.reserve(options_.max_batch);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing and drained
      // The batch is whatever queued while the previous commit ran: it grows with load.
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

int EventStore::write_one(Pending& pending, WriteOutcome& outcome) {
  Statements& s = *statements_;
  NewEvent& e = pending.event;
  std::optional<int64_t> key;
  if (e.vendor_event_id) {
    key = dedupe_key(e.source, *e.vendor_event_id);
    s.find_duplicate.bind(1, *key);
    s.find_duplicate.bind(2, std::string_view(e.source));
    s.find_duplicate.bind(3, std::string_view(*e.vendor_event_id));
    const int rc = s.find_duplicate.step();
    if (rc == SQLITE_ROW) {
      outcome.status = WriteOutcome::Status::duplicate;
      outcome.event_id = s.find_duplicate.column_int(0);
      outcome.public_id = s.find_duplicate.column_text(1);
    }
    s.find_duplicate.reset();
    if (rc == SQLITE_ROW) return SQLITE_OK;
    if (rc != SQLITE_DONE) return rc;
  }

  Statement& insert = s.insert_event;
  insert.bind(1, std::string_view(e.public_id));
  insert.bind(2, std::string_view(e.source));
  insert.bind(3, e.vendor_event_id);
  if (key) insert.bind(4, *key); else insert.bind_null(4);
  insert.bind(5, e.event_type);
  insert.bind(6, e.received_at_ms);
  insert.bind(7, std::string_view(e.method));
  insert.bind(8, std::string_view(e.path));
  insert.bind(9, std::string_view(e.query));
  insert.bind(10, std::string_view(e.headers));
  insert.bind_blob(11, e.body);
  int rc = insert.step();
  insert.reset();
  if (rc != SQLITE_DONE) return rc;
  const int64_t event_id = sqlite3_last_insert_rowid(db_.get());

  for (const std::string& destination : e.destinations) {
    s.insert_delivery.bind(1, event_id);
    s.insert_delivery.bind(2, std::string_view(destination));
    s.insert_delivery.bind(3, e.received_at_ms);
    rc = s.insert_delivery.step();
    s.insert_delivery.reset();
    if (rc != SQLITE_DONE) return rc;
  }
  outcome.status = WriteOutcome::Status::stored;
  outcome.event_id = event_id;
  outcome.public_id = e.public_id;
  return SQLITE_OK;
}

void EventStore::commit_batch(std::vector<Pending>& batch) {
  Statements& s = *statements_;
  std::vector<WriteOutcome> outcomes(batch.size());
  const auto started = std::chrono::steady_clock::now();

  int rc = s.begin.step();
  s.begin.reset();
  bool ok = rc == SQLITE_DONE;
  for (size_t i = 0; ok && i < batch.size(); ++i) ok = write_one(batch[i], outcomes[i]) == SQLITE_OK;
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
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started).count();

  uint64_t stored = 0, duplicates = 0;
  for (auto& outcome : outcomes) {
    if (!ok) {
      outcome = WriteOutcome{};  // failed: nothing of this batch is durable
    } else if (outcome.status == WriteOutcome::Status::stored) {
      ++stored;
    } else if (outcome.status == WriteOutcome::Status::duplicate) {
      ++duplicates;
    }
  }
  {
    std::lock_guard lock(stats_mutex_);
    if (ok) {
      ++stats_.batches;
      stats_.events_stored += stored;
      stats_.duplicates += duplicates;
      stats_.commit_micros_total += static_cast<uint64_t>(micros);
      if (batch.size() > stats_.max_batch_size) stats_.max_batch_size = batch.size();
    } else {
      ++stats_.failed_batches;
      stats_.events_failed += batch.size();
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(outcomes[i]);
  }
}

}  // namespace hookgate::storage
