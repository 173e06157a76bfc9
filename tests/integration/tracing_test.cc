// What an operator follows one webhook by: W3C traceparent on every delivery attempt (the
// vendor's trace continued, else one trace per event), and log.format: json lines whose fields
// tie the request (request_id), the stored event (id) and each attempt (attempt_id) together.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <functional>
#include <sstream>
#include <thread>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

std::string config_with(const std::string& destination_url) {
  return R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
log: {level: info, format: json}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_tracing_test"]}}
destinations:
  billing: {url: ")" + destination_url + R"(", retry: {schedule: [100ms, 100ms], jitter: 0}}
routes:
  - {from: stripe, to: billing}
)";
}

std::string post(Gateway& gateway, const std::string& event_id, const Headers& extra) {
  const std::string body = R"({"id":")" + event_id + R"(","object":"event","type":"invoice.paid"})";
  HttpClient client(gateway.port());
  Headers headers = sign_for(gateway.config_path(), "stripe", body, system_clock::now());
  headers.insert(headers.end(), extra.begin(), extra.end());
  const HttpResponse response = client.request("POST", "/in/stripe", headers, body);
  EXPECT_EQ(response.status, 200) << response.body;
  const size_t start = response.body.find("evt_");
  return start == std::string::npos ? "" : response.body.substr(start, 30);
}

// The traceparent's parts: version, trace-id, parent-id, flags.
std::vector<std::string> parts(const std::string& traceparent) {
  std::vector<std::string> out;
  std::stringstream in(traceparent);
  for (std::string part; std::getline(in, part, '-');) out.push_back(part);
  return out;
}

// Calls `each` with every log line, each of which must be one JSON object. (One parser, one
// line at a time: a dom::parser's elements last until its next parse.)
void for_each_json_line(const std::string& log, const std::function<void(simdjson::dom::element)>& each) {
  simdjson::dom::parser parser;
  std::stringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    simdjson::dom::element element;
    EXPECT_EQ(parser.parse(line).get(element), simdjson::SUCCESS) << line;
    each(element);
  }
}

TEST(Tracing, TheVendorsTraceIsContinuedAndEachAttemptIsASpanOfItsOwn) {
  FakeDestination destination([](const ReceivedRequest&, size_t index) {
    ScriptedResponse r;
    r.status = index == 0 ? 503 : 200;
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_with(destination.url()));
  ASSERT_TRUE(gateway.start());
  post(gateway, "evt_traced",
       {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
        {"tracestate", "congo=t61rcWkgMzE"}});
  ASSERT_TRUE(destination.wait_for(2));
  const auto received = destination.received();
  std::vector<std::string> parent_ids;
  for (const ReceivedRequest& attempt : received) {
    const auto p = parts(attempt.header("traceparent"));
    ASSERT_EQ(p.size(), 4u) << attempt.header("traceparent");
    EXPECT_EQ(p[0], "00");
    EXPECT_EQ(p[1], "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(p[3], "01");
    EXPECT_EQ(p[2].size(), 16u);
    EXPECT_NE(p[2], "00f067aa0ba902b7");  // the vendor's span is the parent, not the attempt
    EXPECT_EQ(attempt.header("tracestate"), "congo=t61rcWkgMzE");
    parent_ids.push_back(p[2]);
  }
  EXPECT_NE(parent_ids[0], parent_ids[1]);
}

TEST(Tracing, WithoutAVendorTraceOneEventIsOneTraceAndTheLogTiesItTogether) {
  FakeDestination destination([](const ReceivedRequest&, size_t index) {
    ScriptedResponse r;
    r.status = index == 0 ? 503 : 200;
    return r;
  });
  TempDir dir;
  Gateway gateway(dir, config_with(destination.url()));
  ASSERT_TRUE(gateway.start());
  const std::string public_id = post(gateway, "evt_untraced", {});
  ASSERT_TRUE(destination.wait_for(2));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 1));
  const auto received = destination.received();
  const auto first = parts(received[0].header("traceparent"));
  const auto second = parts(received[1].header("traceparent"));
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(second.size(), 4u);
  EXPECT_EQ(first[1], second[1]);  // one trace per event…
  EXPECT_NE(first[2], second[2]);  // …a span per attempt
  EXPECT_EQ(received[0].header("tracestate"), "");

  // Log lines reach the file through a buffer: wait for the last attempt's.
  const auto deadline = steady_clock::now() + seconds(20);
  while (gateway.occurrences_in_log("\"attempt_id\":\"" + second[2] + "\"") == 0 && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }

  // The stored line carries the request id and the event id; each attempt line the event id,
  // its attempt id (the traceparent's parent-id sent) and the trace id, as JSON members.
  std::string request_id;
  std::vector<std::string> attempt_ids;
  for_each_json_line(gateway.log(), [&](simdjson::dom::element line) {
    std::string_view result, id;
    if (line["result"].get(result) == simdjson::SUCCESS && result == "stored" &&
        line["id"].get(id) == simdjson::SUCCESS && id == public_id) {
      std::string_view value;
      EXPECT_EQ(line["request_id"].get(value), simdjson::SUCCESS);
      request_id = std::string(value);
      int64_t status = 0;
      EXPECT_EQ(line["status"].get(status), simdjson::SUCCESS);  // a number, not "200"
      EXPECT_EQ(status, 200);
    }
    std::string_view event, attempt_id, trace_id;
    if (line["event"].get(event) == simdjson::SUCCESS && event == public_id &&
        line["attempt_id"].get(attempt_id) == simdjson::SUCCESS) {
      EXPECT_EQ(line["trace_id"].get(trace_id), simdjson::SUCCESS);
      EXPECT_EQ(trace_id, first[1]);
      attempt_ids.emplace_back(attempt_id);
    }
  });
  EXPECT_NE(request_id.find('.'), std::string::npos) << request_id;  // "<connection>.<request>"
  EXPECT_EQ(attempt_ids, (std::vector<std::string>{first[2], second[2]}));
}

}  // namespace
}  // namespace hookgate::testing
