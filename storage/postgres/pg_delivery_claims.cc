#include "storage/postgres/pg_delivery_claims.h"

#include <unistd.h>

#include <algorithm>
#include <random>

namespace hookgate::storage {
namespace {

constexpr const char* kDueColumns =
    "u.id, u.event_id, u.attempts, u.next_attempt_at, e.public_id, e.source, coalesce(e.event_type, ''),"
    " e.received_at, e.method, e.headers, e.body";

std::vector<DueDelivery> read_due(const PGresult* result) {
  std::vector<DueDelivery> rows;
  for (int r = 0; r < PQntuples(result); ++r) {
    DueDelivery row;
    row.delivery_id = pg_int(result, r, 0);
    row.event_id = pg_int(result, r, 1);
    row.attempts = pg_int(result, r, 2);
    row.next_attempt_at_ms = pg_int(result, r, 3);
    row.public_id = pg_value(result, r, 4);
    row.source = pg_value(result, r, 5);
    row.event_type = pg_value(result, r, 6);
    row.received_at_ms = pg_int(result, r, 7);
    row.method = pg_value(result, r, 8);
    row.headers = pg_value(result, r, 9);
    row.body = std::make_shared<const std::string>(pg_value(result, r, 10));
    rows.push_back(std::move(row));
  }
  // UPDATE … RETURNING keeps no order.
  std::sort(rows.begin(), rows.end(), [](const DueDelivery& a, const DueDelivery& b) {
    return std::tie(a.next_attempt_at_ms, a.delivery_id) < std::tie(b.next_attempt_at_ms, b.delivery_id);
  });
  return rows;
}

std::string make_node_id() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  char suffix[17];
  snprintf(suffix, sizeof suffix, "%08x%08x", random(), random());
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}

}  // namespace

PgDeliveryClaims::PgDeliveryClaims(std::string url, int64_t ownership_lease_ms)
    : url_(std::move(url)), ownership_lease_ms_(ownership_lease_ms), node_(make_node_id()) {}

std::unique_ptr<PgDeliveryClaims> PgDeliveryClaims::open(const StoreLocation& location, std::string& error,
                                                         int64_t ownership_lease_ms) {
  std::unique_ptr<PgDeliveryClaims> claims(new PgDeliveryClaims(location.postgres_url, ownership_lease_ms));
  claims->conn_ = pg_connect(location.postgres_url, error);
  if (!claims->conn_) return nullptr;
  claims->listen();
  return claims;
}

bool PgDeliveryClaims::connected() {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) return true;
  std::string error;
  conn_ = pg_connect(url_, error);
  return conn_ != nullptr;
}

PgResult PgDeliveryClaims::exec(const std::string& sql, const PgParams& params) {
  if (!connected()) return nullptr;
  PgResult result = pg_exec(conn_.get(), sql, params);
  return pg_ok(result.get()) ? std::move(result) : nullptr;
}

void PgDeliveryClaims::listen() {
  if (listener_ && PQstatus(listener_.get()) == CONNECTION_OK) return;
  std::string error;
  listener_ = pg_connect(url_, error);
  if (!listener_) return;
  PgResult result = pg_exec(listener_.get(), std::string("LISTEN ") + kPgDeliveryChannel);
  if (!pg_ok(result.get()) || PQsetnonblocking(listener_.get(), 1) != 0) listener_.reset();
}

std::vector<DueDelivery> PgDeliveryClaims::claim_due(const std::string& destination, int64_t now_ms, size_t limit,
                                                     int64_t lease_until_ms, const std::vector<int64_t>&) {
  if (limit == 0) return {};
  PgParams p;
  p.add(std::string_view(destination));
  p.add(now_ms);
  p.add(static_cast<int64_t>(limit));
  p.add(lease_until_ms - now_ms);
  PgResult result = exec(std::string(
      "WITH c AS (SELECT id FROM deliveries WHERE destination = $1 AND state = 'pending' AND next_attempt_at <= $2"
      " ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),"
      " u AS (UPDATE deliveries d SET state = 'inflight', lease_until = ") + kPgNowMs + " + $4, updated_at = $2"
      " FROM c WHERE d.id = c.id RETURNING d.id, d.event_id, d.attempts, d.next_attempt_at)"
      " SELECT " + kDueColumns + " FROM u JOIN events e ON e.id = u.event_id", p);
  return result ? read_due(result.get()) : std::vector<DueDelivery>{};
}

