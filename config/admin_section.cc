// admin: the operator listener. Present only when configured; always token-protected.
#include <utility>

#include "config/sections.h"

namespace hookgate::config::detail {

void parse_admin(const Value& section, const ServerConfig& server, std::optional<AdminConfig>& out) {
  MapReader map(section);
  if (!map.valid()) return;
  AdminConfig admin;
  bool ok = true;
  // Both are required: an admin API without a token would let anyone who can reach the port
  // replay or cancel deliveries.
  // The same forms as one server listener: "IP:port", or {address, tls}.
  if (auto listen = map.require("listen")) {
    if (auto listener = parse_listener(*listen)) {
      for (std::size_t i = 0; i < server.listen.size(); ++i) {
        const auto& other = server.listen[i];
        if (listener->port != 0 && other.host == listener->host && other.port == listener->port) {
          listen->error("address already used by server.listen[" + std::to_string(i) + "]");
        }
      }
      admin.listen = std::move(*listener);
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto token = map.require("token")) {
    if (auto value = token->secret()) {
      admin.token = std::move(*value);
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (ok) out = std::move(admin);
}

}  // namespace hookgate::config::detail
