// Injected I/O errors, SQLite-test style: for every xWrite, xSync and xTruncate the event store
// makes during a workload, in turn, fail that call (once, or it and every later one) and check:
//   - every event and attempt whose commit was reported is on disk, exactly once, byte-exact,
//     with all its delivery rows;
//   - everything reported failed is either absent or complete, never partial;
//   - PRAGMA integrity_check is ok, both on the files as a crash would leave them right after
//     the fault and after a clean close;
//   - once the faults stop, the same EventStore commits again, without being reopened.
// Three phases are swept separately: open (migrations), ingest, and the checkpoint at close.
//
// What the sweep established: after a failed COMMIT (any write or sync fault, once or
// persistent) SQLite has already rolled the transaction back, and the same connection commits
// again as soon as the faults stop; EventStore needs no reconnect logic. A failed WAL sync can
// leave a complete, checksummed transaction in the WAL that a later crash recovery replays:
// such an event was answered 503 yet is stored, whole (the vendor's retry is then acked as a
// duplicate). That is why failed events may be "absent or complete".
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "faulty_vfs.h"
#include "storage/event_store.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::reliability {
namespace {

using storage::EventStore;
using storage::NewEvent;
using storage::WriteOutcome;

constexpr const char* kVfsName = "hookgate-faulty";
constexpr auto kCompletionTimeout = std::chrono::seconds(60);

// A scratch directory; on tmpfs when there is one, because the sweep runs hundreds of
// scenarios and the faults are injected above the file system anyway.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm") && ::access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                                                                                    : std::filesystem::temp_directory_path();
    path_ = base / ("hookgate-faults-" + std::to_string(::getpid()) + "-" + tag);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// What the test submitted and what the store answered.
struct EventRecord {
  std::string public_id;
  std::string vendor_id;
  std::string body;
  std::vector<std::string> destinations;  // sorted
  bool answered = false;
  WriteOutcome outcome;
};

struct AttemptRecord {
  int64_t delivery_id = 0;
  bool answered = false;
  bool committed = false;
};

// Everything one scenario submitted. Completions run on the writer thread.
struct Ledger {
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<std::unique_ptr<EventRecord>> events;
  std::vector<std::unique_ptr<AttemptRecord>> attempts;