std::optional<DueDelivery> PgDeliveryClaims::claim_fifo_head(const std::string& destination, int64_t now_ms,
                                                             int64_t lease_until_ms,
                                                             std::optional<int64_t>& due_at_ms) {
  PgParams head_params;
  head_params.add(std::string_view(destination));
  // The head counts inflight rows too: while one is being attempted (here or, during an
  // ownership hand-over, by the node before), nothing behind it may start.
  PgResult head = exec("SELECT id, state, next_attempt_at FROM deliveries WHERE destination = $1"
                       " AND state IN ('pending', 'inflight') ORDER BY id LIMIT 1", head_params);
  if (!head || PQntuples(head.get()) == 0) return std::nullopt;
  if (pg_value(head.get(), 0, 1) != "pending") return std::nullopt;
  const int64_t due = pg_int(head.get(), 0, 2);
  if (due > now_ms) {
    due_at_ms = due;
    return std::nullopt;
  }
  PgParams p;
  p.add(pg_int(head.get(), 0, 0));
  p.add(now_ms);
  p.add(lease_until_ms - now_ms);
  PgResult claimed = exec(std::string(
      "WITH u AS (UPDATE deliveries SET state = 'inflight', lease_until = ") + kPgNowMs + " + $3, updated_at = $2"
      " WHERE id = $1 AND state = 'pending' RETURNING id, event_id, attempts, next_attempt_at)"
      " SELECT " + kDueColumns + " FROM u JOIN events e ON e.id = u.event_id", p);
  if (!claimed) return std::nullopt;
  auto rows = read_due(claimed.get());
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<int64_t> PgDeliveryClaims::next_due_at(const std::string& destination) {
  PgParams p;
  p.add(std::string_view(destination));
  PgResult result = exec("SELECT min(next_attempt_at) FROM deliveries WHERE destination = $1 AND state = 'pending'", p);
  if (!result || PQntuples(result.get()) == 0 || PQgetisnull(result.get(), 0, 0)) return std::nullopt;
  return pg_int(result.get(), 0, 0);
}

std::vector<std::string> PgDeliveryClaims::owned_destinations(const std::vector<std::string>& configured, int64_t) {
  listen();
  std::vector<std::string> sorted = configured;
  std::sort(sorted.begin(), sorted.end());
  const std::string all = pg_text_array(sorted);
  const std::string now = kPgNowMs;
  const std::string lease = std::to_string(ownership_lease_ms_);
  PgParams me;
  me.add(std::string_view(node_));
  PgParams me_and_all;
  me_and_all.add(std::string_view(node_));
  me_and_all.add(std::string_view(all));

  const auto fail = [this] {
    if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) PgResult rollback = pg_exec(conn_.get(), "ROLLBACK");
    // Unknown: keep delivering what was owned; its lease lasts a while yet, and claims on a
    // database that cannot be reached fail by themselves.
    return owned_;
  };
  if (!exec("BEGIN", {})) return fail();
  if (!exec("INSERT INTO nodes (node, started_at, heartbeat_at) VALUES ($1, " + now + ", " + now + ")"
            " ON CONFLICT (node) DO UPDATE SET heartbeat_at = excluded.heartbeat_at", me) ||
      !exec("DELETE FROM nodes WHERE heartbeat_at < " + now + " - 86400000", {}) ||
      !exec("DELETE FROM destination_owners WHERE node = $1 AND NOT (destination = ANY($2::text[]))", me_and_all)) {
    return fail();
  }
  PgResult live = exec("SELECT count(*) FROM nodes WHERE heartbeat_at > " + now + " - " + lease, {});
  PgResult mine = exec("UPDATE destination_owners SET lease_until = " + now + " + " + lease +
                       " WHERE node = $1 RETURNING destination", me);
  if (!live || !mine) return fail();
  const int64_t nodes = std::max<int64_t>(1, pg_int(live.get(), 0, 0));
  const size_t share = static_cast<size_t>((static_cast<int64_t>(sorted.size()) + nodes - 1) / nodes);
  std::vector<std::string> owned;
  for (int r = 0; r < PQntuples(mine.get()); ++r) owned.push_back(pg_value(mine.get(), r, 0));
  std::sort(owned.begin(), owned.end());

  if (owned.size() > share) {
    // More nodes came: give back what is over the share, for them to take.
    std::vector<std::string> extra(owned.begin() + static_cast<std::ptrdiff_t>(share), owned.end());
    owned.resize(share);
    PgParams give;
    give.add(std::string_view(node_));
    give.add(std::string_view(pg_text_array(extra)));
    if (!exec("DELETE FROM destination_owners WHERE node = $1 AND destination = ANY($2::text[])", give)) return fail();
  }
  // Free or expired destinations, in name order (every node locks in the same order).
  for (const std::string& destination : sorted) {
    if (owned.size() >= share) break;
    if (std::binary_search(owned.begin(), owned.end(), destination)) continue;
    PgParams take;
    take.add(std::string_view(destination));
    take.add(std::string_view(node_));
    PgResult taken = exec("INSERT INTO destination_owners (destination, node, lease_until) VALUES ($1, $2, " + now +
                              " + " + lease + ") ON CONFLICT (destination) DO UPDATE SET node = excluded.node,"
                              " lease_until = excluded.lease_until WHERE destination_owners.lease_until <= " + now +
                              " RETURNING destination",
                          take);
    if (!taken) return fail();
    if (PQntuples(taken.get()) == 1) {
      owned.insert(std::upper_bound(owned.begin(), owned.end(), destination), destination);
    }
  }
  if (!exec("COMMIT", {})) return fail();
  owned_ = owned;
  return owned;
}

void PgDeliveryClaims::release() {
  PgParams me;
  me.add(std::string_view(node_));
  (void)exec("DELETE FROM destination_owners WHERE node = $1", me);
  (void)exec("DELETE FROM nodes WHERE node = $1", me);
  owned_.clear();
}

int PgDeliveryClaims::wake_fd() { return listener_ ? PQsocket(listener_.get()) : -1; }

std::vector<std::string> PgDeliveryClaims::take_wakeups() {
  std::vector<std::string> names;
  if (!listener_) return names;
  if (PQconsumeInput(listener_.get()) == 0) {
    // The server went away: notifications may have been missed, so every destination looks.
    // The next owned_destinations() listens again.
    listener_.reset();
    names.emplace_back();
    return names;
  }
  while (PGnotify* notify = PQnotifies(listener_.get())) {
    std::string name = notify->extra ? notify->extra : "";
    PQfreemem(notify);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace hookgate::storage
