#include "transform/script.h"

#include <algorithm>
#include <cctype>
#include <lua.hpp>
#include <map>

#include "transform/lua_json.h"
#include "verify/http_fields.h"

namespace hookgate::transform {
namespace {

bool is_field_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7f;
  });
}

// Visible ASCII without the characters that would end or split a request target.
bool is_target_part(std::string_view text, std::string_view refused) {
  return std::all_of(text.begin(), text.end(), [refused](char c) {
    return c > 0x20 && c < 0x7f && refused.find(c) == std::string_view::npos;
  });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

int write_chunk(lua_State*, const void* data, size_t size, void* out) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return 0;
}

void set_string(lua_State* state, const char* field, std::string_view value) {
  lua_pushlstring(state, value.data(), value.size());
  lua_setfield(state, -2, field);
}

int event_json(lua_State* state) {
  lua_pushvalue(state, lua_upvalueindex(1));  // json.decode as it was when the run began
  lua_pushvalue(state, lua_upvalueindex(2));  // the body
  lua_call(state, 1, 1);
  return 1;
}

void push_event(lua_State* state, const Delivery& input) {
  lua_createtable(state, 0, 8);
  set_string(state, "source", input.source);
  set_string(state, "type", input.type);
  set_string(state, "id", input.id);
  set_string(state, "body", input.body);
  set_string(state, "path", input.path);
  set_string(state, "query", input.query);
  std::map<std::string, std::string> joined;
  for (const auto& [name, value] : input.headers) {
    std::string& slot = joined[lower(name)];
    slot += slot.empty() ? value : ", " + value;
  }
  lua_createtable(state, 0, static_cast<int>(joined.size()));
  for (const auto& [name, value] : joined) set_string(state, name.c_str(), value);
  lua_setfield(state, -2, "headers");
  lua_getglobal(state, "json");
  lua_getfield(state, -1, "decode");
  lua_remove(state, -2);
  lua_pushlstring(state, input.body.data(), input.body.size());
  lua_pushcclosure(state, event_json, 2);
  lua_setfield(state, -2, "json");
}

// Reads field `name` of the table on top as a string into `out`; absent leaves `out` as it is.
bool read_string(lua_State* state, const char* name, std::string& out, std::string& error) {
  const int type = lua_getfield(state, -1, name);
  bool ok = true;
  if (type == LUA_TSTRING) {
    size_t size = 0;
    const char* text = lua_tolstring(state, -1, &size);
    out.assign(text, size);
  } else if (type != LUA_TNIL) {
    error = std::string("transform: event.") + name + " must be a string, not a " + lua_typename(state, type) +
            (std::string_view(name) == "body" ? " (json.encode makes one from a table)" : "");
    ok = false;
  }
  lua_pop(state, 1);
  return ok;
}

// The returned event's headers, in the input's order for names kept, then new names sorted.
bool read_headers(lua_State* state, const Delivery& input, Headers& out, std::string& error) {
  const int type = lua_getfield(state, -1, "headers");
  if (type == LUA_TNIL) {
    lua_pop(state, 1);
    out = input.headers;
    return true;
  }
  if (type != LUA_TTABLE) {
    error = std::string("transform: event.headers must be a table, not a ") + lua_typename(state, type);
    lua_pop(state, 1);
    return false;
  }
  std::map<std::string, std::string> fields;
  lua_pushnil(state);
  while (lua_next(state, -2) != 0) {
    if (lua_type(state, -2) != LUA_TSTRING || lua_type(state, -1) != LUA_TSTRING) {
      error = "transform: event.headers must map names to strings";
      lua_pop(state, 3);
      return false;
    }
    size_t size = 0;
    const char* text = lua_tolstring(state, -2, &size);
    std::string name = lower(std::string_view(text, size));
    text = lua_tolstring(state, -1, &size);
    std::string value(text, size);
    lua_pop(state, 1);
    if (!verify::is_field_name(name)) {
      error = "transform: header name " + name.substr(0, 64) + " is not a token";
    } else if (!is_field_value(value)) {
      error = "transform: header " + name + " holds a control character";
    } else if (verify::is_reserved_outbound_field(name)) {
      error = "transform: header " + name + " is hookgate's own and cannot be set";
    }
    if (!error.empty()) {
      lua_pop(state, 2);
      return false;
    }
    fields[std::move(name)] = std::move(value);
  }
  lua_pop(state, 1);
  out.clear();
  for (const auto& [name, value] : input.headers) {
    const auto it = fields.find(lower(name));
    if (it == fields.end()) continue;
    out.emplace_back(name, std::move(it->second));
    fields.erase(it);
  }
  for (auto& [name, value] : fields) out.emplace_back(name, std::move(value));
  return true;
}

