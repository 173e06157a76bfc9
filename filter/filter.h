// A route filter: a tree of conditions on one event — its type, headers, query parameters and
// JSON body — evaluated once per event at ingest. Sans-I/O and config-free: config/ builds
// the tree from YAML (config/filter_section.cc), the gateway evaluates it (route_table.cc).
//
// Immutable once built; any thread may evaluate a Filter. An Input belongs to one request on
// one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "filter/query_string.h"
#include "filter/regex.h"
#include "verify/request.h"

namespace hookgate::verify {
class JsonBody;
}

namespace hookgate::filter {

// The limits config enforces on one route's filter (beyond them: a config error).
inline constexpr std::size_t kMaxDepth = 16;         // nested maps and $and/$or/$not
inline constexpr std::size_t kMaxConditions = 256;   // tests in one route's filter
inline constexpr std::size_t kMaxValues = 1000;      // operands of one $in / $nin
inline constexpr std::size_t kMaxNameBytes = 256;    // a header or query parameter name, a body field name
inline constexpr std::size_t kMaxPointerBytes = 1024;

// What a test reads.
enum class Field : uint8_t {
  event_type,  // always present (possibly empty)
  header,      // every value of the header named `Test::key` (lower case; names compare case-insensitively)
  query,       // every value of the parameter `Test::key` (percent-decoded)
  body,        // the JSON value at the pointer `Test::key` (RFC 6901); "" is the whole document
};

enum class Op : uint8_t {
  glob,         // event_type: any operand's glob matches
  equals,       // any operand equals a value
  not_equals,   // !equals (so holds on a missing field)
  exists,       // the field is present (false: absent)
  prefix,
  suffix,
  contains,     // a string value holds the operand; an array value has an element equal to it
  greater,      // numeric: the value and the operand are both numbers
  greater_or_equal,
  less,
  less_or_equal,
  regex,        // the pattern matches somewhere in the value
};

// A value a test compares with. `number` is set when the operand is a number that compares
// numerically (map form $eq, every $gt..$lte); unset, equality is on the text only.
struct Operand {
  std::string text;
  std::optional<double> number;
};

struct Test {
  Field field = Field::body;
  std::string key;
  Op op = Op::exists;
  std::vector<Operand> operands;  // equals / not_equals: any of them (in / nin); others: one
  bool exists = true;             // exists: true = present, false = absent
  std::optional<Regex> pattern;   // regex
  // The list form's equals/in (as before the map form existed): text only, and an array
  // equals nothing. Otherwise an array value matches when one of its elements does.
  bool text_equality = false;
};

// all: every child holds (true when empty); any: one does (false when empty); negate: its one
// child does not.
struct Node {
  enum class Kind : uint8_t { all, any, negate, test };
  Kind kind = Kind::all;
  std::vector<Node> children;
  Test test;  // kind == test

  [[nodiscard]] static Node all_of(std::vector<Node> children) { return Node{Kind::all, std::move(children), {}}; }
  [[nodiscard]] static Node any_of(std::vector<Node> children) { return Node{Kind::any, std::move(children), {}}; }
  [[nodiscard]] static Node negation(Node child) {
    std::vector<Node> one;
    one.push_back(std::move(child));
    return Node{Kind::negate, std::move(one), {}};
  }
  [[nodiscard]] static Node of(Test test) { return Node{Kind::test, {}, std::move(test)}; }
};

// What a filter looks at: one event. Lazily decodes the query once, for every filter of the
// event. `body` (and the request's bytes behind every view) must outlive the Input.
class Input {
 public:
  Input(std::string_view event_type, std::span<const verify::HeaderView> headers, std::string_view query,
        verify::JsonBody& body)
      : event_type_(event_type), headers_(headers), query_(query), body_(&body) {}

  [[nodiscard]] std::string_view event_type() const { return event_type_; }
  [[nodiscard]] std::span<const verify::HeaderView> headers() const { return headers_; }
  [[nodiscard]] const std::vector<QueryParameter>& query();
  [[nodiscard]] verify::JsonBody& body() { return *body_; }

 private:
  std::string_view event_type_;
  std::span<const verify::HeaderView> headers_;
  std::string_view query_;
  std::optional<std::vector<QueryParameter>> decoded_query_;
  verify::JsonBody* body_;
};

class Filter {
 public:
  Filter() = default;  // takes every event
  explicit Filter(Node root) : root_(std::move(root)) {}

  // Whether the event passes. Reads the body only if a body test is reached (the shared
  // parse of the request, see verify::JsonBody).
  [[nodiscard]] bool matches(Input& input) const;

  // True when the filter takes every event (no conditions).
  [[nodiscard]] bool empty() const { return root_.kind == Node::Kind::all && root_.children.empty(); }
  [[nodiscard]] const Node& root() const { return root_; }

 private:
  Node root_;
};

// A number as JSON writes one ("-12", "1.5e3"), whole string; nullopt otherwise (also for
// "0x10", " 1", "inf", "nan", "").
[[nodiscard]] std::optional<double> parse_number(std::string_view text);

// A map-form field name as one JSON pointer segment: '~' → "~0", '/' → "~1".
[[nodiscard]] std::string pointer_segment(std::string_view name);

}  // namespace hookgate::filter
