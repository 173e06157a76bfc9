// The HTTP/1.1 request parser (gateway/http1/, over the shared message core in gateway/http/),
// driven as the libevent adapter drives it: feed what arrived, take and reset after each
// complete request, feed the pipelined rest.
//
// Input: fuzz_input.h's stream framing. Flags: bit 0 a tight head budget (256 bytes), bit 1 few
// header fields (4), bit 2 a small body limit (64 bytes), bit 3 HEAD-less round trip of each
// request through the response writer and the outbound response parser.
//
// Properties, beyond "no crash, no leak, no undefined behaviour":
//   - the outcome (every request, the final state, error and detail, bytes consumed) is the
//     same with the bytes whole and cut into the input's pieces;
//   - every request respects the limits; its body carries the zeroed padding the header
//     promises; its path and query are what split_request_target gives; header names are
//     tokens and values hold no CR, LF, NUL or edge whitespace;
//   - an error maps to a status in the documented set and has a detail;
//   - an answer echoing a parsed header value is writable, and reads back through
//     outbound::ResponseParser with the same status, value and body.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "gateway/http/request_target.h"
#include "gateway/http/syntax.h"
#include "gateway/http1/request_parser.h"
#include "gateway/http1/response_writer.h"
#include "gateway/outbound/response_parser.h"

