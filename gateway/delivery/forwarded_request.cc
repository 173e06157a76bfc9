#include "gateway/delivery/forwarded_request.h"

#include <algorithm>
#include <strings.h>

#include "verify/http_fields.h"

namespace hookgate::gateway::delivery {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

HeaderList parse_stored_headers(std::string_view block) {
  HeaderList headers;
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
  HeaderList out;
  out.reserve(stored.size() + destination.headers.size() + 5);  // + the attempt's own headers
  for (auto& [name, value] : stored) {
    if (verify::is_reserved_outbound_field(name)) continue;
    if (destination.forward_headers) {
      const auto& allowed = *destination.forward_headers;
      const bool listed = iequals(name, "content-type") ||
          std::any_of(allowed.begin(), allowed.end(), [&name](const std::string& a) { return iequals(a, name); });
      if (!listed) continue;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  for (const auto& [name, value] : destination.headers) {
    // A configured header replaces a forwarded one of the same name.
    out.erase(std::remove_if(out.begin(), out.end(), [&](const auto& h) { return iequals(h.first, name); }), out.end());
    out.emplace_back(name, value);
  }
  return out;
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
