// The shared message core above the field lines (gateway/http/message_reader.h and
// framing_fields.h) on its own: callbacks in order, where feed() stops, the owner's choices and
// refusals, the reader's faults, and that every split of the input gives the same outcome.
#include "gateway/http/message_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/http/framing_fields.h"

namespace hookgate::gateway::http {
namespace {

using Fault = MessageReader::Fault;

// An owner that frames the body from the framing fields, as both message parsers do.
class Owner final : public MessageEvents {
 public:
  explicit Owner(MessageReader& reader) : reader_(reader) { framing_.reset(false); }

  bool on_field(const std::string& name, const std::string& value) override {
    log += name + "=" + value + ";";
    if (name == "X-Refuse") return false;
    return framing_.add(name, value) == FramingFields::Fault::none;
  }
  bool on_head_end() override {
    log += "|";
    if (framing_.chunked()) {
      reader_.read_chunked();
    } else if (framing_.content_length_seen()) {
      reader_.read_length(framing_.content_length());
    } else if (until_close) {
      reader_.read_until_close();
    } else {
      reader_.end_message();
    }
    return true;
  }
  void on_body(std::string_view data) override { body.append(data); }

  bool until_close = false;
  std::string log;
  std::string body;

 private:
  MessageReader& reader_;
  FramingFields framing_;
};

struct Outcome {
  std::string log;
  std::string body;
  bool done = false;
  Fault fault = Fault::none;
  std::string detail;
  std::size_t consumed = 0;

  bool operator==(const Outcome&) const = default;
};

ChunkedLimits small_chunked_limits() {
  ChunkedLimits limits;
  limits.max_extension_bytes = 8;
  limits.trailers = {32, 2};
  return limits;
}

Outcome run(std::string_view input, const std::vector<std::size_t>& cuts, bool until_close) {
  MessageReader reader({64, 4}, small_chunked_limits());
  reader.begin_head(10);  // as if after a 10-byte start line
  Owner owner(reader);
  owner.until_close = until_close;
  std::size_t from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(input.size());
  for (const std::size_t end : ends) {
    while (from < end) {
      const std::size_t used = reader.feed(input.substr(from, end - from), owner);
      from += used;
      if (used == 0) break;
    }
  }
  return {owner.log, owner.body, reader.done(), reader.fault(), std::string(reader.detail()), from};
}

Outcome read_all_ways(std::string_view input, bool until_close = false) {
  const Outcome whole = run(input, {}, until_close);
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    EXPECT_EQ(run(input, {cut}, until_close), whole) << "cut at " << cut;
  }
  std::vector<std::size_t> bytes;
  for (std::size_t i = 1; i < input.size(); ++i) bytes.push_back(i);
  EXPECT_EQ(run(input, bytes, until_close), whole) << "byte at a time";
  return whole;
}

TEST(MessageReader, ReadsTheHeadThenTheBodyTheOwnerChose) {
  Outcome o = read_all_ways("Content-Length: 3\r\n\r\nabcNEXT");
  EXPECT_EQ(o.log, "Content-Length=3;|");
  EXPECT_EQ(o.body, "abc");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.consumed, 24u);

  o = read_all_ways("Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nT: 1\r\n\r\nNEXT");
  EXPECT_EQ(o.log, "Transfer-Encoding=chunked;|");  // trailers are not reported
  EXPECT_EQ(o.body, "ab");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.consumed, 48u);

  o = read_all_ways("A: b\r\n\r\nNEXT");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.consumed, 8u);

  o = read_all_ways("A: b\r\n\r\nall of it", true);
  EXPECT_FALSE(o.done);
  EXPECT_EQ(o.body, "all of it");
  EXPECT_EQ(o.consumed, 17u);
}

TEST(MessageReader, StopsAfterTheFieldTheOwnerRefuses) {
  const Outcome o = read_all_ways("A: b\r\nX-Refuse: 1\r\nC: d\r\n\r\n");
  EXPECT_EQ(o.log, "A=b;X-Refuse=1;");
  EXPECT_EQ(o.fault, Fault::none);
  EXPECT_FALSE(o.done);
  EXPECT_EQ(o.consumed, 19u);
}

