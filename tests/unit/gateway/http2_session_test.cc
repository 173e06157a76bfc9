// The sans-I/O HTTP/2 session driven by an nghttp2 client session in memory (and by raw
// frames where a client library would refuse to misbehave): no sockets, no clock.
#include "gateway/connections/http2_session.h"

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/connections/protocol_sniffer.h"
#include "h2_test_client.h"

namespace hookgate::gateway::connections {
namespace {

using namespace std::chrono_literals;
using TimePoint = Http2Session::TimePoint;
using testing::Client;

const TimePoint kT0{std::chrono::seconds(1000)};

// What the server side handed out.
struct Recorder final : Http2Session::Handler {
  struct Rejection {
    int32_t stream_id;
    int status;
    std::string reason;
  };
  std::vector<std::pair<int32_t, InboundRequest>> requests;
  std::vector<Rejection> rejections;
  std::vector<int32_t> closed;

  void on_request(int32_t stream_id, InboundRequest request) override {
    requests.emplace_back(stream_id, std::move(request));
  }
  void on_stream_rejected(int32_t stream_id, int status, std::string_view reason) override {
    rejections.push_back({stream_id, status, std::string(reason)});
  }
  void on_stream_closed(int32_t stream_id) override { closed.push_back(stream_id); }
};

class Http2SessionTest : public ::testing::Test {
 protected:
  void make(Http2Limits limits = {}) {
    server_ = Http2Session::create(limits, recorder_);
    ASSERT_NE(server_, nullptr);
  }

  std::string server_output() {
    std::string out;
    while (auto chunk = server_->next_output()) {
      if (chunk->empty()) break;
      out.append(*chunk);
    }
    return out;
  }

  // Moves bytes both ways until neither side has anything to say.
  void pump(size_t split = 0) {
    for (int round = 0; round < 1000; ++round) {
      const std::string up = client_.output();
      if (!up.empty()) feed(up, split);
      const std::string down = server_output();
      if (!down.empty()) client_.input(down);
      if (up.empty() && down.empty()) return;
    }
    FAIL() << "no quiescence";
  }

  void feed(const std::string& bytes, size_t split = 0) {
    if (split == 0) {
      ASSERT_TRUE(server_->receive(bytes, now_)) << server_->error();
      return;
    }
    for (size_t i = 0; i < bytes.size(); i += split) {
      ASSERT_TRUE(server_->receive(std::string_view(bytes).substr(i, split), now_)) << server_->error();
    }
  }

  Response answer(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }

  Recorder recorder_;
  Client client_;
  std::unique_ptr<Http2Session> server_;
  TimePoint now_ = kT0;
};

// A raw frame: 9-byte header and payload.
std::string frame(uint8_t type, uint8_t flags, uint32_t stream_id, const std::string& payload) {
  std::string out;
  const uint32_t length = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>((length >> 16) & 0xff));
  out.push_back(static_cast<char>((length >> 8) & 0xff));
  out.push_back(static_cast<char>(length & 0xff));
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((stream_id >> shift) & 0xff));
  return out + payload;
}

