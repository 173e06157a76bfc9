#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <simdjson.h>

#include "config/config.h"
#include "storage/postgres/pg_connection.h"
#include "test_backend.h"

namespace hookgate::testing {

std::string binary_path() { return HOOKGATE_BINARY; }
std::string source_dir() { return HOOKGATE_SOURCE_DIR; }

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("hookgate-it-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  drop_backend_databases(path_);
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

std::string drain_fd(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  std::thread feeder([&] {
    size_t written = 0;
    while (written < input.size()) {
      const ssize_t n = ::write(in_pipe[1], input.data() + written, input.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    close(in_pipe[1]);
  });
  CommandResult result;
  std::thread err_reader([&] { result.err = drain_fd(err_pipe[0]); });
  result.out = drain_fd(out_pipe[0]);
  err_reader.join();
  feeder.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return result;
}

Gateway::Gateway(const TempDir& dir, std::string config_yaml, std::string name)
    : config_path_(dir.file(name)), log_path_(dir.file(name + ".log")), ready_path_(dir.file(name + ".ready.json")) {
  write_file(config_path_, config_for_backend(config_yaml, dir.path(), db_path_));
}

Gateway::~Gateway() { kill_hard(); }

namespace {

// What `serve --ready-file` wrote (gateway/cli/ready_file.h); nullopt until it exists.
struct ReadyState {
  std::vector<std::string> listeners;
  std::string admin;
  uint64_t applied = 0, refused = 0, tls_reloaded = 0, tls_kept = 0;
};

std::optional<ReadyState> read_ready_file(const std::string& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  simdjson::padded_string text(read_file(path));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS) return std::nullopt;
  ReadyState state;
  simdjson::dom::array listeners;
  std::string_view admin;
  if (doc["listeners"].get(listeners) || doc["admin"].get(admin) ||
      doc["reloads"]["applied"].get(state.applied) || doc["reloads"]["refused"].get(state.refused) ||
      doc["tls_reloads"]["reloaded"].get(state.tls_reloaded) || doc["tls_reloads"]["kept"].get(state.tls_kept)) {
    return std::nullopt;
  }
  for (simdjson::dom::element listener : listeners) {
    std::string_view url;
    if (listener.get(url)) return std::nullopt;
    state.listeners.emplace_back(url);
  }
  state.admin = std::string(admin);
  return state;
}

uint16_t port_of(const std::string& url) {
  const size_t colon = url.rfind(':');
  return colon == std::string::npos ? 0 : static_cast<uint16_t>(std::stoi(url.substr(colon + 1)));
}

}  // namespace

bool Gateway::start() {
  const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const size_t log_offset = read_file(log_path_).size();
  std::filesystem::remove(ready_path_);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execl(binary_path().c_str(), binary_path().c_str(), "serve", "-c", config_path_.c_str(), "--ready-file",
          ready_path_.c_str(), nullptr);
    _exit(127);
  }
  close(log_fd);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto ready = read_ready_file(ready_path_)) {
      port_ = tls_port_ = 0;
      tls_listeners_ = 0;
      for (const std::string& url : ready->listeners) {
        const bool tls = url.rfind("https://", 0) == 0;
        tls_listeners_ += tls ? 1 : 0;
        uint16_t& port = tls ? tls_port_ : port_;
        if (port == 0) port = port_of(url);
      }
      admin_port_ = ready->admin.empty() ? 0 : port_of(ready->admin);
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ADD_FAILURE() << "hookgate exited during startup:\n" << read_file(log_path_).substr(log_offset);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "hookgate did not start listening:\n" << log();
  return false;
}

size_t Gateway::occurrences_in_log(const std::string& needle) const {
  const std::string text = log();
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool Gateway::log_shows(const std::string& needle) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (log().find(needle) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

bool Gateway::reload() {
  if (pid_ <= 0) return false;
  const auto before = read_ready_file(ready_path_);
  if (!before) return false;
  ::kill(pid_, SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto now = read_ready_file(ready_path_)) {
      if (now->applied > before->applied) return true;
      if (now->refused > before->refused) return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "no config reload outcome in " << ready_path_ << ":\n" << log();
  return false;
}

bool Gateway::reload_tls() {
  if (pid_ <= 0) return false;
  const auto before = read_ready_file(ready_path_);
  if (!before) return false;
  ::kill(pid_, SIGHUP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto now = read_ready_file(ready_path_)) {
      const uint64_t reloaded = now->tls_reloaded - before->tls_reloaded;
      const uint64_t kept = now->tls_kept - before->tls_kept;
      if (now->applied + now->refused > before->applied + before->refused) return kept == 0 && reloaded > 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "no TLS reload outcome in " << ready_path_ << ":\n" << log();
  return false;
}

void Gateway::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int Gateway::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::string Gateway::log() const { return read_file(log_path_); }

std::optional<std::string> HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return std::nullopt;
}

HttpClient::HttpClient(uint16_t port, std::chrono::milliseconds timeout) : port_(port), timeout_(timeout) {}

HttpClient::~HttpClient() {
  if (fd_ >= 0) close(fd_);
}

bool HttpClient::connect_now() {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd_);
    fd_ = -1;
    return false;
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const Headers& headers, const std::string& body) {
  std::string bytes = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) bytes += name + ": " + value + "\r\n";
  bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return raw(bytes);
}

HttpResponse HttpClient::raw(const std::string& bytes) {
  if (fd_ < 0 && !connect_now()) return {};
  send_only(bytes);
  return read_response();
}

void HttpClient::send_only(const std::string& bytes) {
  if (fd_ < 0 && !connect_now()) return;
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413, 431) before taking everything
    sent += static_cast<size_t>(n);
  }
}

void HttpClient::half_close() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

HttpResponse HttpClient::read_response() {
  HttpResponse response;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  auto fill = [&]() -> bool {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      close(fd_);
      fd_ = -1;
      buffer_.clear();
      return response;
    }
  }
  std::istringstream head(buffer_.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.size() > 12) response.status = std::stoi(line.substr(9, 3));
  size_t content_length = 0;
  bool close_after = false;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (strcasecmp(name.c_str(), "Content-Length") == 0) content_length = std::stoul(value);
    if (strcasecmp(name.c_str(), "Connection") == 0 && strcasecmp(value.c_str(), "close") == 0) close_after = true;
    response.headers.emplace_back(std::move(name), std::move(value));
  }
  buffer_.erase(0, head_end + 4);
  while (buffer_.size() < content_length) {
    if (!fill()) break;
  }
  response.body = buffer_.substr(0, content_length);
  buffer_.erase(0, std::min(content_length, buffer_.size()));
  if (response.status == 100) return read_response();
  if (close_after) {
    close(fd_);
    fd_ = -1;
    buffer_.clear();
  }
  return response;
}

