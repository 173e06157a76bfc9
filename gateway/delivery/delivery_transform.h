// A delivery through its transform scripts: the route's (for the event's source), then the
// destination's. They see and may change the headers the destination takes, the body, the
// event type and the URL's path and query; hookgate's own headers (webhook-*, trace) are added
// after, so a signature covers the bytes actually sent. The stored event is never changed: a
// retry or a replay runs the scripts configured then.
#pragma once

#include <string>

#include "config/config.h"
#include "gateway/outbound/http_client.h"
#include "storage/delivery_claims.h"
#include "transform/script.h"

namespace hookgate::gateway::delivery {

struct TransformVerdict {
  transform::Result::Outcome outcome = transform::Result::Outcome::deliver;
  std::string message;                       // skip: the reason; failed: "transform: …"
  transform::Breach breach = transform::Breach::none;
};

[[nodiscard]] bool has_transforms(const config::DestinationConfig& destination, const storage::DueDelivery& delivery);

// `request` holds the destination's headers and the stored body on entry; on deliver, what to
// send (its target set when a script moved it).
[[nodiscard]] TransformVerdict apply_transforms(const config::DestinationConfig& destination,
                                                const storage::DueDelivery& delivery,
                                                outbound::OutboundRequest& request,
                                                const transform::MonotonicNow& now);

}  // namespace hookgate::gateway::delivery
