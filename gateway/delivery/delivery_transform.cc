#include "gateway/delivery/delivery_transform.h"

#include <memory>

namespace hookgate::gateway::delivery {
namespace {

const transform::Script* route_script(const config::DestinationConfig& destination, const std::string& source) {
  const auto it = destination.route_transforms.find(source);
  return it == destination.route_transforms.end() ? nullptr : it->second.get();
}

// The endpoint's "/path?query" split at its first '?'.
void split_target(const std::string& target, std::string& path, std::string& query) {
  const size_t mark = target.find('?');
  path = target.substr(0, mark);
  query = mark == std::string::npos ? std::string() : target.substr(mark + 1);
  if (path.empty()) path = "/";
}

}  // namespace

bool has_transforms(const config::DestinationConfig& destination, const storage::DueDelivery& delivery) {
  return destination.transform != nullptr || route_script(destination, delivery.source) != nullptr;
}

TransformVerdict apply_transforms(const config::DestinationConfig& destination, const storage::DueDelivery& delivery,
                                  outbound::OutboundRequest& request, const transform::MonotonicNow& now) {
  transform::Delivery current;
  current.source = delivery.source;
  current.type = delivery.event_type;
  current.id = delivery.public_id;
  current.headers = std::move(request.headers);
  current.body = request.body ? *request.body : std::string();
  split_target(destination.endpoint.target, current.path, current.query);

  TransformVerdict verdict;
  for (const transform::Script* script : {route_script(destination, delivery.source), destination.transform.get()}) {
    if (script == nullptr) continue;
    transform::Result result = script->run(std::move(current), now);
    if (result.outcome != transform::Result::Outcome::deliver) {
      verdict.outcome = result.outcome;
      verdict.message = std::move(result.message);
      verdict.breach = result.breach;
      return verdict;
    }
    current = std::move(result.delivery);
  }
  request.headers = std::move(current.headers);
  if (!request.body || current.body != *request.body) {
    request.body = std::make_shared<const std::string>(std::move(current.body));
  }
  std::string target = current.path;
  if (!current.query.empty()) target += "?" + current.query;
  if (target != destination.endpoint.target) request.target = std::move(target);
  return verdict;
}

}  // namespace hookgate::gateway::delivery
