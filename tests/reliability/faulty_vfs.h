// A fault-injecting SQLite VFS, after SQLite's own test VFSes (src/test6.c, test_vfs.c): a
// shim over the default VFS that forwards every call, counts each xWrite, xSync and xTruncate
// made on files opened through it, and fails the Nth of a chosen kind with a chosen error code
// (once, or that call and every later one of the kind until disarmed).
//
// A failed xWrite writes nothing and a failed xSync syncs nothing: the file is as it was
// before the call, which is what a process sees when the kernel reports EIO or ENOSPC.
//
// Thread-safety: arm(), disarm(), calls() and injected() may be called from any thread while
// SQLite runs on others. Only one FaultyVfs may exist per name; it must outlive every
// connection opened through it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

struct sqlite3_vfs;

namespace hookgate::reliability {

enum class FaultOp { write, sync, truncate };
[[nodiscard]] const char* to_string(FaultOp op);

struct FaultPlan {
  FaultOp op = FaultOp::write;
  uint64_t nth = 1;         // 1-based, counted from arm()
  int error_code = 0;       // e.g. SQLITE_IOERR_WRITE, SQLITE_FULL, SQLITE_IOERR_FSYNC
  bool persistent = false;  // fail every later call of `op` as well, until disarm()
};

class FaultyVfs {
 public:
  // Registers the VFS under `name` (never as the default). Null, with `error` set, when the
  // default VFS is missing or registration fails.
  static std::unique_ptr<FaultyVfs> install(const std::string& name, std::string& error);
  ~FaultyVfs();  // unregisters
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] sqlite3_vfs* forwards_to() const { return real_; }  // the default VFS

  // Restarts the count of every kind at 0 and starts failing according to `plan`.
  void arm(const FaultPlan& plan);
  // Stops failing; counting goes on.
  void disarm();
  // Calls of `op` since the last arm() (or install), failed ones included.
  [[nodiscard]] uint64_t calls(FaultOp op) const;
  // Calls failed since the last arm().
  [[nodiscard]] uint64_t injected() const;
  // Restarts the counts without arming (to measure how many calls a workload makes).
  void reset_counts();

  // Called by the shim's file methods: true (and `code` set) when this call must fail.
  [[nodiscard]] bool should_fail(FaultOp op, int& code);

 private:
  FaultyVfs() = default;

  std::string name_;
  std::unique_ptr<sqlite3_vfs> vfs_;  // what SQLite sees; pAppData points back here
  sqlite3_vfs* real_ = nullptr;       // the default VFS everything is forwarded to

  mutable std::mutex mutex_;
  FaultPlan plan_;
  bool armed_ = false;
  uint64_t counts_[3] = {0, 0, 0};
  uint64_t injected_ = 0;
};

}  // namespace hookgate::reliability
