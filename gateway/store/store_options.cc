#include "gateway/store/store_options.h"

namespace hookgate::gateway::store {

storage::StoreLocation store_location(const config::StorageConfig& storage) {
  storage::StoreLocation location;
  location.path = storage.path;
  location.postgres_url = storage.url;
  return location;
}

storage::StoreOptions store_options(const config::StorageConfig& storage) {
  storage::StoreOptions options;
  static_cast<storage::StoreLocation&>(options) = store_location(storage);
  options.durability =
      storage.synchronous == config::Synchronous::full ? storage::Durability::full : storage::Durability::normal;
  options.max_batch = storage.max_batch;
  options.queue_limit = storage.queue_limit;
  options.max_size_bytes = storage.max_size;
  return options;
}

}  // namespace hookgate::gateway::store
