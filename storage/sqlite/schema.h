// The on-disk schema and its migrations. Table and column names are a contract with
// operators (they query them with sqlite3): see docs/storage.md before changing any.
#pragma once

#include <sqlite3.h>

#include <string>

namespace hookgate::storage {

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 6;

// Brings `db` from whatever version it has (0 = empty file) to kSchemaVersion, each step in
// its own transaction. Fails, with `error` set, on a database newer than this build.
[[nodiscard]] bool migrate(sqlite3* db, std::string& error);

}  // namespace hookgate::storage
