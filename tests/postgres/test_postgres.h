// PostgreSQL for the tests: the server the ctest fixture `postgres` started
// (tests/postgres/server; its directory in HOOKGATE_TEST_POSTGRES_DIR), a database of its
// own per test, and servers of a test's own for outages.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace hookgate::testing {

// A libpq URI of the shared test server's superuser. Fails the test when there is none: the
// PostgreSQL tests never skip.
[[nodiscard]] std::string postgres_server_url();

// Text of a URI with its database replaced by `dbname`.
[[nodiscard]] std::string with_database(const std::string& server_url, const std::string& dbname);

// A database created for one test on `server_url` (the shared server by default) and dropped
// after it, with a few blocking queries for assertions.
class TestDatabase {
 public:
  explicit TestDatabase(std::string server_url = postgres_server_url());
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  // Runs `sql`; fails the test on error. Rows as text (bytea decoded), NULL as "".
  std::vector<std::vector<std::string>> rows(const std::string& sql) const;
  [[nodiscard]] int64_t scalar(const std::string& sql) const;
  [[nodiscard]] std::string text(const std::string& sql) const;
  void exec(const std::string& sql) const { (void)rows(sql); }

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

// A PostgreSQL server of one test's own (for outages: down() and up() keep data and port).
class TestServer {
 public:
  TestServer();   // initdb and start in a temp directory
  // A streaming standby of `primary`, application_name standby1 (name it in the primary's
  // synchronous_standby_names to make commits wait for it).
  explicit TestServer(const TestServer& primary);
  ~TestServer();  // stop and remove
  TestServer& operator=(const TestServer&) = delete;
  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] uint16_t port() const { return port_; }
  void down();
  void up();
  void crash();    // SIGKILL to every process of the server; up() recovers
  void promote();  // a standby becomes a primary

 private:
  std::filesystem::path dir_;
  std::string url_;
  uint16_t port_ = 0;
};

// Polls `condition` every 50 ms until it holds (true) or `timeout_ms` passed (false).
[[nodiscard]] bool wait_until(const std::function<bool()>& condition, int timeout_ms = 20'000);

// Runs `sql` on `url` (any database of any server); fails the test on error.
[[nodiscard]] std::vector<std::vector<std::string>> pg_rows(const std::string& url, const std::string& sql);

// Polls `sql` on `url` until it returns `expected`.
[[nodiscard]] bool pg_eventually(const std::string& url, const std::string& sql, int64_t expected,
                                 int timeout_ms = 20'000);

}  // namespace hookgate::testing
