// Disk full, at the gateway: while the store cannot take another event, ingest answers 503
// with Retry-After and acks nothing, the gateway goes on serving everything else, and once
// space comes back ingest succeeds again by itself, without a restart. Two ways to fill it:
//   - storage.max_size (SQLite max_page_count): the operator's cap, and the CI path; space
//     comes back the way it would in production, when the stuck destination recovers, its
//     deliveries finish and retention purges them;
//   - a real file system that runs out (a 8 MiB tmpfs, mounted by the test when it runs as
//     root): ENOSPC from the kernel, and space comes back when another file is deleted.
//     Skipped where mounting is not permitted, unless HOOKGATE_REQUIRE_TMPFS=1 (the long run).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "controlled_destination.h"
#include "harness.h"
#include "load_client.h"
#include "verify/verifier.h"

namespace hookgate::reliability {
namespace {

using namespace std::chrono;
using testing::Database;
using testing::Gateway;
using testing::HttpClient;
using testing::TempDir;

constexpr size_t kBodyPad = 2000;  // ~2 KB events: a 1 MiB store holds a few hundred

// What every ingest answer while the disk fills may be: 200 with an id, or 503 with
// Retry-After and the store_failed reason. Anything else fails the test.
struct Tally {
  std::mutex mutex;
  std::set<std::string> acked;  // public ids
  std::map<std::string, std::string> acked_by_vendor_id;
  uint64_t unavailable = 0;
  uint64_t other = 0;

  void add(const std::string& vendor_id, const Ack& ack) {
    std::lock_guard lock(this->mutex);
    if (ack.status == 200 && !ack.public_id.empty()) {
      acked.insert(ack.public_id);
      acked_by_vendor_id[vendor_id] = ack.public_id;
    } else if (ack.status == 503) {
      ++unavailable;
      EXPECT_TRUE(ack.retry_after.has_value()) << "503 without Retry-After";
      EXPECT_EQ(ack.body, R"({"error":"store_failed"})");
    } else {
      ++other;
      ADD_FAILURE() << "unexpected answer while the disk is full: " << ack.status << " " << ack.body;
    }
  }
};

// Posts new events from `clients` threads until `until()` holds or `limit` events were sent.
void post_until(Gateway& gateway, const verify::Verifier& verifier, Tally& tally, const std::string& prefix,
                int clients, uint64_t limit, const std::function<bool()>& until) {
  std::atomic<uint64_t> sent{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      HttpClient client(gateway.port(), seconds(30));
      for (int i = 0; !until() && sent++ < limit; ++i) {
        const std::string vendor_id = prefix + "_" + std::to_string(c) + "_" + std::to_string(i);
        const std::string body = stripe_body(vendor_id, "invoice.paid", kBodyPad);
        tally.add(vendor_id, to_ack(client.request("POST", "/in/stripe", signed_headers(verifier, body), body)));
      }
    });
  }
  for (auto& t : threads) t.join();
}

// The gateway still answers while it refuses new events: an unknown path gets its 404, and a
// vendor's retry of an event acked before gets that event's id, or (when `duplicate_may_fail`)
// a 503: on a file system that is really full the retry shares its writer transaction with
// delivery bookkeeping that cannot commit, and the whole batch is refused. Safe either way:
// never an ack under another id.
void expect_still_serving(Gateway& gateway, const verify::Verifier& verifier, const std::string& vendor_id,
                          const std::string& public_id, bool duplicate_may_fail) {
  HttpClient client(gateway.port());
  EXPECT_EQ(client.request("POST", "/nowhere", {}, "x").status, 404);
  const std::string body = stripe_body(vendor_id, "invoice.paid", kBodyPad);
  const auto retry = to_ack(client.request("POST", "/in/stripe", signed_headers(verifier, body), body));
  if (duplicate_may_fail && retry.status == 503) {
    EXPECT_TRUE(retry.retry_after.has_value());
    return;
  }
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.public_id, public_id);
}

