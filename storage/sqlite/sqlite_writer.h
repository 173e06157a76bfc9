// The SQLite backend's writing connection: WAL, the chosen synchronous mode, the schema
// migrated on open, storage.max_size, and WAL checkpoints kept off the commit path.
// Writer thread only, once the writer runs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/event_store.h"
#include "storage/sqlite/sqlite_handle.h"
#include "storage/sqlite/wal_checkpointer.h"

namespace hookgate::storage {

class SqliteWriter final : public WriterBackend {
 public:
  static std::unique_ptr<SqliteWriter> open(const StoreOptions& options, std::string& error);
  ~SqliteWriter() override;

  [[nodiscard]] bool commit(std::vector<Pending>& batch) override;
  [[nodiscard]] bool space_freed() override;
  [[nodiscard]] bool reconnected() override { return false; }
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> handshake_secrets() const override {
    return handshake_secrets_;
  }
  [[nodiscard]] CheckpointStats checkpoints() const override;

 private:
  struct Statements;
  explicit SqliteWriter(const StoreOptions& options);
  [[nodiscard]] bool apply_max_size(std::string& error);
  [[nodiscard]] int64_t used_pages();  // inside the open transaction; -1 when unknown
  // Each writes one operation inside the open transaction; SQLITE_OK or the error code.
  int write(PendingEvent& pending);
  int take_content_key(const NewEvent& e);
  int write(PendingAttempt& pending);
  int write(PendingLeases& pending);
  int write(PendingRecovery& pending);
  int write(PendingSecret& pending);

  StoreOptions options_;
  DatabaseHandle db_;
  std::unique_ptr<Statements> statements_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // before db_ closes
  int64_t event_page_limit_ = 0;  // 0: no max_size; else new events need used pages below it
  std::vector<std::pair<std::string, std::string>> handshake_secrets_;  // as of open()
};

// The dedupe key stored in events.dedupe_key: a stable 63-bit FNV-1a hash of source + '\0' +
// vendor_event_id. Stable across builds and platforms: it is on disk. (PostgreSQL has a UNIQUE
// constraint instead.)
[[nodiscard]] int64_t dedupe_key(std::string_view source, std::string_view vendor_event_id);

}  // namespace hookgate::storage
