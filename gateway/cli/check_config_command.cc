#include <cstdio>

#include "config/config.h"
#include "gateway/cli/commands.h"
#include "gateway/connections/tls_context.h"

namespace hookgate::gateway::cli {

int run_check_config(const std::string& config_path) {
  const config::LoadResult loaded = config::load_config(config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::printf("%s\n", error.to_string().c_str());
    return 1;
  }
  // Certificates are read the way `serve` reads them, so that a file serve would refuse is
  // found here too.
  int status = 0;
  const auto& listeners = loaded.config->server.listen;
  for (size_t i = 0; i < listeners.size(); ++i) {
    if (!listeners[i].tls) continue;
    std::string error;
    if (!connections::TlsCertificateSet::load(*listeners[i].tls, error)) {
      const config::ConfigError problem{loaded.config->file, 0, 0, "server.listen[" + std::to_string(i) + "].tls", error};
      std::printf("%s\n", problem.to_string().c_str());
      status = 1;
    }
  }
  if (loaded.config->admin && loaded.config->admin->listen.tls) {
    std::string error;
    if (!connections::TlsCertificateSet::load(*loaded.config->admin->listen.tls, error)) {
      const config::ConfigError problem{loaded.config->file, 0, 0, "admin.listen.tls", error};
      std::printf("%s\n", problem.to_string().c_str());
      status = 1;
    }
  }
  if (status == 0) std::printf("ok\n");
  return status;
}

}  // namespace hookgate::gateway::cli
