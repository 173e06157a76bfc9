// Filter evaluation: each test gathers the values its field has in this event, then applies
// its operator to them. A field may have several values (a repeated header or query
// parameter, the elements of a JSON array): the test holds when one of them passes.
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "filter/filter.h"
#include "filter/glob.h"
#include "verify/ascii.h"
#include "verify/json_body.h"

namespace hookgate::filter {
namespace {

// One scalar the field holds. Strings unescaped; numbers, true, false and null as written.
struct Candidate {
  enum class Kind : uint8_t { string, number, literal };
  std::string text;
  Kind kind = Kind::string;
};

struct Found {
  bool exists = false;
  bool is_array = false;  // `values` are the scalar elements of a JSON array
  std::vector<Candidate> values;
};

// A scalar JSON value as a Candidate; nullopt for objects, arrays and errors.
std::optional<Candidate> scalar_of(simdjson::ondemand::value& value, verify::JsonBody& body) {
  simdjson::ondemand::json_type type{};  // get() sets it; initialised so that -O1 sees it set
  if (body.failed(value.type().get(type))) return std::nullopt;
  switch (type) {
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      if (body.failed(value.get_string().get(text))) return std::nullopt;
      return Candidate{std::string(text), Candidate::Kind::string};
    }
    case simdjson::ondemand::json_type::number:
      return Candidate{std::string(verify::trim_json_token(value.raw_json_token())), Candidate::Kind::number};
    case simdjson::ondemand::json_type::boolean:
    case simdjson::ondemand::json_type::null:
      return Candidate{std::string(verify::trim_json_token(value.raw_json_token())), Candidate::Kind::literal};
    default:
      return std::nullopt;
  }
}

Found find_in_body(verify::JsonBody& body, const std::string& pointer) {
  Found found;
  simdjson::ondemand::value value;
  if (!body.value_at(pointer, value)) return found;  // not JSON, or nothing there
  found.exists = true;
  simdjson::ondemand::json_type type{};  // get() sets it; initialised so that -O1 sees it set
  if (body.failed(value.type().get(type))) return found;
  if (type == simdjson::ondemand::json_type::array) {
    found.is_array = true;
    simdjson::ondemand::array array;
    if (body.failed(value.get_array().get(array))) return found;
    for (auto element_result : array) {
      simdjson::ondemand::value element;
      if (body.failed(element_result.get(element))) break;
      if (auto scalar = scalar_of(element, body)) found.values.push_back(std::move(*scalar));
    }
    return found;
  }
  if (auto scalar = scalar_of(value, body)) found.values.push_back(std::move(*scalar));
  return found;
}

Found find(const Test& test, Input& input) {
  Found found;
  switch (test.field) {
    case Field::event_type:
      found.exists = true;
      found.values.push_back({std::string(input.event_type()), Candidate::Kind::string});
      break;
    case Field::header:
      for (const verify::HeaderView& header : input.headers()) {
        if (!verify::ascii_iequals(header.name, test.key)) continue;
        found.exists = true;
        found.values.push_back({std::string(header.value), Candidate::Kind::string});
      }
      break;
    case Field::query:
      for (const QueryParameter& parameter : input.query()) {
        if (parameter.name != test.key) continue;
        found.exists = true;
        found.values.push_back({parameter.value, Candidate::Kind::string});
      }
      break;
    case Field::body:
      found = find_in_body(input.body(), test.key);
      break;
  }
  return found;
}

bool value_equals(const Candidate& value, const Operand& operand) {
  if (value.text == operand.text) return true;
  if (value.kind != Candidate::Kind::number || !operand.number) return false;
  const auto number = parse_number(value.text);
  return number && *number == *operand.number;
}

bool equals(const Test& test, const Found& found) {
  if (test.text_equality && found.is_array) return false;
  return std::any_of(found.values.begin(), found.values.end(), [&](const Candidate& value) {
    return std::any_of(test.operands.begin(), test.operands.end(), [&](const Operand& operand) {
      return test.text_equality ? value.text == operand.text : value_equals(value, operand);
    });
  });
}

// A string holding a number counts as that number: headers and query values are always text.
std::optional<double> number_of(const Candidate& value) {
  if (value.kind == Candidate::Kind::literal) return std::nullopt;
  return parse_number(value.text);
}

bool compares(Op op, double value, double operand) {
  switch (op) {
    case Op::greater: return value > operand;
    case Op::greater_or_equal: return value >= operand;
    case Op::less: return value < operand;
    case Op::less_or_equal: return value <= operand;
    default: return false;
  }
}

bool holds(const Test& test, Input& input) {
  const Found found = find(test, input);
  if (test.op == Op::exists) return found.exists == test.exists;
  if (test.op == Op::not_equals) return !equals(test, found);
  if (!found.exists) return false;
  const auto any_value = [&found](auto&& predicate) {
    return std::any_of(found.values.begin(), found.values.end(), predicate);
  };
  static const Operand kNoOperand;
  const Operand& operand = test.operands.empty() ? kNoOperand : test.operands.front();
  switch (test.op) {
    case Op::glob:
      return std::any_of(test.operands.begin(), test.operands.end(), [&](const Operand& glob) {
        return any_value([&](const Candidate& value) { return glob_match(glob.text, value.text); });
      });
    case Op::equals: return equals(test, found);
    case Op::prefix:
      return any_value([&](const Candidate& value) { return std::string_view(value.text).starts_with(operand.text); });
    case Op::suffix:
      return any_value([&](const Candidate& value) { return std::string_view(value.text).ends_with(operand.text); });
    case Op::contains:
      if (found.is_array) return any_value([&](const Candidate& value) { return value_equals(value, operand); });
      return any_value([&](const Candidate& value) { return value.text.find(operand.text) != std::string::npos; });
    case Op::greater:
    case Op::greater_or_equal:
    case Op::less:
    case Op::less_or_equal:
      if (!operand.number) return false;
      return any_value([&](const Candidate& value) {
        const auto number = number_of(value);
        return number && compares(test.op, *number, *operand.number);
      });
    case Op::regex:
      return test.pattern && any_value([&](const Candidate& value) { return test.pattern->search(value.text); });
    case Op::not_equals:
    case Op::exists:
      break;  // answered above
  }
  return false;
}

bool evaluate(const Node& node, Input& input) {
  switch (node.kind) {
    case Node::Kind::all:
      return std::all_of(node.children.begin(), node.children.end(), [&](const Node& c) { return evaluate(c, input); });
    case Node::Kind::any:
      return std::any_of(node.children.begin(), node.children.end(), [&](const Node& c) { return evaluate(c, input); });
    case Node::Kind::negate:
      return !node.children.empty() && !evaluate(node.children.front(), input);
    case Node::Kind::test:
      return holds(node.test, input);
  }
  return false;
}

}  // namespace

const std::vector<QueryParameter>& Input::query() {
  if (!decoded_query_) decoded_query_ = parse_query(query_);
  return *decoded_query_;
}

bool Filter::matches(Input& input) const { return evaluate(root_, input); }

std::optional<double> parse_number(std::string_view text) {
  // JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, which from_chars alone
  // would widen (leading '+', "1.", hex, inf and nan).
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return std::nullopt;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return std::nullopt;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string pointer_segment(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace hookgate::filter
