#include "gateway/route_table.h"

#include <gtest/gtest.h>

namespace hookgate::gateway {
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

TEST(RouteTable, FanOutFiltersAndDeduplicatesDestinations) {
  config::Config config;
  config.routes = {
      {"stripe", {"billing", "audit"}, {"invoice.*"}},
      {"stripe", {"audit", "crm"}, {"customer.*", "invoice.paid"}},
      {"github", {"audit"}, {}},
  };
  const RouteTable table(config);
  EXPECT_EQ(table.destinations_for("stripe", "invoice.paid"), (std::vector<std::string>{"billing", "audit", "crm"}));
  EXPECT_EQ(table.destinations_for("stripe", "invoice.voided"), (std::vector<std::string>{"billing", "audit"}));
  EXPECT_EQ(table.destinations_for("stripe", "customer.created"), (std::vector<std::string>{"audit", "crm"}));
  EXPECT_TRUE(table.destinations_for("stripe", "charge.refunded").empty());
  EXPECT_TRUE(table.destinations_for("stripe", "").empty());  // untyped events match only unfiltered routes
  EXPECT_EQ(table.destinations_for("github", ""), (std::vector<std::string>{"audit"}));
  EXPECT_TRUE(table.destinations_for("unknown", "x").empty());
}

}  // namespace
}  // namespace hookgate::gateway