// One of the two: a read-only SQLite handle, or a libpq connection (`path` a postgresql:// URL).
struct Database::Impl {
  sqlite3* db = nullptr;
  storage::PgConn pg;
};

Database::Database(const std::string& path) : impl_(new Impl) {
  if (path.rfind("postgresql://", 0) == 0) {
    std::string error;
    impl_->pg = storage::pg_connect(path, error);
    if (!impl_->pg) ADD_FAILURE() << "cannot connect to the test database: " << error;
    return;
  }
  sqlite3_open_v2(path.c_str(), &impl_->db, SQLITE_OPEN_READONLY, nullptr);
}

Database::~Database() {
  sqlite3_close_v2(impl_->db);
  delete impl_;
}

bool Database::is_sqlite() const { return !impl_->pg; }

std::vector<std::vector<std::string>> Database::rows(const std::string& sql) const {
  std::vector<std::vector<std::string>> out;
  if (impl_->pg) {
    const storage::PgResult result = storage::pg_exec(impl_->pg.get(), sql);
    if (!storage::pg_ok(result.get())) {
      ADD_FAILURE() << "bad SQL: " << sql << ": " << storage::pg_error(impl_->pg.get(), result.get());
      return out;
    }
    for (int r = 0; r < PQntuples(result.get()); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(result.get()); ++c) row.push_back(storage::pg_value(result.get(), r, c));
      out.push_back(std::move(row));
    }
    return out;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "bad SQL: " << sql << ": " << sqlite3_errmsg(impl_->db);
    return out;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const void* data = sqlite3_column_blob(stmt, i);
      const int size = sqlite3_column_bytes(stmt, i);
      row.emplace_back(data ? std::string(static_cast<const char*>(data), static_cast<size_t>(size)) : std::string());
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return out;
}

std::string Database::joined(const std::string& sql, const std::string& separator) const {
  std::string out;
  const auto result = rows(sql);
  for (size_t i = 0; i < result.size(); ++i) {
    if (i > 0) out += separator;
    if (!result[i].empty()) out += result[i][0];
  }
  return out;
}

int64_t Database::scalar(const std::string& sql) const {
  const auto result = rows(sql);
  return result.empty() || result[0].empty() ? -1 : std::stoll(result[0][0]);
}

std::string Database::text(const std::string& sql) const {
  const auto result = rows(sql);
  return result.empty() || result[0].empty() ? std::string() : result[0][0];
}

bool eventually(const std::string& db_path, const std::string& sql, int64_t expected,
                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Database(db_path).scalar(sql) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

Headers sign_for(const std::string& config_path, const std::string& source, const std::string& body,
                 std::chrono::system_clock::time_point when, const std::string& id) {
  const auto loaded = config::load_config(config_path);
  if (!loaded.config) {
    ADD_FAILURE() << "config does not load: " << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    return {};
  }
  const auto* src = loaded.config->source_by_name(source);
  if (!src) {
    ADD_FAILURE() << "no source " << source;
    return {};
  }
  verify::SignedHeaders out;
  if (!src->verifier->sign(body, when, id, out)) ADD_FAILURE() << "cannot sign for " << source;
  return out.headers;
}

double metric(const std::string& text, const std::string& sample) {
  const std::string needle = "\n" + sample + " ";
  const size_t at = ("\n" + text).find(needle);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + needle.size() - 1));
}

}  // namespace hookgate::testing
