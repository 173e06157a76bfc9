#include "storage/store_space.h"

#include <algorithm>

#include "storage/sqlite/sqlite_handle.h"

namespace hookgate::storage {

int64_t max_size_reserve_pages(int64_t max_pages) {
  constexpr int64_t kMinReservePages = 16;
  return std::max(max_pages / 16, kMinReservePages);
}

int64_t max_size_event_page_limit(int64_t max_pages) {
  return std::max<int64_t>(1, max_pages - max_size_reserve_pages(max_pages));
}

std::optional<StoreSpace> read_store_space(const StoreOptions& options, std::string& error) {
  StoreSpace space;
  if (options.is_postgres() || options.max_size_bytes == 0) return space;
  DatabaseHandle db = open_database(options.path, SQLITE_OPEN_READONLY, error);
  if (!db) return std::nullopt;
  const auto pragma = [&](const char* name) -> std::optional<int64_t> {
    Statement statement(db.get(), std::string("PRAGMA ") + name);
    if (!statement.ok() || statement.step() != SQLITE_ROW) {
      error = "cannot read PRAGMA " + std::string(name) + " of " + options.path + ": " + sqlite3_errmsg(db.get());
      return std::nullopt;
    }
    return statement.column_int(0);
  };
  const auto page_size = pragma("page_size");
  const auto page_count = page_size ? pragma("page_count") : std::nullopt;
  const auto free_pages = page_count ? pragma("freelist_count") : std::nullopt;
  if (!free_pages || *page_size <= 0) return std::nullopt;
  // As SqliteWriter::apply_max_size: the cap in whole pages, never below the current size.
  const int64_t wanted = std::max<int64_t>(1, static_cast<int64_t>(options.max_size_bytes / static_cast<uint64_t>(*page_size)));
  const int64_t limit = max_size_event_page_limit(std::max(wanted, *page_count));
  const int64_t used = *page_count - *free_pages;
  space.at_max_size = used >= limit;
  space.used_bytes = static_cast<uint64_t>(used * *page_size);
  space.limit_bytes = static_cast<uint64_t>(limit * *page_size);
  return space;
}

}  // namespace hookgate::storage
