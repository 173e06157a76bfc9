#include "feed_harness.h"

#include <gtest/gtest.h>

#include <random>

namespace hookgate::gateway::http1::testing {
namespace {

constexpr std::size_t kExhaustiveSplitLimit = 2048;  // inputs up to this size: every 2-way cut
constexpr int kRandomSplits = 24;

std::string printable(std::string_view bytes) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c >= 0x7f || c == '\\') {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string_view state_name(RequestParser::State s) {
  switch (s) {
    case RequestParser::State::reading_head: return "reading_head";
    case RequestParser::State::reading_body: return "reading_body";
    case RequestParser::State::complete: return "complete";
    case RequestParser::State::error: return "error";
  }
  return "?";
}

}  // namespace

std::string describe(const Outcome& o) {
  std::string s;
  for (const Request& r : o.requests) {
    s += "request " + r.method + " target=" + printable(r.target) + " path=" + printable(r.path) +
         " query=" + printable(r.query) + " 1." + std::to_string(r.version_minor) +
         " keep_alive=" + std::to_string(r.keep_alive) + " expect_continue=" + std::to_string(r.expect_continue) + "\n";
    for (const Header& h : r.headers) s += "  " + printable(h.name) + ": [" + printable(h.value) + "]\n";
    s += "  body(" + std::to_string(r.body.size()) + ")=" + printable(r.body.substr(0, 256)) + "\n";
  }
  s += "state=" + std::string(state_name(o.final_state)) + " error=" + std::string(reason_of(o.error)) +
       " detail=" + o.detail + " headers_complete=" + std::to_string(o.final_headers_complete) +
       " consumed=" + std::to_string(o.consumed) + "\n";
  return s;
}

Outcome feed_in_pieces(std::string_view input, const Limits& limits, const std::vector<std::size_t>& pieces) {
  RequestParser parser(limits);
  Outcome outcome;
  std::string pending;
  std::size_t offset = 0;
  std::size_t piece_index = 0;
  while (offset < input.size()) {
    std::size_t size = input.size() - offset;
    if (piece_index < pieces.size()) size = std::min(size, pieces[piece_index++]);
    pending.append(input.substr(offset, size));
    offset += size;
    while (!pending.empty()) {
      const std::size_t n = parser.feed(pending);
      outcome.consumed += n;
      pending.erase(0, n);
      const RequestParser::State state = parser.state();
      if (state == RequestParser::State::complete) {
        Request request = parser.take_request();
        if (request.body.capacity() < request.body.size() + Request::kBodyPadding) {
          ADD_FAILURE() << "body without padding: size " << request.body.size() << " capacity "
                        << request.body.capacity();
        }
        outcome.requests.push_back(std::move(request));
        parser.reset();
        continue;
      }
      if (state != RequestParser::State::error && !pending.empty()) {
        ADD_FAILURE() << "parser needs more but left " << pending.size() << " bytes unconsumed";
      }
      break;
    }
    if (parser.state() == RequestParser::State::error) break;
  }
  outcome.final_state = parser.state();
  outcome.error = parser.error();
  outcome.detail = std::string(parser.error_detail());
  outcome.final_headers_complete = parser.headers_complete();
  if ((outcome.error == Error::none) != (outcome.final_state != RequestParser::State::error)) {
    ADD_FAILURE() << "error() and state() disagree";
  }
  if (outcome.final_state == RequestParser::State::error && parser.feed("x") != 0) {
    ADD_FAILURE() << "a parser in error consumed more bytes";
  }
  return outcome;
}

Outcome parse_all_ways(std::string_view input, const Limits& limits) {
  const Outcome whole = feed_in_pieces(input, limits, {});
  const std::string expected = describe(whole);

  const auto check = [&](const std::vector<std::size_t>& pieces, std::string_view how) {
    const Outcome split = feed_in_pieces(input, limits, pieces);
    const std::string got = describe(split);
    if (got != expected) {
      ADD_FAILURE() << "outcome differs when fed " << how << "\nwhole:\n" << expected << "split:\n" << got;
      return false;
    }
    return true;
  };

  check(std::vector<std::size_t>(input.size(), 1), "one byte at a time");
  if (input.size() <= kExhaustiveSplitLimit) {
    for (std::size_t cut = 1; cut < input.size(); ++cut) {
      if (!check({cut}, "in two pieces cut at " + std::to_string(cut))) break;
    }
  }
  std::mt19937 rng(20240917u ^ static_cast<unsigned>(input.size()));
  for (int round = 0; round < kRandomSplits; ++round) {
    std::vector<std::size_t> pieces;
    const std::size_t max_piece = std::max<std::size_t>(1, input.size() / 4);
    std::uniform_int_distribution<std::size_t> piece_size(1, max_piece);
    for (std::size_t total = 0; total < input.size();) {
      pieces.push_back(piece_size(rng));
      total += pieces.back();
    }
    std::string how = "in random pieces:";
    for (const std::size_t p : pieces) how += " " + std::to_string(p);
    if (!check(pieces, how)) break;
  }
  return whole;
}

}  // namespace hookgate::gateway::http1::testing
