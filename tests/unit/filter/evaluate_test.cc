// Evaluation of filter trees on one event: each operator, arrays, missing fields, numbers,
// headers and query parameters, nesting. The trees are built here as config would build them.
#include <gtest/gtest.h>

#include <vector>

#include "filter/filter.h"
#include "filter/glob.h"
#include "verify/json_body.h"

namespace hookgate::filter {
namespace {

Operand operand(std::string text) {
  Operand out{std::move(text), std::nullopt};
  out.number = parse_number(out.text);
  return out;
}

Node test(Field field, std::string key, Op op, std::vector<std::string> operands = {}) {
  filter::Test t;
  t.field = field;
  t.key = std::move(key);
  t.op = op;
  for (auto& o : operands) t.operands.push_back(operand(std::move(o)));
  return Node::of(std::move(t));
}
Node body(std::string pointer, Op op, std::vector<std::string> operands = {}) {
  return test(Field::body, std::move(pointer), op, std::move(operands));
}
Node exists(Field field, std::string key, bool present) {
  filter::Test t;
  t.field = field;
  t.key = std::move(key);
  t.op = Op::exists;
  t.exists = present;
  return Node::of(std::move(t));
}
Node regex(Field field, std::string key, std::string_view pattern) {
  filter::Test t;
  t.field = field;
  t.key = std::move(key);
  t.op = Op::regex;
  std::string error;
  t.pattern = Regex::compile(pattern, error);
  EXPECT_TRUE(t.pattern) << error;
  return Node::of(std::move(t));
}

// One event; matches() answers for one node at a time.
class Event {
 public:
  explicit Event(std::string json, std::vector<verify::HeaderView> headers = {}, std::string query = {},
                 std::string type = {})
      : json_(std::move(json)), headers_(std::move(headers)), query_(std::move(query)), type_(std::move(type)) {}

  bool matches(Node node) {
    verify::JsonBody parsed(json_, false);
    Input input(type_, headers_, query_, parsed);
    return Filter(std::move(node)).matches(input);
  }

 private:
  std::string json_;
  std::vector<verify::HeaderView> headers_;
  std::string query_;
  std::string type_;
};

const std::string kOrder = R"({"total":"100.00","count":3,"ratio":0.5,"email":"ann@example.com","vip":true,
  "note":null,"tags":["vip","new",7],"customer":{"id":"c_1","addr":{"city":"Oslo"}},"items":[{"sku":"a"}],
  "name":"caf\u00e9"})";

TEST(FilterEvaluate, EqualsComparesTextAndNumbersAsNumbers) {
  Event e(kOrder);
  EXPECT_TRUE(e.matches(body("/count", Op::equals, {"3"})));
  EXPECT_TRUE(e.matches(body("/count", Op::equals, {"3.0"})));   // a JSON number: numerically
  EXPECT_TRUE(e.matches(body("/count", Op::equals, {"3e0"})));
  EXPECT_FALSE(e.matches(body("/count", Op::equals, {"4"})));
  EXPECT_TRUE(e.matches(body("/total", Op::equals, {"100.00"})));
  EXPECT_FALSE(e.matches(body("/total", Op::equals, {"100"})));  // a string: as text
  EXPECT_TRUE(e.matches(body("/vip", Op::equals, {"true"})));
  EXPECT_TRUE(e.matches(body("/note", Op::equals, {"null"})));
  EXPECT_TRUE(e.matches(body("/name", Op::equals, {"caf\xc3\xa9"})));  // unescaped
  EXPECT_TRUE(e.matches(body("/customer/addr/city", Op::equals, {"Oslo"})));
  EXPECT_FALSE(e.matches(body("/customer", Op::equals, {"c_1"})));  // an object equals nothing
  EXPECT_TRUE(e.matches(body("/count", Op::equals, {"1", "2", "3"})));  // $in: any operand
}

TEST(FilterEvaluate, AnArrayMatchesWhenOneOfItsElementsDoes) {
  Event e(kOrder);
  EXPECT_TRUE(e.matches(body("/tags", Op::equals, {"vip"})));
  EXPECT_TRUE(e.matches(body("/tags", Op::equals, {"7.0"})));
  EXPECT_FALSE(e.matches(body("/tags", Op::equals, {"old"})));
  EXPECT_TRUE(e.matches(body("/tags", Op::not_equals, {"old"})));
  EXPECT_FALSE(e.matches(body("/tags", Op::not_equals, {"new"})));  // no element may equal it
  EXPECT_TRUE(e.matches(body("/tags", Op::contains, {"new"})));      // an element equal to it
  EXPECT_FALSE(e.matches(body("/tags", Op::contains, {"ne"})));      // not a substring of one
  EXPECT_TRUE(e.matches(body("/tags", Op::prefix, {"vi"})));
  EXPECT_TRUE(e.matches(body("/tags", Op::greater, {"6"})));
  EXPECT_TRUE(e.matches(body("/tags/1", Op::equals, {"new"})));
  EXPECT_TRUE(e.matches(body("/items/0/sku", Op::equals, {"a"})));
}

