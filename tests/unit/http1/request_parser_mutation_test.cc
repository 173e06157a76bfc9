// A small deterministic fuzzer run as a unit test: valid requests with bytes flipped, inserted,
// deleted and duplicated. Every variant must parse without crashing (ASan/UBSan builds), with
// the same outcome whole and one byte at a time, and a rejected one must carry an error.
// The libFuzzer target will explore further; this keeps the invariants in every test run.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "feed_harness.h"
#include "gateway/http1/request_parser.h"

namespace hookgate::gateway::http1 {
namespace {

using testing::describe;
using testing::feed_in_pieces;

const std::vector<std::string>& seeds() {
  static const std::vector<std::string> kSeeds = {
      "GET /in/a?x=1 HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n",
      "POST /in/b HTTP/1.1\r\nHost: h:80\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
      "POST http://h/in/c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;e=\"v\\\"\"\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n",
      "\r\nPOST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi"
      "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
  };
  return kSeeds;
}

const std::string kInteresting = "\r\n\t :;,\"\\0aF-/?#*.%\x00\x7f\x80\xff";

std::string mutate(const std::string& seed, std::mt19937& rng) {
  std::string s = seed;
  std::uniform_int_distribution<int> count(1, 4);
  const int n = count(rng);
  for (int k = 0; k < n && !s.empty(); ++k) {
    std::uniform_int_distribution<std::size_t> pos(0, s.size() - 1);
    std::uniform_int_distribution<std::size_t> pick(0, kInteresting.size() - 1);
    const std::size_t at = pos(rng);
    switch (rng() % 5) {
      case 0: s[at] = static_cast<char>(rng()); break;
      case 1: s[at] = kInteresting[pick(rng)]; break;
      case 2: s.insert(at, 1, kInteresting[pick(rng)]); break;
      case 3: s.erase(at, 1 + rng() % 3); break;
      default: s.insert(at, s.substr(at, 1 + rng() % 16)); break;
    }
  }
  return s;
}

TEST(RequestParserMutation, VariantsNeverCrashAndDoNotDependOnSplits) {
  std::mt19937 rng(7);
  const Limits limits{.max_header_bytes = 512, .max_headers = 8, .max_body = 256};
  int rejected = 0;
  int accepted = 0;
  for (int round = 0; round < 4000; ++round) {
    const std::string& seed = seeds()[static_cast<std::size_t>(round) % seeds().size()];
    const std::string input = mutate(seed, rng);
    const testing::Outcome whole = feed_in_pieces(input, limits, {});
    const testing::Outcome bytes = feed_in_pieces(input, limits, std::vector<std::size_t>(input.size(), 1));
    ASSERT_EQ(describe(whole), describe(bytes)) << "round " << round;
    if (whole.final_state == RequestParser::State::error) {
      ++rejected;
      ASSERT_NE(whole.error, Error::none);
      ASSERT_NE(status_of(whole.error), 0);
    } else {
      accepted += static_cast<int>(whole.requests.size());
    }
  }
  // Both outcomes must be exercised, or the test proves nothing.
  EXPECT_GT(rejected, 1000);
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace hookgate::gateway::http1