TEST_F(Http2SessionTest, RequestBecomesOneInboundRequestAndItsAnswerReachesTheClient) {
  make();
  const int32_t id = client_.request("/in/acme?x=1&y=2", R"({"type":"a"})", {{"webhook-id", "msg_1"}, {"x-multi", "a"}});
  pump();
  ASSERT_EQ(recorder_.requests.size(), 1u);
  const auto& [stream_id, request] = recorder_.requests[0];
  EXPECT_EQ(stream_id, id);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/in/acme");
  EXPECT_EQ(request.query, "x=1&y=2");
  EXPECT_EQ(request.body, R"({"type":"a"})");
  ASSERT_GE(request.body.capacity(), request.body.size() + 64);
  for (size_t i = 0; i < 64; ++i) EXPECT_EQ(request.body.data()[request.body.size() + i], '\0') << i;
  ASSERT_EQ(request.headers.size(), 3u);  // pseudo-header fields are not headers
  EXPECT_EQ(request.headers[0].name, "content-length");
  EXPECT_EQ(request.headers[1].name, "webhook-id");
  EXPECT_EQ(request.headers[1].value, "msg_1");
  EXPECT_EQ(server_->open_streams(), 1u);

  Response response = answer(503, R"({"error":"overloaded"})");
  response.headers.emplace_back("Retry-After", "5");
  response.headers.emplace_back("Connection", "close");  // never sent over HTTP/2
  ASSERT_TRUE(server_->respond(id, std::move(response)));
  pump();
  const auto& s = client_.stream(id);
  EXPECT_TRUE(s.closed);
  EXPECT_EQ(s.close_error, 0u);
  EXPECT_EQ(s.status, 503);
  EXPECT_EQ(s.body, R"({"error":"overloaded"})");
  EXPECT_EQ(s.headers.at("content-type"), "application/json");
  EXPECT_EQ(s.headers.at("content-length"), "22");
  EXPECT_EQ(s.headers.at("retry-after"), "5");
  EXPECT_EQ(s.headers.count("connection"), 0u);
  EXPECT_EQ(server_->open_streams(), 0u);
  EXPECT_EQ(recorder_.closed, std::vector<int32_t>{id});
  EXPECT_FALSE(server_->respond(id, answer(200, "late")));  // answered once only
}

TEST_F(Http2SessionTest, ConcurrentStreamsAreAnsweredInAnyOrder) {
  make();
  std::vector<int32_t> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(client_.request("/in/s", "body-" + std::to_string(i)));
  pump();
  ASSERT_EQ(recorder_.requests.size(), 20u);
  for (int i = 19; i >= 0; --i) {
    EXPECT_EQ(recorder_.requests[static_cast<size_t>(i)].second.body, "body-" + std::to_string(i));
    ASSERT_TRUE(server_->respond(recorder_.requests[static_cast<size_t>(i)].first, answer(200, "ok-" + std::to_string(i))));
  }
  pump();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(client_.stream(ids[static_cast<size_t>(i)]).status, 200);
    EXPECT_EQ(client_.stream(ids[static_cast<size_t>(i)]).body, "ok-" + std::to_string(i));
  }
}

TEST_F(Http2SessionTest, EveryByteSplitGivesTheSameRequests) {
  make();
  const std::string body(40000, 'b');  // several DATA frames
  client_.request("/in/a", body, {{"x-one", "1"}});
  client_.request("/in/b?q", "{}", {}, false);
  const std::string bytes = client_.output();
  for (size_t split : {1u, 7u, 9u, 24u, 1000u}) {
    Recorder recorder;
    auto server = Http2Session::create({}, recorder);
    for (size_t i = 0; i < bytes.size(); i += split) {
      ASSERT_TRUE(server->receive(std::string_view(bytes).substr(i, split), kT0));
    }
    ASSERT_EQ(recorder.requests.size(), 2u) << split;
    // The bodiless stream may complete first: find each by path.
    const InboundRequest* a = nullptr;
    const InboundRequest* b = nullptr;
    for (const auto& [id, request] : recorder.requests) (request.path == "/in/a" ? a : b) = &request;
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->body == body) << "body of " << a->body.size() << " bytes differs";
    EXPECT_EQ(b->path, "/in/b");
    EXPECT_EQ(b->query, "q");
    EXPECT_EQ(b->body, "{}");
  }
}

