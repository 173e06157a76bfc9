#include "verify/json_edit.h"

#include <simdjson.h>

#include <algorithm>

#include "verify/json_text.h"

namespace hookgate::verify {
namespace {

namespace od = simdjson::ondemand;

struct Edit {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string text;
};

std::string_view trim_right_space(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// `"k1":{"k2":…{"kn":value}}` for path k1..kn.
std::string nested_member(std::span<const std::string_view> path, std::string_view value) {
  std::string text = json_quote(path[0]) + ":";
  if (path.size() == 1) return text.append(value);
  return text.append("{").append(nested_member(path.subspan(1), value)).append("}");
}

// The exact text of `value` (consumes it).
bool value_span(od::value value, std::string_view& span) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  if (type == od::json_type::object) {
    od::object object;
    return value.get_object().get(object) == simdjson::SUCCESS &&
           object.raw_json().get(span) == simdjson::SUCCESS;
  }
  if (type == od::json_type::array) {
    od::array array;
    return value.get_array().get(array) == simdjson::SUCCESS &&
           array.raw_json().get(span) == simdjson::SUCCESS;
  }
  span = trim_right_space(value.raw_json_token());
  return true;
}

bool set_in_object(od::value object_value, const char* base, std::span<const std::string_view> path,
                   std::string_view json, std::vector<Edit>& edits) {
  const std::string_view open = object_value.raw_json_token();
  if (open.empty() || open.front() != '{') return false;
  od::object object;
  if (object_value.get_object().get(object) != simdjson::SUCCESS) return false;
  bool found = false;
  bool empty = true;
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
    empty = false;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    if (found || key != path[0]) continue;  // the iteration skips the unread value
    found = true;
    od::value member = field.value();
    if (path.size() > 1) {
      if (!set_in_object(member, base, path.subspan(1), json, edits)) return false;
      continue;
    }
    std::string_view span;
    if (!value_span(member, span)) return false;
    edits.push_back(Edit{static_cast<std::size_t>(span.data() - base), span.size(), std::string(json)});
  }
  if (!found) {
    std::string text = nested_member(path, json);
    if (!empty) text.push_back(',');
    edits.push_back(Edit{static_cast<std::size_t>(open.data() - base) + 1, 0, std::move(text)});
  }
  return true;
}

// Descends from `value` through the objects under `inner`, then sets `path` there.
bool set_in(od::value value, const char* base, std::span<const std::string_view> inner,
            std::span<const std::string_view> path, std::string_view json, std::vector<Edit>& edits) {
  if (inner.empty()) return set_in_object(value, base, path, json, edits);
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return false;
  od::value next;
  if (object.find_field_unordered(inner[0]).get(next) != simdjson::SUCCESS) return false;
  return set_in(next, base, inner.subspan(1), path, json, edits);
}

}  // namespace

std::optional<std::string> set_json_member(std::string_view body, std::string_view where,
                                           std::span<const std::string_view> inner,
                                           std::span<const std::string_view> path,
                                           std::span<const std::string> values) {
  if (path.empty() || values.empty()) return std::nullopt;
  const simdjson::padded_string input(body);
  od::parser parser;
  od::document doc;
  if (parser.iterate(input).get(doc) != simdjson::SUCCESS) return std::nullopt;
  const char* base = input.data();
  std::vector<Edit> edits;

  od::value target;
  if (doc.at_pointer(where).get(target) != simdjson::SUCCESS) return std::nullopt;
  if (where.empty()) {
    if (!set_in(target, base, inner, path, values[0], edits)) return std::nullopt;
  } else {
    od::array array;
    if (target.get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
    std::size_t index = 0;
    for (auto element_result : array) {
      od::value element;
      if (std::move(element_result).get(element) != simdjson::SUCCESS) return std::nullopt;
      const std::string& value = values[std::min(index, values.size() - 1)];
      if (!set_in(element, base, inner, path, value, edits)) return std::nullopt;
      ++index;
    }
  }

  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.offset > b.offset; });
  std::string out(body);
  for (const Edit& edit : edits) out.replace(edit.offset, edit.length, edit.text);
  return out;
}

}  // namespace hookgate::verify
