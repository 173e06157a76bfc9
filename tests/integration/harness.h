// Black-box test support: a temporary directory, the real hookgate binary as a child process,
// a small blocking HTTP/1.1 client, and read access to the SQLite file it writes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_backend.h"

namespace hookgate::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

class TempDir {
 public:
  TempDir();
  ~TempDir();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

void write_file(const std::string& path, const std::string& content);
[[nodiscard]] std::string read_file(const std::string& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs argv (no shell) with optional stdin, waits for it.
[[nodiscard]] CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "");

// `hookgate serve` on a config written into a temp dir. Listen addresses should be
// 127.0.0.1:0; the bound ports and the outcome of each SIGHUP come from the server's
// --ready-file (gateway/cli/ready_file.h), not from its log.
class Gateway {
 public:
  Gateway(const TempDir& dir, std::string config_yaml, std::string name = "hookgate.yaml");
  ~Gateway();  // SIGKILLs if still running

  // Starts the process and waits until it listens. Fails the test (and returns false) otherwise.
  [[nodiscard]] bool start();
  void kill_hard();                 // SIGKILL and reap
  [[nodiscard]] int stop();         // SIGTERM, wait; returns the exit code (-signal if killed)
  [[nodiscard]] uint16_t port() const { return port_; }          // first cleartext listener
  [[nodiscard]] uint16_t tls_port() const { return tls_port_; }  // first TLS listener
  [[nodiscard]] uint16_t admin_port() const { return admin_port_; }  // 0 without an admin section
  // Sends SIGHUP and waits for the config reload's outcome: true when the new config was
  // applied, false when it was refused as invalid.
  [[nodiscard]] bool reload();
  // Sends SIGHUP and waits for the TLS reload's outcome: true when every TLS listener (and a
  // TLS admin listener) reloaded its certificates, false when any kept its old ones.
  [[nodiscard]] bool reload_tls();
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] std::string log() const;
  [[nodiscard]] size_t occurrences_in_log(const std::string& needle) const;
  // Waits (up to 10 s) for `needle` in the log: lines are written asynchronously, after the
  // outcome they report is visible elsewhere.
  [[nodiscard]] bool log_shows(const std::string& needle) const;
  [[nodiscard]] std::string config_path() const { return config_path_; }
  // The SQLite file, or on PostgreSQL the database's URL (test_backend.h): what Database opens.
  [[nodiscard]] std::string db_path() const { return db_path_; }

 private:
  std::string config_path_;
  std::string log_path_;
  std::string ready_path_;  // serve --ready-file: the ports and reload outcomes, not the log
  std::string db_path_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  uint16_t tls_port_ = 0;
  uint16_t admin_port_ = 0;
  size_t tls_listeners_ = 0;
};

struct HttpResponse {
  int status = 0;  // 0: no response (connection failed or closed)
  Headers headers;
  std::string body;
  [[nodiscard]] std::optional<std::string> header(const std::string& name) const;
};

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port. Blocking, with a timeout.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  [[nodiscard]] HttpResponse request(const std::string& method, const std::string& target,
                                     const Headers& headers, const std::string& body);
  // Sends raw bytes and reads one response (or none if the server closes).
  [[nodiscard]] HttpResponse raw(const std::string& bytes);
  // Sends raw bytes without reading; raw("") reads the answers later.
  void send_only(const std::string& bytes);
  // shutdown(SHUT_WR): the server reads EOF, the answers can still be read.
  void half_close();
  [[nodiscard]] bool connected() const { return fd_ >= 0; }

 private:
  bool connect_now();
  [[nodiscard]] HttpResponse read_response();
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;
};

// Queries on the gateway's database: a SQLite file (read-only) or, for a postgresql:// URL,
// a PostgreSQL database (test_backend.h: the suites run on both; write SQL both accept).
class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  [[nodiscard]] bool is_sqlite() const;
  [[nodiscard]] int64_t scalar(const std::string& sql) const;
  [[nodiscard]] std::string text(const std::string& sql) const;  // first column of first row
  // The first column of every row, in order, joined by `separator` (group_concat, portably).
  [[nodiscard]] std::string joined(const std::string& sql, const std::string& separator = ",") const;
  // Every row's columns as text (BLOBs as raw bytes).
  [[nodiscard]] std::vector<std::vector<std::string>> rows(const std::string& sql) const;

 private:
  struct Impl;
  Impl* impl_;
};

// Signs `body` the way `source`'s vendor would, using the source's verify block from a config
// file (the same code path as `hookgate sign`).
[[nodiscard]] Headers sign_for(const std::string& config_path, const std::string& source,
                               const std::string& body, std::chrono::system_clock::time_point when,
                               const std::string& id = "msg_test");

// Polls the database until `sql` returns `expected` (delivery and retention are asynchronous).
[[nodiscard]] bool eventually(const std::string& db_path, const std::string& sql, int64_t expected,
                              std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The value of one sample of a /metrics page, e.g.
// metric(text, R"(hookgate_duplicates_total{source="stripe"})"); -1 when the sample is absent.
[[nodiscard]] double metric(const std::string& text, const std::string& sample);

[[nodiscard]] std::string binary_path();  // the built hookgate
[[nodiscard]] std::string source_dir();   // the checkout

}  // namespace hookgate::testing