TEST_F(Http2SessionTest, DeclaredBodyOverTheLimitIs413BeforeAnyDataArrives) {
  Http2Limits limits;
  limits.max_body = 100;
  make(limits);
  const int32_t id = client_.request("/in/s", std::string(150, 'x'), {}, true, /*hold_body=*/true);
  pump();
  ASSERT_EQ(recorder_.rejections.size(), 1u);
  EXPECT_EQ(recorder_.rejections[0].status, 413);
  EXPECT_EQ(client_.stream(id).status, 413);
  EXPECT_EQ(client_.stream(id).body, R"({"error":"payload_too_large"})");
  // The client may still send what it declared (up to twice max_body); then the stream ends
  // normally.
  client_.release(id);
  pump();
  EXPECT_TRUE(client_.stream(id).closed);
  EXPECT_FALSE(client_.stream(id).reset_received);
  EXPECT_TRUE(recorder_.requests.empty());
}

TEST_F(Http2SessionTest, StreamedBodyOverTheLimitIs413AndOtherStreamsGoOn) {
  Http2Limits limits;
  limits.max_body = 1000;
  make(limits);
  const int32_t big = client_.request("/in/s", std::string(1001, 'x'), {}, /*declare_length=*/false);
  const int32_t small = client_.request("/in/s", "small", {}, false);
  pump();
  EXPECT_EQ(client_.stream(big).status, 413);
  ASSERT_EQ(recorder_.requests.size(), 1u);
  EXPECT_EQ(recorder_.requests[0].first, small);
  ASSERT_TRUE(server_->respond(small, answer(200, "ok")));
  pump();
  EXPECT_EQ(client_.stream(small).status, 200);
  EXPECT_FALSE(client_.goaway_error.has_value());
}

TEST_F(Http2SessionTest, DiscardingMoreThanMaxBodyResetsTheStreamAfterTheAnswer) {
  Http2Limits limits;
  limits.max_body = 1000;
  make(limits);
  // More than the client's first flow-control window, so it is still sending when answered.
  const int32_t id = client_.request("/in/s", std::string(200000, 'x'), {}, false);
  pump();
  const auto& s = client_.stream(id);
  EXPECT_EQ(s.status, 413);
  EXPECT_EQ(s.body, R"({"error":"payload_too_large"})");  // the answer first, then the reset
  EXPECT_TRUE(s.reset_received);
  EXPECT_EQ(s.close_error, static_cast<uint32_t>(NGHTTP2_NO_ERROR));
  EXPECT_EQ(server_->open_streams(), 0u);
}

TEST_F(Http2SessionTest, HeadOverTheLimitsIs431AndTheConnectionGoesOn) {
  Http2Limits limits;
  limits.max_headers = 3;
  limits.max_header_bytes = 300;
  limits.max_header_list_size = 1000;
  make(limits);
  const int32_t many = client_.request("/in/s", "{}", {{"a", "1"}, {"b", "2"}, {"c", "3"}});  // + content-length
  const int32_t long_value = client_.request("/in/s", "{}", {{"x-long", std::string(300, 'v')}});
  const int32_t ok = client_.request("/in/s", "{}");
  pump();
  EXPECT_EQ(client_.stream(many).status, 431);
  EXPECT_EQ(client_.stream(long_value).status, 431);
  EXPECT_EQ(client_.stream(long_value).body, R"({"error":"header_fields_too_large"})");
  ASSERT_EQ(recorder_.requests.size(), 1u);
  EXPECT_EQ(recorder_.requests[0].first, ok);

  // RFC 9113's list size counts 32 bytes per field: 30 small fields pass the byte budget
  // (6 bytes each) but not a 1000-byte list.
  Http2Limits list_limits;
  list_limits.max_headers = 100;
  list_limits.max_header_list_size = 1000;
  Recorder recorder;
  Client client;
  auto server = Http2Session::create(list_limits, recorder);
  std::vector<std::pair<std::string, std::string>> fields;
  for (int i = 0; i < 30; ++i) fields.emplace_back("f" + std::to_string(i % 10), "v");
  const int32_t id = client.request("/in/s", "{}", fields);
  ASSERT_TRUE(server->receive(client.output(), kT0));
  ASSERT_EQ(recorder.rejections.size(), 1u);
  EXPECT_EQ(recorder.rejections[0].stream_id, id);
  EXPECT_EQ(recorder.rejections[0].status, 431);
}

