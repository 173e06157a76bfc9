// storage: the SQLite event store.
#include <utility>

#include "config/sections.h"

namespace hookgate::config::detail {

void parse_storage(const Value& section, StorageConfig& out) {
  MapReader map(section, {"path", "synchronous", "max_batch", "queue_limit", "retention", "max_size"});
  if (!map.valid()) return;
  if (auto v = map.require("path")) {
    if (auto path = v->file_path()) out.path = std::move(*path);
  }
  if (auto v = map.get("synchronous")) {
    if (auto mode = v->choice<Synchronous>({{"full", Synchronous::full}, {"normal", Synchronous::normal}})) {
      out.synchronous = *mode;
    }
  }
  if (auto v = map.get("max_batch")) {
    if (auto n = v->integer(1, 100'000)) out.max_batch = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("queue_limit")) {
    if (auto n = v->integer(1, 10'000'000)) out.queue_limit = static_cast<uint32_t>(*n);
  }
  if (auto v = map.get("retention")) {
    if (auto d = v->duration(Duration{1'000}, Duration{100LL * 365 * 86'400'000})) out.retention = *d;
  }
  // A cap on the database file (SQLite max_page_count). Below 1 MiB the schema and the reserve
  // kept for delivery bookkeeping would leave almost nothing for events; 16 TiB is about
  // SQLite's own limit at the default page size.
  if (auto v = map.get("max_size")) {
    if (auto n = v->size(1ULL << 20, 1ULL << 44)) out.max_size = *n;
  }
}

}  // namespace hookgate::config::detail
