#include "gateway/cli/operator_queries.h"

#include <cstdio>

#include "gateway/store/store_options.h"

namespace hookgate::gateway::cli {

OperatorStore open_operator_store(const std::string& config_path, bool read_only) {
  OperatorStore out;
  const config::LoadResult loaded = config::load_config(config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
    return out;
  }
  out.config = loaded.config;
  std::string error;
  out.queries = storage::EventQueries::open(store::store_location(loaded.config->storage), read_only, error);
  if (!out.queries) std::fprintf(stderr, "%s\n", error.c_str());
  return out;
}

}  // namespace hookgate::gateway::cli