  [[nodiscard]] size_t unanswered() {
    size_t n = 0;
    for (const auto& e : events) n += e->answered ? 0 : 1;
    for (const auto& a : attempts) n += a->answered ? 0 : 1;
    return n;
  }
};

std::string body_for(size_t index) {
  // Every third body spans several overflow pages; bytes include NUL and high bytes.
  const size_t size = index % 3 == 0 ? 9000 + index : 150 + index;
  std::string body = "{\"n\":" + std::to_string(index) + ",\"pad\":\"";
  for (size_t i = 0; body.size() < size; ++i) body.push_back(static_cast<char>((i * 131 + index) % 256));
  return body;
}

EventRecord& add_event(Ledger& ledger, const std::string& tag, std::optional<std::string> vendor_id = std::nullopt) {
  auto record = std::make_unique<EventRecord>();
  const size_t index = ledger.events.size();
  record->public_id = "evt_" + tag + "_" + std::to_string(index);
  record->vendor_id = vendor_id.value_or("v_" + tag + "_" + std::to_string(index));
  record->body = body_for(index);
  record->destinations = index % 2 ? std::vector<std::string>{"audit", "billing"} : std::vector<std::string>{"audit"};
  ledger.events.push_back(std::move(record));
  return *ledger.events.back();
}

[[nodiscard]] bool submit(EventStore& store, Ledger& ledger, EventRecord& record,
                          std::function<void()> then = nullptr) {
  NewEvent e;
  e.public_id = record.public_id;
  e.source = "stripe";
  e.vendor_event_id = record.vendor_id;
  e.event_type = "invoice.paid";
  e.received_at_ms = 1'700'000'000'000;
  e.method = "POST";
  e.path = "/in/stripe";
  e.headers = "Content-Type: application/json\r\n";
  e.body = record.body;
  e.destinations = record.destinations;
  return store.submit(std::move(e), [&ledger, &record, then = std::move(then)](const WriteOutcome& outcome) {
    {
      std::lock_guard lock(ledger.mutex);
      record.outcome = outcome;
      record.answered = true;
    }
    ledger.answered.notify_all();
    if (then) then();
  });
}

[[nodiscard]] bool submit_attempt(EventStore& store, Ledger& ledger, int64_t delivery_id) {
  ledger.attempts.push_back(std::make_unique<AttemptRecord>());
  AttemptRecord& record = *ledger.attempts.back();
  record.delivery_id = delivery_id;
  storage::AttemptRecord attempt;
  attempt.delivery_id = delivery_id;
  attempt.started_at_ms = 1'700'000'001'000;
  attempt.duration_us = 1234;
  attempt.status = 200;
  attempt.response_excerpt = "ok";
  attempt.next_state = storage::DeliveryState::delivered;
  return store.submit_attempt(std::move(attempt), [&ledger, &record](bool committed) {
    {
      std::lock_guard lock(ledger.mutex);
      record.committed = committed;
      record.answered = true;
    }
    ledger.answered.notify_all();
  });
}

[[nodiscard]] bool wait_answered(Ledger& ledger) {
  std::unique_lock lock(ledger.mutex);
  return ledger.answered.wait_for(lock, kCompletionTimeout, [&] { return ledger.unanswered() == 0; });
}

// One wave = two batches with a known content: a "hold" event whose completion keeps the
// writer busy until the rest of the wave is queued, then the rest in one transaction. Fixed
// batches make the sequence of I/O calls, and so the fault points, the same on every run.
[[nodiscard]] bool run_wave(EventStore& store, Ledger& ledger, const std::string& tag, size_t events,
                            const std::vector<int64_t>& deliveries_to_finish,
                            std::optional<std::string> repeat_vendor_id = std::nullopt) {
  std::latch inside(1), release(1);
  EventRecord& hold = add_event(ledger, tag);
  if (!submit(store, ledger, hold, [&] {
        inside.count_down();
        release.wait();
      })) {
    return false;
  }
  inside.wait();
  bool ok = true;
  for (size_t i = 0; i < events; ++i) ok = submit(store, ledger, add_event(ledger, tag)) && ok;
  for (int64_t id : deliveries_to_finish) ok = submit_attempt(store, ledger, id) && ok;
  if (repeat_vendor_id) ok = submit(store, ledger, add_event(ledger, tag, repeat_vendor_id)) && ok;
  release.count_down();
  return wait_answered(ledger) && ok;
}

// Read access to a database file through the default VFS.
class Reader {
 public:
  explicit Reader(const std::string& path) {
    std::string error;
    // Read-write: a crash image without its -shm needs WAL recovery, which writes the index.
    db_ = storage::open_database(path, SQLITE_OPEN_READWRITE, error);
    if (!db_) ADD_FAILURE() << error;
  }
  [[nodiscard]] bool ok() const { return db_ != nullptr; }
  [[nodiscard]] std::vector<std::vector<std::string>> rows(const std::string& sql, std::optional<std::string> param = {}) {
    std::vector<std::vector<std::string>> out;
    storage::Statement stmt(db_.get(), sql);
    if (!stmt.ok()) {
      ADD_FAILURE() << "bad SQL " << sql << ": " << sqlite3_errmsg(db_.get());
      return out;
    }
    if (param) stmt.bind(1, std::string_view(*param));
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
        const void* data = sqlite3_column_blob(stmt.get(), i);
        row.emplace_back(data ? std::string(static_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(stmt.get(), i)))
                              : std::string());
      }
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_.get());
    return out;
  }
  [[nodiscard]] std::string text(const std::string& sql) {
    const auto r = rows(sql);
    return r.empty() || r[0].empty() ? "" : r[0][0];
  }

 private:
  storage::DatabaseHandle db_;
};

// Delivery ids of stored events, for attempts to finish in a later wave.
std::vector<int64_t> delivery_ids(const std::string& db_path, size_t limit) {
  Reader reader(db_path);
  std::vector<int64_t> out;
  for (const auto& row : reader.rows("SELECT id FROM deliveries WHERE state = 'pending' ORDER BY id LIMIT " +
                                     std::to_string(limit))) {
    out.push_back(std::stoll(row[0]));
  }
  return out;
}

