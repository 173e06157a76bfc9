#include "transform/lua_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <simdjson.h>
#include <string>

#include <lua.hpp>

#include "verify/json_text.h"

namespace hookgate::transform {
namespace {

// Deeper than any webhook body; bounds the C stack of encode and catches a table that holds
// itself.
constexpr int kMaxDepth = 128;

// The address of this byte is `json.null`'s identity.
const char kNull = 0;

bool is_null(lua_State* state, int index) {
  return lua_islightuserdata(state, index) && lua_touserdata(state, index) == &kNull;
}

void push_element(lua_State* state, simdjson::dom::element element, int depth) {
  if (depth > kMaxDepth) luaL_error(state, "json.decode: nesting deeper than %d", kMaxDepth);
  luaL_checkstack(state, 3, "json.decode");
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      const simdjson::dom::object object = element.get_object().value_unsafe();
      lua_createtable(state, 0, static_cast<int>(object.size()));
      for (const auto field : object) {
        lua_pushlstring(state, field.key.data(), field.key.size());
        push_element(state, field.value, depth + 1);
        lua_rawset(state, -3);
      }
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      const simdjson::dom::array array = element.get_array().value_unsafe();
      lua_createtable(state, static_cast<int>(array.size()), 0);
      lua_Integer index = 1;
      for (const auto item : array) {
        push_element(state, item, depth + 1);
        lua_rawseti(state, -2, index++);
      }
      return;
    }
    case simdjson::dom::element_type::STRING: {
      const std::string_view text = element.get_string().value_unsafe();
      lua_pushlstring(state, text.data(), text.size());
      return;
    }
    case simdjson::dom::element_type::INT64: lua_pushinteger(state, element.get_int64().value_unsafe()); return;
    case simdjson::dom::element_type::UINT64:
      lua_pushnumber(state, static_cast<lua_Number>(element.get_uint64().value_unsafe()));
      return;
    case simdjson::dom::element_type::DOUBLE: lua_pushnumber(state, element.get_double().value_unsafe()); return;
    case simdjson::dom::element_type::BOOL: lua_pushboolean(state, element.get_bool().value_unsafe()); return;
    case simdjson::dom::element_type::NULL_VALUE: lua_pushlightuserdata(state, const_cast<char*>(&kNull)); return;
  }
}

int decode(lua_State* state) {
  size_t size = 0;
  const char* text = luaL_checklstring(state, 1, &size);
  // One parser per thread, kept: its buffers are reused instead of allocated per call.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(simdjson::padded_string(text, size)).get(root); error) {
    return luaL_error(state, "json.decode: %s", simdjson::error_message(error));
  }
  push_element(state, root, 0);
  return 1;
}

// The table at `index` as an array: its length when its keys are exactly 1..n with n > 0.
lua_Integer array_length(lua_State* state, int index) {
  const lua_Integer length = static_cast<lua_Integer>(lua_rawlen(state, index));
  if (length == 0) return 0;
  lua_Integer keys = 0;
  lua_pushnil(state);
  while (lua_next(state, index) != 0) {
    lua_pop(state, 1);
    if (!lua_isinteger(state, -1)) {
      lua_pop(state, 1);
      return 0;
    }
    ++keys;
  }
  return keys == length ? length : 0;
}

// The text written so far, held to `max_size`: a table can name one big string many times.
struct Text {
  std::string out;
  size_t max_size = 0;
};

void append(lua_State* state, Text& text, std::string_view part) {
  if (part.size() > text.max_size - text.out.size()) {
    luaL_error(state, "json.encode: the text would pass %d bytes", static_cast<int>(text.max_size));
  }
  text.out += part;
}

void encode_value(lua_State* state, int index, Text& text, int depth);

void encode_table(lua_State* state, int index, Text& text, int depth) {
  if (depth > kMaxDepth) luaL_error(state, "json.encode: nesting deeper than %d (a table that holds itself?)", kMaxDepth);
  luaL_checkstack(state, 4, "json.encode");
  if (const lua_Integer length = array_length(state, index); length > 0) {
    append(state, text, "[");
    for (lua_Integer i = 1; i <= length; ++i) {
      if (i > 1) append(state, text, ",");
      lua_rawgeti(state, index, i);
      encode_value(state, lua_gettop(state), text, depth + 1);
      lua_pop(state, 1);
    }
    append(state, text, "]");
    return;
  }
  append(state, text, "{");
  bool first = true;
  lua_pushnil(state);
  while (lua_next(state, index) != 0) {
    if (lua_type(state, -2) != LUA_TSTRING) luaL_error(state, "json.encode: an object key is not a string");
    if (!first) append(state, text, ",");
    first = false;
    size_t size = 0;
    const char* key = lua_tolstring(state, -2, &size);
    append(state, text, verify::json_quote(std::string_view(key, size)));
    append(state, text, ":");
    encode_value(state, lua_gettop(state), text, depth + 1);
    lua_pop(state, 1);
  }
  append(state, text, "}");
}

void encode_value(lua_State* state, int index, Text& text, int depth) {
  switch (lua_type(state, index)) {
    case LUA_TNIL: append(state, text, "null"); return;
    case LUA_TBOOLEAN: append(state, text, lua_toboolean(state, index) ? "true" : "false"); return;
    case LUA_TNUMBER: {
      if (lua_isinteger(state, index)) {
        append(state, text, std::to_string(lua_tointeger(state, index)));
        return;
      }
      const lua_Number number = lua_tonumber(state, index);
      if (!std::isfinite(number)) luaL_error(state, "json.encode: %f is not a JSON number", number);
      // The shortest text that reads back as the same double, and always as a float ("1.0",
      // not "1"), so that decode(encode(x)) keeps integers and floats apart.
      char digits[32];
      const auto [end, ec] = std::to_chars(digits, digits + sizeof digits - 2, number);
      std::string_view written(digits, static_cast<size_t>(end - digits));
      std::string part(written);
      if (written.find_first_of(".e") == std::string_view::npos) part += ".0";
      append(state, text, part);
      return;
    }
    case LUA_TSTRING: {
      size_t size = 0;
      const char* chars = lua_tolstring(state, index, &size);
      append(state, text, verify::json_quote(std::string_view(chars, size)));
      return;
    }
    case LUA_TTABLE: encode_table(state, index, text, depth); return;
    default:
      if (is_null(state, index)) {
        append(state, text, "null");
        return;
      }
      luaL_error(state, "json.encode: a %s has no JSON form", luaL_typename(state, index));
  }
}

int encode(lua_State* state) {
  luaL_checkany(state, 1);
  Text text;
  text.max_size = static_cast<size_t>(lua_tointeger(state, lua_upvalueindex(1)));
  encode_value(state, 1, text, 0);
  lua_pushlstring(state, text.out.data(), text.out.size());
  return 1;
}

}  // namespace

void open_json(lua_State* state, size_t max_text) {
  lua_createtable(state, 0, 3);
  lua_pushcfunction(state, decode);
  lua_setfield(state, -2, "decode");
  lua_pushinteger(state, static_cast<lua_Integer>(max_text));
  lua_pushcclosure(state, encode, 1);
  lua_setfield(state, -2, "encode");
  lua_pushlightuserdata(state, const_cast<char*>(&kNull));
  lua_setfield(state, -2, "null");
  lua_setglobal(state, "json");
}

}  // namespace hookgate::transform
