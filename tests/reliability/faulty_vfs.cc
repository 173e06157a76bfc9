#include "faulty_vfs.h"

#include <sqlite3.h>

#include <algorithm>

namespace hookgate::reliability {

const char* to_string(FaultOp op) {
  switch (op) {
    case FaultOp::write: return "xWrite";
    case FaultOp::sync: return "xSync";
    case FaultOp::truncate: return "xTruncate";
  }
  return "?";
}

namespace {

// SQLite allocates szOsFile bytes per open file and hands us the start; the real VFS's file
// lives right behind ours in the same block.
struct FaultyFile {
  sqlite3_file base;  // first member: the part SQLite itself reads (pMethods)
  FaultyVfs* owner;
  sqlite3_file* real;
};

FaultyFile* self(sqlite3_file* file) { return reinterpret_cast<FaultyFile*>(file); }
sqlite3_file* real(sqlite3_file* file) { return self(file)->real; }
FaultyVfs* owner(sqlite3_vfs* vfs) { return static_cast<FaultyVfs*>(vfs->pAppData); }

// --- file methods: forward, except that writes, syncs and truncations may fail ---

int file_close(sqlite3_file* file) {
  const int rc = real(file)->pMethods->xClose(real(file));
  file->pMethods = nullptr;
  return rc;
}
int file_read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return real(file)->pMethods->xRead(real(file), buffer, amount, offset);
}
int file_write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  int code = 0;
  if (self(file)->owner->should_fail(FaultOp::write, code)) return code;
  return real(file)->pMethods->xWrite(real(file), buffer, amount, offset);
}
int file_truncate(sqlite3_file* file, sqlite3_int64 size) {
  int code = 0;
  if (self(file)->owner->should_fail(FaultOp::truncate, code)) return code;
  return real(file)->pMethods->xTruncate(real(file), size);
}
int file_sync(sqlite3_file* file, int flags) {
  int code = 0;
  if (self(file)->owner->should_fail(FaultOp::sync, code)) return code;
  return real(file)->pMethods->xSync(real(file), flags);
}
int file_size(sqlite3_file* file, sqlite3_int64* size) { return real(file)->pMethods->xFileSize(real(file), size); }
int file_lock(sqlite3_file* file, int level) { return real(file)->pMethods->xLock(real(file), level); }
int file_unlock(sqlite3_file* file, int level) { return real(file)->pMethods->xUnlock(real(file), level); }
int file_check_reserved(sqlite3_file* file, int* out) {
  return real(file)->pMethods->xCheckReservedLock(real(file), out);
}
int file_control(sqlite3_file* file, int op, void* arg) { return real(file)->pMethods->xFileControl(real(file), op, arg); }
int file_sector_size(sqlite3_file* file) { return real(file)->pMethods->xSectorSize(real(file)); }
int file_device_characteristics(sqlite3_file* file) {
  return real(file)->pMethods->xDeviceCharacteristics(real(file));
}
int file_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return real(file)->pMethods->xShmMap(real(file), region, size, extend, out);
}
int file_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real(file)->pMethods->xShmLock(real(file), offset, n, flags);
}
void file_shm_barrier(sqlite3_file* file) { real(file)->pMethods->xShmBarrier(real(file)); }
int file_shm_unmap(sqlite3_file* file, int delete_flag) {
  return real(file)->pMethods->xShmUnmap(real(file), delete_flag);
}
int file_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return real(file)->pMethods->xFetch(real(file), offset, amount, out);
}
int file_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* pointer) {
  return real(file)->pMethods->xUnfetch(real(file), offset, pointer);
}

// One method table per io_methods version, so SQLite never calls a forwarder whose target the
// real file does not have.
const sqlite3_io_methods* methods_for(int version) {
  static const auto make = [](int v) {
    sqlite3_io_methods m{};
    m.iVersion = v;
    m.xClose = file_close;
    m.xRead = file_read;
    m.xWrite = file_write;
    m.xTruncate = file_truncate;
    m.xSync = file_sync;
    m.xFileSize = file_size;
    m.xLock = file_lock;
    m.xUnlock = file_unlock;
    m.xCheckReservedLock = file_check_reserved;
    m.xFileControl = file_control;
    m.xSectorSize = file_sector_size;
    m.xDeviceCharacteristics = file_device_characteristics;
    if (v >= 2) {
      m.xShmMap = file_shm_map;
      m.xShmLock = file_shm_lock;
      m.xShmBarrier = file_shm_barrier;
      m.xShmUnmap = file_shm_unmap;
    }
    if (v >= 3) {
      m.xFetch = file_fetch;
      m.xUnfetch = file_unfetch;
    }
    return m;
  };
  static const sqlite3_io_methods tables[3] = {make(1), make(2), make(3)};
  return &tables[std::clamp(version, 1, 3) - 1];
}

