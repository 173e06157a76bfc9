#include "test_backend.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "storage/postgres/pg_connection.h"

namespace hookgate::testing {
namespace {

std::string postgres_server_url() {
  const char* dir = std::getenv("HOOKGATE_TEST_POSTGRES_DIR");
  if (dir == nullptr) dir = HOOKGATE_TEST_POSTGRES_DEFAULT_DIR;
  std::ifstream in(std::filesystem::path(dir) / "url");
  std::string url;
  std::getline(in, url);
  if (url.empty()) ADD_FAILURE() << "no PostgreSQL test server in " << dir << " (did postgres.server.start fail?)";
  return url;
}

std::string url_with_database(const std::string& server_url, const std::string& dbname) {
  const size_t slash = server_url.find('/', server_url.find("://") + 3);
  return server_url.substr(0, slash) + "/" + dbname;
}

void run_on_server(const std::string& sql, bool tolerate_error = false) {
  std::string error;
  storage::PgConn conn = storage::pg_connect(postgres_server_url(), error);
  if (!conn) {
    ADD_FAILURE() << "cannot reach the PostgreSQL test server: " << error;
    return;
  }
  storage::PgResult result = storage::pg_exec(conn.get(), sql);
  if (!storage::pg_ok(result.get()) && !tolerate_error) {
    ADD_FAILURE() << sql << ": " << storage::pg_error(conn.get(), result.get());
  }
}

// The databases made per test directory, to drop with it.
std::mutex databases_mutex;
std::multimap<std::string, std::string> databases_by_dir;

std::string database_for(const std::filesystem::path& store_file) {
  // PostgreSQL names are at most 63 bytes: a hash of the path, which is unique per test run.
  const std::string name = "hg_it_" + std::to_string(std::hash<std::string>{}(store_file.string()));
  const std::lock_guard lock(databases_mutex);
  const std::string dir = store_file.parent_path().string();
  bool known = false;
  for (auto [it, end] = databases_by_dir.equal_range(dir); it != end; ++it) known = known || it->second == name;
  if (!known) {
    run_on_server("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");  // left by a killed run
    run_on_server("CREATE DATABASE " + name);
    databases_by_dir.emplace(dir, name);
  }
  return name;
}

// The byte range of `node`'s scalar as written at `mark` in `text` (plain or quoted).
size_t scalar_end(const std::string& text, size_t begin) {
  if (begin < text.size() && (text[begin] == '"' || text[begin] == '\'')) {
    const size_t close = text.find(text[begin], begin + 1);
    return close == std::string::npos ? text.size() : close + 1;
  }
  size_t end = begin;
  while (end < text.size() && text[end] != ',' && text[end] != '}' && text[end] != '\n' && text[end] != '#') ++end;
  while (end > begin && text[end - 1] == ' ') --end;
  return end;
}

}  // namespace

bool on_postgres() {
  const char* backend = std::getenv("HOOKGATE_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

std::string config_for_backend(const std::string& yaml, const std::filesystem::path& config_dir, std::string& store) {
  store = (config_dir / "events.db").string();
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception&) {
    return yaml;  // a test of config errors: hookgate says what is wrong
  }
  if (!root.IsMap() || !root["storage"] || !root["storage"].IsMap()) return yaml;
  YAML::Node path;
  YAML::Mark key_mark;
  for (const auto& entry : root["storage"]) {
    if (entry.first.Scalar() == "path") {
      key_mark = entry.first.Mark();
      path = entry.second;
    }
  }
  if (!path || !path.IsScalar()) return yaml;
  std::filesystem::path file = path.Scalar();
  if (file.is_relative()) file = config_dir / file;
  store = file.lexically_normal().string();
  if (!on_postgres()) return yaml;

  store = url_with_database(postgres_server_url(), database_for(file.lexically_normal()));
  const size_t value_begin = static_cast<size_t>(path.Mark().pos);
  const size_t key_begin = static_cast<size_t>(key_mark.pos);
  std::string out = yaml;
  out.replace(key_begin, scalar_end(yaml, value_begin) - key_begin, "url: \"" + store + "\"");
  return out;
}

void drop_backend_databases(const std::filesystem::path& dir) {
  if (!on_postgres()) return;
  std::vector<std::string> names;
  {
    const std::lock_guard lock(databases_mutex);
    for (auto it = databases_by_dir.begin(); it != databases_by_dir.end();) {
      const std::string& owner = it->first;
      if (owner.rfind(dir.string(), 0) == 0) {
        names.push_back(it->second);
        it = databases_by_dir.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const std::string& name : names) run_on_server("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", true);
}

std::string as_text(const std::string& column) {
  return on_postgres() ? "convert_from(" + column + ", 'UTF8')" : "CAST(" + column + " AS TEXT)";
}

}  // namespace hookgate::testing
