#include "gateway/connections/exchange.h"

namespace hookgate::gateway::connections {

Response error_response(int status, std::string_view reason) {
  Response response;
  response.status = status;
  response.body.reserve(reason.size() + 12);
  response.body.append("{\"error\":\"").append(reason).append("\"}");
  return response;
}

}  // namespace hookgate::gateway::connections
