#include "storage/store_location.h"

#include <libpq-fe.h>

#include <memory>

namespace hookgate::storage {

std::string StoreLocation::display() const {
  if (!is_postgres()) return path;
  // Rebuilt from libpq's own parse of the string, with only the options that say where the
  // database is: no user, no password, nothing from a passfile.
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(postgres_url.c_str(), &error), &PQconninfoFree);
  if (error != nullptr) PQfreemem(error);
  if (!options) return "postgresql://(unparsable connection string)";
  std::string host, port, dbname;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "host" || (keyword == "hostaddr" && host.empty())) host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") dbname = option->val;
  }
  std::string shown = "postgresql://" + (host.empty() ? std::string("localhost") : host);
  if (!port.empty()) shown += ":" + port;
  return shown + "/" + dbname;
}

}  // namespace hookgate::storage
