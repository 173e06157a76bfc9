#include "gateway/ingest/route_table.h"

#include <gtest/gtest.h>

#include "verify/json_body.h"

namespace hookgate::gateway::ingest {
namespace {

// A filter on the event type only, as `filter: {event_type: [...]}` loads.
filter::Filter types(std::vector<std::string> globs) {
  filter::Test test;
  test.field = filter::Field::event_type;
  test.op = filter::Op::glob;
  for (auto& glob : globs) test.operands.push_back({std::move(glob), std::nullopt});
  return filter::Filter(filter::Node::all_of({filter::Node::of(std::move(test))}));
}

TEST(RouteTable, FanOutFiltersAndDeduplicatesDestinations) {
  config::Config config;
  config.routes = {
      {"stripe", {"billing", "audit"}, types({"invoice.*"})},
      {"stripe", {"audit", "crm"}, types({"customer.*", "invoice.paid"})},
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
}  // namespace hookgate::gateway::ingest

namespace hookgate::gateway::ingest {
namespace {

// The list form's conditions, as `filter: {body: [{pointer, equals | in | exists}]}` loads.
enum class Kind { equals, exists, absent };
filter::Node condition(std::string pointer, Kind kind, std::vector<std::string> values = {}) {
  filter::Test test;
  test.key = std::move(pointer);
  test.op = kind == Kind::equals ? filter::Op::equals : filter::Op::exists;
  test.exists = kind != Kind::absent;
  test.text_equality = true;
  for (auto& value : values) test.operands.push_back({std::move(value), std::nullopt});
  return filter::Node::of(std::move(test));
}

filter::Filter all(std::vector<filter::Node> nodes, std::vector<std::string> globs = {}) {
  if (!globs.empty()) nodes.insert(nodes.begin(), types(std::move(globs)).root());
  return filter::Filter(filter::Node::all_of(std::move(nodes)));
}

TEST(RouteTable, BodyConditionsOnJsonPointers) {
  config::Config config;
  config.routes = {
      {"stripe", {"usd"}, all({condition("/data/object/currency", Kind::equals, {"usd"})})},
      {"stripe", {"big"}, all({condition("/data/object/amount", Kind::equals, {"1000", "2000"})})},
      {"stripe", {"live"}, all({condition("/livemode", Kind::equals, {"true"}),
                                condition("/data/object/customer", Kind::exists)}, {"invoice.*"})},
      {"stripe", {"anonymous"}, all({condition("/data/object/customer", Kind::absent)})},
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
  config::Config config;
  config.routes = {
      {"s", {"five"}, all({condition("/n", Kind::equals, {"5"})})},
      {"s", {"hundred"}, all({condition("/n", Kind::equals, {"100"})})},
      {"s", {"null"}, all({condition("/n", Kind::equals, {"null"})})},
      {"s", {"object"}, all({condition("/n", Kind::equals, {"{}"})})},
      {"s", {"has_n"}, all({condition("/n", Kind::exists)})},
      {"s", {"json"}, all({condition("", Kind::exists)})},
      {"s", {"second"}, all({condition("/list/1", Kind::equals, {"b"})})},
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
  // The list form's equals keeps comparing arrays to nothing (the map form matches an element).
  config::Config lists;
  lists.routes = {{"s", {"list"}, all({condition("/list", Kind::equals, {"a"})})}};
  EXPECT_TRUE(RouteTable(lists).destinations_for("s", "", R"({"list":["a","b"]})").empty());
}

}  // namespace
}  // namespace hookgate::gateway::ingest

namespace hookgate::gateway::ingest {
namespace {

// The ingest path's overload: route filters see the request's headers and raw query.
TEST(RouteTable, FiltersSeeTheEventsHeadersAndQuery) {
  const auto on = [](filter::Field field, std::string key, std::string value) {
    filter::Test test;
    test.field = field;
    test.key = std::move(key);
    test.op = filter::Op::equals;
    test.operands.push_back({std::move(value), std::nullopt});
    return filter::Filter(filter::Node::of(std::move(test)));
  };
  config::Config config;
  config.routes = {
      {"s", {"by_header"}, on(filter::Field::header, "x-env", "prod")},
      {"s", {"by_query"}, on(filter::Field::query, "tenant", "a b")},
  };
  const RouteTable table(config);
  const std::vector<verify::HeaderView> headers{{"X-Env", "prod"}};
  std::string body = "{}";
  verify::JsonBody json(body, false);
  using Names = std::vector<std::string>;
  EXPECT_EQ(table.destinations_for("s", RouteTable::Event{"", headers, "tenant=a+b"}, json),
            (Names{"by_header", "by_query"}));
  EXPECT_EQ(table.destinations_for("s", RouteTable::Event{"", {}, "tenant=a%20b"}, json), (Names{"by_query"}));
  EXPECT_EQ(table.destinations_for("s", RouteTable::Event{"", headers, ""}, json), (Names{"by_header"}));
  EXPECT_TRUE(table.destinations_for("s", RouteTable::Event{"", {}, "tenant=ab"}, json).empty());
}

}  // namespace
}  // namespace hookgate::gateway::ingest