TEST_F(Http2SessionTest, StreamsBeyondTheConcurrencyLimitAreRefused) {
  Http2Limits limits;
  limits.max_concurrent_streams = 2;
  make(limits);
  std::vector<int32_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(client_.request("/in/s", "{}"));
  pump();
  EXPECT_EQ(recorder_.requests.size(), 2u);
  EXPECT_EQ(client_.stream(ids[2]).close_error, static_cast<uint32_t>(NGHTTP2_REFUSED_STREAM));
  EXPECT_EQ(client_.stream(ids[3]).close_error, static_cast<uint32_t>(NGHTTP2_REFUSED_STREAM));
  // Answered streams free their slots.
  ASSERT_TRUE(server_->respond(ids[0], answer(200, "a")));
  ASSERT_TRUE(server_->respond(ids[1], answer(200, "b")));
  pump();
  const int32_t later = client_.request("/in/s", "{}");
  pump();
  EXPECT_EQ(recorder_.requests.size(), 3u);
  EXPECT_EQ(recorder_.requests.back().first, later);
}

TEST_F(Http2SessionTest, AnAnswerForAStreamResetMeanwhileIsDropped) {
  make();
  const int32_t id = client_.request("/in/s", "{}");
  pump();
  ASSERT_EQ(recorder_.requests.size(), 1u);
  client_.reset(id);
  pump();
  EXPECT_EQ(recorder_.closed, std::vector<int32_t>{id});
  EXPECT_EQ(server_->open_streams(), 0u);
  EXPECT_FALSE(server_->respond(id, answer(200, "nobody listens")));
  EXPECT_TRUE(server_output().empty());
}

TEST_F(Http2SessionTest, IncompleteStreamsExpireWith408FromTheirStart) {
  make();
  const int32_t slow = client_.request("/in/s", "{}", {}, true, /*hold_body=*/true);
  pump();
  EXPECT_EQ(server_->oldest_incomplete(), kT0);
  now_ = kT0 + 5s;
  const int32_t later = client_.request("/in/s", "{}", {}, true, true);
  pump();
  EXPECT_EQ(server_->oldest_incomplete(), kT0);
  EXPECT_EQ(server_->expire_incomplete(kT0 + 1s), 1u);  // only the first began before
  pump();
  EXPECT_EQ(client_.stream(slow).status, 408);
  EXPECT_TRUE(client_.stream(slow).reset_received);  // and it may stop sending
  EXPECT_EQ(server_->oldest_incomplete(), kT0 + 5s);
  client_.release(later);
  pump();
  EXPECT_EQ(server_->oldest_incomplete(), std::nullopt);
  EXPECT_EQ(recorder_.requests.size(), 1u);
}

TEST_F(Http2SessionTest, TrailersAreAcceptedButNotStored) {
  make();
  // HEADERS, DATA, HEADERS(trailers, END_STREAM) by hand through the client library.
  const int32_t id = client_.request("/in/s", "", {}, false, /*hold_body=*/true);
  pump();
  const nghttp2_nv trailer = {reinterpret_cast<uint8_t*>(const_cast<char*>("x-checksum")),
                              reinterpret_cast<uint8_t*>(const_cast<char*>("abc")), 10, 3, NGHTTP2_NV_FLAG_NONE};
  client_.stream(id).body_to_send = "data";
  client_.stream(id).hold_body = false;
  // Send the body without END_STREAM, then trailers: submit_trailer needs the data provider
  // to have ended with NO_END_STREAM; emulate with raw frames instead.
  std::string raw = frame(NGHTTP2_DATA, 0, static_cast<uint32_t>(id), "data");
  ASSERT_TRUE(server_->receive(raw, now_));
  // HPACK literal without indexing for "x-checksum: abc".
  std::string block;
  block.push_back(0x00);
  block.push_back(10);
  block += "x-checksum";
  block.push_back(3);
  block += "abc";
  ASSERT_TRUE(server_->receive(frame(NGHTTP2_HEADERS, NGHTTP2_FLAG_END_HEADERS | NGHTTP2_FLAG_END_STREAM,
                                     static_cast<uint32_t>(id), block), now_));
  (void)trailer;
  ASSERT_EQ(recorder_.requests.size(), 1u);
  EXPECT_EQ(recorder_.requests[0].second.body, "data");
  for (const auto& h : recorder_.requests[0].second.headers) EXPECT_NE(h.name, "x-checksum");
}

