// The outbound HTTP/1.1 response parser (gateway/outbound/response_parser.*, over the shared
// message core in gateway/http/): what a destination answers to a delivery.
//
// Input: fuzz_input.h's stream framing. Flags: bit 0 the request was HEAD, bit 1 tight limits
// (256-byte heads, 4 fields, 16-byte excerpt), bit 2 the peer closes after the bytes
// (finish()).
//
// Properties: the outcome (state, error, detail, status, headers, framing, keep-alive, excerpt,
// body size, bytes consumed) is the same whole and cut into the input's pieces; the excerpt is
// bounded and is the body's start; a parsed head has a final status and respects the limits;
// a HEAD answer and a body read until close are framed as documented.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "gateway/outbound/response_parser.h"

namespace hookgate::fuzz {
namespace {

using gateway::outbound::ResponseParser;

struct Outcome {
  ResponseParser::State state = ResponseParser::State::reading_head;
  ResponseParser::Error error = ResponseParser::Error::none;
  std::string_view detail;
  bool headers_complete = false;
  bool started = false;
  gateway::outbound::Response response;
  std::size_t consumed = 0;
};

Outcome run(std::string_view payload, const std::vector<std::size_t>& pieces,
            const gateway::outbound::ResponseLimits& limits, bool head, bool close) {
  ResponseParser parser(limits);
  parser.reset(head);
  Outcome outcome;
  bool stopped = false;
  for_each_piece(payload, pieces, [&](std::string_view piece) {
    if (stopped) return;
    const std::size_t n = parser.feed(piece);
    HOOKGATE_FUZZ_CHECK(n <= piece.size());
    outcome.consumed += n;
    const ResponseParser::State state = parser.state();
    if (state == ResponseParser::State::complete || state == ResponseParser::State::error) {
      stopped = true;  // the connection is done with; later bytes belong to nothing
    } else {
      HOOKGATE_FUZZ_CHECK(n == piece.size());
    }
  });
  if (close) parser.finish();
  outcome.state = parser.state();
  outcome.error = parser.error();
  outcome.detail = parser.error_detail();
  outcome.headers_complete = parser.headers_complete();
  outcome.started = parser.started();
  outcome.response = parser.response();
  return outcome;
}

bool same(const Outcome& a, const Outcome& b) {
  return a.state == b.state && a.error == b.error && a.detail == b.detail && a.headers_complete == b.headers_complete &&
         a.started == b.started && a.consumed == b.consumed && a.response.status == b.response.status &&
         a.response.version_minor == b.response.version_minor && a.response.headers == b.response.headers &&
         a.response.framing == b.response.framing && a.response.keep_alive == b.response.keep_alive &&
         a.response.body_excerpt == b.response.body_excerpt && a.response.body_size == b.response.body_size;
}

}  // namespace
}  // namespace hookgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate;
  using namespace hookgate::fuzz;
  const StreamInput in = read_stream_input(data, size);
  const bool head = (in.flags & 1) != 0;
  const bool close = (in.flags & 4) != 0;
  gateway::outbound::ResponseLimits limits;
  if (in.flags & 2) {
    limits.max_header_bytes = 256;
    limits.max_headers = 4;
    limits.excerpt_bytes = 16;
  }

  const Outcome whole = run(in.payload, {}, limits, head, close);
  const Outcome split = run(in.payload, in.pieces, limits, head, close);
  HOOKGATE_FUZZ_CHECK(same(whole, split));
  HOOKGATE_FUZZ_CHECK(whole.consumed <= in.payload.size());

  const gateway::outbound::Response& r = whole.response;
  HOOKGATE_FUZZ_CHECK(r.body_excerpt.size() <= limits.excerpt_bytes);
  HOOKGATE_FUZZ_CHECK(r.body_excerpt.size() == std::min<std::uint64_t>(r.body_size, limits.excerpt_bytes));
  if (whole.headers_complete) {
    HOOKGATE_FUZZ_CHECK(r.status >= 200 && r.status <= 599);
    HOOKGATE_FUZZ_CHECK(r.version_minor == 0 || r.version_minor == 1);
    HOOKGATE_FUZZ_CHECK(r.headers.size() <= limits.max_headers);
    if (head) HOOKGATE_FUZZ_CHECK(r.framing == gateway::outbound::BodyFraming::none && r.body_size == 0);
    if (r.framing == gateway::outbound::BodyFraming::until_close) HOOKGATE_FUZZ_CHECK(!r.keep_alive);
  } else {
    HOOKGATE_FUZZ_CHECK(r.body_size == 0);
  }
  if (whole.state == ResponseParser::State::error) {
    HOOKGATE_FUZZ_CHECK(whole.error != ResponseParser::Error::none && !whole.detail.empty());
  } else {
    HOOKGATE_FUZZ_CHECK(whole.error == ResponseParser::Error::none);
  }
  if (close) {
    // After the peer closed, the parser has settled either way.
    HOOKGATE_FUZZ_CHECK(whole.state == ResponseParser::State::complete || whole.state == ResponseParser::State::error);
  }
  return 0;
}