Result failed(std::string message, Breach breach = Breach::none) {
  Result result;
  result.outcome = Result::Outcome::failed;
  result.message = std::move(message);
  result.breach = breach;
  return result;
}

// Loads `chunk` and runs its top level in `sandbox`; then the global transform must be a
// function. `bytecode`, when given, receives the loaded chunk's dump (before it runs).
bool run_top_level(Sandbox& sandbox, std::string_view chunk, const char* mode, const std::string& path,
                   size_t max_text, std::string& error, std::string* bytecode = nullptr) {
  lua_State* state = sandbox.state();
  open_json(state, max_text);
  const std::string name = "@" + path;
  if (luaL_loadbufferx(state, chunk.data(), chunk.size(), name.c_str(), mode) != LUA_OK) {
    error = luaL_tolstring(state, -1, nullptr);
    return false;
  }
  if (bytecode != nullptr && lua_dump(state, write_chunk, bytecode, /*strip=*/0) != 0) {
    error = path + ": cannot be compiled";
    return false;
  }
  if (lua_pcall(state, 0, 0, 0) != LUA_OK) {
    error = sandbox.breach() != Breach::none ? sandbox.breach_message() : luaL_tolstring(state, -1, nullptr);
    return false;
  }
  if (lua_getglobal(state, "transform") != LUA_TFUNCTION) {
    error = path + ": defines no function transform(event)";
    return false;
  }
  return true;
}

}  // namespace

std::shared_ptr<const Script> Script::compile(const std::string& path, std::string_view source, const Limits& limits,
                                              std::string& error) {
  Sandbox sandbox(limits, [] { return std::chrono::steady_clock::now(); });
  std::string bytecode;
  // Text only: a precompiled chunk could break the VM's invariants. Each run loads the dump.
  if (!sandbox.ok() || !run_top_level(sandbox, source, "t", path, limits.memory_bytes, error, &bytecode)) {
    if (sandbox.breach() != Breach::none) error = path + ": top level: " + sandbox.breach_message();
    return nullptr;
  }
  return std::shared_ptr<const Script>(new Script(path, std::move(bytecode), limits));
}

Result Script::run(Delivery input, const MonotonicNow& now) const {
  Sandbox sandbox(limits_, now);
  if (!sandbox.ok()) return failed("transform: " + sandbox.breach_message(), Breach::memory);
  std::string error;
  if (!run_top_level(sandbox, bytecode_, "b", path_, limits_.memory_bytes, error)) {
    return failed("transform: " + error, sandbox.breach());
  }
  lua_State* state = sandbox.state();
  push_event(state, input);
  const int status = lua_pcall(state, 1, 2, 0);
  if (sandbox.breach() != Breach::none) return failed("transform: " + sandbox.breach_message(), sandbox.breach());
  if (status != LUA_OK) return failed(std::string("transform: ") + luaL_tolstring(state, -1, nullptr));

  Result result;
  if (lua_isnil(state, -2)) {
    result.outcome = Result::Outcome::skip;
    result.message = lua_type(state, -1) == LUA_TSTRING ? lua_tostring(state, -1) : "the script returned nil";
    return result;
  }
  lua_pop(state, 1);
  if (!lua_istable(state, -1)) {
    return failed(std::string("transform: transform() must return the event (a table) or nil, not a ") +
                  luaL_typename(state, -1));
  }
  // Fields the returned table lacks keep the input's values.
  Delivery& out = result.delivery;
  out.source = std::move(input.source);
  out.id = std::move(input.id);
  out.type = std::move(input.type);
  out.body = std::move(input.body);
  out.path = std::move(input.path);
  out.query = std::move(input.query);
  if (!read_string(state, "type", out.type, error) || !read_string(state, "body", out.body, error) ||
      !read_string(state, "path", out.path, error) || !read_string(state, "query", out.query, error) ||
      !read_headers(state, input, out.headers, error)) {
    return failed(error);
  }
  if (out.path.empty() || out.path.front() != '/' || !is_target_part(out.path, "?#")) {
    return failed("transform: event.path must start with '/' and hold visible ASCII without '?' or '#'");
  }
  if (!is_target_part(out.query, "#")) return failed("transform: event.query must hold visible ASCII without '#'");
  result.outcome = Result::Outcome::deliver;
  return result;
}

}  // namespace hookgate::transform
