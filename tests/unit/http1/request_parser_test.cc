// Requests the parser must accept, and what it makes of them. Every input goes through
// parse_all_ways, so each expectation also holds under any split of the bytes.
#include "gateway/http1/request_parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ostream>
#include <string>

#include "feed_harness.h"

namespace hookgate::gateway::http1 {
namespace {

using testing::Outcome;
using testing::parse_all_ways;
using State = RequestParser::State;
using http::Request;

// The single request `input` must parse to, with nothing left over.
Request parse_one(std::string_view input, const Limits& limits = {}) {
  Outcome outcome = parse_all_ways(input, limits);
  EXPECT_EQ(outcome.error, Error::none) << outcome.detail;
  EXPECT_EQ(outcome.requests.size(), 1u);
  EXPECT_EQ(outcome.consumed, input.size());
  if (outcome.requests.empty()) return Request{};
  return std::move(outcome.requests.front());
}

TEST(RequestParser, ParsesSimpleGet) {
  const Request r = parse_one("GET /in/stripe?x=1&y=2 HTTP/1.1\r\nHost: hooks.example.com\r\nUser-Agent: t\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/in/stripe?x=1&y=2");
  EXPECT_EQ(r.path, "/in/stripe");
  EXPECT_EQ(r.query, "x=1&y=2");
  EXPECT_EQ(r.version_minor, 1);
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].name, "Host");
  EXPECT_EQ(r.headers[0].value, "hooks.example.com");
  EXPECT_EQ(r.headers[1].name, "User-Agent");
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.keep_alive);
  EXPECT_FALSE(r.expect_continue);
}

TEST(RequestParser, ParsesPostWithContentLength) {
  const Request r = parse_one(
      "POST /in/github HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"
      "{\"a\":[1,2,3]}");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/in/github");
  EXPECT_EQ(r.query, "");
  EXPECT_EQ(r.body, "{\"a\":[1,2,3]}");
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[2].name, "Content-Length");
  EXPECT_EQ(r.headers[2].value, "13");
}

TEST(RequestParser, ContentLengthZeroAndLeadingZerosAreAccepted) {
  EXPECT_EQ(parse_one("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").body, "");
  EXPECT_EQ(parse_one("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 003\r\n\r\nabc").body, "abc");
}