TEST(FilterEvaluate, MissingFieldsFailAllButNegationsAndAbsence) {
  Event e(kOrder);
  for (Op op : {Op::equals, Op::prefix, Op::suffix, Op::contains, Op::greater, Op::greater_or_equal, Op::less,
                Op::less_or_equal}) {
    EXPECT_FALSE(e.matches(body("/missing", op, {"0"}))) << static_cast<int>(op);
  }
  EXPECT_FALSE(e.matches(regex(Field::body, "/missing", ".*")));
  EXPECT_TRUE(e.matches(body("/missing", Op::not_equals, {"x"})));
  EXPECT_TRUE(e.matches(body("/missing", Op::not_equals, {"x", "y"})));  // $nin
  EXPECT_TRUE(e.matches(exists(Field::body, "/missing", false)));
  EXPECT_FALSE(e.matches(exists(Field::body, "/missing", true)));
  EXPECT_TRUE(e.matches(exists(Field::body, "/note", true)));  // null is a value
  EXPECT_TRUE(e.matches(exists(Field::body, "/customer", true)));
  // A body that is not JSON has no fields at all.
  Event text("total=5");
  EXPECT_FALSE(text.matches(exists(Field::body, "", true)));
  EXPECT_TRUE(text.matches(body("/total", Op::not_equals, {"5"})));
}

TEST(FilterEvaluate, StringOperators) {
  Event e(kOrder);
  EXPECT_TRUE(e.matches(body("/email", Op::prefix, {"ann@"})));
  EXPECT_FALSE(e.matches(body("/email", Op::prefix, {"bob@"})));
  EXPECT_TRUE(e.matches(body("/email", Op::suffix, {"@example.com"})));
  EXPECT_FALSE(e.matches(body("/email", Op::suffix, {"@example.org"})));
  EXPECT_TRUE(e.matches(body("/email", Op::contains, {"example"})));
  EXPECT_FALSE(e.matches(body("/email", Op::contains, {"Example"})));  // case matters
  EXPECT_TRUE(e.matches(regex(Field::body, "/email", "^[a-z]+@example\\.com$")));
  EXPECT_FALSE(e.matches(regex(Field::body, "/email", "^bob")));
  EXPECT_TRUE(e.matches(regex(Field::body, "/count", "^3$")));  // numbers as written
}

TEST(FilterEvaluate, NumericComparisonsNeedNumbersOnBothSides) {
  Event e(kOrder);
  EXPECT_TRUE(e.matches(body("/count", Op::greater, {"2"})));
  EXPECT_FALSE(e.matches(body("/count", Op::greater, {"3"})));
  EXPECT_TRUE(e.matches(body("/count", Op::greater_or_equal, {"3"})));
  EXPECT_TRUE(e.matches(body("/count", Op::less, {"3.5"})));
  EXPECT_FALSE(e.matches(body("/count", Op::less, {"3"})));
  EXPECT_TRUE(e.matches(body("/count", Op::less_or_equal, {"3"})));
  EXPECT_TRUE(e.matches(body("/ratio", Op::less, {"1e0"})));
  EXPECT_TRUE(e.matches(body("/total", Op::greater_or_equal, {"100"})));  // a string holding a number
  EXPECT_FALSE(e.matches(body("/email", Op::greater, {"0"})));            // not a number: never
  EXPECT_FALSE(e.matches(body("/vip", Op::greater, {"0"})));
  EXPECT_FALSE(e.matches(body("/note", Op::less, {"1"})));
  EXPECT_FALSE(e.matches(body("/customer", Op::greater, {"0"})));
}

TEST(FilterEvaluate, HeadersByNameCaseInsensitivelyAnyValue) {
  Event e("{}", {{"X-Shop-Domain", "acme.myshopify.com"}, {"X-Tag", "a"}, {"x-tag", "b"}, {"X-Count", "12"}});
  EXPECT_TRUE(e.matches(test(Field::header, "x-shop-domain", Op::suffix, {".myshopify.com"})));
  EXPECT_TRUE(e.matches(test(Field::header, "x-tag", Op::equals, {"b"})));  // any value of a repeated header
  EXPECT_FALSE(e.matches(test(Field::header, "x-tag", Op::equals, {"c"})));
  EXPECT_FALSE(e.matches(test(Field::header, "x-tag", Op::not_equals, {"a"})));
  EXPECT_TRUE(e.matches(test(Field::header, "x-count", Op::greater, {"10"})));
  EXPECT_TRUE(e.matches(exists(Field::header, "x-tag", true)));
  EXPECT_TRUE(e.matches(exists(Field::header, "x-none", false)));
  EXPECT_FALSE(e.matches(test(Field::header, "x-none", Op::prefix, {""})));
}

