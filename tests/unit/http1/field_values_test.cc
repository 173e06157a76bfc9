#include "gateway/http/field_values.h"

#include <gtest/gtest.h>

namespace hookgate::gateway::http {
namespace {

TEST(FieldValues, ContentLength) {
  EXPECT_EQ(parse_content_length("0"), 0u);
  EXPECT_EQ(parse_content_length("00042"), 42u);
  EXPECT_EQ(parse_content_length("18446744073709551615"), UINT64_MAX);
  for (const char* bad : {"", "18446744073709551616", "-0", "+1", "1 ", " 1", "1,1", "1, 1", "0x1", "1e3", "1.0", "one"}) {
    EXPECT_FALSE(parse_content_length(bad).has_value()) << bad;
  }
}

TEST(FieldValues, SingleChunked) {
  EXPECT_TRUE(is_single_chunked("chunked"));
  EXPECT_TRUE(is_single_chunked("CHUNKED"));
  for (const char* bad : {"", "chunked,", "chunked, chunked", "gzip, chunked", "chunked;a=b", "identity", "chunke"}) {
    EXPECT_FALSE(is_single_chunked(bad)) << bad;
  }
}

TEST(FieldValues, Expect) {
  EXPECT_TRUE(is_100_continue("100-continue"));
  EXPECT_TRUE(is_100_continue("100-CONTINUE"));
  EXPECT_FALSE(is_100_continue("100-continue, x"));
  EXPECT_FALSE(is_100_continue("200-ok"));
}

TEST(FieldValues, Connection) {
  ConnectionOptions o;
  EXPECT_TRUE(parse_connection("Keep-Alive , Upgrade,,CLOSE", o));
  EXPECT_TRUE(o.close);
  EXPECT_TRUE(o.keep_alive);
  ConnectionOptions none;
  EXPECT_TRUE(parse_connection("", none));
  EXPECT_TRUE(parse_connection("closed, keep-alive-ish", none));
  EXPECT_FALSE(none.close);
  EXPECT_FALSE(none.keep_alive);
  ConnectionOptions bad;
  EXPECT_FALSE(parse_connection("close x", bad));
  EXPECT_FALSE(parse_connection("\"close\"", bad));
}

TEST(FieldValues, Host) {
  for (const char* ok : {"", "example.com", "example.com:8080", "example.com:", "127.0.0.1", "[::1]", "[::1]:443",
                         "xn--bcher-kva.example", "a%20b", "sub_domain.example"}) {
    EXPECT_TRUE(is_valid_host(ok)) << ok;
  }
  for (const char* bad : {"a b", "a/b", "u@h", "h:8x", "h:1:2", "[::1", "[]", "[::1]x", "[::1]:x", "h\t", "caf\xc3\xa9",
                          "a\\b", "a\"b", "a<b"}) {
    EXPECT_FALSE(is_valid_host(bad)) << bad;
  }
}

}  // namespace
}  // namespace hookgate::gateway::http
