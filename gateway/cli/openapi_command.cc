#include <cstdio>

#include "gateway/admin/admin_api.h"
#include "gateway/cli/commands.h"

namespace hookgate::gateway::cli {

int run_openapi() {
  const std::string document = admin::AdminApi::openapi_document();
  std::fwrite(document.data(), 1, document.size(), stdout);
  return 0;
}

}  // namespace hookgate::gateway::cli