TEST(MessageReader, IsIdleAfterAHeadTheOwnerGaveNoBody) {
  MessageReader reader({64, 4}, {});
  reader.begin_head(0);
  class Idle final : public MessageEvents {
   public:
    bool on_field(const std::string&, const std::string&) override { return true; }
    bool on_head_end() override { return true; }
    void on_body(std::string_view) override {}
  } idle;
  EXPECT_EQ(reader.feed("A: b\r\n\r\nHTTP/1.1 200", idle), 8u);
  EXPECT_FALSE(reader.done());
  EXPECT_EQ(reader.feed("HTTP/1.1 200", idle), 0u);
}

TEST(MessageReader, ReportsItsFaults) {
  struct Case {
    std::string input;
    Fault fault;
    std::string_view detail;
  };
  const Case cases[] = {
      {"A: b\r\n c\r\n", Fault::malformed, "obs-fold"},
      {"A: " + std::string(60, 'x') + "\r\n", Fault::head_too_large, "header section too large"},
      {"A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n", Fault::head_too_large, "too many header fields"},
      {"Transfer-Encoding: chunked\r\n\r\nz\r\n", Fault::malformed, "invalid chunk size"},
      {"Transfer-Encoding: chunked\r\n\r\n1;abcdefgh\r\n", Fault::extensions_too_large, "chunk extensions too large"},
      {"Transfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n", Fault::trailers_too_large,
       "too many trailer fields"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.input));
    const Outcome o = read_all_ways(c.input);
    EXPECT_EQ(o.fault, c.fault);
    EXPECT_EQ(o.detail, c.detail);
  }
}

TEST(FramingFields, RefusesAmbiguousFraming) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> fields;
    bool http10;
    FramingFields::Fault fault;
    std::string_view detail;
  };
  using F = FramingFields::Fault;
  const Case cases[] = {
      {{{"Content-Length", "1"}, {"content-length", "1"}}, false, F::malformed, "duplicate content-length"},
      {{{"Content-Length", "1, 1"}}, false, F::malformed, "invalid content-length"},
      {{{"Content-Length", "1"}, {"Transfer-Encoding", "chunked"}}, false, F::malformed,
       "content-length with transfer-encoding"},
      {{{"Transfer-Encoding", "chunked"}, {"Content-Length", "1"}}, false, F::malformed,
       "content-length with transfer-encoding"},
      {{{"Transfer-Encoding", "chunked"}}, true, F::malformed, "transfer-encoding in HTTP/1.0"},
      {{{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}, false, F::unsupported_coding,
       "repeated transfer-encoding"},
      {{{"Transfer-Encoding", "gzip, chunked"}}, false, F::unsupported_coding, "unsupported transfer-encoding"},
      {{{"Connection", "close, @"}}, false, F::malformed, "invalid connection"},
  };
  for (const Case& c : cases) {
    FramingFields framing;
    framing.reset(c.http10);
    FramingFields::Fault fault = F::none;
    for (const auto& [name, value] : c.fields) {
      fault = framing.add(name, value);
      if (fault != F::none) break;
    }
    EXPECT_EQ(fault, c.fault) << c.detail;
    EXPECT_EQ(framing.detail(), c.detail);
  }
}

TEST(FramingFields, KeepAliveFollowsVersionAndConnection) {
  FramingFields framing;
  framing.reset(false);
  EXPECT_TRUE(framing.keep_alive());
  EXPECT_EQ(framing.add("Connection", "keep-alive, close"), FramingFields::Fault::none);
  EXPECT_FALSE(framing.keep_alive());
  framing.reset(true);
  EXPECT_FALSE(framing.keep_alive());
  EXPECT_EQ(framing.add("Connection", "Keep-Alive"), FramingFields::Fault::none);
  EXPECT_TRUE(framing.keep_alive());
  EXPECT_EQ(framing.add("X-Other", "anything at all"), FramingFields::Fault::none);
  EXPECT_EQ(framing.content_length(), 0u);
  EXPECT_FALSE(framing.chunked());
}

}  // namespace
}  // namespace hookgate::gateway::http
