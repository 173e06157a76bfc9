// HTTP/2 specifics end to end: many concurrent streams on one connection all stored and
// acked (h2load, nghttp), one bad stream among good ones, and hostile input (garbage after
// the preface, oversized header blocks, rapid reset, a peer that never reads): the server
// stays up and keeps serving other connections.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "h2_client.h"
#include "harness.h"
#include "test_pki.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kConfig = R"(
server:
  listen:
    - 127.0.0.1:0
    - address: 127.0.0.1:0
      tls: {cert: server.crt, key: server.key}
  io_threads: 2
  max_body: 64KiB
  max_header_bytes: 4KiB
  http2: {max_concurrent_streams: 64}
storage:
  path: events.db
sources:
  github:
    path: /in/github
    verify: {provider: github, secrets: ["It's a Secret to Everybody"]}
  open:
    path: /in/open
    verify: none
)";

// "status codes: 200 2xx, 0 3xx, 0 4xx, 0 5xx" → the 2xx count; -1 when absent.
int h2load_2xx(const std::string& output) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex(R"(status codes: (\d+) 2xx)"))) return -1;
  return std::stoi(match[1]);
}

class Http2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)ca_.issue("server", {"hooks.test"});
    ASSERT_TRUE(gateway_.start());
  }

  // The gateway still answers a fresh h2c connection.
  void expect_still_serving(const std::string& body) {
    H2Client client(gateway_.port());
    ASSERT_TRUE(client.connected());
    const H2Client::Result result = client.request("POST", "/in/open", {}, body);
    EXPECT_EQ(result.status, 200) << result.body;
  }

  TempDir dir_;
  TestCa ca_{dir_};
  Gateway gateway_{dir_, kConfig};
};

TEST_F(Http2Test, ManyConcurrentStreamsOnOneConnectionAreAllStoredAndAcked) {
  const std::string body_path = dir_.file("body.json");
  write_file(body_path, R"({"event":"concurrent"})");
  for (const std::string scheme : {"http", "https"}) {
    const uint16_t port = scheme == "http" ? gateway_.port() : gateway_.tls_port();
    const CommandResult load = run_command({"h2load", "-n", "200", "-c", "1", "-m", "50", "-d", body_path,
                                            scheme + "://127.0.0.1:" + std::to_string(port) + "/in/open"});
    EXPECT_EQ(h2load_2xx(load.out), 200) << load.out << load.err;
  }
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE " + as_text("body") + " = '{\"event\":\"concurrent\"}'"), 400);
}

TEST_F(Http2Test, SignedGithubDeliveriesOverOneConnectionAreAckedAndDeduplicated) {
  const std::string body = R"({"zen":"Design for failure.","hook_id":7})";
  const std::string body_path = dir_.file("body.json");
  write_file(body_path, body);
  std::vector<std::string> argv = {"h2load", "-n", "200", "-c", "1", "-m", "50", "-d", body_path};
  for (const auto& [name, value] : sign_for(gateway_.config_path(), "github", body, system_clock::now(), "delivery-1")) {
    argv.push_back("-H");
    argv.push_back(name + ": " + value);
  }
  argv.push_back("https://127.0.0.1:" + std::to_string(gateway_.tls_port()) + "/in/github");
  const CommandResult load = run_command(argv);
  EXPECT_EQ(h2load_2xx(load.out), 200) << load.out << load.err;
  Database db(gateway_.db_path());
  // One delivery id: one row, every copy acked with its id.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE source = 'github'"), 1);
  EXPECT_EQ(db.text("SELECT vendor_event_id FROM events"), "delivery-1");
}

TEST_F(Http2Test, AnOversizedBodyOnOneStreamDoesNotDisturbTheOthers) {
  H2Client client(gateway_.port());
  ASSERT_TRUE(client.connected());
  std::vector<int32_t> good;
  for (int i = 0; i < 5; ++i) {
    good.push_back(client.submit("POST", "/in/open", {{"content-type", "application/json"}},
                                 "{\"n\":" + std::to_string(i) + "}"));
  }
  const int32_t big = client.submit("POST", "/in/open", {}, std::string(80 * 1024, 'x'));
  good.push_back(client.submit("POST", "/in/open", {}, "{\"n\":5}"));
  ASSERT_TRUE(client.run());
  EXPECT_EQ(client.result(big).status, 413);
  for (const int32_t id : good) EXPECT_EQ(client.result(id).status, 200) << id;
  // The connection is still good for more.
  EXPECT_EQ(client.request("POST", "/in/open", {}, "{\"n\":6}").status, 200);
  EXPECT_FALSE(client.goaway_error().has_value());
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 7);
}

