#include <cstdio>

#include "config/json_schema.h"
#include "gateway/cli/commands.h"

namespace hookgate::gateway::cli {

int run_config_schema() {
  const std::string schema = config::config_json_schema();
  std::fwrite(schema.data(), 1, schema.size(), stdout);
  return 0;
}

}  // namespace hookgate::gateway::cli
