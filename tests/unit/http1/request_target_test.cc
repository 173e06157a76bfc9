#include "gateway/http/request_target.h"

#include <gtest/gtest.h>

namespace hookgate::gateway::http {
namespace {

TEST(RequestTarget, OriginForm) {
  TargetParts p = split_request_target("POST", "/in/stripe?a=1");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.path, "/in/stripe");
  EXPECT_EQ(p.query, "a=1");
  p = split_request_target("GET", "/");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.path, "/");
  EXPECT_EQ(p.query, "");
  p = split_request_target("GET", "/x?");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.query, "");
}

TEST(RequestTarget, DotSegmentsOtherThanDotDotAreKept) {
  for (const char* ok : {"/a/./b", "/a/...", "/..a", "/a/..b/c", "/a..", "/a?x=/../y"}) {
    const TargetParts p = split_request_target("GET", ok);
    EXPECT_TRUE(p.ok) << ok;
  }
  for (const char* bad : {"/..", "/../a", "/a/../b", "/a/..", "/a/..?q", "//.."}) {
    const TargetParts p = split_request_target("GET", bad);
    EXPECT_FALSE(p.ok) << bad;
    EXPECT_EQ(p.detail, "dot-dot segment in path");
  }
}

TEST(RequestTarget, AbsoluteForm) {
  TargetParts p = split_request_target("GET", "http://example.com:80/a/b?c");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "c");
  p = split_request_target("GET", "https://[::1]:8443");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.path, "/");
  EXPECT_FALSE(split_request_target("GET", "http://").ok);
  EXPECT_FALSE(split_request_target("GET", "http://a@b/").ok);
  EXPECT_FALSE(split_request_target("GET", "http://a b/").ok);
  EXPECT_FALSE(split_request_target("GET", "http://[::1/").ok);
  EXPECT_FALSE(split_request_target("GET", "http:/x").ok);
  EXPECT_FALSE(split_request_target("GET", "ws://h/").ok);
  EXPECT_FALSE(split_request_target("GET", "http://h/../x").ok);
}

TEST(RequestTarget, AsteriskFormOnlyForOptions) {
  EXPECT_TRUE(split_request_target("OPTIONS", "*").ok);
  EXPECT_FALSE(split_request_target("GET", "*").ok);
  EXPECT_FALSE(split_request_target("OPTIONS", "*x").ok);
}

TEST(RequestTarget, RefusesBytesAndShapesNoFormAllows) {
  for (const char* bad : {"", "x", "h:443", "/a#f", "/a b", "/\x7f", "/\x80", "/\t"}) {
    EXPECT_FALSE(split_request_target("GET", bad).ok) << bad;
  }
  EXPECT_FALSE(split_request_target("GET", std::string_view("/a\0", 3)).ok);
}

}  // namespace
}  // namespace hookgate::gateway::http
