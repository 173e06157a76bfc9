// The storage section of a loaded config as the store's own options.
#pragma once

#include "config/config.h"
#include "storage/event_store.h"

namespace hookgate::gateway::store {

[[nodiscard]] storage::StoreLocation store_location(const config::StorageConfig& storage);
[[nodiscard]] storage::StoreOptions store_options(const config::StorageConfig& storage);

}  // namespace hookgate::gateway::store
