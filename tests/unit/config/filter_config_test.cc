// Route filters as config loads them (config/filter_section.cc): each form parses into a
// filter that takes the events it should, and each mistake is an error at its file:line.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "test_support.h"
#include "verify/json_body.h"

namespace hookgate::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::error_lines;

// A config whose one route (s → d) has `filter`, given as lines indented by six spaces; the
// filter's first line is line 8 of the file.
LoadResult load_filter(const std::string& filter) {
  return testing::load(std::string(testing::kMinimal) +
                       "sources: {s: {path: /s, verify: none}}\n"
                       "destinations: {d: {url: 'http://d'}}\n"
                       "routes:\n"
                       "  - from: s\n"
                       "    to: d\n"
                       "    filter:\n" +
                       filter);
}

struct Event {
  std::string body = "{}";
  std::vector<verify::HeaderView> headers;
  std::string query;
  std::string type;
};

// Whether the loaded route takes `event`.
bool takes(const LoadResult& result, const Event& event) {
  EXPECT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  if (!result.config) return false;
  verify::JsonBody body(event.body, false);
  filter::Input input(event.type, event.headers, event.query, body);
  return result.config->routes.at(0).filter.matches(input);
}

TEST(FilterConfig, MapFormOnTheBody) {
  const auto result = load_filter(
      "      body:\n"
      "        total_price: {$gte: 100}\n"
      "        customer: {email: {$endsWith: '@example.com'}}\n"
      "        currency: {$in: [USD, EUR]}\n"
      "        tags: vip\n"
      "        $or: [{source_name: web}, {source_name: pos}]\n");
  const std::string base = R"("customer":{"email":"a@example.com"},"currency":"EUR","tags":["new","vip"])";
  EXPECT_TRUE(takes(result, {.body = R"({"total_price":"100.00","source_name":"web",)" + base + "}"}));
  EXPECT_TRUE(takes(result, {.body = R"({"total_price":250,"source_name":"pos",)" + base + "}"}));
  EXPECT_FALSE(takes(result, {.body = R"({"total_price":99.5,"source_name":"pos",)" + base + "}"}));
  EXPECT_FALSE(takes(result, {.body = R"({"total_price":100,"source_name":"api",)" + base + "}"}));
  EXPECT_FALSE(takes(result, {.body = R"({"total_price":100,"source_name":"web","customer":{"email":"a@example.org"},"currency":"EUR","tags":"vip"})"}));
  EXPECT_FALSE(takes(result, {.body = R"({"total_price":100,"source_name":"web","customer":{"email":"a@example.com"},"currency":"GBP","tags":"vip"})"}));
  EXPECT_TRUE(takes(result, {.body = R"({"total_price":100,"source_name":"web","customer":{"email":"a@example.com"},"currency":"USD","tags":"vip"})"}));
}

TEST(FilterConfig, EveryOperatorOfTheMapForm) {
  const auto takes_body = [](const std::string& condition, const std::string& body) {
    return takes(load_filter("      body: {" + condition + "}\n"), {.body = body});
  };
  EXPECT_TRUE(takes_body("n: {$eq: 5}", R"({"n":5.0})"));
  EXPECT_FALSE(takes_body("n: {$eq: 5}", R"({"n":6})"));
  EXPECT_TRUE(takes_body("n: {$neq: 5}", R"({"n":6})"));
  EXPECT_TRUE(takes_body("n: {$neq: 5}", R"({})"));  // missing: holds
  EXPECT_TRUE(takes_body("n: {$nin: [1, 2]}", R"({"n":3})"));
  EXPECT_FALSE(takes_body("n: {$nin: [1, 2]}", R"({"n":2})"));
  EXPECT_TRUE(takes_body("n: {$exist: true}", R"({"n":null})"));
  EXPECT_TRUE(takes_body("n: {$exist: false}", R"({"m":1})"));
  EXPECT_TRUE(takes_body("s: {$startsWith: ab}", R"({"s":"abc"})"));
  EXPECT_TRUE(takes_body("s: {$contains: b}", R"({"s":"abc"})"));
  EXPECT_FALSE(takes_body("s: {$contains: x}", R"({"s":"abc"})"));
  EXPECT_TRUE(takes_body("n: {$gt: 1, $lt: 3}", R"({"n":2})"));  // several operators: all hold
  EXPECT_FALSE(takes_body("n: {$gt: 1, $lt: 3}", R"({"n":3})"));
  EXPECT_TRUE(takes_body("n: {$lte: -1.5}", R"({"n":-2})"));
  EXPECT_TRUE(takes_body("s: {$regex: '^a.c$'}", R"({"s":"abc"})"));
  EXPECT_TRUE(takes_body("n: null", R"({"n":null})"));  // YAML null is JSON null
  EXPECT_TRUE(takes_body("'a/b': 1, 'c~d': 2", R"({"a/b":1,"c~d":2})"));  // names escaped into the pointer
  EXPECT_TRUE(takes_body("items: {0: {sku: x}}", R"({"items":[{"sku":"x"}]})"));  // an index is a name
  EXPECT_TRUE(takes_body("$not: {n: 1}", R"({"n":2})"));
  EXPECT_TRUE(takes_body("$and: [{n: {$gt: 1}}, {n: {$lt: 3}}]", R"({"n":2})"));
  EXPECT_TRUE(takes_body("n: {$or: [{$eq: 1}, {$eq: 2}]}", R"({"n":2})"));  // $or on one field
  EXPECT_TRUE(takes_body("$exist: true", R"([])"));  // the whole body is JSON
}