TEST_F(Http2Test, ResponsesForResetStreamsAreDroppedButTheEventIsKept) {
  // A stream reset right after its request completed: the event may be stored (the durable
  // ack simply has nowhere to go), and the connection carries on.
  RawH2Connection raw(gateway_.port());
  ASSERT_TRUE(raw.connected());
  std::string bytes = h2_client_start();
  const std::string body = "{\"reset\":true}";
  bytes += h2_frame(0x1, 0x4, 1, hpack_request("/in/open", {{"content-length", std::to_string(body.size())}}));
  bytes += h2_frame(0x0, 0x1, 1, body);
  bytes += h2_frame(0x3, 0, 1, std::string("\0\0\0\x08", 4));  // RST_STREAM CANCEL
  bytes += h2_frame(0x1, 0x5, 3, hpack_request("/in/open", {{"content-length", "0"}}));
  ASSERT_EQ(raw.send(bytes), bytes.size());
  bool stream3_answered = false;
  const auto deadline = steady_clock::now() + seconds(10);
  while (!stream3_answered && steady_clock::now() < deadline && !raw.closed_by_peer()) {
    for (const auto& frame : raw.read_until_goaway(milliseconds(200))) {
      if (frame.stream_id == 3 && frame.type == 0x1) stream3_answered = true;
    }
  }
  EXPECT_TRUE(stream3_answered);
  expect_still_serving("{\"after\":\"reset\"}");
}

TEST_F(Http2Test, APrefaceSplitAcrossWritesWaitsForTheRest) {
  RawH2Connection raw(gateway_.port());
  ASSERT_TRUE(raw.connected());
  const std::string start = h2_client_start();
  for (size_t at = 0; at < 24; at += 5) {
    ASSERT_EQ(raw.send(start.substr(at, std::min<size_t>(5, 24 - at))), std::min<size_t>(5, 24 - at));
    std::this_thread::sleep_for(milliseconds(20));  // separate reads on the server (not required to pass)
  }
  const std::string rest = start.substr(24) + h2_frame(0x1, 0x5, 1, hpack_request("/in/open", {{"content-length", "0"}}));
  ASSERT_EQ(raw.send(rest), rest.size());
  bool answered = false;
  const auto deadline = steady_clock::now() + seconds(10);
  while (!answered && steady_clock::now() < deadline && !raw.closed_by_peer()) {
    for (const auto& frame : raw.read_until_goaway(milliseconds(200))) {
      if (frame.stream_id == 1 && frame.type == 0x1) answered = true;
    }
  }
  EXPECT_TRUE(answered);
}

TEST_F(Http2Test, GarbageAfterThePrefaceGetsGoawayAndOthersAreServed) {
  for (const std::string& garbage : {std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), std::string(64, '\xff'),
                                    h2_frame(0x4, 0, 0, "abc")}) {  // SETTINGS of a bad length
    RawH2Connection raw(gateway_.port());
    ASSERT_TRUE(raw.connected());
    raw.send(std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + garbage);
    const auto frames = raw.read_until_goaway();
    const bool goaway = !frames.empty() && frames.back().type == 0x7;
    EXPECT_TRUE(goaway || raw.closed_by_peer());
    if (goaway) {
      EXPECT_NE(frames.back().error_code(), 0u);
    }
  }
  expect_still_serving("{\"after\":\"garbage\"}");
}

