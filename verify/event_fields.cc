#include "verify/event_fields.h"

#include <simdjson.h>

#include "verify/json_body.h"

namespace hookgate::verify {
namespace {

std::optional<std::string> bounded(std::string_view value) {
  if (value.empty() || value.size() > kMaxFieldBytes) return std::nullopt;
  return std::string(value);
}

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 8259 §6 number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?. simdjson's type() only
// looks at the first character, and get_number() refuses integers beyond 64 bits, which are
// still valid ids: check the literal text instead.
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// The value at `pointer` in the body as text (see extract_field), copied out of the parser.
std::optional<std::string> json_value(JsonBody& body, std::string_view pointer) {
  simdjson::ondemand::value value;
  if (!body.value_at(pointer, value)) return std::nullopt;
  simdjson::ondemand::json_type type;
  if (body.failed(value.type().get(type))) return std::nullopt;

  switch (type) {
    case simdjson::ondemand::json_type::string: {
      std::string_view text;
      if (body.failed(value.get_string().get(text))) return std::nullopt;
      return bounded(text);
    }
    case simdjson::ondemand::json_type::number: {
      const std::string_view literal = trim_json_token(value.raw_json_token());
      if (!is_json_number(literal)) return std::nullopt;
      return bounded(literal);
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      if (body.failed(value.get_bool().get(b))) return std::nullopt;
      return std::string(b ? "true" : "false");
    }
    case simdjson::ondemand::json_type::null:
    case simdjson::ondemand::json_type::object:
    case simdjson::ondemand::json_type::array:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> json_field(const FieldRef& field, JsonBody& body) {
  std::optional<std::string> result = json_value(body, field.name);
  for (const std::string& pointer : field.more_json) {
    if (!result) break;
    const std::optional<std::string> part = json_value(body, pointer);
    if (!part) return std::nullopt;
    result->append(":").append(*part);
    if (result->size() > kMaxFieldBytes) return std::nullopt;
  }
  return result;
}

}  // namespace

std::optional<std::string> extract_field(const FieldRef& field, const Request& request) {
  switch (field.kind) {
    case FieldRef::Kind::none:
      return std::nullopt;
    case FieldRef::Kind::header: {
      std::optional<std::string_view> value = request.header(field.name);
      if (!value && !field.fallback_header.empty()) value = request.header(field.fallback_header);
      if (!value) return std::nullopt;
      return bounded(*value);
    }
    case FieldRef::Kind::json: {
      if (request.json) return json_field(field, *request.json);
      JsonBody body(request.body, request.body_padded);
      return json_field(field, body);
    }
  }
  return std::nullopt;
}

}  // namespace hookgate::verify
