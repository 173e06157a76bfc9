// A delivery through its scripts: the route's for the event's source, then the destination's;
// what the request carries on each outcome. No I/O: the request is only built.
#include "gateway/delivery/delivery_transform.h"

#include <gtest/gtest.h>

namespace hookgate::gateway::delivery {
namespace {

using Outcome = transform::Result::Outcome;

std::shared_ptr<const transform::Script> script(const std::string& name, const std::string& source) {
  std::string error;
  auto compiled = transform::Script::compile(name, source, {}, error);
  EXPECT_NE(compiled, nullptr) << error;
  return compiled;
}

config::DestinationConfig billing() {
  config::DestinationConfig destination;
  destination.name = "billing";
  destination.endpoint.target = "/hooks?v=1";
  return destination;
}

storage::DueDelivery stripe_event() {
  storage::DueDelivery delivery;
  delivery.public_id = "evt_1";
  delivery.source = "stripe";
  delivery.event_type = "invoice.paid";
  delivery.method = "POST";
  delivery.body = std::make_shared<const std::string>(R"({"amount":5})");
  return delivery;
}

outbound::OutboundRequest request_for(const storage::DueDelivery& delivery) {
  outbound::OutboundRequest request;
  request.method = delivery.method;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = delivery.body;
  return request;
}

transform::MonotonicNow now() {
  return [] { return std::chrono::steady_clock::now(); };
}

TEST(DeliveryTransform, TheRouteScriptRunsFirstAndTheDestinationSeesItsResult) {
  config::DestinationConfig destination = billing();
  destination.route_transforms["stripe"] =
      script("route.lua", "function transform(e) e.headers['x-step'] = 'route' e.type = 'payment' return e end");
  destination.transform = script("dest.lua", R"lua(
    function transform(e)
      e.headers['x-step'] = e.headers['x-step'] .. '+destination:' .. e.type
      e.query = ''
      return e
    end)lua");
  const storage::DueDelivery delivery = stripe_event();
  outbound::OutboundRequest request = request_for(delivery);
  ASSERT_TRUE(has_transforms(destination, delivery));
  const TransformVerdict verdict = apply_transforms(destination, delivery, request, now());
  ASSERT_EQ(verdict.outcome, Outcome::deliver) << verdict.message;
  const transform::Headers expected{{"Content-Type", "application/json"}, {"x-step", "route+destination:payment"}};
  EXPECT_EQ(request.headers, expected);
  EXPECT_EQ(request.target, "/hooks");
  // The body did not change: the stored one is sent, not a copy.
  EXPECT_EQ(request.body.get(), delivery.body.get());
}

TEST(DeliveryTransform, ARouteScriptOnlyTouchesItsSourcesEvents) {
  config::DestinationConfig destination = billing();
  destination.route_transforms["github"] = script("gh.lua", "function transform(e) return nil end");
  const storage::DueDelivery delivery = stripe_event();
  EXPECT_FALSE(has_transforms(destination, delivery));
}

TEST(DeliveryTransform, AnUnchangedTargetStaysTheEndpointsAndANewBodyIsSent) {
  config::DestinationConfig destination = billing();
  destination.transform = script("body.lua", "function transform(e) e.body = 'flat' return e end");
  const storage::DueDelivery delivery = stripe_event();
  outbound::OutboundRequest request = request_for(delivery);
  ASSERT_EQ(apply_transforms(destination, delivery, request, now()).outcome, Outcome::deliver);
  EXPECT_TRUE(request.target.empty());
  ASSERT_NE(request.body, nullptr);
  EXPECT_EQ(*request.body, "flat");
  EXPECT_EQ(*delivery.body, R"({"amount":5})");  // the stored event is untouched
}

TEST(DeliveryTransform, ASkipOrAFailureInTheRouteScriptStopsTheChain) {
  config::DestinationConfig destination = billing();
  destination.route_transforms["stripe"] = script("skip.lua", "function transform(e) return nil, 'not billable' end");
  destination.transform = script("boom.lua", "function transform(e) error('must not run') end");
  const storage::DueDelivery delivery = stripe_event();
  outbound::OutboundRequest request = request_for(delivery);
  TransformVerdict verdict = apply_transforms(destination, delivery, request, now());
  EXPECT_EQ(verdict.outcome, Outcome::skip);
  EXPECT_EQ(verdict.message, "not billable");

  destination.route_transforms["stripe"] = script("loop.lua", "function transform(e) while true do end end");
  request = request_for(delivery);
  verdict = apply_transforms(destination, delivery, request, now());
  EXPECT_EQ(verdict.outcome, Outcome::failed);
  EXPECT_EQ(verdict.breach, transform::Breach::instructions);
  EXPECT_EQ(verdict.message, "transform: instruction limit (1000000)");
}

}  // namespace
}  // namespace hookgate::gateway::delivery
