// Shell-style globs on event types (filter.event_type).
#include "filter/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace hookgate::filter {
namespace {

TEST(GlobMatch, LiteralsStarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("invoice.paid", "invoice.paid"));
  EXPECT_FALSE(glob_match("invoice.paid", "invoice.paid2"));
  EXPECT_TRUE(glob_match("invoice.*", "invoice.paid"));
  EXPECT_TRUE(glob_match("invoice.*", "invoice.payment.failed"));  // '*' crosses dots
  EXPECT_FALSE(glob_match("invoice.*", "invoice"));
  EXPECT_FALSE(glob_match("invoice.*", "customer.invoice.paid"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*.created", "customer.subscription.created"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(glob_match("v?.ping", "v1.ping"));
  EXPECT_FALSE(glob_match("v?.ping", "v10.ping"));
  EXPECT_FALSE(glob_match("", "x"));
}

TEST(GlobMatch, PathologicalPatternStaysFast) {
  // Backtracking matchers explode on this shape; ours is linear per star.
  const std::string text(10000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", text));
}

}  // namespace
}  // namespace hookgate::filter
