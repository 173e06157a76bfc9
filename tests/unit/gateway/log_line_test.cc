#include "gateway/loop/log_line.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace hookgate::gateway::loop {
namespace {

using namespace std::chrono;

const system_clock::time_point kTime = system_clock::time_point(seconds(1714564800) + microseconds(123456));

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& line) {
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
  return doc;
}

TEST(LogValue, PlainTokensStayQuotedOnesRoundTrip) {
  EXPECT_EQ(log_value("evt_01ABC"), "evt_01ABC");
  EXPECT_EQ(log_value("203.0.113.7:443"), "203.0.113.7:443");
  EXPECT_EQ(log_value(""), R"("")");
  EXPECT_EQ(log_value("connect_failed: Connection refused"), R"("connect_failed: Connection refused")");
  EXPECT_EQ(log_value(R"(a"b\c)"), R"("a\"b\\c")");
  EXPECT_EQ(log_value("k=v"), R"("k=v")");
  EXPECT_EQ(log_value("line\nbreak"), R"("line\nbreak")");
}

TEST(JsonLogLine, FieldsBecomeMembersAndTheRestIsMsg) {
  simdjson::dom::parser parser;
  const std::string line = json_log_line(kTime, "info", 42,
                                         "source=stripe status=200 result=stored id=evt_01 request_id=3.1 "
                                         "peer=127.0.0.1:5000");
  EXPECT_EQ(line,
            R"({"time":"2024-05-01T12:00:00.123456Z","level":"info","thread":42,"msg":"","source":"stripe",)"
            R"("status":200,"result":"stored","id":"evt_01","request_id":"3.1","peer":"127.0.0.1:5000"})");
  const auto doc = parse(parser, line);
  EXPECT_EQ(int64_t(doc["status"]), 200);
  EXPECT_EQ(std::string_view(doc["request_id"]), "3.1");
}

TEST(JsonLogLine, QuotedValuesNumbersWordsAndReservedNames) {
  simdjson::dom::parser parser;
  const std::string text = "admin: event=evt_9 retried deliveries=2 error=" +
                           log_value("connect_failed: \"refused\" \\ here") +
                           " msg=clash code=007 neg=-5 big=1234567890123456 stopped: (synchronous=full)";
  const auto doc = parse(parser, json_log_line(kTime, "warning", 1, text));
  EXPECT_EQ(std::string_view(doc["msg"]), "admin: retried stopped: (synchronous=full)");
  EXPECT_EQ(std::string_view(doc["level"]), "warning");
  EXPECT_EQ(std::string_view(doc["event"]), "evt_9");
  EXPECT_EQ(int64_t(doc["deliveries"]), 2);
  EXPECT_EQ(std::string_view(doc["error"]), "connect_failed: \"refused\" \\ here");
  EXPECT_EQ(std::string_view(doc["field.msg"]), "clash");
  EXPECT_EQ(std::string_view(doc["code"]), "007");               // a leading zero is text
  EXPECT_EQ(int64_t(doc["neg"]), -5);
  EXPECT_EQ(std::string_view(doc["big"]), "1234567890123456");  // past 15 digits: text, no precision lost
}

TEST(JsonLogLine, ControlBytesAndQuotesInTheMessageAreEscaped) {
  simdjson::dom::parser parser;
  const auto doc = parse(parser, json_log_line(kTime, "error", 7,
                                               "SIGHUP: a.yaml:3:1: routes[0].to: unknown destination 'x\"y'\t\x01"));
  EXPECT_EQ(std::string_view(doc["msg"]), "SIGHUP: a.yaml:3:1: routes[0].to: unknown destination 'x\"y'\t\x01");
  EXPECT_EQ(int64_t(doc["thread"]), 7);
}

TEST(JsonLogLine, AnUnterminatedQuoteTakesTheRestAsTheValue) {
  simdjson::dom::parser parser;
  const auto doc = parse(parser, json_log_line(kTime, "info", 1, "detail=\"no end a=b"));
  EXPECT_EQ(std::string_view(doc["detail"]), "no end a=b");
}

}  // namespace
}  // namespace hookgate::gateway::loop
