// hookgate_http_refused_total{status}: every refusal the HTTP layer answers itself (400, 408,
// 413, 431) and every 503, counted once each over HTTP/1.1 and over HTTP/2 (h2c), and read
// back from /metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "h2_client.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kToken = "refusals-token";

class RefusalsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(gateway_.start()); }

  // The sample of one status; -1 when absent.
  double refused(int status) {
    HttpClient client(gateway_.admin_port());
    const HttpResponse page = client.request("GET", "/metrics", {{"Authorization", std::string("Bearer ") + kToken}}, "");
    EXPECT_EQ(page.status, 200);
    const std::string needle = "\nhookgate_http_refused_total{status=\"" + std::to_string(status) + "\"} ";
    const size_t at = ("\n" + page.body).find(needle);
    if (at == std::string::npos) return -1;
    return std::stod(page.body.substr(at + needle.size() - 1));
  }

  // Waits for the counter to reach `expected` (a session counts as it answers).
  void expect_refused(int status, double expected) {
    for (int i = 0; i < 100 && refused(status) != expected; ++i) std::this_thread::sleep_for(milliseconds(20));
    EXPECT_EQ(refused(status), expected) << "status " << status;
  }

  // HEADERS for a POST to /in/open whose body never comes: the body timeout answers 408.
  static std::string h2_stalled_request() {
    return h2_client_start() + h2_frame(0x1, 0x4, 1, hpack_request("/in/open", {{"content-length", "10"}}));
  }

  TempDir dir_;
  Gateway gateway_{dir_, R"(
server:
  listen: ["127.0.0.1:0"]
  io_threads: 1
  max_body: 64KiB
  max_header_bytes: 1KiB
  header_timeout: 300ms
  body_timeout: 300ms
admin: {listen: "127.0.0.1:0", token: ")" + std::string(kToken) + R"("}
storage: {path: events.db, max_size: 1MiB}
sources:
  open: {path: /in/open, verify: none}
)"};
};

TEST_F(RefusalsTest, EachRefusedStatusIsCountedOnHttp1AndHttp2) {
  for (const int status : {400, 408, 413, 431, 503}) EXPECT_EQ(refused(status), 0) << status;

  // 400: conflicting Content-Length (HTTP/1.1); a target with ".." (HTTP/2).
  EXPECT_EQ(HttpClient(gateway_.port())
                .raw("POST /in/open HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}")
                .status,
            400);
  expect_refused(400, 1);
  {
    H2Client h2(gateway_.port());
    EXPECT_EQ(h2.request("POST", "/in/../open", {}, "{}").status, 400);
  }
  expect_refused(400, 2);

  // 408: a head that never ends (HTTP/1.1); a body that never comes (HTTP/2).
  EXPECT_EQ(HttpClient(gateway_.port()).raw("POST /in/open HTTP/1.1\r\nHost: x\r\n").status, 408);
  expect_refused(408, 1);
  {
    RawH2Connection raw(gateway_.port());
    ASSERT_TRUE(raw.connected());
    raw.send(h2_stalled_request());
    bool answered = false;
    for (const H2Frame& frame : raw.read_until_goaway(seconds(3))) {
      if (frame.stream_id == 1 && frame.type == 0x1) answered = true;  // the 408's HEADERS
    }
    EXPECT_TRUE(answered);
  }
  expect_refused(408, 2);

  // 413: a body over max_body.
  const std::string large(70 * 1024, 'x');
  EXPECT_EQ(HttpClient(gateway_.port()).request("POST", "/in/open", {}, large).status, 413);
  expect_refused(413, 1);
  {
    H2Client h2(gateway_.port());
    EXPECT_EQ(h2.request("POST", "/in/open", {}, large).status, 413);
  }
  expect_refused(413, 2);

  // 431: a head over max_header_bytes.
  const std::string filler(2000, 'f');
  EXPECT_EQ(HttpClient(gateway_.port()).request("POST", "/in/open", {{"X-Filler", filler}}, "{}").status, 431);
  expect_refused(431, 1);
  {
    H2Client h2(gateway_.port());
    EXPECT_EQ(h2.request("POST", "/in/open", {{"x-filler", filler}}, "{}").status, 431);
  }
  expect_refused(431, 2);

  // 503: the store at storage.max_size.
  HttpClient client(gateway_.port());
  const std::string event(30 * 1024, 'e');
  int first_503 = 0;
  for (int i = 0; i < 100 && first_503 == 0; ++i) {
    const int status = client.request("POST", "/in/open", {}, event).status;
    if (status == 503) first_503 = i + 1;
    else ASSERT_EQ(status, 200);
  }
  ASSERT_GT(first_503, 0) << "the store never filled";
  expect_refused(503, 1);
  {
    H2Client h2(gateway_.port());
    EXPECT_EQ(h2.request("POST", "/in/open", {}, event).status, 503);
  }
  expect_refused(503, 2);

  // Nothing else was counted as a refusal: the 200s are not there, nor the admin's answers.
  EXPECT_EQ(refused(200), -1);
  for (const int status : {400, 408, 413, 431}) EXPECT_EQ(refused(status), 2) << status;
}

}  // namespace
}  // namespace hookgate::testing