TEST_F(Http2Test, HeaderBlocksOverTheLimitsAre431OrEndTheConnection) {
  // Over max_header_bytes (4 KiB) but a sane block: 431 on the stream, connection alive.
  H2Client client(gateway_.port());
  ASSERT_TRUE(client.connected());
  const H2Client::Result too_large = client.request("POST", "/in/open", {{"x-filler", std::string(5000, 'a')}}, "{}");
  EXPECT_EQ(too_large.status, 431);
  EXPECT_EQ(too_large.body, R"({"error":"header_fields_too_large"})");
  EXPECT_EQ(client.request("POST", "/in/open", {}, "{\"same\":\"connection\"}").status, 200);

  // A huge block spread over many CONTINUATION frames: the connection goes.
  RawH2Connection raw(gateway_.port());
  ASSERT_TRUE(raw.connected());
  std::string block = hpack_request("/in/open");
  for (int i = 0; i < 40; ++i) block += hpack_literal("x-pad-" + std::to_string(i), std::string(4000, 'p'));
  std::string bytes = h2_client_start();
  const size_t chunk = 4096;
  bytes += h2_frame(0x1, 0, 1, block.substr(0, chunk));  // HEADERS without END_HEADERS
  for (size_t at = chunk; at < block.size(); at += chunk) {
    const bool last = at + chunk >= block.size();
    bytes += h2_frame(0x9, last ? 0x4 : 0, 1, block.substr(at, chunk));  // CONTINUATION
  }
  raw.send(bytes);
  const auto frames = raw.read_until_goaway();
  const bool goaway = !frames.empty() && frames.back().type == 0x7;
  bool refused_stream = false;
  for (const auto& frame : frames) {
    if (frame.stream_id == 1 && (frame.type == 0x3 || frame.type == 0x1)) refused_stream = true;  // RST or 431
  }
  EXPECT_TRUE(goaway || raw.closed_by_peer() || refused_stream);
  expect_still_serving("{\"after\":\"headers\"}");
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE " + as_text("body") + " LIKE '%pad%'"), 0);
}

TEST_F(Http2Test, RapidResetIsCutOffWithGoawayAndOthersAreServed) {
  RawH2Connection raw(gateway_.port());
  ASSERT_TRUE(raw.connected());
  std::string bytes = h2_client_start();
  for (uint32_t i = 0; i < 2000; ++i) {
    const uint32_t id = 1 + 2 * i;
    bytes += h2_frame(0x1, 0x4, id, hpack_request("/in/open", {{"content-length", "2"}}));  // no END_STREAM
    bytes += h2_frame(0x3, 0, id, std::string("\0\0\0\x08", 4));                              // RST_STREAM CANCEL
  }
  raw.send(bytes);
  const auto frames = raw.read_until_goaway();
  // GOAWAY long before the 2000th stream (the server may also close before it is read: the
  // unread rest of the burst turns its close into a reset).
  if (!frames.empty() && frames.back().type == 0x7) {
    const std::string& payload = frames.back().payload;
    ASSERT_GE(payload.size(), 8u);
    uint32_t last_stream = 0;
    for (size_t i = 0; i < 4; ++i) last_stream = (last_stream << 8) | static_cast<uint8_t>(payload[i]);
    EXPECT_LT(last_stream & 0x7fffffffu, 1000u);
  } else {
    EXPECT_TRUE(raw.closed_by_peer()) << "neither GOAWAY nor close";
  }
  expect_still_serving("{\"after\":\"rapid reset\"}");
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 1);  // none of the reset streams
}

TEST_F(Http2Test, APeerThatFloodsPingsWithoutReadingDoesNotStopOthers) {
  RawH2Connection raw(gateway_.port());
  ASSERT_TRUE(raw.connected());
  std::string flood = h2_client_start();
  for (int i = 0; i < 200000; ++i) flood += h2_frame(0x6, 0, 0, std::string(8, static_cast<char>(i)));
  // Sends until the server stops reading (output backed up) or closes: it must not buffer it all.
  const size_t sent = raw.send(flood, seconds(5));
  (void)sent;
  expect_still_serving("{\"after\":\"ping flood\"}");
}

TEST_F(Http2Test, CleartextUpgradeRequestsAreAnsweredOverHttp11) {
  // curl --http2 on http:// asks for "Upgrade: h2c"; hookgate answers over HTTP/1.1.
  const CommandResult result = run_command({"curl", "-sS", "--http2", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                                            "--data-binary", "{}", "http://127.0.0.1:" + std::to_string(gateway_.port()) + "/in/open"});
  EXPECT_EQ(result.out, "200 1.1") << result.err;
}

}  // namespace
}  // namespace hookgate::testing