TEST(DiskFull, AtMaxSizeIngestAnswers503AndResumesOnItsOwnOnceRetentionFreesSpace) {
  ControlledDestination sink(ControlledDestination::Mode::hang);
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
admin: {listen: "127.0.0.1:0", token: disk-full-token}
storage: {path: events.db, max_size: 1MiB, retention: 1s}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_disk_full"]}}
destinations:
  sink: {url: ")" + sink.url() + R"(", timeout: 120s, concurrency: 1, retry: {schedule: [100ms, 200ms, 500ms, 1s, 1s, 1s, 1s, 1s, 1s, 1s], jitter: 0}}
routes:
  - {from: stripe, to: [sink]}
)");
  const auto verifier = verifier_for(gateway.config_path(), "stripe");
  ASSERT_TRUE(verifier);
  ASSERT_TRUE(gateway.start());

  // The destination hangs: nothing is delivered, so retention can purge nothing, and the store
  // fills up to max_size.
  Tally tally;
  post_until(gateway, *verifier, tally, "fill", 4, 5'000, [&] {
    std::lock_guard lock(tally.mutex);
    return tally.unavailable >= 20;
  });
  ASSERT_GE(tally.unavailable, 20u) << "no 503 after 5000 events of 2 KB: storage.max_size is not applied";
  ASSERT_GT(tally.acked.size(), 100u);
  {
    // Nothing acked was lost and nothing refused was stored.
    Database db(gateway.db_path());
    EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), static_cast<int64_t>(tally.acked.size()));
    for (const auto& row : db.rows("SELECT public_id FROM events")) EXPECT_TRUE(tally.acked.count(row[0])) << row[0];
    EXPECT_LE(db.scalar("PRAGMA page_count") * db.scalar("PRAGMA page_size"), 1 << 20);
  }
  // A load balancer's readiness probe sees the full store.
  const auto readiness = [&] { return HttpClient(gateway.admin_port()).request("GET", "/readyz", {}, ""); };
  const auto full = readiness();
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.body, "{\"status\":\"not_ready\",\"reason\":\"store_full\"}\n");
  const auto [first_vendor_id, first_public_id] = *tally.acked_by_vendor_id.begin();
  // At max_size the reserve keeps bookkeeping committing, so a duplicate is always acked.
  expect_still_serving(gateway, *verifier, first_vendor_id, first_public_id, /*duplicate_may_fail=*/false);
  const uint64_t refused_while_full = tally.unavailable;

  // Space comes back: the destination recovers, deliveries finish, retention purges them,
  // and new events are stored again by the same process.
  ASSERT_TRUE(sink.set_mode(ControlledDestination::Mode::answer));
  const size_t acked_before = tally.acked.size();
  const auto deadline = steady_clock::now() + seconds(120);
  post_until(gateway, *verifier, tally, "resume", 1, 100'000, [&] {
    std::lock_guard lock(tally.mutex);
    if (tally.acked.size() >= acked_before + 20) return true;
    if (steady_clock::now() > deadline) return true;
    std::this_thread::sleep_for(milliseconds(50));  // a vendor honouring Retry-After, faster
    return false;
  });
  EXPECT_GE(tally.acked.size(), acked_before + 20) << "ingest never resumed after retention freed space";
  EXPECT_EQ(tally.other, 0u);

  // Every acked event reaches the destination (the full store lost none of them).
  const auto delivered_all = [&] {
    const auto answered = sink.answered();
    return std::all_of(tally.acked.begin(), tally.acked.end(), [&](const std::string& id) { return answered.count(id) > 0; });
  };
  const auto delivery_deadline = steady_clock::now() + seconds(120);
  while (!delivered_all() && steady_clock::now() < delivery_deadline) std::this_thread::sleep_for(milliseconds(100));
  EXPECT_TRUE(delivered_all()) << "an acked event never reached the destination";
  EXPECT_EQ(readiness().status, 200);
  Database db(gateway.db_path());
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  std::printf("disk full (max_size 1MiB): acked=%zu refused_503=%llu then resumed: acked_after=%zu\n", acked_before,
              static_cast<unsigned long long>(refused_while_full), tally.acked.size() - acked_before);
  EXPECT_EQ(gateway.stop(), 0);
}

