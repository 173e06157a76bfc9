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

namespace hookgate::gateway {
namespace {

config::BodyCondition condition(std::string pointer, config::BodyCondition::Kind kind, std::vector<std::string> values = {}) {
  return config::BodyCondition{std::move(pointer), kind, std::move(values)};
}

TEST(RouteTable, BodyConditionsOnJsonPointers) {
  using Kind = config::BodyCondition::Kind;
  config::Config config;
  config.routes = {
      {"stripe", {"usd"}, {}, {condition("/data/object/currency", Kind::equals, {"usd"})}},
      {"stripe", {"big"}, {}, {condition("/data/object/amount", Kind::equals, {"1000", "2000"})}},
      {"stripe", {"live"}, {"invoice.*"}, {condition("/livemode", Kind::equals, {"true"}),
                                           condition("/data/object/customer", Kind::exists)}},
      {"stripe", {"anonymous"}, {}, {condition("/data/object/customer", Kind::absent)}},
  };
  const RouteTable table(config);
  const std::string body =
      R"({"livemode":true,"data":{"object":{"currency":"usd","amount":2000,"customer":{"id":"cus_1"}}}})";
  EXPECT_EQ(table.destinations_for("stripe", "invoice.paid", body),
            (std::vector<std::string>{"usd", "big", "live"}));
  EXPECT_EQ(table.destinations_for("stripe", "charge.succeeded", body), (std::vector<std::string>{"usd", "big"}));
  const std::string eur = R"({"livemode":false,"data":{"object":{"currency":"eur","amount":5}}})";
  EXPECT_EQ(table.destinations_for("stripe", "invoice.paid", eur), (std::vector<std::string>{"anonymous"}));
  // Escaped strings compare unescaped; a body that is not JSON matches only "absent".
  EXPECT_EQ(table.destinations_for("stripe", "x", R"({"data":{"object":{"currency":"\u0075sd"}}})"),
            (std::vector<std::string>{"usd", "anonymous"}));
  EXPECT_EQ(table.destinations_for("stripe", "x", "not json"), (std::vector<std::string>{"anonymous"}));
  // In place on a padded buffer gives the same answer.
  std::string padded = body;
  padded.reserve(body.size() + 64);
  EXPECT_EQ(table.destinations_for("stripe", "invoice.paid", padded, true),
            (std::vector<std::string>{"usd", "big", "live"}));
}

// What the README promises for filter.body: values compare as text.
TEST(RouteTable, BodyConditionValuesCompareAsTheirText) {
  using Kind = config::BodyCondition::Kind;
  config::Config config;
  config.routes = {
      {"s", {"five"}, {}, {condition("/n", Kind::equals, {"5"})}},
      {"s", {"hundred"}, {}, {condition("/n", Kind::equals, {"100"})}},
      {"s", {"null"}, {}, {condition("/n", Kind::equals, {"null"})}},
      {"s", {"object"}, {}, {condition("/n", Kind::equals, {"{}"})}},
      {"s", {"has_n"}, {}, {condition("/n", Kind::exists)}},
      {"s", {"json"}, {}, {condition("", Kind::exists)}},
      {"s", {"second"}, {}, {condition("/list/1", Kind::equals, {"b"})}},
  };
  const RouteTable table(config);
  using Names = std::vector<std::string>;
  EXPECT_EQ(table.destinations_for("s", "", R"({"n":5})"), (Names{"five", "has_n", "json"}));
  EXPECT_EQ(table.destinations_for("s", "", R"({"n":"5"})"), (Names{"five", "has_n", "json"}));
  EXPECT_EQ(table.destinations_for("s", "", R"({"n":1e2})"), (Names{"has_n", "json"}));  // as written
  EXPECT_EQ(table.destinations_for("s", "", R"({"n":null})"), (Names{"null", "has_n", "json"}));
  EXPECT_EQ(table.destinations_for("s", "", R"({"n":{}})"), (Names{"has_n", "json"}));  // objects equal nothing
  EXPECT_EQ(table.destinations_for("s", "", R"({"list":["a","b"]})"), (Names{"json", "second"}));
  EXPECT_TRUE(table.destinations_for("s", "", "n=5").empty());
}

}  // namespace
}  // namespace hookgate::gateway
