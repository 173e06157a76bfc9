// How much of storage.max_size a store uses, counted the way the writer counts it before it
// refuses a new event, for processes other than the server (`hookgate replay`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/event_store.h"

namespace hookgate::storage {

// SQLite's max_size arithmetic, in pages, shared by the writer and read_store_space().
// `max_pages` is the cap SQLite keeps (max_page_count: never below the file's current size).
// New events stop at the cap less a reserve of 1/16 of it (at least 16 pages), which is left
// for attempts, leases and secrets so that deliveries finish and retention can free space.
[[nodiscard]] int64_t max_size_reserve_pages(int64_t max_pages);
[[nodiscard]] int64_t max_size_event_page_limit(int64_t max_pages);

struct StoreSpace {
  bool at_max_size = false;     // the writer would refuse a new event now
  uint64_t used_bytes = 0;      // pages in use (free pages excluded) × page size
  uint64_t limit_bytes = 0;     // where new events stop: max_size less the reserve
};

// Reads the SQLite file's page counts on a read-only connection (safe beside a running
// server). A store without max_size, or a PostgreSQL one, is never at max_size. nullopt with
// `error` when the file cannot be read.
[[nodiscard]] std::optional<StoreSpace> read_store_space(const StoreOptions& options, std::string& error);

}  // namespace hookgate::storage
