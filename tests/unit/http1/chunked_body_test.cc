// The shared chunked decoder (gateway/http/chunked_body.h) on its own, in both extension
// syntaxes: what it decodes, where it fails and with which fault, and that every split of the
// input gives the same outcome. The request and response parsers are tested through it too.
#include "gateway/http/chunked_body.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace hookgate::gateway::http {
namespace {

using Fault = ChunkedBodyDecoder::Fault;

struct Outcome {
  std::string data;
  bool done = false;
  Fault fault = Fault::none;
  std::string detail;
  std::size_t consumed = 0;

  bool operator==(const Outcome&) const = default;
};

// Feeds `input` cut after each of `cuts` (increasing offsets), as a message parser does.
Outcome run(std::string_view input, const std::vector<std::size_t>& cuts, const ChunkedLimits& limits) {
  ChunkedBodyDecoder decoder(limits);
  Outcome out;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(input.size());
  for (const std::size_t end : ends) {
    while (from < end && !decoder.done() && !decoder.failed()) {
      const ChunkedBodyDecoder::Result r = decoder.feed(input.substr(from, end - from));
      EXPECT_LE(r.data.size(), r.consumed);
      from += r.consumed;
      out.data.append(r.data);
    }
  }
  EXPECT_EQ(decoder.decoded_bytes(), out.data.size());
  out.done = decoder.done();
  out.fault = decoder.fault();
  out.detail = std::string(decoder.detail());
  out.consumed = from;
  return out;
}

// The whole-input outcome, checked against one byte at a time and every single cut.
Outcome decode_all_ways(std::string_view input, const ChunkedLimits& limits = {}) {
  const Outcome whole = run(input, {}, limits);
  std::vector<std::size_t> bytes;
  for (std::size_t i = 1; i < input.size(); ++i) bytes.push_back(i);
  EXPECT_EQ(run(input, bytes, limits), whole) << "byte at a time";
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    EXPECT_EQ(run(input, {cut}, limits), whole) << "cut at " << cut;
  }
  return whole;
}

ChunkedLimits field_value_bytes() {
  ChunkedLimits limits;
  limits.extensions = ExtensionSyntax::field_value_bytes;
  return limits;
}

TEST(ChunkedBodyDecoder, DecodesChunksAndStopsAfterTheTrailers) {
  const std::string input = "5\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\nNEXT";
  for (const ChunkedLimits& limits : {ChunkedLimits{}, field_value_bytes()}) {
    const Outcome o = decode_all_ways(input, limits);
    EXPECT_TRUE(o.done);
    EXPECT_EQ(o.data, "helloabcdefghijklmnopqrstuvwxyz");
    EXPECT_EQ(o.consumed, input.size() - 4);
  }
}

TEST(ChunkedBodyDecoder, AcceptsSixteenSizeDigitsAndRefusesSeventeen) {
  EXPECT_TRUE(decode_all_ways("0000000000000003\r\nabc\r\n0\r\n\r\n").done);
  const Outcome o = decode_all_ways("00000000000000003\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(o.fault, Fault::malformed);
  EXPECT_EQ(o.detail, "chunk size too long");
  EXPECT_EQ(o.consumed, 17u);
}

TEST(ChunkedBodyDecoder, ChecksExtensionsAgainstTheGrammarWhenStrict) {
  const std::string ok[] = {"3;a\r\n", "3 ;a\r\n", "3;a=b\r\n", "3; a = b ;c\r\n", "3;a=\"q \\\" x\"\r\n", "3;a;b=c\r\n"};
  for (const std::string& head : ok) {
    SCOPED_TRACE(head);
    EXPECT_TRUE(decode_all_ways(head + "abc\r\n0\r\n\r\n").done);
    EXPECT_TRUE(decode_all_ways(head + "abc\r\n0\r\n\r\n", field_value_bytes()).done);
  }
  struct Case {
    std::string input;
    std::string_view strict;       // the strict fault phrase
    std::string_view field_value;  // the field-value-bytes one; empty when accepted
  };
  const Case cases[] = {
      {"3 x\r\nabc\r\n0\r\n\r\n", "malformed chunk extension", "invalid chunk size"},
      {"3 \r\nabc\r\n0\r\n\r\n", "malformed chunk extension", "invalid chunk size"},
      {"3;a b\r\nabc\r\n0\r\n\r\n", "malformed chunk extension", ""},
      {"3;=b\r\nabc\r\n0\r\n\r\n", "malformed chunk extension", ""},
      {"3;a=\"b\r\nabc\r\n0\r\n\r\n", "malformed chunk extension", ""},
      {"3;a=b \r\nabc\r\n0\r\n\r\n", "malformed chunk extension", ""},
      {"3;a\nabc\r\n0\r\n\r\n", "bare LF", "bare LF"},
      {"3;a\x01\r\nabc\r\n0\r\n\r\n", "malformed chunk extension", "malformed chunk extension"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.input));
    Outcome o = decode_all_ways(c.input);
    EXPECT_EQ(o.fault, Fault::malformed);
    EXPECT_EQ(o.detail, c.strict);
    o = decode_all_ways(c.input, field_value_bytes());
    if (c.field_value.empty()) {
      EXPECT_TRUE(o.done) << o.detail;
    } else {
      EXPECT_EQ(o.fault, Fault::malformed);
      EXPECT_EQ(o.detail, c.field_value);
    }
  }
}

