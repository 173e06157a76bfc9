// The request hookgate sends to a destination for one attempt: the original method and body
// byte-exact, the chosen original headers, the destination's own headers and the Standard
// Webhooks headers (webhook-id = the event's public id, stable across retries and replays).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "gateway/delivery/trace_context.h"
#include "storage/delivery_claims.h"

namespace hookgate::gateway::delivery {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Parses the stored "Name: value\r\n" header block.
[[nodiscard]] HeaderList parse_stored_headers(std::string_view block);

// The event's headers the destination takes (its forward_headers, never hop-by-hop or
// hookgate's own) and its configured ones: what a transform script sees and may change.
[[nodiscard]] HeaderList destination_headers(const config::DestinationConfig& destination,
                                             const storage::DueDelivery& delivery);
// The same from the event's headers parsed already (parse_stored_headers), which it consumes.
[[nodiscard]] HeaderList destination_headers(const config::DestinationConfig& destination, HeaderList stored);

// Appends hookgate's own headers of attempt number `attempt`: webhook-id, webhook-timestamp and,
// when the destination signs, webhook-signature over `body` (the bytes sent); hookgate-attempt;
// the trace context (replacing any).
void add_attempt_headers(HeaderList& headers, const config::DestinationConfig& destination, const std::string& public_id,
                         const std::string& body, int64_t attempt, std::chrono::system_clock::time_point now,
                         const AttemptTrace& trace);

}  // namespace hookgate::gateway::delivery