TEST(RequestParser, RequestWithoutFramingHasEmptyBody) {
  // RFC 9112 §6.3: neither Content-Length nor Transfer-Encoding means a zero-length body.
  const Request r = parse_one("POST /in/x HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.method, "POST");
  EXPECT_TRUE(r.body.empty());
}

TEST(RequestParser, TrimsOwsAroundFieldValuesAndKeepsInnerWhitespaceAndObsText) {
  const Request r = parse_one(
      "GET / HTTP/1.1\r\nHost:h\r\nX-A: \t a  b \t \r\nX-Empty:\r\nX-Blank:  \t \r\nX-Utf8: caf\xc3\xa9\r\n\r\n");
  ASSERT_EQ(r.headers.size(), 5u);
  EXPECT_EQ(r.headers[0].value, "h");
  EXPECT_EQ(r.headers[1].value, "a  b");
  EXPECT_EQ(r.headers[2].value, "");
  EXPECT_EQ(r.headers[3].value, "");
  EXPECT_EQ(r.headers[4].value, "caf\xc3\xa9");
}

TEST(RequestParser, DecodesChunkedBodyWithExtensionsAndDropsTrailers) {
  const Request r = parse_one(
      "POST /in/x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "1 ; a ; b = \"q \\\" d\"\r\n \r\n"
      "A;x=1;flag\r\n0123456789\r\n"
      "0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n");
  EXPECT_EQ(r.body, "hello 0123456789");
  ASSERT_EQ(r.headers.size(), 2u);  // trailer fields are not headers
  EXPECT_EQ(r.headers[1].name, "Transfer-Encoding");
}

TEST(RequestParser, ChunkedAcceptsUpperAndLowerHexAndLeadingZeros) {
  const Request r = parse_one(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "000a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0000\r\n\r\n");
  EXPECT_EQ(r.body, "0123456789abcdefghijk");
}

TEST(RequestParser, ChunkedEmptyBody) {
  EXPECT_EQ(parse_one("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").body, "");
}

TEST(RequestParser, PipelinedRequestsInOneBuffer) {
  const std::string input =
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
      "GET /b?q HTTP/1.1\r\nHost: h\r\n\r\n"
      "\r\n"  // a stray CRLF after a body, tolerated before the next request line
      "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
      "GET /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  const Outcome o = parse_all_ways(input);
  EXPECT_EQ(o.error, Error::none);
  EXPECT_EQ(o.consumed, input.size());
  ASSERT_EQ(o.requests.size(), 4u);
  EXPECT_EQ(o.requests[0].path, "/a");
  EXPECT_EQ(o.requests[0].body, "abc");
  EXPECT_EQ(o.requests[1].path, "/b");
  EXPECT_EQ(o.requests[1].query, "q");
  EXPECT_EQ(o.requests[2].body, "xy");
  EXPECT_EQ(o.requests[3].path, "/d");
  EXPECT_FALSE(o.requests[3].keep_alive);
  EXPECT_EQ(o.final_state, State::reading_head);
}

TEST(RequestParser, FeedStopsAtTheEndOfACompleteRequest) {
  const std::string first = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok";
  const std::string second = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  RequestParser parser;
  const std::string both = first + second;
  EXPECT_EQ(parser.feed(both), first.size());
  EXPECT_EQ(parser.state(), State::complete);
  EXPECT_EQ(parser.feed(second), 0u) << "a complete parser takes nothing more";
  EXPECT_EQ(parser.take_request().body, "ok");
  parser.reset();
  EXPECT_EQ(parser.feed(std::string_view(both).substr(first.size())), second.size());
  ASSERT_EQ(parser.state(), State::complete);
  EXPECT_EQ(parser.take_request().path, "/b");
}

TEST(RequestParser, ChunkedRequestEndsAfterTrailerSection) {
  const std::string request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n";
  RequestParser parser;
  EXPECT_EQ(parser.feed(request + "GET"), request.size());
  EXPECT_EQ(parser.state(), State::complete);
}

TEST(RequestParser, Http10) {
  const Request r = parse_one("POST /x HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(r.version_minor, 0);
  EXPECT_EQ(r.body, "hi");
  EXPECT_FALSE(r.keep_alive);
}

TEST(RequestParser, Http10WithHostIsAlsoFine) {
  EXPECT_EQ(parse_one("GET / HTTP/1.0\r\nHost: h\r\n\r\n").version_minor, 0);
}

TEST(RequestParser, AbsoluteFormSplitsOutPathAndQuery) {
  Request r = parse_one("GET http://hooks.example.com:8080/in/stripe?a=b HTTP/1.1\r\nHost: hooks.example.com\r\n\r\n");
  EXPECT_EQ(r.target, "http://hooks.example.com:8080/in/stripe?a=b");
  EXPECT_EQ(r.path, "/in/stripe");
  EXPECT_EQ(r.query, "a=b");
  r = parse_one("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.query, "");
  r = parse_one("GET http://h?x HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.query, "x");
}

TEST(RequestParser, AsteriskFormForOptions) {
  const Request r = parse_one("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.target, "*");
  EXPECT_EQ(r.path, "*");
}

TEST(RequestParser, TargetIsNeitherDecodedNorNormalised) {
  const Request r = parse_one("GET /in/%2e%2e/./a%20b?q=%00&r=%zz HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.path, "/in/%2e%2e/./a%20b");
  EXPECT_EQ(r.query, "q=%00&r=%zz");
}

TEST(RequestParser, QueryKeepsLaterQuestionMarks) {
  const Request r = parse_one("GET /p??a=?b HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.path, "/p");
  EXPECT_EQ(r.query, "?a=?b");
}

TEST(RequestParser, ExtensionMethodsAreTokens) {
  EXPECT_EQ(parse_one("M-SEARCH / HTTP/1.1\r\nHost: h\r\n\r\n").method, "M-SEARCH");
  EXPECT_EQ(parse_one("get / HTTP/1.1\r\nHost: h\r\n\r\n").method, "get");  // methods are case-sensitive
}

TEST(RequestParser, UpToTwoEmptyLinesBeforeTheRequestLineAreIgnored) {
  EXPECT_EQ(parse_one("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").path, "/");
  EXPECT_EQ(parse_one("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").path, "/");
}

struct KeepAliveCase {
  const char* name;
  const char* request;
  bool keep_alive;
};

void PrintTo(const KeepAliveCase& c, std::ostream* os) { *os << c.name; }

class KeepAlive : public ::testing::TestWithParam<KeepAliveCase> {};

TEST_P(KeepAlive, FollowsVersionAndConnectionHeader) {
  const Request r = parse_one(GetParam().request);
  EXPECT_EQ(r.keep_alive, GetParam().keep_alive);
}

INSTANTIATE_TEST_SUITE_P(
    RequestParser, KeepAlive,
    ::testing::Values(
        KeepAliveCase{"http11_default", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", true},
        KeepAliveCase{"http11_close", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", false},
        KeepAliveCase{"http11_close_mixed_case", "GET / HTTP/1.1\r\nHost: h\r\nConnection: ClOsE\r\n\r\n", false},
        KeepAliveCase{"http11_close_in_list", "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, close\r\n\r\n", false},
        KeepAliveCase{"http11_close_in_second_field",
                      "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false},
        KeepAliveCase{"http11_keep_alive", "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", true},
        KeepAliveCase{"http11_other_token", "GET / HTTP/1.1\r\nHost: h\r\nConnection: x-foo\r\n\r\n", true},
        KeepAliveCase{"http11_empty_list_elements", "GET / HTTP/1.1\r\nHost: h\r\nConnection: , ,\r\n\r\n", true},
        KeepAliveCase{"http10_default", "GET / HTTP/1.0\r\n\r\n", false},
        KeepAliveCase{"http10_keep_alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true},
        KeepAliveCase{"http10_keep_alive_in_list", "GET / HTTP/1.0\r\nConnection: foo,keep-alive\r\n\r\n", true},
        KeepAliveCase{"http10_keep_alive_and_close", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false},
        KeepAliveCase{"http10_close", "GET / HTTP/1.0\r\nConnection: close\r\n\r\n", false}),
    [](const ::testing::TestParamInfo<KeepAliveCase>& param_info) { return std::string(param_info.param.name); });

TEST(RequestParser, ExpectContinueIsReportedBeforeTheBody) {
  const std::string head =
      "POST /in/x HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n";
  RequestParser parser;
  EXPECT_FALSE(parser.headers_complete());
  EXPECT_EQ(parser.feed(head), head.size());
  EXPECT_TRUE(parser.headers_complete());
  EXPECT_EQ(parser.state(), State::reading_body);
  EXPECT_TRUE(parser.request().expect_continue);
  EXPECT_EQ(parser.request().path, "/in/x");
  EXPECT_EQ(parser.feed("da"), 2u);
  EXPECT_EQ(parser.state(), State::reading_body);
  EXPECT_EQ(parser.request().body, "da");
  EXPECT_EQ(parser.feed("ta"), 2u);
  ASSERT_EQ(parser.state(), State::complete);
  const Request r = parser.take_request();
  EXPECT_TRUE(r.expect_continue);
  EXPECT_EQ(r.body, "data");

  EXPECT_TRUE(parse_one(head + "data").expect_continue);
}

TEST(RequestParser, ExpectContinueInHttp10IsIgnored) {
  EXPECT_FALSE(parse_one("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").expect_continue);
}

TEST(RequestParser, BodylessRequestCompletesWithTheHead) {
  RequestParser parser;
  const std::string request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  EXPECT_EQ(parser.feed(request.substr(0, request.size() - 1)), request.size() - 1);
  EXPECT_EQ(parser.state(), State::reading_head);
  EXPECT_FALSE(parser.headers_complete());
  EXPECT_EQ(parser.feed("\n"), 1u);
  EXPECT_EQ(parser.state(), State::complete);
  EXPECT_TRUE(parser.headers_complete());
}

TEST(RequestParser, StartedTellsAnIdleConnectionFromAPartialRequest) {
  RequestParser parser;
  EXPECT_FALSE(parser.started());
  EXPECT_EQ(parser.feed(""), 0u);
  EXPECT_FALSE(parser.started());
  EXPECT_EQ(parser.feed("\r"), 1u);
  EXPECT_TRUE(parser.started());
  parser.reset();
  EXPECT_FALSE(parser.started());
}

TEST(RequestParser, BodyIsPaddedForSimdjsonWithZeros) {
  for (const std::string& input : {
           std::string("GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n{\"a\"}"),
           std::string("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1]\r\n0\r\n\r\n"),
       }) {
    RequestParser parser;
    ASSERT_EQ(parser.feed(input), input.size());
    ASSERT_EQ(parser.state(), State::complete);
    const Request r = parser.take_request();
    ASSERT_GE(r.body.capacity(), r.body.size() + Request::kBodyPadding);
    for (std::size_t i = 0; i < Request::kBodyPadding; ++i) {
      EXPECT_EQ(r.body.data()[r.body.size() + i], '\0') << "padding byte " << i;
    }
  }
}

TEST(RequestParser, LargeBodiesInManyPiecesArePaddedAndExact) {
  std::string body(300000, 'x');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  const std::string cl = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < body.size(); at += 7001) {
    const std::string part = body.substr(at, 7001);
    char size[32];
    std::snprintf(size, sizeof size, "%zx", part.size());
    chunked += std::string(size) + "\r\n" + part + "\r\n";
  }
  chunked += "0\r\n\r\n";
  EXPECT_EQ(parse_one(cl).body, body);
  EXPECT_EQ(parse_one(chunked).body, body);
}

TEST(RequestParser, TakeRequestOutsideCompleteIsEmptyAndHarmless) {
  RequestParser parser;
  EXPECT_EQ(parser.take_request().method, "");
  EXPECT_EQ(parser.feed("GET / HT"), 8u);
  EXPECT_EQ(parser.take_request().method, "");
  EXPECT_EQ(parser.feed("TP/1.1\r\nHost: h\r\n\r\n"), 19u);
  EXPECT_EQ(parser.state(), State::complete);
  EXPECT_EQ(parser.take_request().method, "GET");
}

TEST(RequestParser, ResetAfterErrorStartsClean) {
  RequestParser parser;
  EXPECT_EQ(parser.feed("GET / HTTP/1.1\nHost: h\r\n\r\n"), 15u);
  EXPECT_EQ(parser.state(), State::error);
  parser.reset();
  EXPECT_EQ(parser.error(), Error::none);
  EXPECT_EQ(parser.error_detail(), "");
  const std::string ok = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  EXPECT_EQ(parser.feed(ok), ok.size());
  EXPECT_EQ(parser.state(), State::complete);
}

}  // namespace
}  // namespace hookgate::gateway::http1