namespace hookgate::fuzz {
namespace {

using gateway::http::Request;
using gateway::http1::RequestParser;

constexpr std::size_t kMaxRequests = 64;

struct Outcome {
  std::vector<Request> requests;
  RequestParser::State state = RequestParser::State::reading_head;
  gateway::http1::Error error = gateway::http1::Error::none;
  std::string_view detail;
  bool headers_complete = false;
  std::size_t consumed = 0;
};

bool same_request(const Request& a, const Request& b) {
  if (a.method != b.method || a.target != b.target || a.path != b.path || a.query != b.query ||
      a.version_minor != b.version_minor || a.body != b.body || a.keep_alive != b.keep_alive ||
      a.expect_continue != b.expect_continue || a.headers.size() != b.headers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.headers.size(); ++i) {
    if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value) return false;
  }
  return true;
}

void check_request(const Request& r, const gateway::http1::Limits& limits) {
  HOOKGATE_FUZZ_CHECK(r.body.size() <= limits.max_body);
  HOOKGATE_FUZZ_CHECK(r.headers.size() <= limits.max_headers);
  HOOKGATE_FUZZ_CHECK(r.target.size() <= limits.max_header_bytes / 2);
  HOOKGATE_FUZZ_CHECK(r.version_minor == 0 || r.version_minor == 1);
  HOOKGATE_FUZZ_CHECK(gateway::http::syntax::is_token(r.method));
  // The padding simdjson relies on: capacity for 64 more bytes, and those bytes zero.
  HOOKGATE_FUZZ_CHECK(r.body.capacity() >= r.body.size() + Request::kBodyPadding);
  const char* padding = r.body.data() + r.body.size();
  for (std::size_t i = 0; i < Request::kBodyPadding; ++i) HOOKGATE_FUZZ_CHECK(padding[i] == '\0');

  const gateway::http::TargetParts parts = gateway::http::split_request_target(r.method, r.target);
  HOOKGATE_FUZZ_CHECK(parts.ok);
  HOOKGATE_FUZZ_CHECK(parts.path == r.path && parts.query == r.query);
  HOOKGATE_FUZZ_CHECK(r.path.find("/../") == std::string::npos);

  for (const gateway::http::Header& h : r.headers) {
    HOOKGATE_FUZZ_CHECK(gateway::http::syntax::is_token(h.name));
    for (const char c : h.value) {
      HOOKGATE_FUZZ_CHECK(gateway::http::syntax::is_field_value_char(static_cast<unsigned char>(c)));
    }
    if (!h.value.empty()) {
      HOOKGATE_FUZZ_CHECK(!gateway::http::syntax::is_ows(static_cast<unsigned char>(h.value.front())));
      HOOKGATE_FUZZ_CHECK(!gateway::http::syntax::is_ows(static_cast<unsigned char>(h.value.back())));
    }
  }
}

// Writes an answer that echoes the request's first header value and body, and reads it back.
void round_trip_answer(const Request& r) {
  const std::string_view echoed = r.headers.empty() ? std::string_view("none") : std::string_view(r.headers[0].value);
  const gateway::http1::HeaderPair headers[] = {{"X-Echo", echoed}};
  std::string out;
  HOOKGATE_FUZZ_CHECK(gateway::http1::write_response(out, 200, headers, r.body, r.keep_alive,
                                            gateway::http1::ResponseOptions{.request_version_minor = r.version_minor}));
  gateway::outbound::ResponseParser parser;
  parser.reset(false);
  const std::size_t used = parser.feed(out);
  HOOKGATE_FUZZ_CHECK(parser.state() == gateway::outbound::ResponseParser::State::complete);
  HOOKGATE_FUZZ_CHECK(used == out.size());
  const gateway::outbound::Response& response = parser.response();
  HOOKGATE_FUZZ_CHECK(response.status == 200);
  HOOKGATE_FUZZ_CHECK(response.header("X-Echo") == echoed);
  HOOKGATE_FUZZ_CHECK(response.body_size == r.body.size());
  HOOKGATE_FUZZ_CHECK(std::string_view(r.body).starts_with(response.body_excerpt));
  HOOKGATE_FUZZ_CHECK(response.keep_alive == r.keep_alive);
}

Outcome run(std::string_view payload, const std::vector<std::size_t>& pieces, const gateway::http1::Limits& limits) {
  RequestParser parser(limits);
  Outcome outcome;
  std::string pending;  // what the adapter's input buffer still holds
  bool stopped = false;
  for_each_piece(payload, pieces, [&](std::string_view piece) {
    if (stopped) return;
    pending.append(piece);
    while (!pending.empty() && !stopped) {
      const std::size_t n = parser.feed(pending);
      HOOKGATE_FUZZ_CHECK(n <= pending.size());
      outcome.consumed += n;
      pending.erase(0, n);
      switch (parser.state()) {
        case RequestParser::State::complete:
          outcome.requests.push_back(parser.take_request());
          parser.reset();
          if (outcome.requests.size() == kMaxRequests) stopped = true;
          break;
        case RequestParser::State::error:
          stopped = true;
          break;
        case RequestParser::State::reading_head:
        case RequestParser::State::reading_body:
          HOOKGATE_FUZZ_CHECK(pending.empty());  // everything is consumed while reading
          break;
      }
    }
  });
  outcome.state = parser.state();
  outcome.error = parser.error();
  outcome.detail = parser.error_detail();
  outcome.headers_complete = parser.headers_complete();
  return outcome;
}

}  // namespace
}  // namespace hookgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate;
  using namespace hookgate::fuzz;
  const StreamInput in = read_stream_input(data, size);
  gateway::http1::Limits limits;
  if (in.flags & 1) limits.max_header_bytes = 256;
  if (in.flags & 2) limits.max_headers = 4;
  if (in.flags & 4) limits.max_body = 64;

  const Outcome whole = run(in.payload, {}, limits);
  const Outcome split = run(in.payload, in.pieces, limits);

  HOOKGATE_FUZZ_CHECK(whole.requests.size() == split.requests.size());
  for (std::size_t i = 0; i < whole.requests.size(); ++i) {
    HOOKGATE_FUZZ_CHECK(same_request(whole.requests[i], split.requests[i]));
  }
  HOOKGATE_FUZZ_CHECK(whole.state == split.state);
  HOOKGATE_FUZZ_CHECK(whole.error == split.error);
  HOOKGATE_FUZZ_CHECK(whole.detail == split.detail);
  HOOKGATE_FUZZ_CHECK(whole.headers_complete == split.headers_complete);
  HOOKGATE_FUZZ_CHECK(whole.consumed == split.consumed);
  HOOKGATE_FUZZ_CHECK(whole.consumed <= in.payload.size());

  for (const Request& r : whole.requests) {
    check_request(r, limits);
    if (in.flags & 8) round_trip_answer(r);
  }
  if (whole.state == gateway::http1::RequestParser::State::error) {
    const int status = gateway::http1::status_of(whole.error);
    HOOKGATE_FUZZ_CHECK(status == 400 || status == 413 || status == 414 || status == 417 || status == 431 ||
                        status == 501 || status == 505);
    HOOKGATE_FUZZ_CHECK(!whole.detail.empty());
    // The answer to it is always writable (the adapter sends it, then closes).
    std::string out;
    HOOKGATE_FUZZ_CHECK(gateway::http1::write_response(out, status, {}, R"({"error":"x"})", false));
  } else {
    HOOKGATE_FUZZ_CHECK(whole.error == gateway::http1::Error::none && whole.detail.empty());
  }
  return 0;
}