TEST(FilterConfig, HeadersQueryEventTypeAndSubFilters) {
  const auto result = load_filter(
      "      event_type: 'orders/*'\n"
      "      headers:\n"
      "        X-Shopify-Shop-Domain: {$endsWith: .myshopify.com}\n"
      "      query:\n"
      "        env: {$neq: test}\n"
      "      $not: {body: {test: true}}\n");
  const std::vector<verify::HeaderView> shop{{"x-shopify-shop-domain", "acme.myshopify.com"}};
  EXPECT_TRUE(takes(result, {.body = R"({"test":false})", .headers = shop, .query = "env=prod", .type = "orders/create"}));
  EXPECT_TRUE(takes(result, {.body = "{}", .headers = shop, .type = "orders/paid"}));  // no env: $neq holds
  EXPECT_FALSE(takes(result, {.body = "{}", .headers = shop, .query = "env=test", .type = "orders/paid"}));
  EXPECT_FALSE(takes(result, {.body = "{}", .headers = shop, .query = "x=1&env=%74est", .type = "orders/paid"}));
  EXPECT_FALSE(takes(result, {.body = R"({"test":true})", .headers = shop, .type = "orders/paid"}));
  EXPECT_FALSE(takes(result, {.body = "{}", .headers = {{"X-Shopify-Shop-Domain", "evil.com"}}, .type = "orders/paid"}));
  EXPECT_FALSE(takes(result, {.body = "{}", .headers = shop, .type = "customers/create"}));

  const auto any = load_filter(
      "      $or:\n"
      "        - {headers: {x-a: '1'}}\n"
      "        - {query: {a: {$in: ['1', '2']}}}\n"
      "      $and: [{event_type: [x, y]}]\n");
  EXPECT_TRUE(takes(any, {.headers = {{"X-A", "1"}}, .type = "x"}));
  EXPECT_TRUE(takes(any, {.query = "a=2", .type = "y"}));
  EXPECT_FALSE(takes(any, {.query = "a=3", .type = "y"}));
  EXPECT_FALSE(takes(any, {.query = "a=1", .type = "z"}));
}

TEST(FilterConfig, ListFormGainsTheNewOperators) {
  const auto result = load_filter(
      "      body:\n"
      "        - {pointer: /email, suffix: '@example.com'}\n"
      "        - {pointer: /email, prefix: ann}\n"
      "        - {pointer: /email, contains: '@'}\n"
      "        - {pointer: /email, regex: '^[a-z]+@'}\n"
      "        - {pointer: /n, gt: 1}\n"
      "        - {pointer: /n, gte: 2}\n"
      "        - {pointer: /n, lt: 3}\n"
      "        - {pointer: /n, lte: 2}\n"
      "        - {pointer: /env, not_equals: test}\n"
      "        - {pointer: /env, not_in: [test, staging]}\n");
  EXPECT_TRUE(takes(result, {.body = R"({"email":"ann@example.com","n":2,"env":"prod"})"}));
  EXPECT_TRUE(takes(result, {.body = R"({"email":"ann@example.com","n":2})"}));
  EXPECT_FALSE(takes(result, {.body = R"({"email":"ann@example.com","n":2,"env":"staging"})"}));
  EXPECT_FALSE(takes(result, {.body = R"({"email":"ann@example.com","n":3,"env":"prod"})"}));
  EXPECT_FALSE(takes(result, {.body = R"({"email":"bob@example.com","n":2,"env":"prod"})"}));
}

TEST(FilterConfig, AnEmptyFilterTakesEveryEvent) {
  EXPECT_TRUE(load_filter("      {}\n").config->routes[0].filter.empty());
  EXPECT_TRUE(takes(load_filter("      body: {}\n"), {.body = "not json"}));
}

// ---- errors, each at its file:line:column -----------------------------------------------------

TEST(FilterConfigErrors, UnknownOperatorAtItsKeyWithASuggestionAndTheList) {
  const auto lines = error_lines(load_filter(
      "      body:\n"
      "        total: {$gtee: 100}\n"));
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0],
            "hookgate.yaml:9:17: routes[0].filter.body.total.$gtee: unknown operator '$gtee' (did you mean '$gte'?); "
            "the operators are $eq, $neq, $in, $nin, $exist, $startsWith, $endsWith, $contains, $gt, $gte, $lt, "
            "$lte, $regex, $and, $or, $not");
  EXPECT_THAT(error_lines(load_filter("      headers: {x-a: {$exists: true}}\n")),
              ElementsAre(HasSubstr("hookgate.yaml:8:23: routes[0].filter.headers.x-a.$exists: unknown operator "
                                    "'$exists' (did you mean '$exist'?)")));
  EXPECT_THAT(error_lines(load_filter("      $nor: []\n")),
              ElementsAre("hookgate.yaml:8:7: routes[0].filter: unknown key '$nor' (did you mean '$or'?)"));
}

