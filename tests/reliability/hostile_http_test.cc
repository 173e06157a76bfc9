// The hostile HTTP catalogue (issue 8): malformed, ambiguous and abusive requests sent as raw
// bytes to the real binary, over HTTP/1.1 and h2c. Each case names the answer RFC 9110/9112/
// 9113 and hookgate's README call for: a status (and whether the connection is closed after
// it), an HTTP/2 stream reset or GOAWAY code, or a closed connection without an answer. After
// every case:
//   - a valid signed request on a fresh connection is answered 200 (the server keeps serving),
//     and for a case that leaves its connection open, another on that same connection;
//   - the events table holds exactly the rows the case should have stored: none for every
//     rejected request. Hostile requests go to a `verify: none` source, so a request that
//     slipped through would be stored, and the catalogue would see it.
// Each case runs against a gateway of its own (one ctest test per case), and the gauntlet runs
// every case in turn against one gateway: it must keep serving throughout.
//
// Timing: deadlines are short in the config (3 s) so the slow cases end quickly, and every
// wait in the test is a generous upper bound on polling; no duration is asserted.
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "h2_client.h"
#include "harness.h"
#include "hostile_client.h"

namespace hookgate::reliability {
namespace {

using namespace std::chrono;
using testing::Database;
using testing::Gateway;
using testing::H2Client;
using testing::H2Frame;
using testing::RawH2Connection;
using testing::TempDir;
using testing::h2_client_start;
using testing::h2_frame;
using testing::hpack_literal;
using testing::hpack_request;

// Limits small enough to reach with a few KiB, timeouts short enough for quick slow cases.
constexpr const char* kConfig = R"(
server:
  listen: ["127.0.0.1:0"]
  io_threads: 2
  max_body: 4KiB
  max_header_bytes: 2KiB
  max_headers: 20
  header_timeout: 3s
  body_timeout: 3s
  idle_timeout: 3s
storage:
  path: events.db
sources:
  open:
    path: /in/open
    verify: none
  github:
    path: /in/github
    verify: {provider: github, secrets: ["It's a Secret to Everybody"]}
)";

constexpr milliseconds kAnswerWait = seconds(20);  // upper bound for any answer or close

// HTTP/2 error codes (RFC 9113 §7).
constexpr uint32_t kProtocolError = 0x1;
constexpr uint32_t kFlowControlError = 0x3;
constexpr uint32_t kFrameSizeError = 0x6;
constexpr uint32_t kAnyError = 0xffffffff;  // GOAWAY with any non-zero code, or a plain close

enum class Kind {
  send,             // `bytes` at once; `statuses` answered in order; then closed, or kept open
  half_close,       // `bytes`, then end of stream from the client: no answer, closed
  trickle,          // `bytes` at once, then `slow` one byte per 100 ms: `statuses`, closed
  stall,            // `bytes`, then nothing: `statuses` (408, or none when idle), closed
  expect_continue,  // `bytes` is a head with Expect: 100-continue; `slow` the body after 100
  h2,               // h2c: preface + SETTINGS + `bytes`; stream 1 answered / reset, or GOAWAY
  h2_flood,         // h2c: PING flood without reading; others are served meanwhile
};

struct Case {
  std::string name;
  Kind kind = Kind::send;
  std::string bytes;
  std::vector<int> statuses = {};  // HTTP/1.1 answers in order; HTTP/2: stream 1's :status
  bool closes = true;              // HTTP/1.1: the server closes the connection after them
  int stored = 0;                  // new rows in events for source 'open'
  std::string slow = {};           // trickle: sent slowly; expect_continue: the body
  std::optional<uint32_t> rst = {};     // HTTP/2: RST_STREAM on stream 1 with this code
  std::optional<uint32_t> goaway = {};  // HTTP/2: GOAWAY with this code (kAnyError: any, or close)
};

// GoogleTest names a failing case by its name, not by its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// An HTTP/1.1 request to the unsigned source: request line, Host, `fields` (each "Name: value\r\n"),
// the empty line, then `body`.
std::string post(const std::string& fields, const std::string& body = "") {
  return "POST /in/open HTTP/1.1\r\nHost: hooks.test\r\n" + fields + "\r\n" + body;
}
std::string request_line(const std::string& line, const std::string& rest = "Host: hooks.test\r\nContent-Length: 2\r\n\r\n{}") {
  return line + "\r\n" + rest;
}
std::string repeat(const std::string& piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}
std::string many_fields(size_t count, size_t value_size) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += "X-Field-" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
  return out;
}
std::string u32(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
// HEADERS for stream `id` (END_HEADERS, plus END_STREAM when `end`).
std::string h2_headers(uint32_t id, const std::string& block, bool end) {
  return h2_frame(0x1, end ? 0x5 : 0x4, id, block);
}

std::vector<Case> http1_cases() {
  const std::string valid = post("Content-Length: 2\r\n", "{}");
  return {
      // Control cases: well-formed requests are stored, so the rejections below mean something.
      {.name = "valid_post_is_stored", .bytes = valid, .statuses = {200}, .closes = false, .stored = 1},
      {.name = "valid_chunked_post_is_stored", .bytes = post("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"),
       .statuses = {200}, .closes = false, .stored = 1},
      {.name = "http10_post_is_answered_and_closed", .bytes = "POST /in/open HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}",
       .statuses = {200}, .closes = true, .stored = 1},
      // RFC 9112 §2.2: at least one empty line before the request line SHOULD be ignored.
      {.name = "two_empty_lines_before_request_are_ignored", .bytes = "\r\n\r\n" + valid, .statuses = {200},
       .closes = false, .stored = 1},
      // RFC 9113 §3.1 dropped h2c upgrade: answered over HTTP/1.1.
      {.name = "h2c_upgrade_request_is_answered_over_http11",
       .bytes = post("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nContent-Length: 2\r\n", "{}"),
       .statuses = {200}, .closes = false, .stored = 1},
      // RFC 9112 §3.2.2: a server MUST accept the absolute form.
      {.name = "absolute_form_target_is_accepted", .bytes = request_line("POST http://hooks.test/in/open HTTP/1.1"),
       .statuses = {200}, .closes = false, .stored = 1},

      // Request line and version.
      {.name = "http20_version_on_http1", .bytes = request_line("POST /in/open HTTP/2.0"), .statuses = {505}},
      {.name = "http99_version", .bytes = request_line("POST /in/open HTTP/9.9"), .statuses = {505}},
      {.name = "http09_version", .bytes = request_line("POST /in/open HTTP/0.9"), .statuses = {505}},
      {.name = "lowercase_protocol_name", .bytes = request_line("POST /in/open http/1.1"), .statuses = {400}},
      {.name = "version_with_trailing_garbage", .bytes = request_line("POST /in/open HTTP/1.1x"), .statuses = {400}},
      {.name = "missing_version", .bytes = request_line("POST /in/open"), .statuses = {400}},
      {.name = "missing_space_after_method", .bytes = request_line("POST/in/open HTTP/1.1"), .statuses = {400}},
      {.name = "two_spaces_before_target", .bytes = request_line("POST  /in/open HTTP/1.1"), .statuses = {400}},
      {.name = "tab_instead_of_space", .bytes = request_line("POST\t/in/open HTTP/1.1"), .statuses = {400}},
      {.name = "space_inside_target", .bytes = request_line("POST /in/ open HTTP/1.1"), .statuses = {400}},
      {.name = "three_empty_lines_before_request", .bytes = "\r\n\r\n\r\n" + valid, .statuses = {400}},
      {.name = "bare_lf_line_endings", .bytes = "POST /in/open HTTP/1.1\nHost: hooks.test\nContent-Length: 2\n\n{}",
       .statuses = {400}},
      {.name = "method_longer_than_any_known", .bytes = request_line(std::string(40, 'P') + " /in/open HTTP/1.1"),
       .statuses = {400}},
      {.name = "tls_client_hello_on_cleartext_port",
       .bytes = std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11) + std::string(32, '\x42'), .statuses = {400}},
      {.name = "h2_preface_lookalike_for_http11", .bytes = "PRI * HTTP/1.1\r\nHost: hooks.test\r\n\r\n", .statuses = {400}},

      // Methods: methods are case-sensitive tokens (RFC 9110 §9.1); the source allows POST only.
      {.name = "lowercase_method", .bytes = request_line("post /in/open HTTP/1.1"), .statuses = {405}, .closes = false},
      {.name = "unknown_method", .bytes = request_line("BREW /in/open HTTP/1.1"), .statuses = {405}, .closes = false},
      {.name = "get_on_a_post_source", .bytes = "GET /in/open HTTP/1.1\r\nHost: hooks.test\r\n\r\n", .statuses = {405},
       .closes = false},

      // Header injection and malformed fields (RFC 9112 §2.2, §5).
      {.name = "bare_cr_in_field_value", .bytes = post("X-A: b\rInjected: 1\r\nContent-Length: 2\r\n", "{}"), .statuses = {400}},
      {.name = "lf_in_field_value", .bytes = post("X-A: b\nInjected: 1\r\nContent-Length: 2\r\n", "{}"), .statuses = {400}},
      {.name = "nul_in_field_value", .bytes = post(std::string("X-A: b\0c\r\nContent-Length: 2\r\n", 30), "{}"),
       .statuses = {400}},
      {.name = "control_byte_in_field_value", .bytes = post("X-A: b\x01\r\nContent-Length: 2\r\n", "{}"), .statuses = {400}},
      {.name = "obs_fold_continuation_line", .bytes = post("X-A: b\r\n  folded: 1\r\nContent-Length: 2\r\n", "{}"),
       .statuses = {400}},
      {.name = "whitespace_before_colon", .bytes = post("Content-Length : 2\r\n", "{}"), .statuses = {400}},
      {.name = "space_inside_field_name", .bytes = post("X Bad: 1\r\nContent-Length: 2\r\n", "{}"), .statuses = {400}},
      {.name = "field_line_without_colon", .bytes = post("NoColonHere\r\nContent-Length: 2\r\n", "{}"), .statuses = {400}},
      {.name = "missing_host", .bytes = "POST /in/open HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", .statuses = {400}},
      {.name = "duplicate_host", .bytes = post("Host: other.test\r\nContent-Length: 2\r\n", "{}"), .statuses = {400}},
      {.name = "host_with_whitespace", .bytes = "POST /in/open HTTP/1.1\r\nHost: hooks test\r\nContent-Length: 2\r\n\r\n{}",
       .statuses = {400}},

      // Content-Length (RFC 9112 §6.3: invalid → 400 and close).
      {.name = "duplicate_equal_content_length", .bytes = post("Content-Length: 2\r\nContent-Length: 2\r\n", "{}"),
       .statuses = {400}},
      {.name = "content_length_list", .bytes = post("Content-Length: 2, 2\r\n", "{}"), .statuses = {400}},
      {.name = "conflicting_content_length", .bytes = post("Content-Length: 2\r\nContent-Length: 3\r\n", "{}x"),
       .statuses = {400}},
      {.name = "negative_content_length", .bytes = post("Content-Length: -2\r\n", "{}"), .statuses = {400}},
      {.name = "plus_signed_content_length", .bytes = post("Content-Length: +2\r\n", "{}"), .statuses = {400}},
      {.name = "hex_content_length", .bytes = post("Content-Length: 0x2\r\n", "{}"), .statuses = {400}},
      {.name = "content_length_over_64_bits", .bytes = post("Content-Length: 18446744073709551618\r\n", "{}"),
       .statuses = {400}},
      // RFC 9112 §6.3: a request without Content-Length or Transfer-Encoding has no body (hookgate
      // never answers 411), so bytes after its head are the next request, here a malformed one.
      {.name = "bytes_after_a_head_without_length_are_the_next_request",
       .bytes = post("X-Note: no length\r\n", "{}"), .statuses = {200, 400}, .stored = 1},
      {.name = "content_length_over_max_body", .bytes = post("Content-Length: 5000\r\n", std::string(5000, 'x')),
       .statuses = {413}},

      // Content-Length with Transfer-Encoding, and transfer codings (RFC 9112 §6.1).
      {.name = "content_length_then_chunked", .bytes = post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
       .statuses = {400}},
      {.name = "chunked_then_content_length", .bytes = post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"),
       .statuses = {400}},
      {.name = "smuggled_request_after_cl_te_is_never_run",
       .bytes = post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n") + valid, .statuses = {400}},
      {.name = "transfer_coding_gzip", .bytes = post("Transfer-Encoding: gzip, chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"),
       .statuses = {501}},
      {.name = "transfer_coding_identity", .bytes = post("Transfer-Encoding: identity\r\n", "{}"), .statuses = {501}},
      {.name = "chunked_listed_twice", .bytes = post("Transfer-Encoding: chunked, chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"),
       .statuses = {501}},
      {.name = "transfer_encoding_field_twice",
       .bytes = post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), .statuses = {501}},
      {.name = "chunked_with_parameter", .bytes = post("Transfer-Encoding: chunked;q=1\r\n", "2\r\n{}\r\n0\r\n\r\n"),
       .statuses = {501}},
      {.name = "transfer_encoding_in_http10",
       .bytes = "POST /in/open HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", .statuses = {400}},

      // Chunk framing (RFC 9112 §7.1).
      {.name = "chunk_size_of_17_hex_digits", .bytes = post("Transfer-Encoding: chunked\r\n", "00000000000000002\r\n{}\r\n0\r\n\r\n"),
       .statuses = {400}},
      {.name = "chunk_size_of_64_bits", .bytes = post("Transfer-Encoding: chunked\r\n", "ffffffffffffffff\r\n{}"),
       .statuses = {413}},
      {.name = "negative_chunk_size", .bytes = post("Transfer-Encoding: chunked\r\n", "-2\r\n{}\r\n0\r\n\r\n"), .statuses = {400}},
      {.name = "chunk_size_with_0x_prefix", .bytes = post("Transfer-Encoding: chunked\r\n", "0x2\r\n{}\r\n0\r\n\r\n"),
       .statuses = {400}},
      {.name = "chunk_data_without_crlf", .bytes = post("Transfer-Encoding: chunked\r\n", "2\r\n{}XX0\r\n\r\n"), .statuses = {400}},
      {.name = "chunk_size_line_with_bare_lf", .bytes = post("Transfer-Encoding: chunked\r\n", "2;ext\n{}\r\n0\r\n\r\n"),
       .statuses = {400}},
      {.name = "chunk_extensions_over_budget",
       .bytes = post("Transfer-Encoding: chunked\r\n", "2" + repeat(";name=value", 300) + "\r\n{}\r\n0\r\n\r\n"),
       .statuses = {413}},
      {.name = "chunked_body_over_max_body",
       .bytes = post("Transfer-Encoding: chunked\r\n", repeat("3e8\r\n" + std::string(1000, 'c') + "\r\n", 5) + "0\r\n\r\n"),
       .statuses = {413}},

      // Sizes: the head budget and field count (431), the target (414), RFC 9110 §15.5.
      {.name = "field_value_over_head_budget", .bytes = post("X-Filler: " + std::string(3000, 'f') + "\r\nContent-Length: 2\r\n", "{}"),
       .statuses = {431}},
      {.name = "more_fields_than_allowed", .bytes = post(many_fields(25, 4) + "Content-Length: 2\r\n", "{}"), .statuses = {431}},
      {.name = "head_over_budget_in_many_fields", .bytes = post(many_fields(15, 180) + "Content-Length: 2\r\n", "{}"),
       .statuses = {431}},
      {.name = "request_target_too_long", .bytes = request_line("POST /in/open?" + std::string(1500, 'q') + " HTTP/1.1"),
       .statuses = {414}},

      // Request targets: routing is exact on the raw path; nothing is decoded or normalised.
      {.name = "absolute_form_with_userinfo", .bytes = request_line("POST http://user:pw@hooks.test/in/open HTTP/1.1"),
       .statuses = {400}},
      {.name = "absolute_form_with_other_scheme", .bytes = request_line("POST ftp://hooks.test/in/open HTTP/1.1"),
       .statuses = {400}},
      {.name = "authority_form_connect", .bytes = request_line("CONNECT hooks.test:443 HTTP/1.1"), .statuses = {400}},
      {.name = "asterisk_form_for_post", .bytes = request_line("POST * HTTP/1.1"), .statuses = {400}},
      {.name = "dot_dot_segment", .bytes = request_line("POST /in/../in/open HTTP/1.1"), .statuses = {400}},
      {.name = "trailing_dot_dot_segment", .bytes = request_line("POST /in/open/.. HTTP/1.1"), .statuses = {400}},
      {.name = "percent_encoded_dot_dot_is_not_decoded", .bytes = request_line("POST /in/%2e%2e/in/open HTTP/1.1"),
       .statuses = {404}, .closes = false},
      {.name = "percent_encoded_source_path_is_not_decoded", .bytes = request_line("POST /in/%6Fpen HTTP/1.1"),
       .statuses = {404}, .closes = false},
      {.name = "backslash_path", .bytes = request_line("POST /in\\open HTTP/1.1"), .statuses = {404}, .closes = false},
      {.name = "fragment_in_target", .bytes = request_line("POST /in/open#top HTTP/1.1"), .statuses = {400}},
      {.name = "nul_in_path", .bytes = request_line(std::string("POST /in/open\0 HTTP/1.1", 23)), .statuses = {400}},
      {.name = "utf8_bytes_in_path", .bytes = request_line("POST /in/op\xc3\xa9n HTTP/1.1"), .statuses = {400}},
      {.name = "invalid_byte_in_path", .bytes = request_line("POST /in/open\xff HTTP/1.1"), .statuses = {400}},

      // Expectations (RFC 9110 §10.1.1).
      {.name = "unknown_expectation", .bytes = post("Expect: 200-ok\r\nContent-Length: 2\r\n", "{}"), .statuses = {417}},
      {.name = "expect_continue_then_body", .kind = Kind::expect_continue,
       .bytes = post("Expect: 100-continue\r\nContent-Length: 2\r\n"), .statuses = {200}, .closes = false, .stored = 1,
       .slow = "{}"},
      {.name = "expect_continue_over_max_body_gets_413_not_100",
       .bytes = post("Expect: 100-continue\r\nContent-Length: 5000\r\n"), .statuses = {413}},

      // Pipelining: answered in order; after a framing error nothing more is read.
      {.name = "three_pipelined_requests", .bytes = valid + valid + valid, .statuses = {200, 200, 200}, .closes = false,
       .stored = 3},
      {.name = "pipelined_request_after_a_bad_one_is_never_run",
       .bytes = valid + post("Content-Length: 2\r\nContent-Length: 2\r\n", "{}") + valid, .statuses = {200, 400},
       .stored = 1},

      // Premature closes: nothing is stored and nothing answered.
      {.name = "close_before_any_byte", .kind = Kind::half_close, .bytes = ""},
      {.name = "close_in_request_line", .kind = Kind::half_close, .bytes = "POST /in/op"},
      {.name = "close_mid_headers", .kind = Kind::half_close, .bytes = "POST /in/open HTTP/1.1\r\nHost: hooks.test\r\nContent-Le"},
      {.name = "close_mid_body", .kind = Kind::half_close, .bytes = post("Content-Length: 100\r\n", std::string(40, 'b'))},
      {.name = "close_mid_chunk", .kind = Kind::half_close, .bytes = post("Transfer-Encoding: chunked\r\n", "a\r\n{\"a\":")},

      // Slow peers: deadlines are absolute per phase; trickling does not extend them (408).
      {.name = "slowloris_headers", .kind = Kind::trickle, .bytes = "POST /in/open HTTP/1.1\r\nHost: hooks.test\r\n",
       .statuses = {408}, .slow = "X-Slow: " + std::string(300, 's') + "\r\n"},
      {.name = "slow_body", .kind = Kind::trickle, .bytes = post("Content-Length: 300\r\n"), .statuses = {408},
       .slow = std::string(300, 'b')},
      {.name = "stalled_request_line", .kind = Kind::stall, .bytes = "POS", .statuses = {408}},
      {.name = "stalled_chunked_body", .kind = Kind::stall, .bytes = post("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n"),
       .statuses = {408}},
      {.name = "idle_connection_is_closed_without_answer", .kind = Kind::stall, .bytes = ""},
  };
}

