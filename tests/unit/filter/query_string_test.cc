#include "filter/query_string.h"

#include <gtest/gtest.h>

namespace hookgate::filter {
namespace {

std::vector<std::pair<std::string, std::string>> pairs(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& p : parse_query(raw)) out.emplace_back(std::move(p.name), std::move(p.value));
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(ParseQuery, SplitsOnAmpersandAndTheFirstEquals) {
  EXPECT_EQ(pairs("a=1&b=x=y&c"), (Pairs{{"a", "1"}, {"b", "x=y"}, {"c", ""}}));
  EXPECT_EQ(pairs(""), Pairs{});
  EXPECT_EQ(pairs("&&a=1&"), (Pairs{{"a", "1"}}));
  EXPECT_EQ(pairs("a=1&a=2"), (Pairs{{"a", "1"}, {"a", "2"}}));  // repeated names kept, in order
  EXPECT_EQ(pairs("=v"), (Pairs{{"", "v"}}));
}

TEST(ParseQuery, PercentDecodesNamesAndValuesWithPlusAsSpace) {
  EXPECT_EQ(pairs("b=x%20y&c=a+b&d%5B%5D=%2b"), (Pairs{{"b", "x y"}, {"c", "a b"}, {"d[]", "+"}}));
  EXPECT_EQ(percent_decode("%e2%82%AC"), "\xe2\x82\xac");
  // A '%' without two hex digits is kept as written.
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%41"), "%zzA");
  EXPECT_EQ(percent_decode("%00").size(), 1u);
}

}  // namespace
}  // namespace hookgate::filter
