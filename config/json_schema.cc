// Walks the key tables and writes what each shape accepts in JSON Schema terms. YAML scalars
// arrive at a schema validator typed by YAML 1.2 (15 is a number, 15s a string, true a
// boolean), while hookgate reads every scalar as text: so numbers-with-units accept both a
// JSON integer and a string of the grammar, and every pattern also admits ${NAME}, whose value
// only hookgate can check.
#include "config/json_schema.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "config/keys.h"

namespace hookgate::config {
namespace {

using keys::Field;
using keys::Map;
using keys::Scalar;
using keys::Shape;

// A JSON value small enough for a schema: objects keep insertion order.
struct Json {
  enum class Kind { raw, string, array, object };
  Kind kind = Kind::raw;
  std::string text;  // raw: the literal as written; string: the unescaped text
  std::vector<Json> items;
  // Object members as two parallel lists: std::pair<std::string, Json> would need Json complete
  // here, which libc++-style strictness (clang) refuses; std::vector of an incomplete type is fine.
  std::vector<std::string> member_keys;
  std::vector<Json> member_values;

  static Json raw(std::string literal) { return Json{Kind::raw, std::move(literal), {}, {}, {}}; }
  static Json number(uint64_t n) { return raw(std::to_string(n)); }
  static Json string(std::string_view s) { return Json{Kind::string, std::string(s), {}, {}, {}}; }
  static Json array() { return Json{Kind::array, {}, {}, {}, {}}; }
  static Json object() { return Json{Kind::object, {}, {}, {}, {}}; }
  static Json strings(std::initializer_list<std::string_view> values) {
    Json out = array();
    for (auto v : values) out.items.push_back(string(v));
    return out;
  }

  Json& set(std::string key, Json value) {
    member_keys.push_back(std::move(key));
    member_values.push_back(std::move(value));
    return *this;
  }
};

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// Arrays of scalars stay on one line (enums, types, required lists): the file reads better.
void write(std::string& out, const Json& value, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  switch (value.kind) {
    case Json::Kind::raw: out += value.text; return;
    case Json::Kind::string: append_string(out, value.text); return;
    case Json::Kind::array: {
      bool flat = true;
      for (const auto& item : value.items) flat = flat && (item.kind == Json::Kind::raw || item.kind == Json::Kind::string);
      out.push_back('[');
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        if (i > 0) out.push_back(',');
        if (flat) {
          if (i > 0) out.push_back(' ');
        } else {
          out += "\n" + pad;
        }
        write(out, value.items[i], indent + 2);
      }
      if (!flat && !value.items.empty()) out += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
      out.push_back(']');
      return;
    }
    case Json::Kind::object: {
      out.push_back('{');
      for (std::size_t i = 0; i < value.member_keys.size(); ++i) {
        if (i > 0) out.push_back(',');
        out += "\n" + pad;
        append_string(out, value.member_keys[i]);
        out += ": ";
        write(out, value.member_values[i], indent + 2);
      }
      if (!value.member_keys.empty()) out += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
      out.push_back('}');
      return;
    }
  }
}

constexpr std::string_view kSubstitution = "\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}";

// `grammar`, or a value holding a ${NAME} substitution.
std::string or_substituted(std::string_view grammar) {
  return "(" + std::string(grammar) + ")|" + std::string(kSubstitution);
}

Json substituted_ref() { return Json::object().set("$ref", Json::string("#/$defs/substituted")); }

// A number with or without a unit: a YAML integer, or a string of `grammar`.
Json number_or_text(uint64_t min, uint64_t max, std::string_view grammar) {
  return Json::object()
      .set("type", Json::strings({"integer", "string"}))
      .set("minimum", Json::number(min))
      .set("maximum", Json::number(max))
      .set("pattern", Json::string(or_substituted(grammar)));
}

Json string_matching(std::string_view grammar, uint32_t min_length = 0) {
  Json out = Json::object().set("type", Json::string("string"));
  if (min_length > 0) out.set("minLength", Json::number(min_length));
  if (!grammar.empty()) out.set("pattern", Json::string(or_substituted(grammar)));
  return out;
}

Json scalar_schema(const Shape& shape) {
  switch (shape.scalar) {
    case Scalar::none: break;
    case Scalar::text: return string_matching(shape.pattern, shape.min_length);
    case Scalar::secret:
    case Scalar::path: return string_matching({}, 1);
    case Scalar::header_name: return string_matching(keys::kHeaderNamePattern);
    case Scalar::url: return string_matching("^[Hh][Tt][Tt][Pp][Ss]?://");
    case Scalar::address: return string_matching("^(\\[[0-9A-Fa-f:.]+\\]|[0-9.]+):[0-9]{1,5}$");
    case Scalar::integer: return number_or_text(shape.min, shape.max, "^[0-9]+$");
    case Scalar::size: return number_or_text(shape.min, shape.max, "^[0-9]+ ?(B|K|KiB|M|MiB|G|GiB)?$");
    case Scalar::duration:
      // A bare number is seconds.
      return number_or_text((shape.min + 999) / 1000, shape.max / 1000, "^[0-9]+ ?(ms|s|m|h|d)?$");
    case Scalar::percent: return number_or_text(0, 100, "^[0-9]+ ?%?$");
    case Scalar::rate_limit: return string_matching("^[0-9]+ ?/ ?(s|m|h)$");
    case Scalar::value: return Json::object().set("type", Json::strings({"string", "number", "boolean", "null"}));
    case Scalar::boolean:
      return Json::object()
          .set("type", Json::strings({"boolean", "string"}))
          .set("pattern", Json::string(or_substituted("^(true|false)$")));
    case Scalar::choice: {
      Json names = Json::array();
      if (shape.dynamic_choices != nullptr) {
        for (const auto& name : shape.dynamic_choices()) names.items.push_back(Json::string(name));
      } else {
        for (const auto name : shape.choices) names.items.push_back(Json::string(name));
      }
      Json forms = Json::array();
      forms.items.push_back(Json::object().set("enum", std::move(names)));
      forms.items.push_back(substituted_ref());
      return Json::object().set("anyOf", std::move(forms));
    }
  }
  return Json::object();
}

class SchemaWriter {
 public:
  // `expand`: write a titled shape out rather than refer to its definition.
  Json shape_schema(const Shape& shape, bool expand = false) {
    if (!shape.title.empty() && !expand) {
      return Json::object().set("$ref", Json::string("#/$defs/" + define(shape.title, Definition{nullptr, &shape})));
    }
    std::vector<Json> forms;
    if (shape.scalar != Scalar::none) forms.push_back(scalar_schema(shape));
    if (shape.map != nullptr) forms.push_back(Json::object().set("$ref", Json::string("#/$defs/" + define(*shape.map))));
    if (shape.list != nullptr) {
      Json list = Json::object().set("type", Json::string("array")).set("items", shape_schema(*shape.list));
      if (shape.min_items > 0) list.set("minItems", Json::number(shape.min_items));
      if (shape.max_items > 0) list.set("maxItems", Json::number(shape.max_items));
      forms.push_back(std::move(list));
    }
    if (shape.named != nullptr) {
      forms.push_back(Json::object()
                          .set("type", Json::string("object"))
                          .set("propertyNames", Json::object().set("pattern", Json::string(shape.key_pattern)))
                          .set("additionalProperties", shape_schema(*shape.named)));
    }
    if (forms.size() == 1) return std::move(forms.front());
    Json any = Json::array();
    any.items = std::move(forms);
    return Json::object().set("anyOf", std::move(any));
  }

