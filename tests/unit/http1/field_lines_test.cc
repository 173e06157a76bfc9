// The shared field-line parser (gateway/http/field_lines.h) on its own: what it accepts, where it
// fails and with which phrase, and that every split of the input gives the same outcome. Both
// message parsers are tested through it too (request_parser_*_test.cc and
// tests/unit/gateway/outbound_response_parser_test.cc).
#include "gateway/http/field_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookgate::gateway::http {
namespace {

using Event = FieldLineParser::Event;
using Fault = FieldLineParser::Fault;

struct Outcome {
  std::vector<std::pair<std::string, std::string>> fields;
  Event last = Event::need_more;
  Fault fault = Fault::none;
  std::string detail;
  std::size_t consumed = 0;

  bool operator==(const Outcome&) const = default;
};

struct Start {
  SectionLimits limits;
  Section section = Section::header;
  std::uint64_t already_used = 0;
};

// Feeds `input` cut after each of `cuts` (increasing offsets), as an owner would: the rest of a
// piece again after each field, until the section ends or fails.
Outcome run(std::string_view input, const std::vector<std::size_t>& cuts, const Start& start) {
  FieldLineParser parser(start.limits);
  parser.begin(start.section, start.already_used);
  Outcome out;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(input.size());
  for (const std::size_t end : ends) {
    while (from < end && out.last != Event::end && out.last != Event::failed) {
      const FieldLineParser::Result r = parser.feed(input.substr(from, end - from));
      from += r.consumed;
      out.last = r.event;
      if (r.event == Event::field) out.fields.emplace_back(parser.name(), parser.value());
      if (r.event == Event::need_more) {
        EXPECT_EQ(from, end) << "need_more with bytes left";
      }
    }
  }
  out.fault = parser.fault();
  out.detail = std::string(parser.detail());
  out.consumed = from;
  return out;
}

// The whole-input outcome, checked against one byte at a time and every single cut.
Outcome parse_all_ways(std::string_view input, const Start& start = {}) {
  const Outcome whole = run(input, {}, start);
  std::vector<std::size_t> bytes;
  for (std::size_t i = 1; i < input.size(); ++i) bytes.push_back(i);
  EXPECT_EQ(run(input, bytes, start), whole) << "byte at a time";
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    EXPECT_EQ(run(input, {cut}, start), whole) << "cut at " << cut;
  }
  return whole;
}

TEST(FieldLineParser, ReadsFieldsUntilTheEmptyLine) {
  const std::string input = "Host: h\r\nX-A:\t  a b \t\r\nEmpty:\r\n\r\nGET";
  const Outcome o = parse_all_ways(input);
  EXPECT_EQ(o.last, Event::end);
  EXPECT_EQ(o.consumed, input.size() - 3);  // stops after the empty line
  const std::vector<std::pair<std::string, std::string>> expected = {{"Host", "h"}, {"X-A", "a b"}, {"Empty", ""}};
  EXPECT_EQ(o.fields, expected);
}

TEST(FieldLineParser, KeepsObsTextInValues) {
  const Outcome o = parse_all_ways("X: caf\xc3\xa9\r\n\r\n");
  ASSERT_EQ(o.fields.size(), 1u);
  EXPECT_EQ(o.fields[0].second, "caf\xc3\xa9");
}

TEST(FieldLineParser, RefusesEachMalformedLineAtTheOffendingByte) {
  struct Case {
    std::string input;
    std::size_t consumed;
    std::string_view detail;
  };
  const Case cases[] = {
      {" X: a\r\n", 1, "whitespace before first field line"},
      {"X: a\r\n b\r\n", 7, "obs-fold"},
      {"X : a\r\n", 2, "whitespace before colon"},
      {"X@: a\r\n", 2, "invalid field name"},
      {"(X: a\r\n", 1, "invalid field name"},
      {"X: a\nY: b\r\n", 5, "bare LF"},
      {"\n", 1, "bare LF"},
      {"X: a\rY\r\n", 6, "bare CR"},
      {"\rX", 2, "bare CR"},
      {std::string("X: a\0b\r\n", 8), 5, "NUL in field value"},
      {"X: a\x01" "b\r\n", 5, "control character in field value"},
      {"X: a\x7f\r\n", 5, "control character in field value"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.input));
    const Outcome o = parse_all_ways(c.input);
    EXPECT_EQ(o.last, Event::failed);
    EXPECT_EQ(o.fault, Fault::malformed);
    EXPECT_EQ(o.detail, c.detail);
    EXPECT_EQ(o.consumed, c.consumed);
  }
}

TEST(FieldLineParser, ChargesTheBudgetLeftByTheStartLineByteByByte) {
  // 5 bytes already used of 12: "Ab: cd\r\n" needs 8, so its 8th byte (the LF) is the 13th.
  const Start start{{12, 100}, Section::header, 5};
  Outcome o = parse_all_ways("Ab: cd\r\n", start);
  EXPECT_EQ(o.fault, Fault::too_large);
  EXPECT_EQ(o.detail, "header section too large");
  EXPECT_EQ(o.consumed, 8u);

  // Inside a run of name or value bytes, at the same byte.
  o = parse_all_ways("Abcdefgh: x\r\n", start);
  EXPECT_EQ(o.fault, Fault::too_large);
  EXPECT_EQ(o.consumed, 8u);
  o = parse_all_ways("A: bcdefgh\r\n", start);
  EXPECT_EQ(o.consumed, 8u);

  // Exactly at the budget is fine.
  o = parse_all_ways("A:b\r\n", {{10, 100}, Section::header, 5});
  EXPECT_EQ(o.last, Event::field);
  EXPECT_EQ(o.fields.size(), 1u);
}

TEST(FieldLineParser, NamesTheSectionInItsBudgetFaults) {
  Outcome o = parse_all_ways("A: b\r\n\r\n", {{4, 100}, Section::trailer, 0});
  EXPECT_EQ(o.fault, Fault::too_large);
  EXPECT_EQ(o.detail, "trailer section too large");

  o = parse_all_ways("A: b\r\nC: d\r\n", {{100, 1}, Section::header, 0});
  EXPECT_EQ(o.fault, Fault::too_large);
  EXPECT_EQ(o.detail, "too many header fields");
  EXPECT_EQ(o.consumed, 7u);
  o = parse_all_ways("A: b\r\nC: d\r\n", {{100, 1}, Section::trailer, 0});
  EXPECT_EQ(o.detail, "too many trailer fields");
}

TEST(FieldLineParser, BeginStartsANewSection) {
  FieldLineParser parser({100, 1});
  ASSERT_EQ(parser.feed("A: b\r\nC").event, Event::field);
  ASSERT_EQ(parser.feed("C").event, Event::failed);
  EXPECT_EQ(parser.feed("A: b\r\n").consumed, 0u);  // terminal until begin()
  parser.begin(Section::trailer);
  EXPECT_EQ(parser.fault(), Fault::none);
  const FieldLineParser::Result r = parser.feed("A: b\r\n");
  EXPECT_EQ(r.event, Event::field);
  EXPECT_EQ(parser.name(), "A");
  EXPECT_EQ(parser.feed("\r\n").event, Event::end);
  EXPECT_EQ(parser.feed("X").consumed, 0u);
}

}  // namespace
}  // namespace hookgate::gateway::http
