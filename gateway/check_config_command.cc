#include <cstdio>

#include "config/config.h"
#include "gateway/commands.h"

namespace hookgate::gateway {

int run_check_config(const std::string& config_path) {
  const config::LoadResult loaded = config::load_config(config_path);
  if (loaded.config) {
    std::printf("ok\n");
    return 0;
  }
  for (const auto& error : loaded.errors) std::printf("%s\n", error.to_string().c_str());
  return 1;
}

}  // namespace hookgate::gateway
