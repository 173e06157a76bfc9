// Feeds bytes to a RequestParser the way the libevent adapter does (keep what was not consumed,
// take and reset after each complete request), and checks that the outcome is the same however
// the bytes are split: whole, one byte at a time, at every single cut point and at random cuts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/http1/request_parser.h"

namespace hookgate::gateway::http1::testing {

using http::Header;
using http::Request;

struct Outcome {
  std::vector<Request> requests;  // every complete request, in order
  RequestParser::State final_state = RequestParser::State::reading_head;
  Error error = Error::none;
  std::string detail;
  bool final_headers_complete = false;
  std::size_t consumed = 0;  // total bytes the parser took, over all requests
};

// One run, with `input` cut after each of the given piece sizes (the rest in one last piece).
// Adds a gtest failure when a contract is broken along the way: bytes left unconsumed while
// the parser still needs more, or a body without its padding.
Outcome feed_in_pieces(std::string_view input, const Limits& limits, const std::vector<std::size_t>& pieces);

// Runs `input` whole and under many splits, adds a gtest failure naming the split for any
// outcome that differs from the whole-buffer one, and returns the whole-buffer outcome.
Outcome parse_all_ways(std::string_view input, const Limits& limits = {});

// A readable dump of everything an Outcome holds, so that differences show as text diffs.
std::string describe(const Outcome& outcome);

}  // namespace hookgate::gateway::http1::testing
