// hookgate: flag parsing only; every subcommand lives in gateway/cli/commands.h.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "gateway/cli/commands.h"

int main(int argc, char** argv) {
  using namespace hookgate::gateway::cli;
  using hookgate::gateway::store::EventFilterOptions;
  CLI::App app{"hookgate: a webhook receiving gateway (verify, store durably, deliver)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hookgate 0.1.0");

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Receive, verify and store webhooks");
  serve_cmd->add_option("-c,--config", serve.config_path, "Config file")->required();
  serve_cmd->add_option("--log-level", serve.log_level, "trace|debug|info|warn|error|off (overrides log.level)");
  serve_cmd->add_option("--ready-file", serve.ready_file,
                        "Write FILE (JSON: bound listener URLs, admin URL, reload counts) once serving, and again "
                        "after every SIGHUP");

  std::string check_path;
  auto* check_cmd = app.add_subcommand("check-config", "Validate a config file: prints ok or every error");
  check_cmd->add_option("-c,--config", check_path, "Config file")->required();

  auto* schema_cmd = app.add_subcommand("config-schema", "Print the config file's JSON Schema (docs/config.schema.json)");
  auto* openapi_cmd = app.add_subcommand("openapi", "Print the admin API's OpenAPI 3.1 document (docs/openapi.json)");

  SignOptions sign;
  auto* sign_cmd = app.add_subcommand("sign", "Print the headers a source's vendor would send for a body");
  sign_cmd->add_option("-c,--config", sign.config_path, "Config file")->required();
  sign_cmd->add_option("--source", sign.source, "Source name from the config")->required();
  sign_cmd->add_option("--body", sign.body_path, "Body file ('-' or absent: stdin)");
  sign_cmd->add_option("--id", sign.id, "Delivery/message id to sign (default: generated)");
  sign_cmd->add_option("--timestamp", sign.timestamp, "Unix seconds to sign (default: now)");
  sign_cmd->add_option("--url", sign.url, "Full URL the vendor calls, query included (default: the source's public_url)");
  sign_cmd->add_option("--signed-body", sign.signed_body_path,
                       "Write the signed body here (schemes that sign inside the body)");
  sign_cmd->add_option("--signed-url", sign.signed_url_path,
                       "Write the URL to call here (schemes whose credential is in the URL)");

  bool providers_json = false;
  bool providers_markdown = false;
  auto* providers_cmd = app.add_subcommand("providers", "List every provider preset (one per line)");
  auto* json_flag = providers_cmd->add_flag("--json", providers_json, "A JSON array, for scripts");
  providers_cmd->add_flag("--markdown", providers_markdown, "The Markdown of docs/providers.md")->excludes(json_flag);

  ReceiveOptions receive;
  auto* receive_cmd = app.add_subcommand("receive", "A stand-in destination that prints the webhooks it receives");
  receive_cmd->add_option("--listen", receive.listen, "IP address and port: 127.0.0.1:9000, IPv6 in brackets: [::1]:9000 (port 0: any free port)")->capture_default_str();
  receive_cmd->add_option("--secret", receive.secret, "Check Standard Webhooks signatures with this whsec_ secret");
  receive_cmd->add_option("--status", receive.status, "Status to answer with")->capture_default_str();

  // The filter flags of `events list` and `replay`.
  auto add_filter_flags = [](CLI::App* cmd, EventFilterOptions& filter) {
    cmd->add_option("--source", filter.source, "Only this source");
    cmd->add_option("--destination", filter.destination, "Only deliveries to this destination");
    cmd->add_option("--event-id", filter.event_ids, "An event's evt_… id or the vendor's id (repeatable)");
    cmd->add_option("--status", filter.status, "failed|dead|delivered|skipped|pending|all")->capture_default_str();
    cmd->add_option("--since", filter.since, "RFC 3339 time or a duration ago (2h, 7d)");
    cmd->add_option("--until", filter.until, "RFC 3339 time or a duration ago");
    cmd->add_option("--event-type", filter.event_type, "Glob on the event type (invoice.*)");
    cmd->add_option("--limit", filter.limit, "At most this many events (0: no limit)")->capture_default_str();
  };

  auto* events_cmd = app.add_subcommand("events", "List stored events or show one with its deliveries");
  events_cmd->require_subcommand(1);
  std::string events_config;
  bool events_json = false;
  EventFilterOptions list_filter;
  auto* list_cmd = events_cmd->add_subcommand("list", "Events, newest first");
  list_cmd->add_option("-c,--config", events_config, "Config file")->required();
  list_cmd->add_flag("--json", events_json, "JSON for scripts");
  add_filter_flags(list_cmd, list_filter);
  std::string show_id;
  auto* show_cmd = events_cmd->add_subcommand("show", "One event: headers, body, every delivery and attempt");
  show_cmd->add_option("-c,--config", events_config, "Config file")->required();
  show_cmd->add_option("id", show_id, "evt_… id or the vendor's event id")->required();
  show_cmd->add_flag("--json", events_json, "JSON for scripts");

  ReplayOptions replay;
  auto* destinations_cmd = app.add_subcommand("destinations", "List destinations' states and queues; pause or resume one");
  destinations_cmd->require_subcommand(1);
  std::string destinations_config;
  bool destinations_json = false;
  std::string destination_name;
  auto* dest_list_cmd = destinations_cmd->add_subcommand("list", "State, pending deliveries, oldest pending age");
  dest_list_cmd->add_option("-c,--config", destinations_config, "Config file")->required();
  dest_list_cmd->add_flag("--json", destinations_json, "JSON for scripts");
  auto* dest_pause_cmd = destinations_cmd->add_subcommand("pause", "Stop starting attempts to NAME (stored: every server follows)");
  auto* dest_resume_cmd = destinations_cmd->add_subcommand("resume", "Deliver to NAME again");
  for (auto* cmd : {dest_pause_cmd, dest_resume_cmd}) {
    cmd->add_option("-c,--config", destinations_config, "Config file")->required();
    cmd->add_option("name", destination_name, "Destination")->required();
  }

  auto* replay_cmd = app.add_subcommand("replay", "Send stored events to their destinations again");
  replay_cmd->add_option("-c,--config", replay.config_path, "Config file")->required();
  add_filter_flags(replay_cmd, replay.filter);
  replay_cmd->add_flag("--dry-run", replay.dry_run, "Show what would be replayed; change nothing");
  replay_cmd->add_flag("--deliver", replay.deliver, "Deliver from this process (when no server runs)");

  TransformTestOptions transform_test;
  auto* transform_cmd = app.add_subcommand("transform", "Work with transform scripts");
  transform_cmd->require_subcommand(1);
  auto* transform_test_cmd =
      transform_cmd->add_subcommand("test", "Dry run of a route's transforms on a stored event or a body: prints what would be sent");
  transform_test_cmd->add_option("-c,--config", transform_test.config_path, "Config file")->required();
  transform_test_cmd->add_option("--route", transform_test.route, "The route, N as in routes[N] (0 is the first)")->required();
  auto* event_opt = transform_test_cmd->add_option("--event", transform_test.event_id, "A stored event: evt_… or the vendor's id");
  auto* body_opt = transform_test_cmd->add_option("--body", transform_test.body_path, "A body file instead (- for stdin)");
  event_opt->excludes(body_opt);
  transform_test_cmd->add_option("--type", transform_test.event_type, "With --body: the event type");
  transform_test_cmd->add_option("--content-type", transform_test.content_type, "With --body: its Content-Type");

  CLI11_PARSE(app, argc, argv);
  if (*transform_test_cmd) {
    if (transform_test.event_id.empty() && transform_test.body_path.empty()) {
      std::fprintf(stderr, "transform test: give --event ID or --body FILE\n");
      return 2;
    }
    return run_transform_test(transform_test);
  }
  if (*list_cmd) return run_events_list(events_config, list_filter, events_json);
  if (*show_cmd) return run_events_show(events_config, show_id, events_json);
  if (*dest_list_cmd) return run_destinations_list(destinations_config, destinations_json);
  if (*dest_pause_cmd) return run_destinations_pause(destinations_config, destination_name, true);
  if (*dest_resume_cmd) return run_destinations_pause(destinations_config, destination_name, false);
  if (*replay_cmd) return run_replay(replay);
  if (*serve_cmd) return run_serve(serve);
  if (*check_cmd) return run_check_config(check_path);
  if (*schema_cmd) return run_config_schema();
  if (*openapi_cmd) return run_openapi();
  if (*sign_cmd) return run_sign(sign);
  if (*providers_cmd) {
    return run_providers(providers_json       ? ProvidersFormat::json
                         : providers_markdown ? ProvidersFormat::markdown
                                              : ProvidersFormat::text);
  }
  if (*receive_cmd) return run_receive(receive);
  return 1;
}
