#include "gateway/store/event_json.h"

#include <simdjson.h>
#include <sodium.h>

#include "gateway/store/event_filter_options.h"
#include "verify/json_text.h"

namespace hookgate::gateway::store {
namespace {

std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

void append_optional_int(std::string& out, const std::optional<int64_t>& value) {
  out += value ? std::to_string(*value) : std::string("null");
}

}  // namespace

void append_delivery_json(std::string& out, const storage::DeliverySummary& d) {
  out += "{\"id\":" + std::to_string(d.id) + ",\"destination\":";
  verify::append_json_string(out, d.destination);
  out += ",\"state\":\"" + d.state + "\",\"attempts\":" + std::to_string(d.attempts);
  out += ",\"next_attempt_at\":" + (d.next_attempt_at_ms ? "\"" + format_time_ms(*d.next_attempt_at_ms) + "\"" : std::string("null"));
  out += ",\"last_status\":";
  append_optional_int(out, d.last_status);
  out += ",\"last_error\":";
  verify::append_json_string(out, d.last_error);
  out += "}";
}

void append_event_json(std::string& out, const storage::EventSummary& e) {
  out += "{\"id\":\"" + e.public_id + "\",\"source\":";
  verify::append_json_string(out, e.source);
  out += ",\"vendor_event_id\":";
  verify::append_json_string(out, e.vendor_event_id);
  out += ",\"event_type\":";
  verify::append_json_string(out, e.event_type);
  out += ",\"received_at\":\"" + format_time_ms(e.received_at_ms) + "\",\"body_bytes\":" + std::to_string(e.body_bytes);
  out += ",\"deliveries\":[";
  for (size_t i = 0; i < e.deliveries.size(); ++i) {
    if (i) out += ",";
    append_delivery_json(out, e.deliveries[i]);
  }
  out += "]}";
}

void append_event_detail_json(std::string& out, const storage::EventDetail& detail) {
  append_event_json(out, detail.summary);
  out.pop_back();  // reopen the object to add the details
  out += ",\"method\":";
  verify::append_json_string(out, detail.method);
  out += ",\"path\":";
  verify::append_json_string(out, detail.path);
  out += ",\"query\":";
  verify::append_json_string(out, detail.query);
  out += ",\"headers\":";
  verify::append_json_string(out, detail.headers);
  if (simdjson::validate_utf8(detail.body.data(), detail.body.size())) {
    out += ",\"body\":";
    verify::append_json_string(out, detail.body);
  } else {
    out += ",\"body\":null,\"body_base64\":\"" + base64(detail.body) + "\"";
  }
  out += ",\"attempts\":[";
  for (size_t i = 0; i < detail.attempts.size(); ++i) {
    const auto& a = detail.attempts[i];
    if (i) out += ",";
    out += "{\"delivery_id\":" + std::to_string(a.delivery_id) + ",\"started_at\":\"" + format_time_ms(a.started_at_ms) +
           "\",\"duration_ms\":" + std::to_string(a.duration_us / 1000) + ",\"status\":";
    append_optional_int(out, a.status);
    out += ",\"error\":";
    verify::append_json_string(out, a.error);
    out += ",\"response_excerpt\":";
    verify::append_json_string(out, a.response_excerpt);
    out += "}";
  }
  out += "]}";
}

}  // namespace hookgate::gateway::store
