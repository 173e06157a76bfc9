// `hookgate transform test`: a dry run of a route's transform scripts on a stored event or a
// given body. Prints, for each of the route's destinations, what would be sent (or why not);
// nothing is delivered and nothing is written.
#include <cstdio>

#include "config/config.h"
#include "gateway/cli/body_input.h"
#include "gateway/cli/commands.h"
#include "gateway/cli/operator_queries.h"
#include "gateway/delivery/delivery_transform.h"
#include "gateway/delivery/forwarded_request.h"
#include "gateway/loop/clock.h"

namespace hookgate::gateway::cli {
namespace {

void print_result(const config::DestinationConfig& destination, const delivery::TransformVerdict& verdict,
                  const outbound::OutboundRequest& request) {
  std::printf("== %s\n", destination.name.c_str());
  switch (verdict.outcome) {
    case transform::Result::Outcome::skip: std::printf("skipped: %s\n", verdict.message.c_str()); return;
    case transform::Result::Outcome::failed: std::printf("failed: %s\n", verdict.message.c_str()); return;
    case transform::Result::Outcome::deliver: break;
  }
  const std::string& target = request.target.empty() ? destination.endpoint.target : request.target;
  std::printf("%s %s\n", request.method.c_str(), target.c_str());
  for (const auto& [name, value] : request.headers) std::printf("%s: %s\n", name.c_str(), value.c_str());
  std::printf("\n");
  if (request.body) std::fwrite(request.body->data(), 1, request.body->size(), stdout);
  std::printf("\n");
}

}  // namespace

int run_transform_test(const TransformTestOptions& options) {
  const loop::SystemClock clock;  // the scripts' time limits, as a destination's would run
  OperatorStore store;
  std::shared_ptr<const config::Config> config;
  storage::DueDelivery event;
  if (!options.event_id.empty()) {
    store = open_operator_store(options.config_path, /*read_only=*/true);
    if (!store.queries) return 1;
    config = store.config;
    const auto detail = store.queries->show(options.event_id);
    if (!detail) {
      std::fprintf(stderr, "no stored event %s\n", options.event_id.c_str());
      return 1;
    }
    event.public_id = detail->summary.public_id;
    event.source = detail->summary.source;
    event.event_type = detail->summary.event_type;
    event.method = detail->method;
    event.headers = detail->headers;
    event.body = std::make_shared<const std::string>(detail->body);
  } else {
    const config::LoadResult loaded = config::load_config(options.config_path);
    for (const auto& error : loaded.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
    if (!loaded.config) return 1;
    config = loaded.config;
    std::string body;
    if (!read_body_input(options.body_path, body)) {
      std::fprintf(stderr, "cannot read %s\n", options.body_path.c_str());
      return 1;
    }
    event.public_id = "evt_dry_run";
    event.event_type = options.event_type;
    event.method = "POST";
    event.headers = "Content-Type: " + options.content_type + "\r\n";
    event.body = std::make_shared<const std::string>(std::move(body));
  }
  if (options.route >= config->routes.size()) {
    std::fprintf(stderr, "the config has %zu routes: --route is 0 to %zu (as in routes[N])\n", config->routes.size(),
                 config->routes.empty() ? 0 : config->routes.size() - 1);
    return 2;
  }
  const config::RouteConfig& route = config->routes[options.route];
  if (event.source.empty()) event.source = route.from;
  if (event.source != route.from) {
    std::fprintf(stderr, "event %s came from %s; routes[%zu] takes %s's events\n", event.public_id.c_str(),
                 event.source.c_str(), options.route, route.from.c_str());
    return 2;
  }
  bool all_ran = true;
  for (const std::string& name : route.to) {
    const config::DestinationConfig* destination = config->destination_by_name(name);
    if (destination == nullptr) continue;
    outbound::OutboundRequest request;
    request.method = event.method;
    request.headers = delivery::destination_headers(*destination, event);
    request.body = event.body;
    const delivery::TransformVerdict verdict =
        delivery::apply_transforms(*destination, event, request, [&clock] { return clock.monotonic(); });
    print_result(*destination, verdict, request);
    all_ran = all_ran && verdict.outcome != transform::Result::Outcome::failed;
  }
  return all_ran ? 0 : 1;
}

}  // namespace hookgate::gateway::cli
