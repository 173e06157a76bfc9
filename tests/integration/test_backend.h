// Which storage backend the black-box suites run on. The integration and reliability suites are
// registered twice with ctest: as they are (SQLite, storage.path), and with
// HOOKGATE_TEST_BACKEND=postgres, where every Gateway's config has its `storage.path` replaced
// by a `storage.url` to a database on the PostgreSQL test server (the ctest fixture `postgres`,
// tests/postgres/server, in the build tree unless HOOKGATE_TEST_POSTGRES_DIR says). Tests are written once;
// the few SQL spellings that differ go through the helpers below.
#pragma once

#include <filesystem>
#include <string>

namespace hookgate::testing {

[[nodiscard]] bool on_postgres();

// `yaml` (a config file's text, in directory `config_dir`) for the backend under test, and in
// `store` what Database() opens: the SQLite file's path, or the PostgreSQL database's URL. On
// PostgreSQL the database is named after the SQLite file's absolute path and created when
// missing, so a gateway restarted on the same directory finds its events again. Line numbers
// are kept (only the `path: …` entry is rewritten in place). A config without storage.path is
// returned as it is.
[[nodiscard]] std::string config_for_backend(const std::string& yaml, const std::filesystem::path& config_dir,
                                             std::string& store);

// Drops the PostgreSQL databases config_for_backend() made for stores under `dir` (TempDir's
// destructor). Nothing on SQLite.
void drop_backend_databases(const std::filesystem::path& dir);

// SQL for a BLOB/bytea column read as UTF-8 text: CAST(column AS TEXT) on SQLite,
// convert_from(column, 'UTF8') on PostgreSQL.
[[nodiscard]] std::string as_text(const std::string& column);

}  // namespace hookgate::testing