TEST(ChunkedBodyDecoder, RefusesBrokenFramingAtTheOffendingByte) {
  struct Case {
    std::string input;
    std::size_t consumed;
    std::string_view detail;
  };
  const Case cases[] = {
      {"\r\n", 1, "invalid chunk size"},
      {"\n", 1, "bare LF"},
      {"x\r\n", 1, "invalid chunk size"},
      {"3\n", 2, "bare LF"},
      {"3x\r\n", 2, "invalid chunk size"},
      {"3\rx", 3, "bare CR"},
      {"3\r\nabcd", 7, "missing CRLF after chunk data"},
      {"3\r\nabc\rx", 8, "bare CR"},
      {"0\r\n X: y\r\n\r\n", 4, "whitespace before first field line"},
      {"0\r\nX: y\n", 8, "bare LF"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.input));
    for (const ChunkedLimits& limits : {ChunkedLimits{}, field_value_bytes()}) {
      const Outcome o = decode_all_ways(c.input, limits);
      EXPECT_EQ(o.fault, Fault::malformed);
      EXPECT_EQ(o.detail, c.detail);
      EXPECT_EQ(o.consumed, c.consumed);
    }
  }
}

TEST(ChunkedBodyDecoder, BoundsTheBodyAtTheByteAfterTheSize) {
  ChunkedLimits limits;
  limits.max_body = 5;
  EXPECT_TRUE(decode_all_ways("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", limits).done);
  const Outcome o = decode_all_ways("3\r\nabc\r\n3;x\r\ndef\r\n0\r\n\r\n", limits);
  EXPECT_EQ(o.fault, Fault::body_too_large);
  EXPECT_EQ(o.detail, "chunked body over body limit");
  EXPECT_EQ(o.consumed, 10u);  // the ";" after the "3"
  EXPECT_EQ(o.data, "abc");

  // Without a limit even the largest size is read (the caller caps what it feeds).
  const Outcome unbounded = decode_all_ways("1\r\na\r\nFFFFFFFFFFFFFFFF\r\nxyz");
  EXPECT_EQ(unbounded.fault, Fault::none);
  EXPECT_EQ(unbounded.data, "axyz");
}

TEST(ChunkedBodyDecoder, BoundsTheSumOfExtensionsOverTheBody) {
  ChunkedLimits limits;
  limits.max_extension_bytes = 6;
  // ";a\r" and ";b\r" are 3 bytes each: together exactly the budget.
  EXPECT_TRUE(decode_all_ways("1;a\r\nx\r\n1;b\r\ny\r\n0\r\n\r\n", limits).done);
  for (const ExtensionSyntax syntax : {ExtensionSyntax::strict, ExtensionSyntax::field_value_bytes}) {
    limits.extensions = syntax;
    const Outcome o = decode_all_ways("1;a\r\nx\r\n1;b\r\ny\r\n0;c\r\n\r\n", limits);
    EXPECT_EQ(o.fault, Fault::extensions_too_large);
    EXPECT_EQ(o.detail, "chunk extensions too large");
    EXPECT_EQ(o.consumed, 18u);  // the ";" after the "0"
  }
}

TEST(ChunkedBodyDecoder, BoundsTheTrailerSection) {
  ChunkedLimits limits;
  limits.trailers = {8, 1};
  EXPECT_TRUE(decode_all_ways("0\r\nA: b\r\n\r\n", limits).done);  // 8 bytes
  Outcome o = decode_all_ways("0\r\nA: bc\r\n\r\n", limits);
  EXPECT_EQ(o.fault, Fault::trailers_too_large);
  EXPECT_EQ(o.detail, "trailer section too large");
  limits.trailers = {100, 1};
  o = decode_all_ways("0\r\nA: b\r\nC", limits);
  EXPECT_EQ(o.fault, Fault::trailers_too_large);
  EXPECT_EQ(o.detail, "too many trailer fields");
}

TEST(ChunkedBodyDecoder, ResetStartsAnotherBody) {
  ChunkedBodyDecoder decoder;
  ASSERT_EQ(decoder.feed("x").consumed, 1u);
  ASSERT_TRUE(decoder.failed());
  EXPECT_EQ(decoder.feed("0\r\n\r\n").consumed, 0u);
  decoder.reset();
  EXPECT_EQ(decoder.fault(), Fault::none);
  EXPECT_EQ(decoder.feed("0\r\n\r\n").consumed, 5u);
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(decoder.feed("0").consumed, 0u);
}

}  // namespace
}  // namespace hookgate::gateway::http