// --- VFS methods: forward to the real VFS (with the real VFS as its own first argument) ---

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return owner(vfs)->forwards_to(); }

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  FaultyFile* f = self(file);
  f->owner = owner(vfs);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->real->pMethods = nullptr;
  const int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, f->real, flags, out_flags);
  // SQLite calls xClose whenever pMethods is set, even after a failed open: mirror the real one.
  file->pMethods = f->real->pMethods ? methods_for(f->real->pMethods->iVersion) : nullptr;
  return rc;
}
int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, size, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) { return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name); }
void vfs_dl_error(sqlite3_vfs* vfs, int size, char* out) { real_vfs(vfs)->xDlError(real_vfs(vfs), size, out); }
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* handle) { real_vfs(vfs)->xDlClose(real_vfs(vfs), handle); }
int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int micros) { return real_vfs(vfs)->xSleep(real_vfs(vfs), micros); }
int vfs_current_time(sqlite3_vfs* vfs, double* out) { return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out); }
int vfs_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), size, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

}  // namespace

std::unique_ptr<FaultyVfs> FaultyVfs::install(const std::string& name, std::string& error) {
  std::unique_ptr<FaultyVfs> out(new FaultyVfs());
  out->name_ = name;
  out->real_ = sqlite3_vfs_find(nullptr);
  if (!out->real_) {
    error = "no default SQLite VFS";
    return nullptr;
  }
  if (out->real_->iVersion < 2) {
    error = "the default SQLite VFS is too old to shim (iVersion < 2)";
    return nullptr;
  }
  out->vfs_ = std::make_unique<sqlite3_vfs>();
  sqlite3_vfs& v = *out->vfs_;
  v.iVersion = 2;  // no xSetSystemCall family: nothing here needs it
  v.szOsFile = static_cast<int>(sizeof(FaultyFile)) + out->real_->szOsFile;
  v.mxPathname = out->real_->mxPathname;
  v.zName = out->name_.c_str();
  v.pAppData = out.get();
  v.xOpen = vfs_open;
  v.xDelete = vfs_delete;
  v.xAccess = vfs_access;
  v.xFullPathname = vfs_full_pathname;
  v.xDlOpen = vfs_dl_open;
  v.xDlError = vfs_dl_error;
  v.xDlSym = vfs_dl_sym;
  v.xDlClose = vfs_dl_close;
  v.xRandomness = vfs_randomness;
  v.xSleep = vfs_sleep;
  v.xCurrentTime = vfs_current_time;
  v.xGetLastError = vfs_last_error;
  v.xCurrentTimeInt64 = vfs_current_time_int64;
  if (const int rc = sqlite3_vfs_register(out->vfs_.get(), /*makeDflt=*/0); rc != SQLITE_OK) {
    error = std::string("cannot register the faulty VFS: ") + sqlite3_errstr(rc);
    return nullptr;
  }
  return out;
}

FaultyVfs::~FaultyVfs() {
  if (vfs_) (void)sqlite3_vfs_unregister(vfs_.get());
}

void FaultyVfs::arm(const FaultPlan& plan) {
  std::lock_guard lock(mutex_);
  plan_ = plan;
  armed_ = true;
  std::fill(std::begin(counts_), std::end(counts_), 0);
  injected_ = 0;
}

void FaultyVfs::disarm() {
  std::lock_guard lock(mutex_);
  armed_ = false;
}

uint64_t FaultyVfs::calls(FaultOp op) const {
  std::lock_guard lock(mutex_);
  return counts_[static_cast<int>(op)];
}

uint64_t FaultyVfs::injected() const {
  std::lock_guard lock(mutex_);
  return injected_;
}

void FaultyVfs::reset_counts() {
  std::lock_guard lock(mutex_);
  std::fill(std::begin(counts_), std::end(counts_), 0);
  injected_ = 0;
}

bool FaultyVfs::should_fail(FaultOp op, int& code) {
  std::lock_guard lock(mutex_);
  const uint64_t n = ++counts_[static_cast<int>(op)];
  if (!armed_ || op != plan_.op) return false;
  if (n == plan_.nth || (plan_.persistent && n > plan_.nth)) {
    ++injected_;
    code = plan_.error_code;
    return true;
  }
  return false;
}

}  // namespace hookgate::reliability