// The on-disk contract, checked against what the store reported. `where` names the scenario.
// `failed_but_stored` (optional) counts events reported failed that are nevertheless present.
void check_database(const std::string& db_path, Ledger& ledger, const std::string& where,
                    uint64_t* failed_but_stored = nullptr) {
  Reader db(db_path);
  ASSERT_TRUE(db.ok()) << where;
  ASSERT_EQ(db.text("PRAGMA integrity_check"), "ok") << where;
  EXPECT_EQ(db.text("SELECT count(*) FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = d.event_id)"), "0")
      << where << ": delivery rows without their event";
  EXPECT_EQ(db.text("SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id)"), "0")
      << where << ": attempt rows without their delivery";
  EXPECT_EQ(db.text("SELECT count(*) FROM (SELECT vendor_event_id FROM events GROUP BY vendor_event_id HAVING count(*) > 1)"), "0")
      << where << ": a vendor event id stored twice";

  std::map<std::string, const EventRecord*> by_public_id;
  for (const auto& e : ledger.events) by_public_id[e->public_id] = e.get();
  for (const auto& row : db.rows("SELECT public_id FROM events")) {
    EXPECT_TRUE(by_public_id.count(row[0])) << where << ": an event nobody submitted: " << row[0];
  }
  for (const auto& e : ledger.events) {
    const auto rows = db.rows("SELECT body, (SELECT group_concat(destination, ',') FROM (SELECT destination FROM deliveries d"
                              " WHERE d.event_id = events.id ORDER BY destination)) FROM events WHERE public_id = ?1",
                              e->public_id);
    std::string destinations;
    for (const auto& d : e->destinations) destinations += (destinations.empty() ? "" : ",") + d;
    const bool acked = e->outcome.status == WriteOutcome::Status::stored;
    if (acked) {
      ASSERT_EQ(rows.size(), 1u) << where << ": " << e->public_id << " was reported committed";
    }
    if (e->outcome.status == WriteOutcome::Status::duplicate) {
      EXPECT_TRUE(rows.empty()) << where << ": " << e->public_id << " was a duplicate but got stored";
      EXPECT_EQ(db.rows("SELECT 1 FROM events WHERE public_id = ?1", e->outcome.public_id).size(), 1u)
          << where << ": the original of duplicate " << e->public_id << " is missing";
      continue;
    }
    if (rows.empty()) continue;  // failed and absent: fine
    if (!acked && failed_but_stored) ++*failed_but_stored;
    // Present (committed, or failed but complete): byte-exact with every delivery row.
    EXPECT_TRUE(rows[0][0] == e->body) << where << ": " << e->public_id << " body differs";
    EXPECT_EQ(rows[0][1], destinations) << where << ": " << e->public_id << " delivery rows";
  }
  for (const auto& a : ledger.attempts) {
    const std::string id = std::to_string(a->delivery_id);
    const auto state = db.rows("SELECT state, (SELECT count(*) FROM attempts WHERE delivery_id = ?1) FROM deliveries WHERE id = ?1", id);
    ASSERT_EQ(state.size(), 1u) << where << ": delivery " << id;
    const bool recorded = state[0][1] != "0";
    // Committed: row and state both there; failed: neither, or both (never one without the other).
    EXPECT_EQ(recorded, state[0][0] == "delivered") << where << ": delivery " << id << " half-recorded";
    if (a->committed) {
      EXPECT_TRUE(recorded) << where << ": attempt on delivery " << id << " was reported committed";
    }
  }
}

// Copies the database and its WAL as a process crash at this moment would leave them.
void snapshot(const std::string& db_path, const std::string& to) {
  std::filesystem::copy_file(db_path, to, std::filesystem::copy_options::overwrite_existing);
  if (std::filesystem::exists(db_path + "-wal")) {
    std::filesystem::copy_file(db_path + "-wal", to + "-wal", std::filesystem::copy_options::overwrite_existing);
  }
}

std::unique_ptr<EventStore> open_store(const std::string& path, const std::string& vfs, std::string& error) {
  storage::StoreOptions options;
  options.path = path;
  options.vfs = vfs;
  return EventStore::open(options, error);
}

struct Mode {
  FaultOp op;
  int code;
  const char* code_name;
  bool persistent;
  [[nodiscard]] std::string describe() const {
    return std::string(to_string(op)) + "/" + code_name + (persistent ? "/persistent" : "/once");
  }
};

