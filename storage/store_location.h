// Where the event store lives: a SQLite file (the embedded default: one node, nothing to run
// beside it) or a PostgreSQL database that several gateway nodes share.
#pragma once

#include <string>

namespace hookgate::storage {

struct StoreLocation {
  std::string path;          // SQLite: the database file
  std::string postgres_url;  // PostgreSQL: a libpq URI or key=value string. It may hold a
                             // password: never log it, use display() instead.

  [[nodiscard]] bool is_postgres() const { return !postgres_url.empty(); }
  // For messages: the SQLite path, or the PostgreSQL URL without user information and
  // without any password parameter.
  [[nodiscard]] std::string display() const;
};

}  // namespace hookgate::storage
