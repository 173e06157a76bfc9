#include "gateway/http1/response_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace hookgate::gateway::http1 {
namespace {

TEST(ResponseWriter, WritesExactBytes) {
  std::string out;
  const std::array<HeaderPair, 2> headers{{{"Content-Type", "application/json"}, {"X-Event-Id", "ev_1"}}};
  ASSERT_TRUE(write_response(out, 202, headers, "{\"ok\":true}", true));
  EXPECT_EQ(out,
            "HTTP/1.1 202 Accepted\r\n"
            "Content-Type: application/json\r\n"
            "X-Event-Id: ev_1\r\n"
            "Content-Length: 11\r\n"
            "\r\n"
            "{\"ok\":true}");
}

TEST(ResponseWriter, ClosingResponseWithDateAppendsToEarlierOutput) {
  std::string out = "previous";
  ASSERT_TRUE(write_response(out, 400, {}, "bad_request: bare LF\n", false,
                             ResponseOptions{.date = "Sun, 06 Nov 1994 08:49:37 GMT"}));
  EXPECT_EQ(out,
            "previous"
            "HTTP/1.1 400 Bad Request\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Length: 21\r\n"
            "Connection: close\r\n"
            "\r\n"
            "bad_request: bare LF\n");
}

TEST(ResponseWriter, KeepsAnHttp10ClientAliveExplicitly) {
  std::string out;
  ASSERT_TRUE(write_response(out, 200, {}, "", true, ResponseOptions{.request_version_minor = 0}));
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  out.clear();
  ASSERT_TRUE(write_response(out, 200, {}, "", false, ResponseOptions{.request_version_minor = 0}));
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

TEST(ResponseWriter, HeadResponseHasLengthButNoBody) {
  std::string out;
  ASSERT_TRUE(write_response(out, 200, {}, "hello", true, ResponseOptions{.head = true}));
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
}

TEST(ResponseWriter, NoContentAndNotModifiedCarryNoLength) {
  std::string out;
  ASSERT_TRUE(write_response(out, 204, {}, "", true));
  EXPECT_EQ(out, "HTTP/1.1 204 No Content\r\n\r\n");
  out.clear();
  ASSERT_TRUE(write_response(out, 304, {}, "", false));
  EXPECT_EQ(out, "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(write_response(out, 204, {}, "x", true));
}

TEST(ResponseWriter, StatusWithoutReasonPhraseKeepsTheSpace) {
  std::string out;
  ASSERT_TRUE(write_response(out, 299, {}, "", true));
  EXPECT_EQ(out, "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseWriter, StatusLinesOfEveryParserError) {
  EXPECT_EQ(reason_phrase(400), "Bad Request");
  EXPECT_EQ(reason_phrase(411), "Length Required");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(414), "URI Too Long");
  EXPECT_EQ(reason_phrase(417), "Expectation Failed");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(501), "Not Implemented");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(503), "Service Unavailable");
}

TEST(ResponseWriter, RefusesResponseSplittingAndFramingHeaders) {
  std::string out = "kept";
  const auto refused = [&](HeaderPair header) {
    const std::array<HeaderPair, 1> headers{header};
    return !write_response(out, 200, headers, "", true);
  };
  EXPECT_TRUE(refused({"X", "a\r\nSet-Cookie: x=1"}));
  EXPECT_TRUE(refused({"X", "a\nb"}));
  EXPECT_TRUE(refused({"X", std::string_view("a\0b", 3)}));
  EXPECT_TRUE(refused({"X\r\nY", "a"}));
  EXPECT_TRUE(refused({"X Y", "a"}));
  EXPECT_TRUE(refused({"", "a"}));
  EXPECT_TRUE(refused({"Content-Length", "5"}));
  EXPECT_TRUE(refused({"transfer-encoding", "chunked"}));
  EXPECT_TRUE(refused({"Connection", "close"}));
  EXPECT_FALSE(write_response(out, 200, {}, "", true, ResponseOptions{.date = "x\r\ny"}));
  EXPECT_FALSE(write_response(out, 100, {}, "", true));
  EXPECT_FALSE(write_response(out, 600, {}, "", true));
  EXPECT_FALSE(write_response(out, -1, {}, "", true));
  EXPECT_EQ(out, "kept");
}

TEST(ResponseWriter, Continue) {
  std::string out;
  write_continue(out);
  EXPECT_EQ(out, "HTTP/1.1 100 Continue\r\n\r\n");
}

}  // namespace
}  // namespace hookgate::gateway::http1
