// The outbound request head: exact bytes, and every caller input that could change framing
// refused before anything is written.
#include "gateway/outbound/request_writer.h"

#include <gtest/gtest.h>

namespace hookgate::gateway::outbound {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(OutboundRequestWriter, WritesHostCallerHeadersAndContentLength) {
  const Headers headers = {{"Content-Type", "application/json"}, {"webhook-id", "evt_1"}};
  std::string out = "kept|";
  const auto problem = write_request_head(out, RequestHead{.method = "POST",
                                                           .target = "/hooks?x=1",
                                                           .authority = "billing.internal:8000",
                                                           .headers = &headers,
                                                           .body_size = 42});
  EXPECT_FALSE(problem.has_value());
  EXPECT_EQ(out,
            "kept|POST /hooks?x=1 HTTP/1.1\r\nHost: billing.internal:8000\r\nContent-Type: application/json\r\n"
            "webhook-id: evt_1\r\nContent-Length: 42\r\n\r\n");
}

TEST(OutboundRequestWriter, EmptyPostStillSaysContentLengthZero) {
  std::string out;
  ASSERT_FALSE(write_request_head(out, RequestHead{.method = "POST", .target = "/", .authority = "h"}));
  EXPECT_EQ(out, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
}

TEST(OutboundRequestWriter, GetAndHeadWithoutBodyHaveNoContentLength) {
  for (const char* method : {"GET", "HEAD"}) {
    std::string out;
    ASSERT_FALSE(write_request_head(out, RequestHead{.method = method, .target = "/", .authority = "[::1]:8080"}));
    EXPECT_EQ(out, std::string(method) + " / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
  }
}

struct Refused {
  const char* name;
  std::string method;
  std::string target;
  Headers headers;
  std::string_view problem;
};

TEST(OutboundRequestWriter, RefusesWhatCouldChangeFraming) {
  const std::vector<Refused> cases = {
      {"header_injection_crlf", "POST", "/", {{"X-A", "1\r\nContent-Length: 0"}}, "invalid header value"},
      {"bare_lf_in_value", "POST", "/", {{"X-A", "1\nX: 2"}}, "invalid header value"},
      {"nul_in_value", "POST", "/", {{"X-A", std::string("a\0b", 3)}}, "invalid header value"},
      {"space_in_name", "POST", "/", {{"X A", "1"}}, "invalid header name"},
      {"colon_in_name", "POST", "/", {{"X:A", "1"}}, "invalid header name"},
      {"empty_name", "POST", "/", {{"", "1"}}, "invalid header name"},
      {"caller_host", "POST", "/", {{"host", "evil"}}, "header set by the client"},
      {"caller_content_length", "POST", "/", {{"Content-Length", "0"}}, "header set by the client"},
      {"caller_transfer_encoding", "POST", "/", {{"Transfer-Encoding", "chunked"}}, "header set by the client"},
      {"caller_connection", "POST", "/", {{"CONNECTION", "close"}}, "header set by the client"},
      {"caller_upgrade", "POST", "/", {{"Upgrade", "h2c"}}, "header set by the client"},
      {"method_with_space", "PO ST", "/", {}, "invalid method"},
      {"empty_method", "", "/", {}, "invalid method"},
      {"target_with_space", "POST", "/a b", {}, "invalid request target"},
      {"target_with_crlf", "POST", "/a\r\nX: 1", {}, "invalid request target"},
      {"empty_target", "POST", "", {}, "invalid request target"},
  };
  for (const Refused& c : cases) {
    std::string out = "untouched";
    const auto problem = write_request_head(
        out, RequestHead{.method = c.method, .target = c.target, .authority = "h", .headers = &c.headers});
    ASSERT_TRUE(problem.has_value()) << c.name;
    EXPECT_EQ(*problem, c.problem) << c.name;
    EXPECT_EQ(out, "untouched") << c.name;
  }
}

TEST(OutboundRequestWriter, RefusesABadAuthority) {
  std::string out;
  EXPECT_EQ(write_request_head(out, RequestHead{.method = "POST", .target = "/", .authority = ""}), "invalid host");
  EXPECT_EQ(write_request_head(out, RequestHead{.method = "POST", .target = "/", .authority = "h\r\nX: 1"}),
            "invalid host");
}

}  // namespace
}  // namespace hookgate::gateway::outbound
