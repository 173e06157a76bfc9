// Malformed and hostile requests: each must end in exactly the listed error, under every split
// of its bytes, and leave the parser in its error state.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "feed_harness.h"
#include "gateway/http1/request_parser.h"

namespace hookgate::gateway::http1 {
namespace {

using testing::Outcome;
using testing::parse_all_ways;

constexpr Limits kSmall{.max_header_bytes = 256, .max_headers = 4, .max_body = 64};

struct Hostile {
  std::string name;
  std::string input;
  Error error;
  Limits limits = {};
  std::size_t requests_before = 0;  // complete requests accepted before the bad one
  std::string detail = {};          // checked when not empty
};

// Names the case in gtest's failure messages instead of dumping the struct's bytes.
void PrintTo(const Hostile& c, std::ostream* os) { *os << c.name; }

// A literal that holds NUL bytes, kept whole.
template <std::size_t N>
std::string with_nul(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

const std::string kPost = "POST / HTTP/1.1\r\nHost: h\r\n";
const std::string kChunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";

std::vector<Hostile> hostile_inputs() {
  return {
      // Body framing: anything two implementations could frame differently.
      {"cl_then_te", kPost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Error::bad_request, {}, 0,
       "content-length with transfer-encoding"},
      {"te_then_cl", kPost + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", Error::bad_request, {}, 0,
       "content-length with transfer-encoding"},
      {"cl_then_te_gzip", kPost + "Content-Length: 5\r\nTransfer-Encoding: gzip\r\n\r\nhello", Error::bad_request},
      {"cl_duplicate_equal", kPost + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", Error::bad_request, {}, 0,
       "duplicate content-length"},
      {"cl_duplicate_different", kPost + "Content-Length: 5\r\ncontent-length: 6\r\n\r\nhello!", Error::bad_request},
      {"cl_list", kPost + "Content-Length: 5, 5\r\n\r\nhello", Error::bad_request, {}, 0, "invalid content-length"},
      {"cl_plus_sign", kPost + "Content-Length: +5\r\n\r\nhello", Error::bad_request},
      {"cl_negative", kPost + "Content-Length: -1\r\n\r\n", Error::bad_request},
      {"cl_inner_space", kPost + "Content-Length: 1 0\r\n\r\n0123456789", Error::bad_request},
      {"cl_hex", kPost + "Content-Length: 0x5\r\n\r\nhello", Error::bad_request},
      {"cl_decimal_point", kPost + "Content-Length: 5.0\r\n\r\nhello", Error::bad_request},
      {"cl_empty", kPost + "Content-Length:\r\n\r\n", Error::bad_request},
      {"cl_overflow", kPost + "Content-Length: 18446744073709551616\r\n\r\n", Error::bad_request},
      {"cl_many_digits", kPost + "Content-Length: 99999999999999999999999999\r\n\r\n", Error::bad_request},
      {"cl_over_max_body", kPost + "Content-Length: 65\r\n\r\n", Error::payload_too_large, kSmall},
      {"cl_max_uint64_over_max_body", kPost + "Content-Length: 18446744073709551615\r\n\r\n", Error::payload_too_large},
      {"te_gzip", kPost + "Transfer-Encoding: gzip\r\n\r\n", Error::not_implemented},
      {"te_chunked_chunked_list", kPost + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", Error::not_implemented},
      {"te_repeated_field", kPost + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       Error::not_implemented, {}, 0, "repeated transfer-encoding"},
      {"te_gzip_chunked", kPost + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", Error::not_implemented},
      {"te_identity", kPost + "Transfer-Encoding: identity\r\n\r\n", Error::not_implemented},
      {"te_empty", kPost + "Transfer-Encoding:\r\n\r\n", Error::not_implemented},
      {"te_chunked_with_parameter", kPost + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", Error::not_implemented},
      {"te_vertical_tab", kPost + "Transfer-Encoding: \x0b" "chunked\r\n\r\n0\r\n\r\n", Error::bad_request},
      {"te_space_before_colon", kPost + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", Error::bad_request},
      {"te_in_http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Error::bad_request, {}, 0,
       "transfer-encoding in HTTP/1.0"},

      // Chunked body.
      {"chunk_size_17_digits", kChunked + "00000000000000001\r\nx\r\n0\r\n\r\n", Error::bad_request, {}, 0,
       "chunk size too long"},
      {"chunk_size_max_uint64", kChunked + "FFFFFFFFFFFFFFFF\r\n", Error::payload_too_large},
      {"chunk_size_non_hex", kChunked + "g\r\n", Error::bad_request},
      {"chunk_size_0x_prefix", kChunked + "0x5\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_size_negative", kChunked + "-1\r\n", Error::bad_request},
      {"chunk_size_missing", kChunked + "\r\n", Error::bad_request},
      {"chunk_size_leading_space", kChunked + " 5\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_size_trailing_space", kChunked + "5 \r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_size_bare_lf", kChunked + "5\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_size_bare_cr", kChunked + "5\rhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_data_without_crlf", kChunked + "5\r\nhelloX\r\n0\r\n\r\n", Error::bad_request, {}, 0,
       "missing CRLF after chunk data"},
      {"chunk_data_longer_than_size", kChunked + "3\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_data_bare_lf", kChunked + "5\r\nhello\n0\r\n\r\n", Error::bad_request},
      {"chunk_data_bare_cr", kChunked + "5\r\nhello\r0\r\n\r\n", Error::bad_request},
      {"chunk_ext_bare_lf", kChunked + "5;a\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_bare_cr", kChunked + "5;a\rhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_lf_in_quoted_value", kChunked + "5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_empty_name", kChunked + "5;\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_double_semicolon", kChunked + "5;;a\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_unterminated_quote", kChunked + "5;a=\"x\r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_trailing_space", kChunked + "5;a=b \r\nhello\r\n0\r\n\r\n", Error::bad_request},
      {"chunk_ext_nul", kChunked + with_nul("5;a=\0\r\nhello\r\n0\r\n\r\n"), Error::bad_request},
      {"chunk_ext_too_large", kChunked + "1;a=" + std::string(300, 'b') + "\r\nx\r\n0\r\n\r\n",
       Error::payload_too_large, kSmall, 0, "chunk extensions too large"},
      {"chunk_ext_too_large_in_total", kChunked + [] {
         std::string s;
         for (int i = 0; i < 40; ++i) s += "1;abcdefgh\r\nx\r\n";
         return s + "0\r\n\r\n";
       }(), Error::payload_too_large, kSmall},
      {"chunked_over_max_body", kChunked + "28\r\n" + std::string(40, 'a') + "\r\n19\r\n" + std::string(25, 'b') +
       "\r\n0\r\n\r\n", Error::payload_too_large, kSmall, 0, "chunked body over body limit"},
      {"trailer_without_colon", kChunked + "0\r\ngarbage\r\n\r\n", Error::bad_request},
      {"trailer_obs_fold", kChunked + "0\r\nX: a\r\n b\r\n\r\n", Error::bad_request},
      {"trailer_bare_lf", kChunked + "0\r\n\n", Error::bad_request},
      {"trailer_end_bare_cr", kChunked + "0\r\n\rx", Error::bad_request},
      {"trailer_nul", kChunked + with_nul("0\r\nX: \0\r\n\r\n"), Error::bad_request},
      {"trailer_section_too_large", kChunked + "0\r\nX: " + std::string(300, 'a') + "\r\n\r\n",
       Error::header_fields_too_large, kSmall, 0, "trailer section too large"},
      {"too_many_trailers", kChunked + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", Error::header_fields_too_large,
       Limits{.max_header_bytes = 256, .max_headers = 4, .max_body = 64}},
      {"garbage_after_last_chunk", kChunked + "0\r\n\r\nXYZ\r\n", Error::bad_request, {}, 1},

      // Line endings and field syntax.
      {"bare_lf_request_line", "GET / HTTP/1.1\nHost: h\r\n\r\n", Error::bad_request, {}, 0, "bare LF"},
      {"bare_lf_after_field", "GET / HTTP/1.1\r\nHost: h\n\r\n", Error::bad_request, {}, 0, "bare LF"},
      {"bare_lf_end_of_head", "GET / HTTP/1.1\r\nHost: h\r\n\n", Error::bad_request},
      {"bare_lf_only_lines", "GET / HTTP/1.1\nHost: h\n\n", Error::bad_request},
      {"bare_cr_request_line", "GET / HTTP/1.1\rHost: h\r\n\r\n", Error::bad_request, {}, 0, "bare CR"},
      {"bare_cr_in_value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", Error::bad_request},
      {"bare_cr_in_name", "GET / HTTP/1.1\r\nHost: h\r\nX\r: a\r\n\r\n", Error::bad_request},
      {"bare_cr_end_of_head", "GET / HTTP/1.1\r\nHost: h\r\n\rX", Error::bad_request},
      {"obs_fold_space", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", Error::bad_request, {}, 0, "obs-fold"},
      {"obs_fold_tab", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n", Error::bad_request},
      {"whitespace_before_first_field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", Error::bad_request},
      {"space_before_colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", Error::bad_request, {}, 0, "whitespace before colon"},
      {"tab_before_colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", Error::bad_request},
      {"empty_field_name", "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n", Error::bad_request},
      {"field_without_colon", "GET / HTTP/1.1\r\nHost: h\r\nX-No-Colon\r\n\r\n", Error::bad_request},
      {"field_name_separator", "GET / HTTP/1.1\r\nHost: h\r\nX(y): 1\r\n\r\n", Error::bad_request},
      {"field_name_obs_text", "GET / HTTP/1.1\r\nHost: h\r\nX-\xc3\xa9: 1\r\n\r\n", Error::bad_request},
      {"nul_in_value", with_nul("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"), Error::bad_request, {}, 0,
       "NUL in field value"},
      {"ctl_in_value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01" "b\r\n\r\n", Error::bad_request},
      {"del_in_value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f" "b\r\n\r\n", Error::bad_request},
      {"escape_in_value", "GET / HTTP/1.1\r\nHost: h\r\nX: \x1b[31m\r\n\r\n", Error::bad_request},

      // Request line.
      {"method_non_token", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"method_obs_text", "G\xc3\x89T / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"method_empty", " / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"method_too_long", std::string(33, 'A') + " / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request, {}, 0,
       "method too long"},
      {"double_space_after_method", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"double_space_before_version", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"space_after_version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", Error::bad_request},
      {"tab_as_separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"http09_request_line", "GET /\r\n\r\n", Error::bad_request},
      {"missing_version", "GET / \r\n\r\n", Error::bad_request},
      {"http20", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", Error::version_not_supported, {}, 0, "unsupported HTTP version"},
      {"http12", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", Error::version_not_supported},
      {"http09_version", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", Error::version_not_supported},
      {"h2_preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Error::version_not_supported},
      {"lowercase_http", "GET / http/1.1\r\nHost: h\r\n\r\n", Error::bad_request, {}, 0, "malformed HTTP version"},
      {"version_two_digit_minor", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", Error::bad_request},
      {"version_without_dot", "GET / HTTP/11\r\nHost: h\r\n\r\n", Error::bad_request},
      {"version_letters", "GET / HTTP/x.y\r\nHost: h\r\n\r\n", Error::bad_request},
      {"three_leading_empty_lines", "\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"leading_bare_lf", "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"leading_space", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},

      // Request-target.
      {"target_ctl", "GET /a\x01" "b HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request, {}, 0,
       "invalid byte in request-target"},
      {"target_nul", with_nul("GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"), Error::bad_request},
      {"target_del", "GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_tab", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_obs_text", "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_fragment", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_dot_dot_segment", "GET /in/../admin HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request, {}, 0,
       "dot-dot segment in path"},
      {"target_trailing_dot_dot", "GET /in/.. HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_relative", "GET in/stripe HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_authority_form", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", Error::bad_request},
      {"target_asterisk_outside_options", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_absolute_userinfo", "GET http://u:p@h/ HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_absolute_other_scheme", "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_absolute_no_authority", "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n", Error::bad_request},
      {"target_too_long", "GET /" + std::string(128, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n", Error::uri_too_long,
       kSmall, 0, "request-target too long"},
      {"target_too_long_default_limits", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n",
       Error::uri_too_long},

      // Host.
      {"missing_host", "GET / HTTP/1.1\r\n\r\n", Error::bad_request, {}, 0, "missing host"},
      {"double_host", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", Error::bad_request, {}, 0, "duplicate host"},
      {"double_host_mixed_case", "GET / HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n", Error::bad_request},
      {"host_with_space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", Error::bad_request, {}, 0, "invalid host"},
      {"host_with_path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", Error::bad_request},
      {"host_with_userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", Error::bad_request},
      {"host_with_bad_port", "GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", Error::bad_request},

      // Sizes.
      {"head_too_large", "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(300, 'a') + "\r\n\r\n",
       Error::header_fields_too_large, kSmall, 0, "header section too large"},
      {"head_too_large_by_many_fields", "GET / HTTP/1.1\r\nHost: h\r\n" + [] {
         std::string s;
         for (int i = 0; i < 30; ++i) s += "X" + std::to_string(i) + ": v\r\n";
         return s + "\r\n";
       }(), Error::header_fields_too_large, Limits{.max_header_bytes = 256, .max_headers = 100, .max_body = 64}},
      {"head_too_large_long_name", "GET / HTTP/1.1\r\nHost: h\r\n" + std::string(300, 'X') + ": v\r\n\r\n",
       Error::header_fields_too_large, kSmall},
      {"head_too_large_default_limits", "GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(17000, 'a') + "\r\n\r\n",
       Error::header_fields_too_large},
      {"too_many_headers", "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
       Error::header_fields_too_large, kSmall, 0, "too many header fields"},

      // Expect and Connection.
      {"expect_foo", kPost + "Expect: foo\r\nContent-Length: 1\r\n\r\nx", Error::expectation_failed, {}, 0,
       "unsupported expectation"},
      {"expect_continue_in_list", kPost + "Expect: 100-continue, foo\r\n\r\n", Error::expectation_failed},
      {"expect_empty", kPost + "Expect:\r\n\r\n", Error::expectation_failed},
      {"connection_not_a_token", "GET / HTTP/1.1\r\nHost: h\r\nConnection: close x\r\n\r\n", Error::bad_request},

      // A valid request followed by a bad one on the same connection.
      {"second_pipelined_request_bad", "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n",
       Error::bad_request, {}, 1},
  };
}

class Rejects : public ::testing::TestWithParam<Hostile> {};

TEST_P(Rejects, WithTheExpectedErrorUnderEverySplit) {
  const Hostile& c = GetParam();
  const Outcome o = parse_all_ways(c.input, c.limits);
  EXPECT_EQ(o.final_state, RequestParser::State::error);
  EXPECT_EQ(reason_of(o.error), reason_of(c.error)) << "detail: " << o.detail;
  EXPECT_EQ(o.requests.size(), c.requests_before);
  if (!c.detail.empty()) {
    EXPECT_EQ(o.detail, c.detail);
  }
  ASSERT_FALSE(o.detail.empty());
  for (const char ch : o.detail) {
    EXPECT_TRUE(ch >= 0x20 && ch < 0x7f) << "detail must be plain text: " << o.detail;
  }
  EXPECT_LE(o.consumed, c.input.size());
}

INSTANTIATE_TEST_SUITE_P(RequestParser, Rejects, ::testing::ValuesIn(hostile_inputs()),
                         [](const ::testing::TestParamInfo<Hostile>& param_info) { return param_info.param.name; });

TEST(RequestParserRejects, TableCoversAtLeastFortyShapes) { EXPECT_GE(hostile_inputs().size(), 40u); }

TEST(RequestParserRejects, ErrorIsStickyUntilReset) {
  RequestParser parser;
  const std::string bad = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n";
  (void)parser.feed(bad);
  ASSERT_EQ(parser.state(), RequestParser::State::error);
  EXPECT_EQ(parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), 0u);
  EXPECT_EQ(parser.state(), RequestParser::State::error);
  EXPECT_EQ(parser.error(), Error::bad_request);
  EXPECT_EQ(parser.take_request().method, "");
}

TEST(RequestParserRejects, ConsumedCountEndsAtTheOffendingByte) {
  RequestParser parser;
  EXPECT_EQ(parser.feed("GET /a\x01" "bcdef HTTP/1.1\r\n"), 7u);
  RequestParser second;
  EXPECT_EQ(second.feed("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n"), 32u);
}

TEST(RequestParserRejects, BodyErrorAfterHeadKeepsHeadersComplete) {
  RequestParser parser;
  (void)parser.feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz");
  EXPECT_EQ(parser.state(), RequestParser::State::error);
  EXPECT_TRUE(parser.headers_complete());
}

TEST(Error, StatusCodesAndNames) {
  EXPECT_EQ(status_of(Error::none), 0);
  EXPECT_EQ(status_of(Error::bad_request), 400);
  EXPECT_EQ(status_of(Error::header_fields_too_large), 431);
  EXPECT_EQ(status_of(Error::uri_too_long), 414);
  EXPECT_EQ(status_of(Error::payload_too_large), 413);
  EXPECT_EQ(status_of(Error::not_implemented), 501);
  EXPECT_EQ(status_of(Error::version_not_supported), 505);
  EXPECT_EQ(status_of(Error::length_required), 411);
  EXPECT_EQ(status_of(Error::expectation_failed), 417);
  EXPECT_EQ(reason_of(Error::header_fields_too_large), "header_fields_too_large");
  EXPECT_EQ(reason_of(Error::expectation_failed), "expectation_failed");
}

}  // namespace
}  // namespace hookgate::gateway::http1