const std::vector<Mode>& modes() {
  static const std::vector<Mode> all = {
      {FaultOp::write, SQLITE_IOERR_WRITE, "IOERR_WRITE", false}, {FaultOp::write, SQLITE_IOERR_WRITE, "IOERR_WRITE", true},
      {FaultOp::write, SQLITE_FULL, "FULL", false},               {FaultOp::write, SQLITE_FULL, "FULL", true},
      {FaultOp::sync, SQLITE_IOERR_FSYNC, "IOERR_FSYNC", false},  {FaultOp::sync, SQLITE_IOERR_FSYNC, "IOERR_FSYNC", true},
      {FaultOp::truncate, SQLITE_IOERR_TRUNCATE, "IOERR_TRUNCATE", false},
      {FaultOp::truncate, SQLITE_IOERR_TRUNCATE, "IOERR_TRUNCATE", true},
  };
  return all;
}

// Sweeps n = 1, 2, … until a run in which the fault point was never reached (SQLite's ioerr
// loop). Returns the number of scenarios in which a fault was injected.
template <class Scenario>
uint64_t sweep(const Mode& mode, Scenario scenario) {
  uint64_t faulted = 0;
  for (uint64_t n = 1;; ++n) {
    const FaultPlan plan{mode.op, n, mode.code, mode.persistent};
    const bool injected = scenario(plan, mode.describe() + " #" + std::to_string(n));
    if (::testing::Test::HasFatalFailure() || !injected) break;
    ++faulted;
    if (n > 100'000) {
      ADD_FAILURE() << "the sweep does not end";
      break;
    }
  }
  return faulted;
}

class StorageFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    vfs_ = FaultyVfs::install(kVfsName, error);
    ASSERT_TRUE(vfs_) << error;
  }
  static void report(const char* phase, const std::map<std::string, uint64_t>& points) {
    uint64_t total = 0;
    std::string detail;
    for (const auto& [mode, n] : points) {
      total += n;
      detail += " " + mode + "=" + std::to_string(n);
    }
    std::printf("fault matrix %s: %llu faulted scenarios:%s\n", phase, static_cast<unsigned long long>(total), detail.c_str());
    std::fflush(stdout);
  }
  std::unique_ptr<FaultyVfs> vfs_;
};

TEST_F(StorageFaults, EveryFaultPointDuringIngestLosesNothingAckedAndTheStoreRecoversInPlace) {
  std::map<std::string, uint64_t> points;
  uint64_t failed_but_stored = 0;  // answered failed, yet whole in the crash image
  for (const Mode& mode : modes()) {
    points[mode.describe()] = sweep(mode, [&](const FaultPlan& plan, const std::string& where) {
      ScratchDir dir("ingest");
      const std::string path = dir.file("events.db");
      std::string error;
      auto store = open_store(path, vfs_->name(), error);
      EXPECT_TRUE(store) << where << ": " << error;
      if (!store) return false;
      Ledger ledger;
      vfs_->arm(plan);
      // Wave 1: events. Wave 2: events plus attempts that finish wave 1's deliveries. Wave 3:
      // events plus a vendor retry of wave 1's first event (stored once or, if that one
      // failed, now).
      EXPECT_TRUE(run_wave(*store, ledger, "w1", 5, {})) << where;
      EXPECT_TRUE(run_wave(*store, ledger, "w2", 4, delivery_ids(path, 3))) << where;
      EXPECT_TRUE(run_wave(*store, ledger, "w3", 4, {}, ledger.events[1]->vendor_id)) << where;
      const bool injected = vfs_->injected() > 0;
      // The files as a crash right now would leave them.
      snapshot(path, dir.file("crash.db"));
      check_database(dir.file("crash.db"), ledger, where + " (crash image)", &failed_but_stored);

      // The faults stop: the same store commits again, without being reopened.
      vfs_->disarm();
      const size_t before = ledger.events.size();
      EXPECT_TRUE(run_wave(*store, ledger, "after", 3, {})) << where;
      for (size_t i = before; i < ledger.events.size(); ++i) {
        EXPECT_EQ(ledger.events[i]->outcome.status, WriteOutcome::Status::stored)
            << where << ": the store did not recover once the faults stopped";
      }
      store.reset();
      check_database(path, ledger, where + " (after a clean close)");
      return injected;
    });
    if (HasFatalFailure()) return;
  }
  report("ingest", points);
  std::printf("fault matrix ingest: %llu events reported failed were whole in the crash image (a failed WAL sync)\n",
              static_cast<unsigned long long>(failed_but_stored));
  // A sweep that never faulted would prove nothing: writes and syncs happen on every commit.
  for (const Mode& mode : modes()) {
    if (mode.op != FaultOp::truncate) {
      EXPECT_GT(points[mode.describe()], 0u) << mode.describe();
    }
  }
}

