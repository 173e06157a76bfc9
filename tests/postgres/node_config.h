// The config of a gateway node in the PostgreSQL tests: a cleartext listener and an admin
// listener on free ports, a signed Stripe source, the given destinations and routes, and
// `storage.url` to the test's database.
#pragma once

#include <string>

namespace hookgate::testing {

inline constexpr const char* kNodeAdminToken = "admin-token-for-the-postgres-tests-0123456789";

inline std::string node_config(const std::string& url, const std::string& destinations, const std::string& routes) {
  return std::string(R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
admin: {listen: "127.0.0.1:0", token: ")") + kNodeAdminToken + R"("}
storage: {url: ")" + url + R"("}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_postgres_nodes"]}}
destinations:
)" + destinations + "routes:\n" + routes;
}

}  // namespace hookgate::testing
