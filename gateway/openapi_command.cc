#include <cstdio>

#include "gateway/admin/admin_api.h"
#include "gateway/commands.h"

namespace hookgate::gateway {

int run_openapi() {
  const std::string document = AdminApi::openapi_document();
  std::fwrite(document.data(), 1, document.size(), stdout);
  return 0;
}

}  // namespace hookgate::gateway
