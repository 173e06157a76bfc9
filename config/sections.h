// One parser per top-level section. Each fills its part of the Config from a Value and
// reports every problem to the Value's Diagnostics; on error it still fills what it can (the
// Config is discarded when any error was reported), so later sections can cross-check names.
#pragma once

#include <optional>
#include <vector>

#include "config/config.h"
#include "config/node_reader.h"

namespace hookgate::config::detail {

void parse_server(const Value& section, ServerConfig& out);
// `server` is used to reject an admin address that a server listener already uses.
void parse_admin(const Value& section, const ServerConfig& server, std::optional<AdminConfig>& out);
void parse_storage(const Value& section, StorageConfig& out);
void parse_log(const Value& section, LogConfig& out);
void parse_sources(const Value& section, std::vector<SourceConfig>& out);
// `limits` are the caps the destinations' transform scripts are compiled under.
void parse_destinations(const Value& section, const transform::Limits& limits, std::vector<DestinationConfig>& out);
// Names in `from` / `to` must exist in `config.sources` / `config.destinations`.
void parse_routes(const Value& section, const Config& config, std::vector<RouteConfig>& out);

// A route's `filter:` map as a filter tree: regexes compiled, limits (filter/filter.h) checked;
// every problem reported at its file:line. On error the result is incomplete (the load fails).
[[nodiscard]] filter::Filter parse_filter(const Value& value);

// transforms: the caps on every run of a script.
void parse_transforms(const Value& section, transform::Limits& out);
// A `transform:` path: the script read and compiled (its top level run once under `limits`);
// null with the error reported at `value`.
[[nodiscard]] std::shared_ptr<const transform::Script> load_transform(const Value& value,
                                                                      const transform::Limits& limits);

// Names in `send[].to` must exist in `config.destinations`.
void parse_alerts(const Value& section, const Config& config, std::optional<AlertsConfig>& out);

// "host:port" as a Listener (no tls).
[[nodiscard]] std::optional<Listener> parse_listen_address_value(const Value& value);
// One listener: "host:port", or {address, tls} (server.listen[i], admin.listen). The value's
// key table must declare `address` and `tls` (keys.cc: listener, admin_listener).
[[nodiscard]] std::optional<Listener> parse_listener(const Value& value);

// A source or destination name, reported at its key when invalid. `what` is "source" or
// "destination".
[[nodiscard]] bool check_name(const MapReader::Entry& entry, std::string_view what);

}  // namespace hookgate::config::detail
