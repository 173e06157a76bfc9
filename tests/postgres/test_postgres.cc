#include "tests/postgres/test_postgres.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "storage/postgres/pg_connection.h"

namespace hookgate::testing {
namespace {

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string server_script() { return std::string(HOOKGATE_SOURCE_DIR) + "/tests/postgres/server"; }

bool run_script(const std::string& action, const std::filesystem::path& dir, const std::filesystem::path& other = {}) {
  const std::string command = server_script() + " " + action + " '" + dir.string() + "'" +
                              (other.empty() ? "" : " '" + other.string() + "'") + " >/dev/null";
  return std::system(command.c_str()) == 0;
}

std::vector<std::vector<std::string>> query(const std::string& url, const std::string& sql, std::string& error) {
  std::vector<std::vector<std::string>> out;
  storage::PgConn conn = storage::pg_connect(url, error);
  if (!conn) return out;
  storage::PgResult result = storage::pg_exec(conn.get(), sql);
  if (!storage::pg_ok(result.get())) {
    error = storage::pg_error(conn.get(), result.get());
    return out;
  }
  for (int r = 0; r < PQntuples(result.get()); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(result.get()); ++c) row.push_back(storage::pg_value(result.get(), r, c));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

std::string postgres_server_url() {
  const char* dir = std::getenv("HOOKGATE_TEST_POSTGRES_DIR");
  if (dir == nullptr) {
    ADD_FAILURE() << "HOOKGATE_TEST_POSTGRES_DIR is not set: run through ctest (fixture `postgres`)";
    return "";
  }
  const std::string url = read_all(std::filesystem::path(dir) / "url");
  if (url.empty()) ADD_FAILURE() << "no PostgreSQL test server in " << dir << " (did postgres.server.start fail?)";
  return url;
}

std::string with_database(const std::string& server_url, const std::string& dbname) {
  const size_t slash = server_url.find('/', server_url.find("://") + 3);
  return server_url.substr(0, slash) + "/" + dbname;
}

TestDatabase::TestDatabase(std::string server_url) : server_url_(std::move(server_url)) {
  static std::atomic<int> counter{0};
  std::random_device random;
  name_ = "hg_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(random() % 100000);
  url_ = with_database(server_url_, name_);
  std::string error;
  (void)query(server_url_, "CREATE DATABASE " + name_, error);
  EXPECT_EQ(error, "") << "cannot create the test database";
}

TestDatabase::~TestDatabase() {
  std::string error;
  (void)query(server_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)", error);
}

std::vector<std::vector<std::string>> TestDatabase::rows(const std::string& sql) const {
  std::string error;
  auto out = query(url_, sql, error);
  EXPECT_EQ(error, "") << sql;
  return out;
}

int64_t TestDatabase::scalar(const std::string& sql) const {
  const auto out = rows(sql);
  if (out.empty() || out[0].empty()) {
    ADD_FAILURE() << "no rows: " << sql;
    return -1;
  }
  return std::strtoll(out[0][0].c_str(), nullptr, 10);
}

std::string TestDatabase::text(const std::string& sql) const {
  const auto out = rows(sql);
  return out.empty() || out[0].empty() ? std::string() : out[0][0];
}

TestServer::TestServer() {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("hookgate-pg-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  EXPECT_TRUE(run_script("start", dir_)) << "cannot start a PostgreSQL server in " << dir_;
  url_ = read_all(dir_ / "url");
  port_ = static_cast<uint16_t>(std::strtoul(read_all(dir_ / "port").c_str(), nullptr, 10));
}

TestServer::TestServer(const TestServer& primary) {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("hookgate-pg-standby-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  EXPECT_TRUE(run_script("standby", dir_, primary.dir_)) << "cannot start a standby in " << dir_;
  url_ = read_all(dir_ / "url");
  port_ = static_cast<uint16_t>(std::strtoul(read_all(dir_ / "port").c_str(), nullptr, 10));
}

TestServer::~TestServer() { (void)run_script("stop", dir_); }

void TestServer::crash() { EXPECT_TRUE(run_script("crash", dir_)); }
void TestServer::promote() { EXPECT_TRUE(run_script("promote", dir_)); }

void TestServer::down() { EXPECT_TRUE(run_script("down", dir_)); }
void TestServer::up() { EXPECT_TRUE(run_script("up", dir_)); }

bool wait_until(const std::function<bool()>& condition, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::vector<std::vector<std::string>> pg_rows(const std::string& url, const std::string& sql) {
  std::string error;
  auto out = query(url, sql, error);
  EXPECT_EQ(error, "") << sql;
  return out;
}

bool pg_eventually(const std::string& url, const std::string& sql, int64_t expected, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int64_t last = -1;
  for (;;) {
    std::string error;
    const auto out = query(url, sql, error);
    if (error.empty() && !out.empty() && !out[0].empty()) {
      last = std::strtoll(out[0][0].c_str(), nullptr, 10);
      if (last == expected) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ADD_FAILURE() << sql << ": last " << last << ", expected " << expected << (error.empty() ? "" : ": " + error);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace hookgate::testing