TEST(FilterEvaluate, QueryParametersPercentDecoded) {
  Event e("{}", {}, "env=prod&who=ann%20lee&who=bob+k&n=5&flag");
  EXPECT_TRUE(e.matches(test(Field::query, "env", Op::equals, {"prod"})));
  EXPECT_TRUE(e.matches(test(Field::query, "env", Op::not_equals, {"test"})));
  EXPECT_TRUE(e.matches(test(Field::query, "who", Op::equals, {"ann lee"})));
  EXPECT_TRUE(e.matches(test(Field::query, "who", Op::equals, {"bob k"})));  // any value of a repeated one
  EXPECT_TRUE(e.matches(test(Field::query, "n", Op::less_or_equal, {"5"})));
  EXPECT_TRUE(e.matches(test(Field::query, "flag", Op::equals, {""})));
  EXPECT_TRUE(e.matches(exists(Field::query, "flag", true)));
  EXPECT_FALSE(e.matches(exists(Field::query, "Env", true)));  // names are case-sensitive
}

TEST(FilterEvaluate, EventTypeGlobs) {
  Event e("{}", {}, {}, "orders/create");
  EXPECT_TRUE(e.matches(test(Field::event_type, {}, Op::glob, {"customers/*", "orders/*"})));
  EXPECT_FALSE(e.matches(test(Field::event_type, {}, Op::glob, {"orders"})));
}

TEST(FilterEvaluate, AndOrNotNest) {
  Event e(kOrder, {{"X-Env", "prod"}});
  const auto yes = [] { return body("/count", Op::equals, {"3"}); };
  const auto no = [] { return body("/count", Op::equals, {"4"}); };
  EXPECT_TRUE(e.matches(Node::all_of({})));   // no condition: every event
  EXPECT_FALSE(e.matches(Node::any_of({})));
  EXPECT_TRUE(e.matches(Node::all_of({yes(), yes()})));
  EXPECT_FALSE(e.matches(Node::all_of({yes(), no()})));
  EXPECT_TRUE(e.matches(Node::any_of({no(), yes()})));
  EXPECT_FALSE(e.matches(Node::any_of({no(), no()})));
  EXPECT_TRUE(e.matches(Node::negation(no())));
  EXPECT_FALSE(e.matches(Node::negation(yes())));
  EXPECT_TRUE(e.matches(Node::all_of({Node::negation(Node::any_of({no(), Node::negation(yes())})),
                                      test(Field::header, "x-env", Op::equals, {"prod"})})));
}

TEST(FilterEvaluate, TextEqualityKeepsTheListFormsMeaning) {
  Event e(R"({"n":1e2,"list":["a"]})");
  filter::Test t;
  t.key = "/n";
  t.op = Op::equals;
  t.text_equality = true;
  t.operands = {operand("100")};
  EXPECT_FALSE(e.matches(Node::of(t)));  // numbers as written
  t.operands = {operand("1e2")};
  EXPECT_TRUE(e.matches(Node::of(t)));
  t.key = "/list";
  t.operands = {operand("a")};
  EXPECT_FALSE(e.matches(Node::of(t)));  // an array equals nothing
}

TEST(FilterEvaluate, OneParseServesEveryTestOfTheEvent) {
  // The same JsonBody answers lookups in any order (each rewinds the document).
  std::string json = kOrder;
  verify::JsonBody parsed(json, false);
  Input input("", {}, "", parsed);
  const Filter filter(Node::all_of({body("/tags", Op::contains, {"new"}), body("/count", Op::equals, {"3"}),
                                    body("/customer/id", Op::equals, {"c_1"}), body("/tags/2", Op::equals, {"7"})}));
  EXPECT_TRUE(filter.matches(input));
  EXPECT_TRUE(filter.matches(input));
}

TEST(ParseNumber, AcceptsJsonNumbersOnly) {
  EXPECT_EQ(parse_number("12"), 12.0);
  EXPECT_EQ(parse_number("-1.5e2"), -150.0);
  EXPECT_EQ(parse_number("0"), 0.0);
  for (std::string_view bad : {"", "-", "+1", "01", "1.", ".5", "0x10", " 1", "1 ", "inf", "nan", "1e", "1e999", "abc"}) {
    EXPECT_FALSE(parse_number(bad)) << bad;
  }
}

TEST(PointerSegment, EscapesTildeAndSlash) {
  EXPECT_EQ(pointer_segment("a/b~c"), "a~1b~0c");
  EXPECT_EQ(pointer_segment("plain"), "plain");
}

TEST(GlobMatch, StarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("orders/*", "orders/create"));
  EXPECT_TRUE(glob_match("v?", "v1"));
  EXPECT_FALSE(glob_match("v?", "v10"));
}

}  // namespace
}  // namespace hookgate::filter
