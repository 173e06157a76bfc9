// Read and replay queries for operators (`hookgate events`, `hookgate replay`, the admin API),
// the same on both backends. Uses its own connection; safe beside running servers (SQLite: WAL
// readers, and a replay's writes wait on the server's writer through busy_timeout; PostgreSQL:
// row locks, so a replay or a cancel from any node acts on the shared database).
// One thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/sql_session.h"
#include "storage/store_location.h"

namespace hookgate::storage {

// Which deliveries (and so which events) a command is about. Every set field must match.
struct EventFilter {
  enum class Status { all, pending, failed, dead, delivered, skipped };
  std::optional<std::string> source;
  std::optional<std::string> destination;
  std::vector<std::string> event_ids;       // public ids (evt_…) or vendor event ids
  Status status = Status::all;              // failed = dead, or pending after a failed attempt
  std::optional<int64_t> since_ms;          // received_at >= since
  std::optional<int64_t> until_ms;          // received_at < until
  std::optional<std::string> event_type;    // glob: invoice.*
  std::optional<int64_t> before_id;         // keyset paging: only events.id < before_id
  int64_t limit = 100;                      // events; 0 = no limit
};

struct DeliverySummary {
  int64_t id = 0;
  std::string destination;
  std::string state;
  int64_t attempts = 0;
  std::optional<int64_t> next_attempt_at_ms;
  std::optional<int64_t> last_status;
  std::string last_error;
  int64_t updated_at_ms = 0;
};

struct AttemptSummary {
  int64_t delivery_id = 0;
  int64_t started_at_ms = 0;
  int64_t duration_us = 0;
  std::optional<int64_t> status;
  std::string error;
  std::string response_excerpt;
};

struct EventSummary {
  int64_t id = 0;
  std::string public_id;
  std::string source;
  std::string vendor_event_id;
  std::string event_type;
  int64_t received_at_ms = 0;
  int64_t body_bytes = 0;
  std::vector<DeliverySummary> deliveries;
};

struct EventDetail {
  EventSummary summary;
  std::string method, path, query, headers, body;
  std::vector<AttemptSummary> attempts;
};

// Pending deliveries of one destination, and the received_at of the oldest one's event.
struct Backlog {
  int64_t pending = 0;
  std::optional<int64_t> oldest_received_at_ms;
};

class EventQueries {
 public:
  // read_only: for list/show. Replay and cancel need a writable connection.
  static std::unique_ptr<EventQueries> open(const StoreLocation& location, bool read_only, std::string& error);
  explicit EventQueries(std::unique_ptr<SqlSession> session);

  // Newest first. Empty (with error() set) when the query failed.
  [[nodiscard]] std::vector<EventSummary> list(const EventFilter& filter);
  // By public id or vendor event id (the newest match).
  [[nodiscard]] std::optional<EventDetail> show(const std::string& id);

  // The deliveries a replay with this filter would reschedule (the limit counts events).
  [[nodiscard]] std::vector<DeliverySummary> replay_candidates(const EventFilter& filter);
  // Makes these deliveries pending and due at `now_ms`, with a fresh retry schedule (attempts
  // back to 0; every earlier attempt stays in `attempts`). Returns how many changed, or -1
  // with `error`. Deliveries in flight are left alone. `progress` is told how many ids are
  // done after each chunk (for a progress bar).
  [[nodiscard]] int64_t reschedule(const std::vector<int64_t>& delivery_ids, int64_t now_ms, std::string& error,
                                   const std::function<void(size_t done)>& progress = nullptr);

  // One delivery by its id, or nullopt.
  [[nodiscard]] std::optional<DeliverySummary> delivery(int64_t delivery_id);
  // Marks a pending or inflight delivery `cancelled`: no further attempts (one already started
  // may still reach the destination; its result is recorded but the state stays cancelled).
  // 1 when it changed, 0 when it was not pending or inflight, -1 with `error` on failure.
  [[nodiscard]] int64_t cancel(int64_t delivery_id, int64_t now_ms, std::string& error);

  // cancel() for many: chunked transactions, as reschedule(). How many changed, or -1.
  [[nodiscard]] int64_t cancel_many(const std::vector<int64_t>& delivery_ids, int64_t now_ms, std::string& error);

  // The live tail's position: the newest event's and the newest attempt's row ids.
  struct TailCursor {
    int64_t event_id = 0;
    int64_t attempt_id = 0;
    bool operator==(const TailCursor&) const = default;
  };
  // nullopt (with error()) when the read failed.
  [[nodiscard]] std::optional<TailCursor> tail_cursor();
  // Events stored after `after` or with an attempt recorded after it, newest first, at most
  // `limit`, with their deliveries. Also those of the `recent_ms` before `now_ms` among the
  // last `overlap` event ids before the cursor: on PostgreSQL ids are taken before commit,
  // so a lower id can become visible after a higher one (the reader upserts by id).
  [[nodiscard]] std::vector<EventSummary> changed_since(const TailCursor& after, int64_t now_ms, int64_t recent_ms,
                                                        int64_t overlap, int64_t limit);

  [[nodiscard]] Backlog backlog(const std::string& destination);
  // The secret a vendor handed over in a handshake for `source` (Asana's X-Hook-Secret).
  [[nodiscard]] std::optional<std::string> handshake_secret(const std::string& source);

  // Stored destination states (table destination_states): destination → "paused" or
  // "disabled"; a destination without one delivers. nullopt (with error()) when the read failed.
  [[nodiscard]] std::optional<std::map<std::string, std::string>> destination_states();
  // Stores `state` ("paused", "disabled") for `destination`, or clears it (nullopt: deliver).
  // False with `error` on failure.
  [[nodiscard]] bool set_destination_state(const std::string& destination, const std::optional<std::string>& state,
                                           int64_t now_ms, std::string& error);

  // Why the last query returned nothing, when it failed.
  [[nodiscard]] const std::string& error() const { return session_->error(); }

 private:
  std::vector<DeliverySummary> deliveries_of(int64_t event_id);
  // Runs `sql` ($1 a delivery id, $2 now_ms) for each id, 500 to a transaction; the rows
  // changed, or -1 with `error` (the chunk under way rolled back, earlier ones kept).
  int64_t update_in_chunks(const std::vector<int64_t>& delivery_ids, const char* sql, int64_t now_ms, std::string& error,
                           const std::function<void(size_t done)>& progress);
  std::unique_ptr<SqlSession> session_;
};

}  // namespace hookgate::storage