TEST_F(Http2SessionTest, TargetsHttp1WouldRefuseAre400) {
  make();
  const int32_t dots = client_.request("/in/../admin", "{}");
  const int32_t fragment = client_.request("/in/s#frag", "{}");
  pump();
  EXPECT_EQ(client_.stream(dots).status, 400);
  EXPECT_EQ(client_.stream(fragment).status, 400);
  EXPECT_TRUE(recorder_.requests.empty());
}

TEST_F(Http2SessionTest, ABadPrefaceEndsTheSession) {
  make();
  EXPECT_FALSE(server_->receive("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", kT0));
  EXPECT_FALSE(server_->error().empty());
}

TEST_F(Http2SessionTest, GarbageAfterThePrefaceIsAConnectionError) {
  make();
  std::string bytes(kHttp2Preface);
  bytes += "GET / HTTP/1.1\r\nHost: x\r\n\r\n";  // not a SETTINGS frame
  const bool ok = server_->receive(bytes, kT0);
  if (ok) {
    const std::string out = server_output();
    client_.input(out);
    EXPECT_TRUE(client_.goaway_error.has_value());
    EXPECT_TRUE(server_->finished());
  }
  EXPECT_TRUE(recorder_.requests.empty());
}

TEST_F(Http2SessionTest, RapidResetIsCutOffWithGoaway) {
  make();
  pump();  // settings exchanged
  bool cut_off = false;
  for (int i = 0; i < 1000 && !cut_off; ++i) {
    const int32_t id = client_.request("/in/s", "{}", {}, true, /*hold_body=*/true);
    std::string bytes = client_.output();  // HEADERS
    client_.reset(id);
    bytes += client_.output();  // RST_STREAM
    if (!server_->receive(bytes, now_)) break;
    client_.input(server_output());
    cut_off = client_.goaway_error.has_value() || server_->finished();
  }
  EXPECT_TRUE(cut_off);
  EXPECT_TRUE(recorder_.requests.empty());
}

TEST_F(Http2SessionTest, AFloodOfEmptyDataFramesEndsTheConnection) {
  make();
  const int32_t id = client_.request("/in/s", "{}", {}, false, /*hold_body=*/true);
  pump();
  std::string flood;
  for (int i = 0; i < 1100; ++i) flood += frame(NGHTTP2_DATA, 0, static_cast<uint32_t>(id), "");
  (void)server_->receive(flood, now_);
  client_.input(server_output());
  ASSERT_TRUE(client_.goaway_error.has_value());
  EXPECT_EQ(*client_.goaway_error, static_cast<uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(server_->finished());
}

TEST_F(Http2SessionTest, ShutdownFinishesOpenStreamsThenEnds) {
  make();
  const int32_t id = client_.request("/in/s", "{}");
  pump();
  server_->shutdown();
  pump();
  EXPECT_TRUE(client_.goaway_error.has_value());
  EXPECT_FALSE(server_->finished());  // one stream still owed an answer
  ASSERT_TRUE(server_->respond(id, answer(200, "ok")));
  pump();
  EXPECT_EQ(client_.stream(id).status, 200);
  EXPECT_TRUE(server_->finished());
}

}  // namespace
}  // namespace hookgate::gateway::connections
