// The PostgreSQL backend's writing connection. One batch is one implicit transaction of a
// libpq pipeline: the events as one multi-row statement, then each other write, all sent
// without waiting, then one Sync commits them all. A batch costs one round trip (plus a
// second, after the commit, for duplicates' original ids). The connection comes back by itself after the server was down or failed over.
// Writer thread only, once the writer runs.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/event_store.h"
#include "storage/postgres/pg_connection.h"

namespace hookgate::storage {

class PgWriter final : public WriterBackend {
 public:
  // Connects, migrates the schema and reads the handshake secrets. Null with `error`.
  static std::unique_ptr<PgWriter> open(const StoreOptions& options, std::string& error);

  [[nodiscard]] bool commit(std::vector<Pending>& batch) override;
  [[nodiscard]] bool space_freed() override { return true; }
  [[nodiscard]] bool reconnected() override;
  [[nodiscard]] bool alive() override;
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> handshake_secrets() const override {
    return handshake_secrets_;
  }

 private:
  explicit PgWriter(std::string url) : url_(std::move(url)) {}
  // A connection in pipeline mode with the statements prepared, reconnecting when needed.
  [[nodiscard]] bool ensure_connected(std::string& error);
  // The batch's events and their deliveries, as one multi-row statement.
  void send_events(const std::vector<PendingEvent*>& events);
  void send(PendingAttempt& pending);
  void send(PendingLeases& pending);
  void send(PendingRecovery& pending);
  void send(PendingSecret& pending);
  // Reads one statement's results; false when it failed (or the pipeline was aborted).
  [[nodiscard]] bool read_result(PgResult* keep);
  // After the commit: the ids of the events stored before (by this batch or anyone else). One
  // it cannot find stays `failed` (answered 503; the vendor's retry is then a duplicate).
  void resolve_duplicates(std::vector<PendingEvent*>& duplicates);
  // Deletes the content keys of `events` whose event retention deleted.
  void drop_orphan_content_keys(const std::vector<PendingEvent*>& events);

  std::string url_;
  PgConn conn_;
  bool send_failed_ = false;  // a PQsend* call failed during this batch
  std::vector<std::pair<std::string, std::string>> handshake_secrets_;  // as of open()
  std::string last_error_;
};

}  // namespace hookgate::storage