TEST(FilterConfigErrors, BadRegexAtItsValueWithTheCompilersReason) {
  const auto lines = error_lines(load_filter(
      "      body:\n"
      "        - {pointer: /a, equals: x}\n"
      "        - {pointer: /s, regex: 'a(b'}\n"
      "      headers:\n"
      "        x-id: {$regex: '[z-a]'}\n"));
  ASSERT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("hookgate.yaml:10:32: routes[0].filter.body[1].regex: invalid regular expression 'a(b': "));
  EXPECT_THAT(lines[1], HasSubstr("hookgate.yaml:12:24: routes[0].filter.headers.x-id.$regex: invalid regular expression '[z-a]': "));
  EXPECT_GT(lines[0].size(), lines[0].find("'a(b': ") + 7);  // the reason follows
}

TEST(FilterConfigErrors, NestingDeeperThanTheLimit) {
  // The filter's map is level 1, the body's level 2, each map inside it one more: 16 maps in
  // the body reach level 17.
  std::string nested = "{v: 1}";
  for (int i = 0; i < 15; ++i) nested = "{f: " + nested + "}";
  const auto lines = error_lines(load_filter("      body: " + nested + "\n"));
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("hookgate.yaml:8:"));
  EXPECT_THAT(lines[0], HasSubstr(": the filter nests deeper than 16 levels"));
  // One level less loads.
  std::string fits = "{v: 1}";
  for (int i = 0; i < 14; ++i) fits = "{f: " + fits + "}";
  EXPECT_TRUE(load_filter("      body: " + fits + "\n").errors.empty());
  // $not nests too.
  std::string nots = "{}";
  for (int i = 0; i < 16; ++i) nots = "{$not: " + nots + "}";
  EXPECT_THAT(error_lines(load_filter("      " + nots.substr(1, nots.size() - 2) + "\n")),
              ElementsAre(HasSubstr("the filter nests deeper than 16 levels")));
}

TEST(FilterConfigErrors, TooManyConditionsAndValues) {
  std::string many;
  for (int i = 0; i < 257; ++i) many += (i ? ", f" : "f") + std::to_string(i) + ": 1";
  EXPECT_THAT(error_lines(load_filter("      body: {" + many + "}\n")),
              ElementsAre(HasSubstr("routes[0].filter.body.f256: a route's filter has more than 256 conditions")));
  std::string values;
  for (int i = 0; i < 1001; ++i) values += (i ? ", " : "") + std::to_string(i);
  EXPECT_THAT(error_lines(load_filter("      body: {n: {$in: [" + values + "]}}\n")),
              ElementsAre(HasSubstr("hookgate.yaml:8:23: routes[0].filter.body.n.$in: at most 1000 values")));
}

TEST(FilterConfigErrors, WrongTypes) {
  const auto lines = error_lines(load_filter(
      "      body:\n"
      "        a: {$gt: ten}\n"
      "        b: {$in: x}\n"
      "        c: [1, 2]\n"
      "        d: {$exist: maybe}\n"
      "        e: {$and: {x: 1}}\n"
      "        f: {$startsWith: {x: 1}}\n"
      "      headers:\n"
      "        'bad name': 1\n"
      "        x-a: {sub: 1}\n"
      "        $eq: 1\n"
      "      query: [a]\n"));
  EXPECT_THAT(lines, ElementsAre(
      "hookgate.yaml:9:18: routes[0].filter.body.a.$gt: expected a number, got 'ten'",
      "hookgate.yaml:10:18: routes[0].filter.body.b.$in: expected a list of values, got a string",
      "hookgate.yaml:11:12: routes[0].filter.body.c: a list is not a value to compare with: write {$in: [...]} for "
      "one of several values",
      "hookgate.yaml:12:21: routes[0].filter.body.d.$exist: expected true or false, got 'maybe'",
      "hookgate.yaml:13:19: routes[0].filter.body.e.$and: expected a list of maps, got a map",
      "hookgate.yaml:14:26: routes[0].filter.body.f.$startsWith: expected a value, got a map",
      "hookgate.yaml:16:9: routes[0].filter.headers.bad name: invalid header name 'bad name'",
      "hookgate.yaml:17:15: routes[0].filter.headers.x-a.sub: a header has no fields: only $operators here (did you "
      "mean {$eq: sub}?)",
      "hookgate.yaml:18:9: routes[0].filter.headers.$eq: $eq tests one header: write {<name>: {$eq: ...}}",
      "hookgate.yaml:19:14: routes[0].filter.query: expected a map, got a list"));
  EXPECT_THAT(error_lines(load_filter("      body: 5\n")),
              ElementsAre("hookgate.yaml:8:13: routes[0].filter.body: expected a map of fields (body: {currency: usd}) "
                          "or a list of {pointer, <operator>} conditions, got a string"));
}

}  // namespace
}  // namespace hookgate::config
