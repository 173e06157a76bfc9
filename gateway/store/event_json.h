// The JSON shape of events, deliveries and attempts, shared by `hookgate events --json` and
// the admin API so scripts see one format.
#pragma once

#include <string>

#include "storage/event_queries.h"

namespace hookgate::gateway::store {

void append_delivery_json(std::string& out, const storage::DeliverySummary& delivery);
// {"id":"evt_…","source":…,"deliveries":[…]}
void append_event_json(std::string& out, const storage::EventSummary& event);
// The summary's fields plus method, path, query, headers, body and attempts. A body that is
// not valid UTF-8 is given as "body_base64" (and "body" is null), so the output stays JSON.
void append_event_detail_json(std::string& out, const storage::EventDetail& detail);

}  // namespace hookgate::gateway::store