std::vector<Case> http2_cases() {
  const std::string body = "{}";
  const std::string ok_block = hpack_request("/in/open", {{"content-length", "2"}});
  return {
      {.name = "h2_valid_post_is_stored", .kind = Kind::h2,
       .bytes = h2_headers(1, ok_block, false) + h2_frame(0x0, 0x1, 1, body), .statuses = {200}, .stored = 1},
      // Connection errors (RFC 9113 §5.4.1): GOAWAY.
      {.name = "h2_garbage_after_preface", .kind = Kind::h2, .bytes = "GET / HTTP/1.1\r\nHost: hooks.test\r\n\r\n",
       .goaway = kAnyError},
      {.name = "h2_settings_of_bad_length", .kind = Kind::h2, .bytes = h2_frame(0x4, 0, 0, "abcde"), .goaway = kFrameSizeError},
      {.name = "h2_ping_of_bad_length", .kind = Kind::h2, .bytes = h2_frame(0x6, 0, 0, "1234567"), .goaway = kFrameSizeError},
      {.name = "h2_window_update_of_bad_length", .kind = Kind::h2, .bytes = h2_frame(0x8, 0, 0, "abc"),
       .goaway = kFrameSizeError},
      {.name = "h2_data_frame_over_max_frame_size", .kind = Kind::h2,
       .bytes = h2_headers(1, ok_block, false) + h2_frame(0x0, 0x1, 1, std::string(20000, 'd')), .goaway = kFrameSizeError},
      {.name = "h2_headers_on_stream_zero", .kind = Kind::h2, .bytes = h2_headers(0, ok_block, true), .goaway = kProtocolError},
      {.name = "h2_headers_on_even_stream", .kind = Kind::h2, .bytes = h2_headers(2, ok_block, true), .goaway = kProtocolError},
      {.name = "h2_data_on_idle_stream", .kind = Kind::h2, .bytes = h2_frame(0x0, 0x1, 1, body), .goaway = kProtocolError},
      {.name = "h2_connection_window_overflow", .kind = Kind::h2,
       .bytes = h2_frame(0x8, 0, 0, u32(0x7fffffff)) + h2_frame(0x8, 0, 0, u32(0x7fffffff)), .goaway = kFlowControlError},
      {.name = "h2_continuation_flood", .kind = Kind::h2,
       .bytes = h2_frame(0x1, 0, 1, hpack_request("/in/open")) +
                repeat(h2_frame(0x9, 0, 1, hpack_literal("x-pad", std::string(100, 'p'))), 40),
       .goaway = kAnyError},
      {.name = "h2_rapid_reset", .kind = Kind::h2,
       .bytes = [&] {
         std::string bytes;
         for (uint32_t i = 0; i < 1000; ++i) {
           bytes += h2_headers(1 + 2 * i, ok_block, false) + h2_frame(0x3, 0, 1 + 2 * i, u32(0x8));  // RST CANCEL
         }
         return bytes;
       }(),
       .goaway = kAnyError},
      // Malformed requests (RFC 9113 §8.1.1): a stream error, the connection goes on.
      {.name = "h2_content_length_mismatch", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/open", {{"content-length", "10"}}), false) + h2_frame(0x0, 0x1, 1, body),
       .rst = kProtocolError},
      {.name = "h2_uppercase_field_name", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/open", {{"X-Upper", "1"}}), true), .rst = kProtocolError},
      {.name = "h2_connection_specific_field", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/open", {{"connection", "keep-alive"}}), true), .rst = kProtocolError},
      {.name = "h2_transfer_encoding_field", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/open", {{"transfer-encoding", "chunked"}}), true), .rst = kProtocolError},
      {.name = "h2_missing_method", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_literal(":scheme", "http") + hpack_literal(":authority", "hooks.test") +
                                  hpack_literal(":path", "/in/open"), true),
       .rst = kProtocolError},
      // Answered by hookgate on the stream.
      {.name = "h2_dot_dot_path", .kind = Kind::h2, .bytes = h2_headers(1, hpack_request("/in/../in/open"), true),
       .statuses = {400}},
      {.name = "h2_percent_encoded_path_is_not_decoded", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/%6Fpen"), true), .statuses = {404}},
      {.name = "h2_body_over_max_body", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/open", {{"content-length", "5000"}}), false), .statuses = {413}},
      {.name = "h2_header_block_over_head_budget", .kind = Kind::h2,
       .bytes = h2_headers(1, hpack_request("/in/open", {{"x-filler", std::string(3000, 'f')}}), true), .statuses = {431}},
      {.name = "h2_stalled_stream", .kind = Kind::h2, .bytes = h2_headers(1, ok_block, false), .statuses = {408}},
      {.name = "h2_ping_flood_without_reading", .kind = Kind::h2_flood, .bytes = ""},
  };
}

std::vector<Case> all_cases() {
  std::vector<Case> cases = http1_cases();
  for (Case& c : http2_cases()) cases.push_back(std::move(c));
  return cases;
}

int64_t stored_open_events(const Gateway& gateway) {
  return Database(gateway.db_path()).scalar("SELECT count(*) FROM events WHERE source = 'open'");
}

std::atomic<int> g_deliveries{0};

// A GitHub delivery signed with the source's secret, as HTTP/1.1 bytes.
std::string signed_github_request(const Gateway& gateway, const std::string& tag) {
  const std::string body = R"({"zen":"Keep it logically awesome.","after":")" + tag + R"("})";
  const std::string id = "delivery-" + tag + "-" + std::to_string(g_deliveries++);
  std::string bytes = "POST /in/github HTTP/1.1\r\nHost: hooks.test\r\nContent-Type: application/json\r\n";
  for (const auto& [name, value] : testing::sign_for(gateway.config_path(), "github", body, system_clock::now(), id)) {
    bytes += name + ": " + value + "\r\n";
  }
  return bytes + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A valid signed request on `connection` is answered 200.
void expect_served_on(RawHttpConnection& connection, const Gateway& gateway, const std::string& tag) {
  ASSERT_TRUE(connection.send(signed_github_request(gateway, tag))) << "could not send the valid request";
  const std::optional<gateway::outbound::Response> answer = connection.read_response(kAnswerWait);
  ASSERT_TRUE(answer.has_value()) << "no answer to a valid request; received: " << connection.received();
  EXPECT_EQ(answer->status, 200) << answer->body_excerpt;
}

// The server keeps serving: a fresh HTTP/1.1 connection, and for HTTP/2 cases a fresh h2c one.
void expect_still_serving(const Gateway& gateway, const Case& c) {
  RawHttpConnection fresh(gateway.port());
  ASSERT_TRUE(fresh.connected()) << "cannot connect any more";
  expect_served_on(fresh, gateway, c.name);
  if (c.kind == Kind::h2 || c.kind == Kind::h2_flood) {
    H2Client client(gateway.port());
    ASSERT_TRUE(client.connected());
    const std::string body = R"({"zen":"Half measures are as bad as nothing at all.","after":")" + c.name + R"("})";
    testing::Headers headers;
    for (auto [name, value] : testing::sign_for(gateway.config_path(), "github", body, system_clock::now(),
                                                "h2-delivery-" + c.name + "-" + std::to_string(g_deliveries++))) {
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      headers.emplace_back(name, value);
    }
    EXPECT_EQ(client.request("POST", "/in/github", headers, body).status, 200) << "h2c after " << c.name;
  }
}

void run_http1(const Gateway& gateway, const Case& c) {
  RawHttpConnection connection(gateway.port());
  ASSERT_TRUE(connection.connected());
  switch (c.kind) {
    case Kind::send:
      connection.send(c.bytes);  // the server may close before taking everything
      break;
    case Kind::half_close:
      ASSERT_TRUE(connection.send(c.bytes));
      connection.shutdown_write();
      break;
    case Kind::trickle: {
      ASSERT_TRUE(connection.send(c.bytes));
      const size_t sent = connection.trickle(c.slow, milliseconds(100), seconds(60));
      // The deadline cut the trickle short: a slow peer does not get the time it asks for.
      EXPECT_LT(sent, c.slow.size());
      break;
    }
    case Kind::stall:
      ASSERT_TRUE(connection.send(c.bytes));
      break;
    case Kind::expect_continue: {
      ASSERT_TRUE(connection.send(c.bytes));
      ASSERT_TRUE(connection.wait_for("\r\n\r\n", kAnswerWait)) << connection.received();
      EXPECT_EQ(connection.received().rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u) << connection.received();
      ASSERT_TRUE(connection.send(c.slow));
      break;
    }
    case Kind::h2:
    case Kind::h2_flood:
      FAIL() << "not an HTTP/1.1 case";
  }

  for (size_t i = 0; i < c.statuses.size(); ++i) {
    const std::optional<gateway::outbound::Response> answer = connection.read_response(kAnswerWait);
    ASSERT_TRUE(answer.has_value()) << "answer " << i + 1 << " missing; received: " << connection.received()
                                    << (connection.malformed() ? " (malformed)" : "");
    EXPECT_EQ(answer->status, c.statuses[i]) << answer->body_excerpt;
    if (c.closes && i + 1 == c.statuses.size()) {
      EXPECT_FALSE(answer->keep_alive) << "no Connection: close";
    }
  }
  // An interim 100 only when the body is wanted (RFC 9110 §10.1.1).
  if (c.kind != Kind::expect_continue) {
    EXPECT_NE(connection.received().rfind("HTTP/1.1 100", 0), 0u);
  }
  if (c.closes) {
    EXPECT_TRUE(connection.closed_within(kAnswerWait)) << "the connection stayed open";
    EXPECT_EQ(connection.unread(), 0u) << "more than the expected answers: " << connection.received();
  } else {
    expect_served_on(connection, gateway, c.name + "-same-connection");
  }
}

void run_http2(const Gateway& gateway, const Case& c) {
  RawH2Connection raw(gateway.port());
  ASSERT_TRUE(raw.connected());
  if (c.kind == Kind::h2_flood) {
    std::string flood = h2_client_start();
    for (int i = 0; i < 200000; ++i) flood += h2_frame(0x6, 0, 0, std::string(8, static_cast<char>(i)));
    // The server stops reading (its answers back up) or closes; it must not take it all in.
    raw.send(flood, seconds(5));
    // While the flooding connection is still open, others are served.
    expect_still_serving(gateway, c);
    return;
  }
  raw.send(h2_client_start() + c.bytes);
  H2StatusReader statuses;
  std::vector<H2Frame> frames;
  std::optional<uint32_t> goaway;
  std::optional<uint32_t> rst;
  const auto deadline = steady_clock::now() + kAnswerWait;
  while (steady_clock::now() < deadline && !raw.closed_by_peer() && !goaway) {
    const std::vector<H2Frame> got = raw.read_until_goaway(milliseconds(200));
    statuses.add(got);
    for (const H2Frame& frame : got) {
      if (frame.type == 0x7) goaway = frame.error_code();
      if (frame.type == 0x3 && frame.stream_id == 1 && !rst) rst = frame.error_code();
    }
    frames.insert(frames.end(), got.begin(), got.end());
    if (!c.goaway && ((c.rst && rst) || (!c.statuses.empty() && statuses.status(1)))) break;
  }
  if (c.goaway == kAnyError) {
    EXPECT_TRUE((goaway && *goaway != 0) || raw.closed_by_peer()) << "neither GOAWAY with an error nor a close";
  } else if (c.goaway) {
    ASSERT_TRUE(goaway.has_value()) << "no GOAWAY";
    EXPECT_EQ(*goaway, *c.goaway);
  } else {
    EXPECT_FALSE(goaway.has_value()) << "GOAWAY " << goaway.value_or(0) << " for a stream-level problem";
  }
  if (c.rst) {
    ASSERT_TRUE(rst.has_value()) << "stream 1 was not reset";
    EXPECT_EQ(*rst, *c.rst);
  }
  if (!c.statuses.empty()) {
    ASSERT_TRUE(statuses.status(1).has_value()) << "stream 1 was not answered";
    EXPECT_EQ(*statuses.status(1), c.statuses.front());
  }
}

void run_case(const Gateway& gateway, const Case& c) {
  SCOPED_TRACE("case " + c.name);
  const int64_t before = stored_open_events(gateway);
  if (c.kind == Kind::h2 || c.kind == Kind::h2_flood) {
    run_http2(gateway, c);
  } else {
    run_http1(gateway, c);
  }
  expect_still_serving(gateway, c);
  // Every answer above came after its commit (durable ack), so the count is final here.
  EXPECT_EQ(stored_open_events(gateway) - before, c.stored) << "rows stored by the case";
}

class HostileHttp : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override { ASSERT_TRUE(gateway_.start()); }
  TempDir dir_;
  Gateway gateway_{dir_, kConfig};
};

TEST_P(HostileHttp, GetsTheRightAnswerAndTheServerKeepsServing) {
  run_case(gateway_, GetParam());
  // Every valid request of this case was signed and stored; nothing else reached the store.
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE source NOT IN ('open', 'github')"), 0);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, HostileHttp, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.name; });

TEST(HostileHttpCatalogue, HasAtLeastFortyCasesWithUniqueNames) {
  const std::vector<Case> cases = all_cases();
  EXPECT_GE(cases.size(), 40u);
  std::set<std::string> names;
  for (const Case& c : cases) EXPECT_TRUE(names.insert(c.name).second) << c.name;
}

// Every case in turn against one server: it keeps serving throughout, and at the end the
// store holds exactly the rows the cases should have stored, each of them intact.
TEST(HostileHttpGauntlet, OneServerTakesTheWholeCatalogue) {
  TempDir dir;
  Gateway gateway(dir, kConfig);
  ASSERT_TRUE(gateway.start());
  int expected_open = 0;
  size_t passed = 0;
  const std::vector<Case> cases = all_cases();
  for (const Case& c : cases) {
    const ::testing::TestResult* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
    const int parts_before = result->total_part_count();  // one part per failed expectation
    run_case(gateway, c);
    expected_open += c.stored;
    if (result->total_part_count() == parts_before) ++passed;
  }
  Database db(gateway.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE source = 'open'"), expected_open);
  if (db.is_sqlite()) EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
  std::printf("hostile cases passed: %zu of %zu\n", passed, cases.size());
  EXPECT_EQ(passed, cases.size());
}

}  // namespace
}  // namespace hookgate::reliability
