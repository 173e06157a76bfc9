#include "gateway/loop/logging.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <string>
#include <thread>

#include "gateway/loop/log_line.h"

namespace hookgate::gateway::loop {
namespace {

// Log lines are formatted by the thread that logs them, appended to one buffer, and written
// by a flusher thread every kFlushInterval, or as soon as kFlushBytes wait, or at once for an
// error. Nothing wakes another thread per line: a per-line hand-off (spdlog's async queue
// wakes its worker for each line, and its stderr sink does a write(2) per line) cost about as
// much CPU as the rest of an acknowledged request. The write(2) is never done by a logging
// thread, so a slow stderr (a full pipe) cannot stall an I/O loop: past kMaxPending bytes new
// lines are dropped and counted.
class BufferedFdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit BufferedFdSink(int fd) : fd_(fd), flusher_([this] { run(); }) {}

  // Writes what is still buffered. spdlog::shutdown() gets here by dropping the last logger.
  ~BufferedFdSink() override {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    flusher_.join();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {  // under mutex_
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    if (pending_.size() + line.size() > kMaxPending) {
      ++dropped_;
      return;
    }
    pending_.append(line.data(), line.size());
    if (!urgent_ && (pending_.size() >= kFlushBytes || msg.level >= spdlog::level::err)) {
      urgent_ = true;
      wake_.notify_one();
    }
  }

  void flush_() override {  // under mutex_
    urgent_ = true;
    wake_.notify_one();
  }

 private:
  static constexpr auto kFlushInterval = std::chrono::milliseconds(100);
  static constexpr size_t kFlushBytes = 64 * 1024;
  static constexpr size_t kMaxPending = 4 * 1024 * 1024;

  void run() {
    // Signals belong to the thread that sigwait()s for them, never to this one.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, kFlushInterval, [this] { return urgent_ || stopping_; });
      const bool last = stopping_;
      if (dropped_ > 0) {
        pending_.append("log lines dropped: " + std::to_string(dropped_) + " (stderr too slow)\n");
        dropped_ = 0;
      }
      writing_.swap(pending_);
      urgent_ = false;
      lock.unlock();
      write_all(writing_);
      writing_.clear();
      lock.lock();
      if (last && pending_.empty()) return;
    }
  }

  void write_all(const std::string& bytes) const {
    const char* data = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // nowhere to write (closed, a non-blocking pipe full): dropped
      data += n;
      left -= static_cast<size_t>(n);
    }
  }

  const int fd_;
  std::condition_variable wake_;
  std::string pending_;  // guarded by mutex_
  std::string writing_;  // the flusher's, outside the lock
  size_t dropped_ = 0;
  bool urgent_ = false;
  bool stopping_ = false;
  std::thread flusher_;  // last: starts once the members above exist
};

// log.format: json. One JSON object per line, the line's key=value fields as members
// (log_line.h), so that log pipelines index them without parsing text.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line = json_log_line(msg.time, std::string_view(level.data(), level.size()), msg.thread_id,
                                           std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

bool configure_logging(const std::string& level, config::LogFormat format) {
  const auto parsed = spdlog::level::from_str(level);
  // from_str maps anything unknown to "off"; only accept "off" when asked for.
  if (parsed == spdlog::level::off && level != "off") return false;
  auto logger = spdlog::get("hookgate");
  if (!logger) {
    logger = std::make_shared<spdlog::logger>("hookgate", std::make_shared<BufferedFdSink>(STDERR_FILENO));
    spdlog::initialize_logger(logger);
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(parsed);
  if (format == config::LogFormat::json) {
    spdlog::set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l [%t] %v", spdlog::pattern_time_type::utc);
  }
  return true;
}

}  // namespace hookgate::gateway::loop
