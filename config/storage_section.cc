// storage: where events live. `path` is a SQLite file, `url` a PostgreSQL database.
#include <utility>

#include <libpq-fe.h>

#include "config/sections.h"

namespace hookgate::config::detail {
namespace {

// libpq's own parser decides what a connection string is, so hookgate accepts exactly what
// libpq will. Its message is not shown: it may quote the part of the string holding the
// password.
bool is_connection_string(const std::string& text) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(text.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) return false;
  PQconninfoFree(options);
  return true;
}

}  // namespace

void parse_storage(const Value& section, StorageConfig& out) {
  MapReader map(section);
  if (!map.valid()) return;
  const std::optional<Value> path = map.get("path");
  const std::optional<Value> url = map.get("url");
  if (path && url) {
    url->error("storage.path (SQLite) and storage.url (PostgreSQL) exclude each other; keep one");
    return;
  }
  if (!path && !url) {
    section.error("missing required key 'path' (a SQLite file) or 'url' (PostgreSQL)");
    return;
  }
  if (path) {
    if (auto file = path->file_path()) out.path = std::move(*file);
    if (auto v = map.get("synchronous")) {
      if (auto mode = v->choice<Synchronous>({{"full", Synchronous::full}, {"normal", Synchronous::normal}})) {
        out.synchronous = *mode;
      }
    }
    // A cap on the database file (SQLite max_page_count). Below 1 MiB the schema and the
    // reserve kept for delivery bookkeeping would leave almost nothing for events; 16 TiB is
    // about SQLite's own limit at the default page size.
    if (auto v = map.get("max_size")) {
      if (auto n = v->size()) out.max_size = *n;
    }
  } else {
    if (auto text = url->secret()) {
      if (is_connection_string(*text)) {
        out.url = std::move(*text);
      } else {
        url->error("not a libpq connection string: write postgresql://user@host:5432/db?option=value "
                   "or 'host=... dbname=...'");
      }
    }
    // SQLite's own settings: on PostgreSQL durability and size are the server's to set, and a
    // setting that would silently do nothing is refused.
    for (const char* sqlite_only : {"synchronous", "max_size"}) {
      if (auto v = map.get(sqlite_only)) {
        v->error("applies to SQLite (storage.path) only; PostgreSQL's durability and size are the server's settings");
      }
    }
  }
  if (auto v = map.get("max_batch")) {
    if (auto n = v->integer()) out.max_batch = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("queue_limit")) {
    if (auto n = v->integer()) out.queue_limit = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("retention")) {
    if (auto d = v->duration()) out.retention = *d;
  }
}

}  // namespace hookgate::config::detail