// A tmpfs mounted on a fresh directory, unmounted (lazily) on destruction.
class TmpfsMount {
 public:
  TmpfsMount(std::string path, const std::string& size) : path_(std::move(path)) {
    std::filesystem::create_directories(path_);
    const std::string options = "size=" + size + ",mode=0755";
    if (::mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
      error_ = std::strerror(errno);
    } else {
      mounted_ = true;
    }
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

uint64_t free_bytes(const std::string& path) {
  struct statvfs s {};
  return ::statvfs(path.c_str(), &s) == 0 ? static_cast<uint64_t>(s.f_bavail) * s.f_frsize : 0;
}

TEST(DiskFull, OnARealFullFileSystemIngestAnswers503AndResumesWhenSpaceIsFreed) {
  TempDir dir;
  TmpfsMount disk(dir.file("disk"), "8m");
  if (!disk.mounted()) {
    if (env_int("HOOKGATE_REQUIRE_TMPFS", 0) == 1) {
      FAIL() << "HOOKGATE_REQUIRE_TMPFS=1 but mounting a tmpfs failed: " << disk.error()
             << " (the long run needs root, or CAP_SYS_ADMIN)";
    }
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); the long run (run --long, as root) requires it";
  }
  ControlledDestination sink;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: ")" + disk.path() + R"(/events.db"}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_disk_full"]}}
destinations:
  sink: {url: ")" + sink.url() + R"("}
routes:
  - {from: stripe, to: [sink]}
)");
  const auto verifier = verifier_for(gateway.config_path(), "stripe");
  ASSERT_TRUE(verifier);
  ASSERT_TRUE(gateway.start());

  // Something else on the same file system (logs, another service) takes all but 512 KiB.
  const std::string filler = disk.path() + "/filler";
  {
    std::ofstream out(filler, std::ios::binary);
    const std::string block(1 << 16, 'f');
    while (free_bytes(disk.path()) > (512u << 10) && out.write(block.data(), block.size())) {
      out.flush();
    }
  }
  Tally tally;
  post_until(gateway, *verifier, tally, "fill", 4, 5'000, [&] {
    std::lock_guard lock(tally.mutex);
    return tally.unavailable >= 20;
  });
  ASSERT_GE(tally.unavailable, 20u) << "no 503 although the file system is full";
  ASSERT_FALSE(tally.acked.empty());
  const auto [first_vendor_id, first_public_id] = *tally.acked_by_vendor_id.begin();
  expect_still_serving(gateway, *verifier, first_vendor_id, first_public_id, /*duplicate_may_fail=*/true);
  const uint64_t refused_while_full = tally.unavailable;

  // Space comes back; the same process stores events again.
  std::filesystem::remove(filler);
  const size_t acked_before = tally.acked.size();
  const auto deadline = steady_clock::now() + seconds(60);
  post_until(gateway, *verifier, tally, "resume", 1, 100'000, [&] {
    std::lock_guard lock(tally.mutex);
    if (tally.acked.size() >= acked_before + 20 || steady_clock::now() > deadline) return true;
    std::this_thread::sleep_for(milliseconds(50));
    return false;
  });
  EXPECT_GE(tally.acked.size(), acked_before + 20) << "ingest never resumed after space was freed";
  EXPECT_EQ(tally.other, 0u);
  EXPECT_EQ(gateway.stop(), 0);

  Database db(disk.path() + "/events.db");
  EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  std::set<std::string> stored;
  for (const auto& row : db.rows("SELECT public_id FROM events")) stored.insert(row[0]);
  for (const auto& id : tally.acked) EXPECT_TRUE(stored.count(id)) << id << " acked but not stored";
  std::printf("disk full (tmpfs 8MiB): acked=%zu refused_503=%llu then resumed: acked_after=%zu\n", acked_before,
              static_cast<unsigned long long>(refused_while_full), tally.acked.size() - acked_before);
}

}  // namespace
}  // namespace hookgate::reliability
