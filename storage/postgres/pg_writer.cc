#include "storage/postgres/pg_writer.h"

#include <poll.h>

#include <algorithm>
#include <numeric>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "storage/postgres/pg_array.h"
#include "storage/postgres/pg_schema.h"

namespace hookgate::storage {
namespace {

// Prepared once per connection; sent by name in every batch.
struct PreparedStatement {
  const char* name;
  std::string sql;
};

std::vector<PreparedStatement> prepared_statements() {
  return {
      // A batch's events and their deliveries in one statement, bound as arrays: $1..$10 the
      // events' columns in insertion order, $11/$12 (public id, destination) per delivery. An
      // event whose (source, vendor_event_id) is already stored, by this batch or by another
      // node, inserts nothing and returns no row; an insert racing another node's uncommitted
      // one waits for it, so each is stored once. Ids follow the input order, and deliveries
      // follow their events' ids (FIFO heads are the lowest delivery id).
      {"insert_events",
       "WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[],"
       " $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[], $13::bytea[], $14::bigint[])"
       " WITH ORDINALITY AS t(public_id, source, vendor_event_id, event_type, received_at, method, path, query,"
       " headers, body, digest, key_expires_at, n)),"
       // Content keys first: an event with one is stored only when it took the key (new, or
       // expired before $15, the batch's earliest receipt). A conflict with another node's
       // uncommitted key waits for it.
       " k AS (INSERT INTO content_keys AS c (source, digest, public_id, expires_at)"
       " SELECT source, digest, public_id, key_expires_at FROM input WHERE digest IS NOT NULL ORDER BY n"
       " ON CONFLICT (source, digest) DO UPDATE SET public_id = excluded.public_id, expires_at = excluded.expires_at"
       " WHERE c.expires_at <= $15"
       " RETURNING public_id),"
       " e AS (INSERT INTO events (public_id, source, vendor_event_id, event_type, received_at, method, path, query,"
       " headers, body) SELECT public_id, source, vendor_event_id, event_type, received_at, method, path, query,"
       " headers, body FROM input WHERE digest IS NULL OR public_id IN (SELECT public_id FROM k) ORDER BY n"
       " ON CONFLICT ON CONSTRAINT events_source_vendor_event_id DO NOTHING RETURNING id, public_id, received_at),"
       " d AS (INSERT INTO deliveries (event_id, destination, state, attempts, next_attempt_at, updated_at)"
       " SELECT e.id, x.destination, 'pending', 0, e.received_at, e.received_at"
       " FROM e JOIN unnest($11::text[], $12::text[]) WITH ORDINALITY AS x(public_id, destination, n)"
       " ON x.public_id = e.public_id ORDER BY e.id, x.n)"
       " SELECT id, public_id FROM e"},
      // A few expired content keys per batch that wrote keys, so the table stays about one
      // window in size; keys another node is deleting are left to it.
      {"purge_content_keys",
       "DELETE FROM content_keys WHERE (source, digest) IN (SELECT source, digest FROM content_keys"
       " WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"},
      // A delivery an operator cancelled keeps its state; the attempt row is still written
      // unless the delivery itself is gone (retention of a cancelled event).
      {"record_attempt",
       "WITH u AS (UPDATE deliveries SET"
       " state = CASE WHEN state IN ('pending', 'inflight') THEN $2 ELSE state END,"
       " attempts = attempts + 1, next_attempt_at = $3, lease_until = NULL, last_status = $4::integer,"
       " last_error = $5, updated_at = $6 WHERE id = $1 RETURNING id)"
       " INSERT INTO attempts (delivery_id, started_at, duration_us, status, error, response_excerpt)"
       " SELECT u.id, $7, $8, $4::integer, $5, $9 FROM u"},
      {"lease_deliveries",
       "UPDATE deliveries SET state = 'inflight', lease_until = $2, updated_at = $3"
       " WHERE id = ANY($1::bigint[]) AND state = 'pending'"},
      // Leases are on the database's clock (pg_delivery_claims.cc).
      {"recover_leases",
       std::string("UPDATE deliveries SET state = 'pending', lease_until = NULL, updated_at = $1"
                   " WHERE state = 'inflight' AND lease_until <= ") + kPgNowMs},
      {"upsert_secret",
       "INSERT INTO handshake_secrets (source, secret, created_at) VALUES ($1, $2, $3)"
       " ON CONFLICT (source) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at"},
      {"notify_due", std::string("SELECT pg_notify('") + kPgDeliveryChannel + "', $1)"},
      {"find_event", "SELECT id, public_id FROM events WHERE source = $1 AND vendor_event_id = $2"},
      // A key left by an event that retention deleted: gone, so that the vendor's retry of the
      // event refused meanwhile takes the key.
      {"drop_orphan_content_key",
       "DELETE FROM content_keys k WHERE k.source = $1 AND k.digest = $2"
       " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.public_id = k.public_id)"},
      {"find_content_key",
       "SELECT e.id, e.public_id FROM content_keys k JOIN events e ON e.public_id = k.public_id"
       " WHERE k.source = $1 AND k.digest = $2"},
  };
}

constexpr int kIoTimeoutMs = 30'000;

// Sends what libpq buffered, reading whatever the server answers meanwhile (into libpq's
// buffer) so that neither side can block on a full socket. False when the connection failed.
bool flush(PGconn* conn) {
  for (;;) {
    const int rc = PQflush(conn);
    if (rc == 0) return true;
    if (rc < 0) return false;
    pollfd fd{PQsocket(conn), POLLIN | POLLOUT, 0};
    if (poll(&fd, 1, kIoTimeoutMs) <= 0) return false;
    if ((fd.revents & POLLIN) && PQconsumeInput(conn) == 0) return false;
  }
}

std::string array_of(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

}  // namespace

std::unique_ptr<PgWriter> PgWriter::open(const StoreOptions& options, std::string& error) {
  std::unique_ptr<PgWriter> writer(new PgWriter(options.postgres_url));
  writer->conn_ = pg_connect(options.postgres_url, error);
  if (!writer->conn_) return nullptr;
  if (!pg_migrate(writer->conn_.get(), error)) return nullptr;
  PgResult secrets = pg_exec(writer->conn_.get(), "SELECT source, secret FROM handshake_secrets ORDER BY source");
  if (!pg_ok(secrets.get())) {
    error = "cannot read handshake secrets: " + pg_error(writer->conn_.get(), secrets.get());
    return nullptr;
  }
  for (int row = 0; row < PQntuples(secrets.get()); ++row) {
    writer->handshake_secrets_.emplace_back(pg_value(secrets.get(), row, 0), pg_value(secrets.get(), row, 1));
  }
  writer->conn_.reset();  // ensure_connected() prepares and enters pipeline mode
  if (!writer->ensure_connected(error)) return nullptr;
  return writer;
}

bool PgWriter::ensure_connected(std::string& error) {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) return true;
  conn_ = pg_connect(url_, error);
  if (!conn_) return false;
  for (const auto& statement : prepared_statements()) {
    PgResult result(PQprepare(conn_.get(), statement.name, statement.sql.c_str(), 0, nullptr));
    if (!pg_ok(result.get())) {
      error = std::string("cannot prepare ") + statement.name + ": " + pg_error(conn_.get(), result.get());
      conn_.reset();
      return false;
    }
  }
  if (PQsetnonblocking(conn_.get(), 1) != 0 || PQenterPipelineMode(conn_.get()) != 1) {
    error = "cannot enter pipeline mode: " + pg_error(conn_.get());
    conn_.reset();
    return false;
  }
  return true;
}

bool PgWriter::reconnected() {
  std::string error;
  return ensure_connected(error);
}

bool PgWriter::alive() {
  if (!conn_) return false;
  if (PQsendQueryParams(conn_.get(), "SELECT 1", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 ||
      PQpipelineSync(conn_.get()) != 1 || !flush(conn_.get())) {
    conn_.reset();
    return false;
  }
  const bool ok = read_result(nullptr);
  PgResult sync(PQgetResult(conn_.get()));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    conn_.reset();
    return false;
  }
  return ok;
}

void PgWriter::send_events(const std::vector<PendingEvent*>& events) {
  PgBinaryArray public_ids(PgBinaryArray::kText), sources(PgBinaryArray::kText), vendor_ids(PgBinaryArray::kText),
      types(PgBinaryArray::kText), received(PgBinaryArray::kInt8), methods(PgBinaryArray::kText),
      paths(PgBinaryArray::kText), queries(PgBinaryArray::kText), headers(PgBinaryArray::kBytea),
      bodies(PgBinaryArray::kBytea), delivery_events(PgBinaryArray::kText), destinations(PgBinaryArray::kText),
      digests(PgBinaryArray::kBytea), key_expiries(PgBinaryArray::kInt8);
  int64_t earliest_ms = events.empty() ? 0 : events.front()->event.received_at_ms;
  const auto add_text = [](PgBinaryArray& array, const std::optional<std::string>& text) {
    if (text) array.add(pg_text(*text)); else array.add_null();
  };
  for (const PendingEvent* pending : events) {
    const NewEvent& e = pending->event;
    const std::string public_id = pg_text(e.public_id);
    public_ids.add(public_id);
    sources.add(pg_text(e.source));
    add_text(vendor_ids, e.vendor_event_id);
    add_text(types, e.event_type);
    received.add(e.received_at_ms);
    methods.add(pg_text(e.method));
    paths.add(pg_text(e.path));
    queries.add(pg_text(e.query));
    headers.add(e.headers);
    bodies.add(e.body);
    if (e.content_key) {
      digests.add(e.content_key->digest);
      key_expiries.add(e.content_key->expires_at_ms);
    } else {
      digests.add_null();
      key_expiries.add_null();
    }
    earliest_ms = std::min(earliest_ms, e.received_at_ms);
    for (const std::string& destination : e.destinations) {
      delivery_events.add(public_id);
      destinations.add(pg_text(destination));
    }
  }
  PgParams p;
  for (PgBinaryArray* array : {&public_ids, &sources, &vendor_ids, &types, &received, &methods, &paths, &queries,
                                     &headers, &bodies, &delivery_events, &destinations, &digests, &key_expiries}) {
    p.add_bytes(array->release());
  }
  p.add(earliest_ms);
  if (PQsendQueryPrepared(conn_.get(), "insert_events", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1 ||
      !flush(conn_.get())) {
    send_failed_ = true;
  }
}

void PgWriter::send(PendingAttempt& pending) {
  const AttemptRecord& a = pending.attempt;
  PgParams p;
  p.add(a.delivery_id);
  p.add(to_string(a.next_state));
  if (a.next_state == DeliveryState::pending) p.add(a.next_attempt_at_ms); else p.add_null();
  if (a.status != 0) p.add(int64_t{a.status}); else p.add_null();
  if (!a.error.empty()) p.add(std::string_view(a.error)); else p.add_null();
  p.add(a.started_at_ms + a.duration_us / 1000);
  p.add(a.started_at_ms);
  p.add(a.duration_us);
  p.add_bytes(a.response_excerpt);
  if (PQsendQueryPrepared(conn_.get(), "record_attempt", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1 ||
      !flush(conn_.get())) {
    send_failed_ = true;
  }
}

void PgWriter::send(PendingLeases& pending) {
  PgParams p;
  p.add(std::string_view(array_of(pending.delivery_ids)));
  p.add(pending.lease_until_ms);
  p.add(pending.now_ms);
  if (PQsendQueryPrepared(conn_.get(), "lease_deliveries", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1) {
    send_failed_ = true;
  }
}

void PgWriter::send(PendingRecovery& pending) {
  PgParams p;
  p.add(pending.now_ms);
  if (PQsendQueryPrepared(conn_.get(), "recover_leases", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1) {
    send_failed_ = true;
  }
}

void PgWriter::send(PendingSecret& pending) {
  PgParams p;
  p.add(std::string_view(pending.source));
  p.add(std::string_view(pending.secret));
  p.add(pending.created_at_ms);
  if (PQsendQueryPrepared(conn_.get(), "upsert_secret", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1) {
    send_failed_ = true;
  }
}

bool PgWriter::read_result(PgResult* keep) {
  PgResult result(PQgetResult(conn_.get()));
  if (!result) return false;  // no result where one was due: the connection is gone
  const bool ok = pg_ok(result.get());
  if (!ok && PQresultStatus(result.get()) != PGRES_PIPELINE_ABORTED) last_error_ = pg_error(conn_.get(), result.get());
  // Each statement's results end with a null.
  while (PgResult more{PQgetResult(conn_.get())}) {
  }
  if (keep) *keep = std::move(result);
  return ok;
}

bool PgWriter::commit(std::vector<Pending>& batch) {
  if (!ensure_connected(last_error_)) return false;
  send_failed_ = false;
  // Events with a dedupe key (vendor id or content digest) go in (source, key) order: two
  // nodes inserting the same keys then lock them in the same order and cannot deadlock.
  std::vector<size_t> order(batch.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const auto key = [&](size_t i) -> std::pair<const std::string*, const std::string*> {
    const auto* event = std::get_if<PendingEvent>(&batch[i]);
    if (!event) return {nullptr, nullptr};
    if (event->event.vendor_event_id) return {&event->event.source, &*event->event.vendor_event_id};
    if (event->event.content_key) return {&event->event.source, &event->event.content_key->digest};
    return {nullptr, nullptr};
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto ka = key(a), kb = key(b);
    if (!ka.first || !kb.first) return ka.first == nullptr && kb.first != nullptr;
    return std::tie(*ka.first, *ka.second) < std::tie(*kb.first, *kb.second);
  });

  // All events go first, as one statement; the rest follow one statement each. A content key
  // may be written once per statement: a second event with the same one in this batch is not
  // sent, and is resolved after the commit like any duplicate.
  std::vector<PendingEvent*> events;
  std::vector<PendingEvent*> duplicates;
  std::vector<std::string> notify;
  int64_t content_keys = 0;
  int64_t latest_ms = 0;
  for (size_t position = 0; position < order.size(); ++position) {
    auto* event = std::get_if<PendingEvent>(&batch[order[position]]);
    if (!event) continue;
    if (const ContentKey* content = event->event.content_key ? &*event->event.content_key : nullptr;
        content && !event->event.vendor_event_id) {
      // Sorted: an equal key, if any, is the event just before.
      const auto* previous = position > 0 ? std::get_if<PendingEvent>(&batch[order[position - 1]]) : nullptr;
      if (previous && previous->event.content_key && !previous->event.vendor_event_id &&
          previous->event.source == event->event.source && previous->event.content_key->digest == content->digest) {
        duplicates.push_back(event);
        continue;
      }
      ++content_keys;
      latest_ms = std::max(latest_ms, event->event.received_at_ms);
    }
    events.push_back(event);
    for (const auto& destination : event->event.destinations) {
      if (std::find(notify.begin(), notify.end(), destination) == notify.end()) notify.push_back(destination);
    }
  }
  if (!events.empty()) send_events(events);
  if (content_keys > 0) {
    PgParams p;
    p.add(latest_ms);
    p.add(2 * content_keys);
    if (PQsendQueryPrepared(conn_.get(), "purge_content_keys", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1) {
      send_failed_ = true;
    }
  }
  for (size_t i : order) {
    std::visit(
        [this](auto& pending) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(pending)>, PendingEvent>) send(pending);
        },
        batch[i]);
  }
  // Other nodes learn of new due deliveries when this transaction commits (NOTIFY is
  // transactional); this node's own engine hears of them from the writer directly.
  for (const auto& destination : notify) {
    PgParams p;
    p.add(std::string_view(destination));
    if (PQsendQueryPrepared(conn_.get(), "notify_due", p.count(), p.values(), p.lengths(), p.formats(), 0) != 1) {
      send_failed_ = true;
    }
  }
  // The statements up to the Sync are one implicit transaction: it commits at the Sync, and
  // its result arrives only once the commit is durable.
  if (send_failed_ || PQpipelineSync(conn_.get()) != 1 || !flush(conn_.get())) {
    last_error_ = pg_error(conn_.get());
    conn_.reset();
    return false;
  }

  bool ok = true;
  if (!events.empty()) {
    PgResult result;
    if (read_result(&result)) {
      // Rows come back for the events inserted; the others are duplicates.
      std::unordered_map<std::string_view, int64_t> stored;
      for (int row = 0; row < PQntuples(result.get()); ++row) {
        stored.emplace(std::string_view(PQgetvalue(result.get(), row, 1),
                                        static_cast<size_t>(PQgetlength(result.get(), row, 1))),
                       pg_int(result.get(), row, 0));
      }
      for (PendingEvent* event : events) {
        const auto found = stored.find(event->event.public_id);
        if (found == stored.end()) {
          duplicates.push_back(event);
          continue;
        }
        event->outcome.status = WriteOutcome::Status::stored;
        event->outcome.event_id = found->second;
        event->outcome.public_id = event->event.public_id;
      }
    } else {
      ok = false;
    }
  }
  if (content_keys > 0) ok = read_result(nullptr) && ok;
  for (size_t i : order) {
    if (std::holds_alternative<PendingEvent>(batch[i])) continue;
    ok = read_result(nullptr) && ok;
  }
  for (size_t i = 0; i < notify.size(); ++i) ok = read_result(nullptr) && ok;
  PgResult sync(PQgetResult(conn_.get()));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    // Out of step with the server: start again on a new connection.
    last_error_ = pg_error(conn_.get());
    conn_.reset();
    return false;
  }
  if (!ok) return false;
  if (!duplicates.empty()) resolve_duplicates(duplicates);
  return true;
}

void PgWriter::resolve_duplicates(std::vector<PendingEvent*>& duplicates) {
  std::vector<PendingEvent*> orphans;
  for (PendingEvent* event : duplicates) {
    PgParams p;
    p.add(std::string_view(event->event.source));
    const char* statement = "find_event";
    if (event->event.vendor_event_id) {
      p.add(event->event.vendor_event_id);
    } else {
      p.add_bytes(event->event.content_key->digest);
      statement = "find_content_key";
    }
    if (PQsendQueryPrepared(conn_.get(), statement, p.count(), p.values(), p.lengths(), p.formats(), 0) != 1) {
      conn_.reset();
      return;
    }
  }
  if (PQpipelineSync(conn_.get()) != 1 || !flush(conn_.get())) {
    conn_.reset();
    return;
  }
  for (PendingEvent* event : duplicates) {
    PgResult result;
    // The original is committed (the insert waited for it), unless retention removed it
    // since: then the event stays `failed` and the vendor's retry stores it anew.
    if (read_result(&result) && PQntuples(result.get()) == 1) {
      event->outcome.status = WriteOutcome::Status::duplicate;
      event->outcome.event_id = pg_int(result.get(), 0, 0);
      event->outcome.public_id = pg_value(result.get(), 0, 1);
    } else if (!event->event.vendor_event_id) {
      orphans.push_back(event);
    }
  }
  PgResult sync(PQgetResult(conn_.get()));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    conn_.reset();
    return;
  }
  if (!orphans.empty()) drop_orphan_content_keys(orphans);
}

void PgWriter::drop_orphan_content_keys(const std::vector<PendingEvent*>& events) {
  for (const PendingEvent* event : events) {
    PgParams p;
    p.add(std::string_view(event->event.source));
    p.add_bytes(std::string_view(event->event.content_key->digest));
    if (PQsendQueryPrepared(conn_.get(), "drop_orphan_content_key", p.count(), p.values(), p.lengths(), p.formats(),
                            0) != 1) {
      conn_.reset();
      return;
    }
  }
  if (PQpipelineSync(conn_.get()) != 1 || !flush(conn_.get())) {
    conn_.reset();
    return;
  }
  for (size_t i = 0; i < events.size(); ++i) (void)read_result(nullptr);
  PgResult sync(PQgetResult(conn_.get()));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) conn_.reset();
}

}  // namespace hookgate::storage
