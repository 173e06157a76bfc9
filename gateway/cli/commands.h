// The `hookgate` subcommands. Each returns the process exit code. main.cc only parses flags.
#pragma once

#include <optional>
#include <string>

#include "gateway/store/event_filter_options.h"

namespace hookgate::gateway::cli {

struct ServeOptions {
  std::string config_path;
  std::optional<std::string> log_level;  // overrides log.level
  std::string ready_file;                 // empty: none (see ready_file.h)
};
// Runs until SIGTERM/SIGINT, then shuts down gracefully: exit 0. Startup failure: exit 1.
int run_serve(const ServeOptions& options);

// Prints "ok" (exit 0) or every error as "file:line:col: key: message" (exit 1).
int run_check_config(const std::string& config_path);

// Prints the config file's JSON Schema (config/json_schema.h), the text of
// docs/config.schema.json. Exit 0.
int run_config_schema();

// Prints the admin API's OpenAPI 3.1 document (gateway/admin/admin_routes.h), the text of
// docs/openapi.json and of GET /api/openapi.json. Exit 0.
int run_openapi();

struct SignOptions {
  std::string config_path;
  std::string source;
  std::string body_path;  // "-" or empty: stdin
  std::optional<std::string> id;             // delivery/message id; default: generated
  std::optional<std::string> timestamp;      // unix seconds as given; default: now
  std::optional<std::string> url;            // URL the vendor calls; default: the source's public_url
  std::string signed_body_path;              // the body to post (signed, for schemes that sign inside it)
  std::string signed_url_path;               // the URL to call (schemes whose credential is in it)
};
// Prints the headers the source's vendor would send, one "Name: value" per line. Schemes whose
// signature lives in the body (Mailgun, Adyen, Microsoft Graph clientState) need
// signed_body_path: the body as the vendor would send it is written there. Schemes whose
// credential is in the URL (query tokens) need signed_url_path: the URL to call is written there.
// Exit 2: a timestamp that is not a number of unix seconds system_clock can hold.
int run_sign(const SignOptions& options);

struct TransformTestOptions {
  std::string config_path;
  size_t route = 0;                 // routes[N] of the config
  std::string event_id;             // a stored event (evt_… or the vendor's id); else body_path
  std::string body_path;            // "-": stdin
  std::string event_type;           // with body_path
  std::string content_type = "application/json";  // with body_path
};
// Runs routes[N]'s transforms (the route's, then each destination's) on the event and prints,
// per destination, the request that would be sent, or "skipped: …" / "failed: …". Delivers
// and writes nothing. Exit 0; 1 when a script failed or the input could not be read; 2 usage.
int run_transform_test(const TransformTestOptions& options);

enum class ProvidersFormat { text, json, markdown };
// Lists every preset: one per line starting with its name (text), a JSON array (json), or the
// Markdown page committed as docs/providers.md (markdown).
int run_providers(ProvidersFormat format);
// What run_providers prints.
[[nodiscard]] std::string render_providers(ProvidersFormat format);

struct ReceiveOptions {
  std::string listen = "127.0.0.1:9000";
  std::string secret;  // whsec_…: check each request's Standard Webhooks signature (401 when bad)
  int status = 200;    // what to answer
};
// A stand-in destination: prints one line per webhook received and answers `status`.
int run_receive(const ReceiveOptions& options);

// `hookgate events list` (table, or --json) and `hookgate events show ID`. Exit 2: bad filter.
int run_events_list(const std::string& config_path, const store::EventFilterOptions& options, bool json);
int run_events_show(const std::string& config_path, const std::string& id, bool json);

// `hookgate destinations list` (table, or --json): every configured destination's stored
// state (delivering, paused, disabled), pending deliveries and the age of the oldest one's
// event. `pause` / `resume NAME` store the switch that running servers follow (exit 2: a
// destination not in the config).
int run_destinations_list(const std::string& config_path, bool json);
int run_destinations_pause(const std::string& config_path, const std::string& name, bool pause);

struct ReplayOptions {
  std::string config_path;
  store::EventFilterOptions filter;
  bool dry_run = false;
  bool deliver = false;  // deliver in this process (only when no server runs on the database)
};
// Exit 0 on success, 1 on failure, 2 on a bad filter.
int run_replay(const ReplayOptions& options);

}  // namespace hookgate::gateway::cli