  Json map_schema(const Map& map) {
    Json properties = Json::object();
    Json required = Json::array();
    for (const Field& field : map.fields) {
      Json property = shape_schema(field.shape);
      property.set("description", Json::string(field.description));
      if (!field.fallback.empty()) property.set("default", Json::raw(std::string(field.fallback)));
      properties.set(std::string(field.name), std::move(property));
      if (field.required) required.items.push_back(Json::string(field.name));
    }
    Json out = Json::object().set("type", Json::string("object")).set("description", Json::string(map.description));
    out.set("properties", std::move(properties));
    if (!required.items.empty()) out.set("required", std::move(required));
    out.set("additionalProperties", Json::raw("false"));
    if (!map.exactly_one_of.empty()) {
      Json one_of = Json::array();
      for (const auto name : map.exactly_one_of) {
        one_of.items.push_back(Json::object().set("required", Json::strings({name})));
      }
      out.set("oneOf", std::move(one_of));
    }
    return out;
  }

  // The $defs entries, in the order the tables first name them.
  Json definitions() {
    Json defs = Json::object();
    defs.set("substituted",
             Json::object()
                 .set("type", Json::string("string"))
                 .set("pattern", Json::string(kSubstitution))
                 .set("description", Json::string("${NAME}: an environment variable's value, checked when hookgate loads the file.")));
    // Defining a map may name more maps: keep going until none is new.
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const auto [title, definition] = pending_[i];
      Json schema = definition.map != nullptr ? map_schema(*definition.map) : shape_schema(*definition.shape, true);
      defs.set(std::string(title), std::move(schema));
    }
    return defs;
  }

 private:
  // A $defs entry: a map's table, or a titled shape.
  struct Definition {
    const Map* map = nullptr;
    const Shape* shape = nullptr;
    bool operator==(const Definition&) const = default;
  };

  std::string define(const Map& map) { return define(map.title, Definition{&map, nullptr}); }
  std::string define(std::string_view title, Definition definition) {
    const auto [it, inserted] = titles_.emplace(title, definition);
    if (inserted) {
      pending_.emplace_back(title, definition);
    } else if (!(it->second == definition)) {
      std::fprintf(stderr, "hookgate: internal error: two key tables are titled '%.*s'\n",
                   static_cast<int>(title.size()), title.data());
      std::abort();
    }
    return std::string(title);
  }

  std::map<std::string_view, Definition> titles_;
  std::vector<std::pair<std::string_view, Definition>> pending_;
};

}  // namespace

std::string config_json_schema() {
  SchemaWriter writer;
  const Map& root = *keys::root().map;
  Json schema = Json::object()
                    .set("$schema", Json::string("https://json-schema.org/draft/2020-12/schema"))
                    .set("title", Json::string("hookgate configuration"));
  Json body = writer.map_schema(root);
  for (std::size_t i = 0; i < body.member_keys.size(); ++i) {
    schema.set(std::move(body.member_keys[i]), std::move(body.member_values[i]));
  }
  schema.set("$defs", writer.definitions());
  std::string out;
  write(out, schema, 0);
  out.push_back('\n');
  return out;
}

}  // namespace hookgate::config
