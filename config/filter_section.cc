// A route's `filter:` as a filter::Filter. Two forms of body filter:
// - the map form, Hookdeck's and Convoy's filter JSON: field names descend into the body,
//   `$operators` test the value reached, a bare value is $eq; the same shape on headers and
//   query parameters;
// - the list form, hookgate's own: [{pointer: /json/pointer, <operator>: operand}, ...].
// Everything is checked here, once: operator names, operand types, regexes (compiled now),
// nesting depth and counts (filter/filter.h), each error at its file:line.
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "config/sections.h"
#include "config/suggest.h"
#include "config/values.h"
#include "filter/filter.h"

namespace hookgate::config::detail {
namespace {

using filter::Field;
using filter::Node;
using filter::Op;
using filter::Operand;
using filter::Test;

constexpr std::array<std::string_view, 16> kOperators{"$eq",  "$neq", "$in",       "$nin",        "$exist",
                                                      "$startsWith", "$endsWith", "$contains", "$gt", "$gte",
                                                      "$lt", "$lte", "$regex", "$and", "$or", "$not"};

std::string operator_list() {
  std::string out;
  for (const auto name : kOperators) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view field_noun(Field field) {
  switch (field) {
    case Field::header: return "header";
    case Field::query: return "query parameter";
    default: return "field";
  }
}

class FilterParser {
 public:
  // A filter map (keys.cc kFilter): event_type, headers, query, body, $and, $or, $not.
  Node filter(const Value& value, std::size_t depth) {
    std::vector<Node> children;
    if (too_deep(value, depth)) return Node::all_of({});
    MapReader map(value);
    if (!map.valid()) return Node::all_of({});
    if (auto v = map.get("event_type")) {
      if (auto test = event_types(*v)) children.push_back(Node::of(std::move(*test)));
    }
    if (auto v = map.get("headers")) children.push_back(fields(*v, Field::header, {}, depth + 1));
    if (auto v = map.get("query")) children.push_back(fields(*v, Field::query, {}, depth + 1));
    if (auto v = map.get("body")) {
      if (v->is_list() || v->is_null()) {
        for (const auto& item : v->items()) {
          if (auto test = condition(item)) children.push_back(Node::of(std::move(*test)));
        }
      } else if (v->is_map()) {
        children.push_back(fields(*v, Field::body, {}, depth + 1));
      } else {
        v->error("expected a map of fields (body: {currency: usd}) or a list of {pointer, <operator>} conditions, got " +
                 std::string(v->kind()));
      }
    }
    if (auto v = map.get("$and")) children.push_back(Node::all_of(filters(*v, depth)));
    if (auto v = map.get("$or")) children.push_back(Node::any_of(filters(*v, depth)));
    if (auto v = map.get("$not")) children.push_back(Node::negation(filter(*v, depth + 1)));
    return Node::all_of(std::move(children));
  }

 private:
  std::vector<Node> filters(const Value& list, std::size_t depth) {
    std::vector<Node> out;
    for (const auto& item : list.items()) out.push_back(filter(item, depth + 1));
    return out;
  }

  std::optional<Test> event_types(const Value& value) {
    auto globs = value.strings(/*allow_single=*/true);
    if (!globs) return std::nullopt;
    // An empty glob would match nothing while looking like "no filter".
    if (std::any_of(globs->begin(), globs->end(), [](const std::string& g) { return g.empty(); })) {
      value.error("event type patterns must not be empty");
      return std::nullopt;
    }
    if (value.is_list() && globs->empty()) {
      value.error("expected at least one event type pattern (remove `filter` to route every event)");
      return std::nullopt;
    }
    if (!counted(value)) return std::nullopt;
    Test test;
    test.field = Field::event_type;
    test.op = Op::glob;
    for (auto& glob : *globs) test.operands.push_back(Operand{std::move(glob), std::nullopt});
    return test;
  }

  // ---- the map form ------------------------------------------------------------------------

  // The map at `key` of `field` ("" = the field's top: the whole body, or the list of headers):
  // its entries, all of which must hold.
  Node fields(const Value& value, Field field, const std::string& key, std::size_t depth) {
    if (too_deep(value, depth)) return Node::all_of({});
    std::vector<Node> children;
    const MapReader map = MapReader::open(value);
    if (!map.valid()) return Node::all_of({});
    for (const auto& entry : map.entries()) {
      if (entry.key.starts_with('$')) {
        if (auto node = operation(entry, field, key, depth)) children.push_back(std::move(*node));
        continue;
      }
      auto child = child_key(entry, field, key);
      if (!child) continue;
      if (auto node = field_value(entry.value, field, *child, depth)) children.push_back(std::move(*node));
    }
    return Node::all_of(std::move(children));
  }

  // The key a field name leads to: a JSON pointer one segment longer, or a header or query
  // parameter name.
  std::optional<std::string> child_key(const MapReader::Entry& entry, Field field, const std::string& key) {
    const auto report = [&](std::string message) {
      entry.value.context().diagnostics.report(entry.key_position, entry.value.path(), std::move(message));
    };
    const std::string& name = entry.key;
    if (field != Field::body && !key.empty()) {
      report("a " + std::string(field_noun(field)) + " has no fields: only $operators here (did you mean {$eq: " +
             name + "}?)");
      return std::nullopt;
    }
    if (name.empty()) {
      report("a " + std::string(field_noun(field)) + " name must not be empty");
      return std::nullopt;
    }
    if (name.size() > filter::kMaxNameBytes) {
      report("a " + std::string(field_noun(field)) + " name is at most " + std::to_string(filter::kMaxNameBytes) +
             " bytes");
      return std::nullopt;
    }
    switch (field) {
      case Field::header:
        if (!is_header_name(name)) {
          report("invalid header name '" + name + "'");
          return std::nullopt;
        }
        return lower_ascii(name);
      case Field::query:
        if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
          report("a query parameter name must not hold control characters");
          return std::nullopt;
        }
        return name;
      default: {
        std::string pointer = key + "/" + filter::pointer_segment(name);
        if (pointer.size() > filter::kMaxPointerBytes) {
          report("the field's path is longer than " + std::to_string(filter::kMaxPointerBytes) + " bytes");
          return std::nullopt;
        }
        return pointer;
      }
    }
  }

  // What a field name maps to: a value it equals, or a map of operators and deeper fields.
  std::optional<Node> field_value(const Value& value, Field field, const std::string& key, std::size_t depth) {
    if (value.is_map()) return fields(value, field, key, depth + 1);
    if (value.is_list()) {
      value.error("a list is not a value to compare with: write {$in: [...]} for one of several values");
      return std::nullopt;
    }
    auto operand = comparable(value);
    if (!operand || !counted(value)) return std::nullopt;
    Test test;
    test.field = field;
    test.key = key;
    test.op = Op::equals;
    test.operands.push_back(std::move(*operand));
    return Node::of(std::move(test));
  }

  // An $operator of the map at `key`.
  std::optional<Node> operation(const MapReader::Entry& entry, Field field, const std::string& key,
                                std::size_t depth) {
    const Value& value = entry.value;
    const std::string& name = entry.key;
    const auto report_at_key = [&](std::string message) {
      value.context().diagnostics.report(entry.key_position, value.path(), std::move(message));
    };
    if (std::find(kOperators.begin(), kOperators.end(), name) == kOperators.end()) {
      std::string message = "unknown operator '" + name + "'";
      if (auto guess = closest_match(name, kOperators)) message += " (did you mean '" + std::string(*guess) + "'?)";
      report_at_key(message + "; the operators are " + operator_list());
      return std::nullopt;
    }
    if (name == "$and" || name == "$or") {
      if (!value.is_list()) {
        value.error("expected a list of maps, got " + std::string(value.kind()));
        return std::nullopt;
      }
      std::vector<Node> children;
      const auto items = value.items();
      if (items.empty()) {
        value.error("expected at least one condition");
        return std::nullopt;
      }
      for (const auto& item : items) {
        if (!item.is_map()) {
          item.error("expected a map of fields and operators, got " + std::string(item.kind()));
          continue;
        }
        children.push_back(fields(item, field, key, depth + 1));
      }
      return name == "$and" ? Node::all_of(std::move(children)) : Node::any_of(std::move(children));
    }
    if (name == "$not") {
      if (!value.is_map()) {
        value.error("expected a map of fields and operators, got " + std::string(value.kind()));
        return std::nullopt;
      }
      return Node::negation(fields(value, field, key, depth + 1));
    }
    if (field != Field::body && key.empty()) {
      report_at_key(name + " tests one " + std::string(field_noun(field)) + ": write {<name>: {" + name + ": ...}}");
      return std::nullopt;
    }
    Test test;
    test.field = field;
    test.key = key;
    if (name == "$in" || name == "$nin") {
      test.op = name == "$in" ? Op::equals : Op::not_equals;
      auto operands = operand_list(value);
      if (!operands) return std::nullopt;
      test.operands = std::move(*operands);
    } else if (name == "$exist") {
      auto text = scalar_text(value);
      if (!text) return std::nullopt;
      if (*text != "true" && *text != "false") {
        value.error("expected true or false, got '" + *text + "'");
        return std::nullopt;
      }
      test.op = Op::exists;
      test.exists = *text == "true";
    } else if (name == "$eq" || name == "$neq") {
      test.op = name == "$eq" ? Op::equals : Op::not_equals;
      auto operand = comparable(value);
      if (!operand) return std::nullopt;
      test.operands.push_back(std::move(*operand));
    } else if (name == "$regex") {
      auto pattern = regex(value);
      if (!pattern) return std::nullopt;
      test.op = Op::regex;
      test.pattern = std::move(pattern);
    } else if (name == "$gt" || name == "$gte" || name == "$lt" || name == "$lte") {
      test.op = name == "$gt" ? Op::greater : name == "$gte" ? Op::greater_or_equal : name == "$lt" ? Op::less
                                                                                                     : Op::less_or_equal;
      auto operand = number(value);
      if (!operand) return std::nullopt;
      test.operands.push_back(std::move(*operand));
    } else {  // $startsWith, $endsWith, $contains
      test.op = name == "$startsWith" ? Op::prefix : name == "$endsWith" ? Op::suffix : Op::contains;
      auto operand = comparable(value, /*null_allowed=*/false);
      if (!operand) return std::nullopt;
      test.operands.push_back(std::move(*operand));
    }
    if (!counted(value)) return std::nullopt;
    return Node::of(std::move(test));
  }

  // ---- the list form -----------------------------------------------------------------------

  std::optional<Test> condition(const Value& item) {
    MapReader condition(item);
    if (!condition.valid()) return std::nullopt;
    Test test;
    test.field = Field::body;
    if (auto pointer = condition.require("pointer")) {
      if (auto text = pointer->text()) {
        if (!text->empty() && text->front() != '/') {
          pointer->error("a JSON pointer starts with '/' (e.g. /data/object/currency)");
        } else if (text->size() > filter::kMaxPointerBytes) {
          pointer->error("a JSON pointer is at most " + std::to_string(filter::kMaxPointerBytes) + " bytes");
        }
        test.key = std::move(*text);
      }
    }
    static constexpr std::array<std::string_view, 13> kKinds{"equals", "in",       "exists", "not_equals", "not_in",
                                                             "prefix", "suffix",   "contains", "gt",       "gte",
                                                             "lt",     "lte",      "regex"};
    std::optional<Value> given;
    std::string_view kind;
    int count = 0;
    for (const auto name : kKinds) {
      if (auto v = condition.get(name)) {
        given = v;
        kind = name;
        ++count;
      }
    }
    if (count != 1) {
      item.error("give exactly one of equals, in, exists, not_equals, not_in, prefix, suffix, contains, gt, gte, lt, "
                 "lte, regex");
      return std::nullopt;
    }
    const Value& value = *given;
    // equals and in compare as text, as they always have: 1e2 is not 100, an array equals nothing.
    if (kind == "equals" || kind == "not_equals") {
      auto text = value.text();
      if (!text) return std::nullopt;
      test.op = kind == "equals" ? Op::equals : Op::not_equals;
      test.text_equality = true;
      test.operands.push_back(Operand{std::move(*text), std::nullopt});
    } else if (kind == "in" || kind == "not_in") {
      auto values = value.strings(/*allow_single=*/false);
      if (!values) return std::nullopt;
      if (values->empty()) {
        value.error("expected a non-empty list of values");
        return std::nullopt;
      }
      if (values->size() > filter::kMaxValues) {
        value.error("at most " + std::to_string(filter::kMaxValues) + " values");
        return std::nullopt;
      }
      test.op = kind == "in" ? Op::equals : Op::not_equals;
      test.text_equality = true;
      for (auto& v : *values) test.operands.push_back(Operand{std::move(v), std::nullopt});
    } else if (kind == "exists") {
      auto flag = value.choice<bool>({{"true", true}, {"false", false}});
      if (!flag) return std::nullopt;
      test.op = Op::exists;
      test.exists = *flag;
    } else if (kind == "regex") {
      auto pattern = regex(value);
      if (!pattern) return std::nullopt;
      test.op = Op::regex;
      test.pattern = std::move(pattern);
    } else if (kind == "gt" || kind == "gte" || kind == "lt" || kind == "lte") {
      test.op = kind == "gt" ? Op::greater : kind == "gte" ? Op::greater_or_equal : kind == "lt" ? Op::less
                                                                                                 : Op::less_or_equal;
      auto operand = number(value);
      if (!operand) return std::nullopt;
      test.operands.push_back(std::move(*operand));
    } else {  // prefix, suffix, contains
      test.op = kind == "prefix" ? Op::prefix : kind == "suffix" ? Op::suffix : Op::contains;
      auto operand = comparable(value, /*null_allowed=*/false);
      if (!operand) return std::nullopt;
      test.operands.push_back(std::move(*operand));
    }
    if (!counted(item)) return std::nullopt;
    return test;
  }

  // ---- operands ----------------------------------------------------------------------------

  // A scalar's text; maps and lists are errors.
  std::optional<std::string> scalar_text(const Value& value) {
    if (value.is_map() || value.is_list()) {
      value.error("expected a value, got " + std::string(value.kind()));
      return std::nullopt;
    }
    return value.text();
  }

  // A value to compare with: its text, and its number when it is one (100 then equals 100.0).
  // YAML's null (`field: null`, `field: ~`) stands for JSON's null.
  std::optional<Operand> comparable(const Value& value, bool null_allowed = true) {
    if (null_allowed && value.is_null()) return Operand{"null", std::nullopt};
    auto text = scalar_text(value);
    if (!text) return std::nullopt;
    Operand out{std::move(*text), std::nullopt};
    out.number = filter::parse_number(out.text);
    return out;
  }

  std::optional<Operand> number(const Value& value) {
    auto text = scalar_text(value);
    if (!text) return std::nullopt;
    const auto parsed = filter::parse_number(*text);
    if (!parsed) {
      value.error("expected a number, got '" + *text + "'");
      return std::nullopt;
    }
    return Operand{std::move(*text), parsed};
  }

  std::optional<std::vector<Operand>> operand_list(const Value& value) {
    if (!value.is_list()) {
      value.error("expected a list of values, got " + std::string(value.kind()));
      return std::nullopt;
    }
    const auto items = value.items();
    if (items.empty()) {
      value.error("expected a non-empty list of values");
      return std::nullopt;
    }
    if (items.size() > filter::kMaxValues) {
      value.error("at most " + std::to_string(filter::kMaxValues) + " values");
      return std::nullopt;
    }
    std::vector<Operand> out;
    bool ok = true;
    for (const auto& item : items) {
      auto operand = comparable(item);
      if (!operand) {
        ok = false;
        continue;
      }
      out.push_back(std::move(*operand));
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::optional<filter::Regex> regex(const Value& value) {
    auto text = scalar_text(value);
    if (!text) return std::nullopt;
    std::string error;
    auto compiled = filter::Regex::compile(*text, error);
    if (!compiled) value.error("invalid regular expression '" + *text + "': " + error);
    return compiled;
  }

  // ---- limits ------------------------------------------------------------------------------

  bool too_deep(const Value& value, std::size_t depth) {
    if (depth <= filter::kMaxDepth) return false;
    if (!depth_reported_) {
      value.error("the filter nests deeper than " + std::to_string(filter::kMaxDepth) + " levels");
      depth_reported_ = true;
    }
    return true;
  }

  // One more test; false (reported once) beyond the route's budget.
  bool counted(const Value& value) {
    if (++tests_ <= filter::kMaxConditions) return true;
    if (!count_reported_) {
      value.error("a route's filter has more than " + std::to_string(filter::kMaxConditions) + " conditions");
      count_reported_ = true;
    }
    return false;
  }

  std::size_t tests_ = 0;
  bool depth_reported_ = false;
  bool count_reported_ = false;
};

}  // namespace

filter::Filter parse_filter(const Value& value) {
  FilterParser parser;
  return filter::Filter(parser.filter(value, /*depth=*/1));
}

}  // namespace hookgate::config::detail
