// Each limit holds exactly at its boundary, and the parser never buffers past it.
#include <gtest/gtest.h>

#include <string>

#include "feed_harness.h"
#include "gateway/http1/request_parser.h"

namespace hookgate::gateway::http1 {
namespace {

using testing::Outcome;
using testing::parse_all_ways;

constexpr Limits kLimits{.max_header_bytes = 128, .max_headers = 3, .max_body = 50};

// A GET whose head (request line through the final CRLF) is exactly `size` bytes.
std::string head_of_size(std::size_t size) {
  const std::string prefix = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
  const std::string suffix = "\r\n\r\n";
  return prefix + std::string(size - prefix.size() - suffix.size(), 'v') + suffix;
}

TEST(RequestParserLimits, HeadAtTheBudgetIsAcceptedOneMoreByteIsNot) {
  EXPECT_EQ(parse_all_ways(head_of_size(128), kLimits).requests.size(), 1u);
  EXPECT_EQ(parse_all_ways(head_of_size(129), kLimits).error, Error::header_fields_too_large);
}

TEST(RequestParserLimits, TheByteOverTheBudgetIsRejectedWhereverItFalls) {
  // Byte 129 of the head falls inside the named part; nothing after it may be consumed.
  const std::string line = "GET / HTTP/1.1\r\nHost: h\r\n";
  const auto fill = [&](std::string_view before, char c) { return std::string(129 - line.size() - before.size(), c); };
  const struct {
    const char* part;
    std::string head;
  } cases[] = {
      {"field name", line + fill("", 'N') + ": v\r\n\r\n"},
      {"field value", line + "X: " + fill("X: ", 'v') + "\r\n\r\n"},
      {"ows before value", line + "X:" + fill("X:", ' ') + "v\r\n\r\n"},
      {"trailing ows", line + "X: v" + fill("X: v", '\t') + "\r\n\r\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.part);
    const Outcome o = parse_all_ways(c.head, kLimits);
    EXPECT_EQ(o.error, Error::header_fields_too_large);
    EXPECT_EQ(o.consumed, 129u);
  }
  const Outcome target = parse_all_ways("GET /" + std::string(100, 't') + " HTTP/1.1\r\n", kLimits);
  EXPECT_EQ(target.error, Error::uri_too_long);
  EXPECT_EQ(target.consumed, 4u + 64u + 1u);
}

TEST(RequestParserLimits, LeadingEmptyLinesAreNotChargedToTheHead) {
  EXPECT_EQ(parse_all_ways("\r\n\r\n" + head_of_size(128), kLimits).requests.size(), 1u);
}

TEST(RequestParserLimits, TargetAtHalfTheBudgetIsAcceptedOneMoreByteIsNot) {
  const auto request = [](std::size_t target_size) {
    return "GET /" + std::string(target_size - 1, 't') + " HTTP/1.1\r\nHost: h\r\n\r\n";
  };
  const Limits limits{.max_header_bytes = 200, .max_headers = 3, .max_body = 50};
  const Outcome ok = parse_all_ways(request(100), limits);
  ASSERT_EQ(ok.requests.size(), 1u);
  EXPECT_EQ(ok.requests[0].target.size(), 100u);
  EXPECT_EQ(parse_all_ways(request(101), limits).error, Error::uri_too_long);
}

TEST(RequestParserLimits, HeaderCount) {
  EXPECT_EQ(parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", kLimits).requests.size(), 1u);
  EXPECT_EQ(parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", kLimits).error,
            Error::header_fields_too_large);
}

TEST(RequestParserLimits, ContentLengthAtMaxBodyIsAcceptedOneMoreIsNot) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ";
  const Outcome ok = parse_all_ways(head + "50\r\n\r\n" + std::string(50, 'b'), kLimits);
  ASSERT_EQ(ok.requests.size(), 1u);
  EXPECT_EQ(ok.requests[0].body.size(), 50u);
  const Outcome over = parse_all_ways(head + "51\r\n\r\n", kLimits);
  EXPECT_EQ(over.error, Error::payload_too_large);
  EXPECT_FALSE(over.final_headers_complete) << "413 comes with the Content-Length field, before the body";
}

TEST(RequestParserLimits, ChunkedTotalAtMaxBodyIsAcceptedOneMoreIsNot) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string thirty = "1e\r\n" + std::string(30, 'a') + "\r\n";
  const Outcome ok = parse_all_ways(head + thirty + "14\r\n" + std::string(20, 'b') + "\r\n0\r\n\r\n", kLimits);
  ASSERT_EQ(ok.requests.size(), 1u);
  EXPECT_EQ(ok.requests[0].body.size(), 50u);
  EXPECT_EQ(parse_all_ways(head + thirty + "15\r\n", kLimits).error, Error::payload_too_large);
}

TEST(RequestParserLimits, TrailerSectionHasItsOwnBudget) {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  // Trailer section "T: <v>\r\n\r\n" of exactly 128 bytes, then 129.
  const auto trailers = [](std::size_t size) { return "T: " + std::string(size - 7, 'v') + "\r\n\r\n"; };
  EXPECT_EQ(parse_all_ways(head + trailers(128), kLimits).requests.size(), 1u);
  EXPECT_EQ(parse_all_ways(head + trailers(129), kLimits).error, Error::header_fields_too_large);
}

TEST(RequestParserLimits, ZeroLimitsRejectWithoutCrashing) {
  EXPECT_EQ(parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\n\r\n", Limits{0, 100, 1}).error, Error::header_fields_too_large);
  EXPECT_EQ(parse_all_ways("GET / HTTP/1.1\r\nHost: h\r\n\r\n", Limits{16384, 0, 1}).error,
            Error::header_fields_too_large);
  EXPECT_EQ(parse_all_ways("GET / HTTP/1.0\r\n\r\n", Limits{16384, 0, 0}).requests.size(), 1u);
  EXPECT_EQ(parse_all_ways("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx", Limits{16384, 10, 0}).error,
            Error::payload_too_large);
  EXPECT_EQ(parse_all_ways("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
                           Limits{16384, 10, 0})
                .error,
            Error::payload_too_large);
}

TEST(RequestParserLimits, AnEndlessHeaderLineIsCutOffAtTheBudget) {
  // One feed of 4 MiB without a line end: the parser must stop right after the budget rather
  // than copy it all while waiting for CRLF.
  const std::string head = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
  const std::string flood = head + std::string(4 << 20, 'a');
  RequestParser parser;
  EXPECT_EQ(parser.feed(flood), Limits{}.max_header_bytes + 1u);
  EXPECT_EQ(parser.error(), Error::header_fields_too_large);
}

TEST(RequestParserLimits, AnEndlessTargetIsCutOffAtHalfTheBudget) {
  const std::string flood = "GET /" + std::string(4 << 20, 'a');
  RequestParser parser;
  EXPECT_EQ(parser.feed(flood), 4u + Limits{}.max_header_bytes / 2 + 1u);
  EXPECT_EQ(parser.error(), Error::uri_too_long);
}

TEST(RequestParserLimits, EndlessEmptyLinesAreCutOff) {
  RequestParser parser;
  EXPECT_EQ(parser.feed(std::string(1 << 20, '\n')), 1u);
  RequestParser crlf;
  std::string lines;
  for (int i = 0; i < 1000; ++i) lines += "\r\n";
  EXPECT_EQ(crlf.feed(lines), 6u);
  EXPECT_EQ(crlf.error(), Error::bad_request);
}

TEST(RequestParserLimits, ManyTinyChunksAreLinearAndBounded) {
  std::string input = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 100000; ++i) input += "1\r\nz\r\n";
  input += "0\r\n\r\n";
  const Outcome o = testing::feed_in_pieces(input, Limits{.max_header_bytes = 16384, .max_headers = 100, .max_body = 100000},
                                            {});
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].body, std::string(100000, 'z'));
}

}  // namespace
}  // namespace hookgate::gateway::http1
