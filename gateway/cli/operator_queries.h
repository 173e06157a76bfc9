// The store of a config file, opened for an operator's command (`events`, `destinations`):
// config errors and open failures are printed to stderr as they are, once.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "storage/event_queries.h"

namespace hookgate::gateway::cli {

struct OperatorStore {
  std::shared_ptr<const config::Config> config;
  std::unique_ptr<storage::EventQueries> queries;  // null when the config or the store failed
};

[[nodiscard]] OperatorStore open_operator_store(const std::string& config_path, bool read_only);

}  // namespace hookgate::gateway::cli
