// The outbound response parser against a table of valid and malformed responses, each fed whole,
// one byte at a time, split at every cut point (and at every pair of cut points when short):
// every way of splitting must give the same outcome.
#include "gateway/outbound/response_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace hookgate::gateway::outbound {
namespace {

using State = ResponseParser::State;
using Error = ResponseParser::Error;

struct Outcome {
  State state = State::reading_head;
  Error error = Error::none;
  std::string detail;
  Response response;
  bool headers_complete = false;
  size_t consumed = 0;
};

std::string describe(const Outcome& o) {
  std::ostringstream out;
  out << "state=" << static_cast<int>(o.state) << " error=" << to_string(o.error) << " detail=" << o.detail
      << " consumed=" << o.consumed << " headers_complete=" << o.headers_complete;
  if (o.headers_complete) {
    out << " status=" << o.response.status << " minor=" << o.response.version_minor
        << " framing=" << static_cast<int>(o.response.framing) << " keep_alive=" << o.response.keep_alive
        << " body_size=" << o.response.body_size << " excerpt=[" << o.response.body_excerpt << "]";
    for (const auto& [name, value] : o.response.headers) out << " {" << name << ": " << value << "}";
  }
  return out.str();
}

// Feeds `input` cut after each of `cuts` (absolute offsets, increasing), the way the client
// does: stop feeding once the parser stops consuming. Then finish() when `eof`.
Outcome feed_with_cuts(std::string_view input, const ResponseLimits& limits, bool head_request, bool eof,
                       const std::vector<size_t>& cuts) {
  ResponseParser parser(limits);
  parser.reset(head_request);
  Outcome out;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(input.size());
  for (const size_t end : ends) {
    if (end < start) continue;
    std::string_view piece = input.substr(start, end - start);
    start = end;
    const State before = parser.state();
    if (before == State::complete || before == State::error) break;
    const size_t used = parser.feed(piece);
    out.consumed += used;
    const State after = parser.state();
    if ((after == State::reading_head || after == State::reading_body) && used != piece.size()) {
      ADD_FAILURE() << "parser left " << piece.size() - used << " bytes while still reading";
      break;
    }
    if (used != piece.size()) break;
  }
  if (eof) parser.finish();
  out.state = parser.state();
  out.error = parser.error();
  out.detail = std::string(parser.error_detail());
  out.headers_complete = parser.headers_complete();
  out.response = parser.response();
  return out;
}

Outcome parse_all_ways(std::string_view input, const ResponseLimits& limits = {}, bool head_request = false,
                       bool eof = false) {
  const Outcome whole = feed_with_cuts(input, limits, head_request, eof, {});
  const std::string expected = describe(whole);
  std::vector<size_t> bytewise;
  for (size_t i = 1; i < input.size(); ++i) bytewise.push_back(i);
  EXPECT_EQ(describe(feed_with_cuts(input, limits, head_request, eof, bytewise)), expected) << "byte by byte";
  for (size_t i = 0; i <= input.size(); ++i) {
    EXPECT_EQ(describe(feed_with_cuts(input, limits, head_request, eof, {i})), expected) << "cut at " << i;
  }
  if (input.size() <= 96) {
    for (size_t i = 1; i < input.size(); ++i) {
      for (size_t j = i + 1; j < input.size(); ++j) {
        const Outcome split = feed_with_cuts(input, limits, head_request, eof, {i, j});
        if (describe(split) != expected) {
          ADD_FAILURE() << "cuts at " << i << "," << j << ": " << describe(split) << "\nexpected " << expected;
          return whole;
        }
      }
    }
  }
  return whole;
}

// ---------------------------------------------------------------------------------------------
// Valid responses.

struct Valid {
  std::string name;
  std::string input;
  int status;
  std::string excerpt;
  bool keep_alive;
  BodyFraming framing;
  bool eof = false;           // the peer closes after `input`
  bool head_request = false;  // the request was HEAD
  size_t trailing = 0;        // bytes after the response that the parser must leave alone
  ResponseLimits limits = {};
};

void PrintTo(const Valid& c, std::ostream* os) { *os << c.name; }

const std::string kOk = "HTTP/1.1 200 OK\r\n";

std::vector<Valid> valid_responses() {
  const std::string big(3000, 'x');
  return {
      {"content_length", kOk + "Content-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello", 200, "hello", true,
       BodyFraming::content_length},
      {"content_length_zero", kOk + "Content-Length: 0\r\n\r\n", 200, "", true, BodyFraming::content_length},
      {"chunked", kOk + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 200, "hello world",
       true, BodyFraming::chunked},
      {"chunked_upper_hex_and_case", kOk + "transfer-encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", 200,
       "0123456789", true, BodyFraming::chunked},
      {"chunked_extensions_and_trailers",
       kOk + "Transfer-Encoding: chunked\r\n\r\n3;name=\"v\";x\r\nabc\r\n3 ; y\r\ndef\r\n0\r\nX-Checksum: 1\r\nX-More: 2\r\n\r\n",
       200, "abcdef", true, BodyFraming::chunked},
      {"chunked_leading_zeros", kOk + "Transfer-Encoding: chunked\r\n\r\n0003\r\nabc\r\n000\r\n\r\n", 200, "abc", true,
       BodyFraming::chunked},
      {"close_delimited", kOk + "Content-Type: text/plain\r\n\r\nuntil close", 200, "until close", false,
       BodyFraming::until_close, true},
      {"close_delimited_empty", kOk + "\r\n", 200, "", false, BodyFraming::until_close, true},
      {"no_content", "HTTP/1.1 204 No Content\r\n\r\n", 204, "", true, BodyFraming::none},
      {"no_content_announcing_body_is_not_reused", "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n", 204, "",
       false, BodyFraming::none, false, false, 0},
      {"not_modified_with_length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", 304, "", true,
       BodyFraming::none},
      {"head_response_with_length", kOk + "Content-Length: 100\r\n\r\n", 200, "", true, BodyFraming::none, false, true},
      {"head_response_chunked", kOk + "Transfer-Encoding: chunked\r\n\r\n", 200, "", true, BodyFraming::none, false,
       true},
      {"continue_then_ok", "HTTP/1.1 100 Continue\r\n\r\n" + kOk + "Content-Length: 2\r\n\r\nok", 200, "ok", true,
       BodyFraming::content_length},
      {"several_interim_responses",
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
       "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
       201, "", true, BodyFraming::content_length},
      {"http10_closes", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, "ok", false,
       BodyFraming::content_length},
      {"http10_keep_alive", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", 200, "ok",
       true, BodyFraming::content_length},
      {"http11_connection_close", kOk + "Connection: close\r\nContent-Length: 2\r\n\r\nok", 200, "ok", false,
       BodyFraming::content_length},
      {"connection_list_with_close", kOk + "Connection: upgrade, , CLOSE\r\nContent-Length: 0\r\n\r\n", 200, "",
       false, BodyFraming::content_length},
      {"http11_higher_minor", "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n", 200, "", true,
       BodyFraming::content_length},
      {"no_reason_phrase", "HTTP/1.1 503\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n", 503, "", true,
       BodyFraming::content_length},
      {"empty_reason_phrase", "HTTP/1.1 503 \r\nContent-Length: 0\r\n\r\n", 503, "", true,
       BodyFraming::content_length},
      {"reason_with_obs_text_and_tab", "HTTP/1.1 404 Nicht\tgefunden \xe2\x9c\x97\r\nContent-Length: 0\r\n\r\n", 404,
       "", true, BodyFraming::content_length},
      {"value_ows_trimmed", kOk + "Content-Length:    2  \t\r\n\r\nok", 200, "ok", true, BodyFraming::content_length},
      {"trailing_bytes_left_alone", kOk + "Content-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n", 200, "ok", true,
       BodyFraming::content_length, false, false, 17},
      {"excerpt_truncated", kOk + "Content-Length: 3000\r\n\r\n" + big, 200, std::string(16, 'x'), true,
       BodyFraming::content_length, false, false, 0, ResponseLimits{.excerpt_bytes = 16}},
      {"chunked_excerpt_across_chunks", kOk + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n",
       200, "abcdef", true, BodyFraming::chunked, false, false, 0, ResponseLimits{.excerpt_bytes = 6}},
      {"head_exactly_at_budget", "HTTP/1.1 200 OK\r\nA: b\r\n\r\n", 200, "", false, BodyFraming::until_close, true,
       false, 0, ResponseLimits{.max_header_bytes = 25}},
  };
}

class ResponseParserValid : public ::testing::TestWithParam<Valid> {};

TEST_P(ResponseParserValid, ParsesUnderEverySplit) {
  const Valid& c = GetParam();
  const Outcome out = parse_all_ways(c.input, c.limits, c.head_request, c.eof);
  ASSERT_EQ(out.state, State::complete) << describe(out);
  EXPECT_EQ(out.error, Error::none);
  EXPECT_EQ(out.response.status, c.status);
  EXPECT_EQ(out.response.body_excerpt, c.excerpt);
  EXPECT_EQ(out.response.keep_alive, c.keep_alive);
  EXPECT_EQ(out.response.framing, c.framing);
  EXPECT_EQ(out.consumed, c.input.size() - c.trailing);
}

INSTANTIATE_TEST_SUITE_P(ResponseParserTable, ResponseParserValid, ::testing::ValuesIn(valid_responses()),
                         [](const auto& test) { return test.param.name; });

TEST(ResponseParser, HeadersKeptInOrderAndLookedUpCaseInsensitively) {
  const Outcome out = parse_all_ways("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nX-A: 1\r\n"
                                     "x-a: 2\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(out.state, State::complete);
  ASSERT_EQ(out.response.headers.size(), 4u);
  EXPECT_EQ(out.response.headers[0].first, "Retry-After");
  EXPECT_EQ(out.response.header("retry-after"), "120");
  EXPECT_EQ(out.response.header("X-A"), "1");  // the first of several
  EXPECT_FALSE(out.response.header("missing").has_value());
}

TEST(ResponseParser, InterimHeadersAndTrailersAreDropped) {
  const Outcome out = parse_all_ways("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + kOk +
                                     "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Trailer: t\r\n\r\n");
  ASSERT_EQ(out.state, State::complete);
  ASSERT_EQ(out.response.headers.size(), 1u);
  EXPECT_EQ(out.response.headers[0].first, "Transfer-Encoding");
}

TEST(ResponseParser, BodySizeCountsEveryDecodedByte) {
  ResponseParser parser(ResponseLimits{.excerpt_bytes = 4});
  parser.reset();
  const std::string input = kOk + "Transfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
  EXPECT_EQ(parser.feed(input), input.size());
  EXPECT_EQ(parser.state(), State::complete);
  EXPECT_EQ(parser.response().body_size, 16u);
  EXPECT_EQ(parser.response().body_excerpt, "0123");
}

TEST(ResponseParser, StatesAlongTheWay) {
  ResponseParser parser;
  parser.reset();
  EXPECT_EQ(parser.state(), State::reading_head);
  EXPECT_FALSE(parser.started());
  parser.feed("HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_TRUE(parser.started());
  EXPECT_EQ(parser.state(), State::reading_head);  // interim responses do not count
  EXPECT_FALSE(parser.headers_complete());
  parser.feed(kOk + "Content-Length: 4\r\n\r\nab");
  EXPECT_EQ(parser.state(), State::reading_body);
  EXPECT_EQ(parser.response().status, 200);
  parser.feed("cd");
  EXPECT_EQ(parser.state(), State::complete);
  EXPECT_EQ(parser.feed("more"), 0u);
  parser.finish();  // no effect once complete
  EXPECT_EQ(parser.state(), State::complete);

  parser.reset();  // the next response on the same connection
  EXPECT_EQ(parser.state(), State::reading_head);
  EXPECT_FALSE(parser.started());
  EXPECT_EQ(parser.response().status, 0);
}

TEST(ResponseParser, CloseDelimitedBodyNeedsEof) {
  const Outcome open = parse_all_ways(kOk + "\r\nbody so far");
  EXPECT_EQ(open.state, State::reading_body);
  EXPECT_EQ(open.response.body_excerpt, "body so far");
  const Outcome closed = parse_all_ways(kOk + "\r\nbody so far", {}, false, true);
  EXPECT_EQ(closed.state, State::complete);
  EXPECT_FALSE(closed.response.keep_alive);
}

// ---------------------------------------------------------------------------------------------
// Malformed, truncated and oversized responses.

struct Bad {
  std::string name;
  std::string input;
  Error error;
  std::string detail = {};  // checked when not empty
  ResponseLimits limits = {};
  bool eof = false;
};

void PrintTo(const Bad& c, std::ostream* os) { *os << c.name; }

const ResponseLimits kSmall{.max_header_bytes = 64, .max_headers = 3, .excerpt_bytes = 8};
const std::string kChunkedHead = kOk + "Transfer-Encoding: chunked\r\n\r\n";

std::vector<Bad> bad_responses() {
  return {
      // Status line.
      {"empty_line_first", "\r\n" + kOk + "\r\n", Error::malformed, "malformed status line"},
      {"lf_first", "\n" + kOk, Error::malformed, "bare LF"},
      {"lowercase_http", "http/1.1 200 OK\r\n\r\n", Error::malformed, "malformed HTTP version"},
      {"http2", "HTTP/2.0 200 OK\r\n\r\n", Error::malformed, "unsupported HTTP version"},
      {"http09_garbage", "<html>hello</html>", Error::malformed, "malformed HTTP version"},
      {"icy", "ICY 200 OK\r\n\r\n", Error::malformed, "malformed HTTP version"},
      {"version_too_long", "HTTP/1.10 200 OK\r\n\r\n", Error::malformed, "malformed HTTP version"},
      {"no_status", "HTTP/1.1\r\n\r\n", Error::malformed},
      {"double_space", "HTTP/1.1  200 OK\r\n\r\n", Error::malformed, "malformed status code"},
      {"two_digit_status", "HTTP/1.1 20 OK\r\n\r\n", Error::malformed, "malformed status code"},
      {"four_digit_status", "HTTP/1.1 2000 OK\r\n\r\n", Error::malformed, "malformed status code"},
      {"status_below_100", "HTTP/1.1 099 Huh\r\n\r\n", Error::malformed, "malformed status code"},
      {"status_above_599", "HTTP/1.1 600 Huh\r\n\r\n", Error::malformed, "malformed status code"},
      {"status_letters", "HTTP/1.1 2OO OK\r\n\r\n", Error::malformed, "malformed status code"},
      {"status_line_bare_lf", "HTTP/1.1 200 OK\n\r\n", Error::malformed, "bare LF"},
      {"status_line_bare_cr", "HTTP/1.1 200 OK\rX\n\r\n", Error::malformed, "bare CR"},
      {"reason_control_char", "HTTP/1.1 200 O\x01K\r\n\r\n", Error::malformed, "control character in reason phrase"},
      {"switching_protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", Error::malformed,
       "unexpected 101 switching protocols"},

      // Header section.
      {"field_bare_lf", kOk + "Content-Length: 0\n\r\n", Error::malformed, "bare LF"},
      {"field_bare_cr", kOk + "Content-Length: 0\rX\r\n\r\n", Error::malformed, "bare CR"},
      {"end_bare_lf", kOk + "Content-Length: 0\r\n\n", Error::malformed, "bare LF"},
      {"end_bare_cr", kOk + "Content-Length: 0\r\n\rX", Error::malformed, "bare CR"},
      {"obs_fold", kOk + "X-A: 1\r\n 2\r\n\r\n", Error::malformed, "obs-fold"},
      {"space_before_first_field", kOk + " X-A: 1\r\n\r\n", Error::malformed, "whitespace before first field line"},
      {"space_before_colon", kOk + "Content-Length : 0\r\n\r\n", Error::malformed, "whitespace before colon"},
      {"invalid_name_char", kOk + "X(A): 1\r\n\r\n", Error::malformed, "invalid field name"},
      {"empty_name", kOk + ": 1\r\n\r\n", Error::malformed, "invalid field name"},
      {"no_colon", kOk + "X-A\r\n\r\n", Error::malformed, "invalid field name"},
      {"nul_in_value", kOk + std::string("X-A: a\0b\r\n\r\n", 12), Error::malformed, "NUL in field value"},
      {"control_in_value", kOk + "X-A: a\x7f b\r\n\r\n", Error::malformed, "control character in field value"},
      {"invalid_connection", kOk + "Connection: close, @\r\n\r\n", Error::malformed, "invalid connection"},

      // Framing.
      {"cl_then_te", kOk + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Error::malformed,
       "content-length with transfer-encoding"},
      {"te_then_cl", kOk + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", Error::malformed,
       "content-length with transfer-encoding"},
      {"cl_duplicate", kOk + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nok", Error::malformed,
       "duplicate content-length"},
      {"cl_list", kOk + "Content-Length: 2, 2\r\n\r\nok", Error::malformed, "invalid content-length"},
      {"cl_negative", kOk + "Content-Length: -1\r\n\r\n", Error::malformed, "invalid content-length"},
      {"cl_plus", kOk + "Content-Length: +2\r\n\r\nok", Error::malformed, "invalid content-length"},
      {"cl_empty", kOk + "Content-Length:\r\n\r\n", Error::malformed, "invalid content-length"},
      {"cl_overflow", kOk + "Content-Length: 18446744073709551616\r\n\r\n", Error::malformed,
       "invalid content-length"},
      {"te_gzip", kOk + "Transfer-Encoding: gzip\r\n\r\n", Error::malformed, "unsupported transfer-encoding"},
      {"te_gzip_chunked", kOk + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", Error::malformed,
       "unsupported transfer-encoding"},
      {"te_chunked_twice_in_list", kOk + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", Error::malformed,
       "unsupported transfer-encoding"},
      {"te_repeated", kOk + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       Error::malformed, "repeated transfer-encoding"},
      {"te_in_http10", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Error::malformed,
       "transfer-encoding in HTTP/1.0"},

      // Chunked body.
      {"chunk_size_not_hex", kChunkedHead + "zz\r\n", Error::malformed, "invalid chunk size"},
      {"chunk_size_empty", kChunkedHead + "\r\n", Error::malformed, "invalid chunk size"},
      {"chunk_size_negative", kChunkedHead + "-1\r\n", Error::malformed, "invalid chunk size"},
      {"chunk_size_17_digits", kChunkedHead + "00000000000000001\r\nx\r\n0\r\n\r\n", Error::malformed,
       "chunk size too long"},
      {"chunk_size_bare_lf", kChunkedHead + "1\nx\r\n0\r\n\r\n", Error::malformed, "bare LF"},
      {"chunk_size_trailing_space", kChunkedHead + "1 \r\nx\r\n0\r\n\r\n", Error::malformed, "invalid chunk size"},
      {"chunk_size_0x_prefix", kChunkedHead + "0x1\r\nx\r\n0\r\n\r\n", Error::malformed, "invalid chunk size"},
      {"chunk_ext_bare_lf", kChunkedHead + "1;a=b\nx\r\n0\r\n\r\n", Error::malformed, "bare LF"},
      {"chunk_ext_control", kChunkedHead + "1;a\x01\r\nx\r\n0\r\n\r\n", Error::malformed,
       "malformed chunk extension"},
      {"chunk_data_too_long", kChunkedHead + "1\r\nxy\r\n0\r\n\r\n", Error::malformed,
       "missing CRLF after chunk data"},
      {"chunk_data_bare_cr", kChunkedHead + "1\r\nx\rX0\r\n\r\n", Error::malformed, "bare CR"},
      {"trailer_obs_fold", kChunkedHead + "0\r\nX-T: 1\r\n 2\r\n\r\n", Error::malformed, "obs-fold"},
      {"trailer_bare_lf", kChunkedHead + "0\r\nX-T: 1\n\r\n", Error::malformed, "bare LF"},

      // Budgets.
      {"head_too_large", kOk + "X-Big: " + std::string(100, 'v') + "\r\n\r\n", Error::head_too_large,
       "header section too large", kSmall},
      {"long_reason_too_large", "HTTP/1.1 200 " + std::string(100, 'r') + "\r\n\r\n", Error::head_too_large,
       "header section too large", kSmall},
      {"long_name_too_large", kOk + std::string(100, 'n') + ": v\r\n\r\n", Error::head_too_large,
       "header section too large", kSmall},
      {"long_version_too_large", "HTTP/1.1 200 OK\r\n\r\n", Error::head_too_large, "header section too large",
       ResponseLimits{.max_header_bytes = 4}},
      {"one_byte_over_budget", "HTTP/1.1 200 OK\r\nA: b\r\n\r\n", Error::head_too_large, "header section too large",
       ResponseLimits{.max_header_bytes = 24}},
      {"too_many_fields", kOk + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", Error::head_too_large,
       "too many header fields", kSmall},
      {"interim_head_too_large", "HTTP/1.1 103 Early Hints\r\nLink: " + std::string(100, 'l') + "\r\n\r\n",
       Error::head_too_large, "header section too large", kSmall},
      {"trailers_too_large", kChunkedHead + "0\r\nX-T: " + std::string(100, 't') + "\r\n\r\n", Error::head_too_large,
       "trailer section too large", ResponseLimits{.max_header_bytes = 64}},
      {"too_many_trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
       Error::head_too_large, "too many trailer fields", ResponseLimits{.max_header_bytes = 64, .max_headers = 3}},
      {"chunk_extensions_too_large", kChunkedHead + "1;" + std::string(100, 'e') + "\r\nx\r\n0\r\n\r\n",
       Error::head_too_large, "chunk extensions too large", ResponseLimits{.max_header_bytes = 64}},

      // Truncation.
      {"eof_before_anything", "", Error::truncated, "connection closed before response", {}, true},
      {"eof_in_status_line", "HTTP/1.1 20", Error::truncated, "connection closed in response head", {}, true},
      {"eof_after_interim", "HTTP/1.1 100 Continue\r\n\r\n", Error::truncated, "connection closed in response head",
       {}, true},
      {"eof_in_headers", kOk + "Content-Length: 5\r\n", Error::truncated, "connection closed in response head", {},
       true},
      {"eof_in_body", kOk + "Content-Length: 5\r\n\r\nhel", Error::truncated, "connection closed in response body",
       {}, true},
      {"eof_in_chunk", kChunkedHead + "5\r\nhel", Error::truncated, "connection closed in response body", {}, true},
      {"eof_before_last_chunk", kChunkedHead + "5\r\nhello\r\n", Error::truncated,
       "connection closed in response body", {}, true},
      {"eof_in_trailers", kChunkedHead + "0\r\nX-T: 1\r\n", Error::truncated, "connection closed in response body",
       {}, true},
  };
}

class ResponseParserRejects : public ::testing::TestWithParam<Bad> {};

TEST_P(ResponseParserRejects, FailsUnderEverySplit) {
  const Bad& c = GetParam();
  const Outcome out = parse_all_ways(c.input, c.limits, false, c.eof);
  ASSERT_EQ(out.state, State::error) << describe(out);
  EXPECT_EQ(out.error, c.error) << describe(out);
  if (!c.detail.empty()) {
    EXPECT_EQ(out.detail, c.detail);
  }
}

INSTANTIATE_TEST_SUITE_P(ResponseParserTable, ResponseParserRejects, ::testing::ValuesIn(bad_responses()),
                         [](const auto& test) { return test.param.name; });

TEST(ResponseParser, ErrorConsumesUpToTheOffendingByte) {
  ResponseParser parser;
  parser.reset();
  const std::string input = kOk + "Bad Name: 1\r\n\r\n";
  EXPECT_EQ(parser.feed(input), kOk.size() + 4);  // through the space after "Bad"
  EXPECT_EQ(parser.state(), State::error);
  EXPECT_EQ(parser.feed("more"), 0u);
}

TEST(ResponseParser, OverBudgetRunFailsAtTheExactByte) {
  ResponseParser parser(ResponseLimits{.max_header_bytes = 30});
  parser.reset();
  const std::string input = kOk + "X-Long: " + std::string(100, 'v') + "\r\n\r\n";
  EXPECT_EQ(parser.feed(input), 31u);  // the 31st byte is the first over budget
  EXPECT_EQ(parser.error(), Error::head_too_large);
}

TEST(ResponseParser, HugeChunkSizeIsBoundedMemory) {
  // A chunk announcing 2^64-1 bytes: the parser keeps only the excerpt whatever arrives.
  ResponseParser parser(ResponseLimits{.excerpt_bytes = 8});
  parser.reset();
  parser.feed(kChunkedHead + "FFFFFFFFFFFFFFFF\r\n");
  EXPECT_EQ(parser.state(), State::reading_body);
  const std::string megabyte(1 << 20, 'z');
  for (int i = 0; i < 4; ++i) EXPECT_EQ(parser.feed(megabyte), megabyte.size());
  EXPECT_EQ(parser.response().body_excerpt, "zzzzzzzz");
  EXPECT_EQ(parser.response().body_size, 4u << 20);
}

// Every single-byte mutation of a few valid responses: no crash, and the same outcome whole and
// byte by byte (the property the table checks, over inputs nobody wrote by hand).
TEST(ResponseParser, MutationsAreSplitInvariant) {
  const std::vector<std::string> seeds = {
      kOk + "Content-Length: 3\r\nConnection: keep-alive\r\n\r\nabc",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 503 x\r\nRetry-After: 1\r\n\r\nzz",
      kChunkedHead + "2;e=\"q\"\r\nab\r\n0\r\nT: 1\r\n\r\n",
  };
  const ResponseLimits limits{.max_header_bytes = 48, .max_headers = 4, .excerpt_bytes = 2};
  const std::string replacements = std::string("\r\n \t:;0aZ\x7f\x80", 11) + std::string(1, '\0');
  std::mt19937 random(12345);
  for (const std::string& seed : seeds) {
    for (size_t i = 0; i < seed.size(); ++i) {
      for (const char r : replacements) {
        std::string input = seed;
        input[i] = r;
        for (const bool eof : {false, true}) {
          const Outcome whole = feed_with_cuts(input, limits, false, eof, {});
          std::vector<size_t> bytewise;
          for (size_t k = 1; k < input.size(); ++k) bytewise.push_back(k);
          const Outcome split = feed_with_cuts(input, limits, false, eof, bytewise);
          std::vector<size_t> random_cuts;
          for (size_t k = 1; k < input.size(); ++k) {
            if (random() % 4 == 0) random_cuts.push_back(k);
          }
          const Outcome random_split = feed_with_cuts(input, limits, false, eof, random_cuts);
          ASSERT_EQ(describe(whole), describe(split)) << "seed " << seed << " byte " << i;
          ASSERT_EQ(describe(whole), describe(random_split)) << "seed " << seed << " byte " << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace hookgate::gateway::outbound
