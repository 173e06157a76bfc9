#include "gateway/delivery/forwarded_request.h"

#include <algorithm>
#include <strings.h>

#include "verify/http_fields.h"

namespace hookgate::gateway::delivery {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Room parse_stored_headers() leaves for what destination_headers() and add_attempt_headers()
// append (webhook-id, -timestamp, -signature, hookgate-attempt, traceparent, tracestate, and a
// few configured ones).
constexpr size_t kAttemptHeaderRoom = 8;

}  // namespace

HeaderList parse_stored_headers(std::string_view block) {
  HeaderList headers;
  // One line per header: the list is allocated once, with room for the attempt's own headers.
  size_t lines = 0;
  for (size_t at = block.find('\n'); at != std::string_view::npos; at = block.find('\n', at + 1)) ++lines;
  headers.reserve(lines + 1 + kAttemptHeaderRoom);
  while (!block.empty()) {
    const size_t end = block.find("\r\n");
    const std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return headers;
}

HeaderList destination_headers(const config::DestinationConfig& destination, const storage::DueDelivery& delivery) {
  return destination_headers(destination, parse_stored_headers(delivery.headers));
}

HeaderList destination_headers(const config::DestinationConfig& destination, HeaderList stored) {
  // Filtered in place: the stored list already has room for what follows.
  std::erase_if(stored, [&destination](const auto& header) {
    const std::string& name = header.first;
    if (verify::is_reserved_outbound_field(name)) return true;
    if (!destination.forward_headers) return false;
    const auto& allowed = *destination.forward_headers;
    return !iequals(name, "content-type") &&
           std::none_of(allowed.begin(), allowed.end(), [&name](const std::string& a) { return iequals(a, name); });
  });
  for (const auto& [name, value] : destination.headers) {
    // A configured header replaces a forwarded one of the same name.
    std::erase_if(stored, [&name](const auto& h) { return iequals(h.first, name); });
    stored.emplace_back(name, value);
  }
  return stored;
}

void add_attempt_headers(HeaderList& out, const config::DestinationConfig& destination, const std::string& public_id,
                         const std::string& body, int64_t attempt, std::chrono::system_clock::time_point now,
                         const AttemptTrace& trace) {
  verify::SignedHeaders signed_headers;
  if (destination.signer && destination.signer->sign(body, now, public_id, signed_headers)) {
    for (auto& header : signed_headers.headers) out.push_back(std::move(header));
  } else {
    out.emplace_back("webhook-id", public_id);
    out.emplace_back("webhook-timestamp",
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()));
  }
  out.emplace_back("hookgate-attempt", std::to_string(attempt));
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const auto& h) { return iequals(h.first, "traceparent") || iequals(h.first, "tracestate"); }),
            out.end());
  out.emplace_back("traceparent", format_traceparent(trace.traceparent));
  if (trace.tracestate) out.emplace_back("tracestate", *trace.tracestate);
}

}  // namespace hookgate::gateway::delivery