TEST_F(StorageFaults, EveryFaultPointInTheCheckpointAtCloseLosesNothing) {
  std::map<std::string, uint64_t> points;
  for (const Mode& mode : modes()) {
    points[mode.describe()] = sweep(mode, [&](const FaultPlan& plan, const std::string& where) {
      ScratchDir dir("close");
      const std::string path = dir.file("events.db");
      std::string error;
      auto store = open_store(path, vfs_->name(), error);
      EXPECT_TRUE(store) << where << ": " << error;
      if (!store) return false;
      Ledger ledger;
      EXPECT_TRUE(run_wave(*store, ledger, "w1", 6, {})) << where;
      EXPECT_TRUE(run_wave(*store, ledger, "w2", 3, delivery_ids(path, 2))) << where;
      vfs_->arm(plan);
      store.reset();  // close: the last connection checkpoints the WAL into the database
      const bool injected = vfs_->injected() > 0;
      vfs_->disarm();
      snapshot(path, dir.file("crash.db"));
      check_database(dir.file("crash.db"), ledger, where + " (as left by the faulted close)");
      // Reopening through the event store recovers whatever the checkpoint left undone.
      store = open_store(path, vfs_->name(), error);
      EXPECT_TRUE(store) << where << ": reopen: " << error;
      if (!store) return injected;
      const size_t before = ledger.events.size();
      EXPECT_TRUE(run_wave(*store, ledger, "after", 2, {})) << where;
      for (size_t i = before; i < ledger.events.size(); ++i) {
        EXPECT_EQ(ledger.events[i]->outcome.status, WriteOutcome::Status::stored) << where;
      }
      store.reset();
      check_database(path, ledger, where + " (reopened)");
      return injected;
    });
    if (HasFatalFailure()) return;
  }
  report("close", points);
  EXPECT_GT(points["xWrite/IOERR_WRITE/once"], 0u);
  EXPECT_GT(points["xSync/IOERR_FSYNC/once"], 0u);
}

TEST_F(StorageFaults, EveryFaultPointWhileCreatingTheSchemaFailsTheOpenCleanly) {
  std::map<std::string, uint64_t> points;
  for (const Mode& mode : modes()) {
    points[mode.describe()] = sweep(mode, [&](const FaultPlan& plan, const std::string& where) {
      ScratchDir dir("open");
      const std::string path = dir.file("events.db");
      vfs_->arm(plan);
      std::string error;
      auto store = open_store(path, vfs_->name(), error);
      const bool injected = vfs_->injected() > 0;
      vfs_->disarm();
      // Either the open failed and said why, or it succeeded in spite of the fault (SQLite
      // retries some calls, and a failed sync of a transaction that is never used again
      // is not reported to it).
      if (!store) {
        EXPECT_FALSE(error.empty()) << where;
      }
      store.reset();
      // A later open (the next `hookgate serve`) migrates and works.
      store = open_store(path, vfs_->name(), error);
      EXPECT_TRUE(store) << where << ": reopen after a faulted open: " << error;
      if (!store) return injected;
      Ledger ledger;
      EXPECT_TRUE(run_wave(*store, ledger, "after", 2, {})) << where;
      for (const auto& e : ledger.events) {
        EXPECT_EQ(e->outcome.status, WriteOutcome::Status::stored) << where;
      }
      store.reset();
      Reader db(path);
      EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok") << where;
      EXPECT_EQ(db.text("PRAGMA user_version"), std::to_string(storage::kSchemaVersion)) << where;
      return injected;
    });
    if (HasFatalFailure()) return;
  }
  report("open", points);
  EXPECT_GT(points["xWrite/IOERR_WRITE/once"], 0u);
}

}  // namespace
}  // namespace hookgate::reliability
