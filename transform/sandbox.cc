#include "transform/sandbox.h"

#include <cstdlib>

#include <lua.hpp>  // Debian's C++ build of Lua: errors unwind C++ frames as exceptions

namespace hookgate::transform {
namespace {

// The hook runs every kStride instructions: often enough that a cap is overshot by at most
// that many, rarely enough to cost little (about 1% on a tight loop).
constexpr int kStride = 1000;

Sandbox* owner(lua_State* state) {
  void* self = nullptr;
  (void)lua_getallocf(state, &self);
  return static_cast<Sandbox*>(self);
}

// Opens `name` as `open` would through require, without the package library.
void open_library(lua_State* state, const char* name, lua_CFunction open) {
  luaL_requiref(state, name, open, 1);
  lua_pop(state, 1);
}

void remove_field(lua_State* state, const char* table, const char* field) {
  if (lua_getglobal(state, table) == LUA_TTABLE) {
    lua_pushnil(state);
    lua_setfield(state, -2, field);
  }
  lua_pop(state, 1);
}

}  // namespace

Sandbox::Sandbox(const Limits& limits, MonotonicNow now)
    : limits_(limits), now_(std::move(now)), deadline_(now_() + limits.wall), stride_(kStride) {
  state_ = lua_newstate(&Sandbox::allocate, this);
  if (state_ == nullptr) return;
  open_library(state_, LUA_GNAME, luaopen_base);
  open_library(state_, LUA_STRLIBNAME, luaopen_string);
  open_library(state_, LUA_TABLIBNAME, luaopen_table);
  open_library(state_, LUA_MATHLIBNAME, luaopen_math);
  open_library(state_, LUA_UTF8LIBNAME, luaopen_utf8);
  open_library(state_, LUA_COLIBNAME, luaopen_coroutine);
  // The base library's ways to run other code or reach the process.
  for (const char* name : {"dofile", "loadfile", "load", "print", "collectgarbage"}) {
    lua_pushnil(state_);
    lua_setglobal(state_, name);
  }
  remove_field(state_, LUA_STRLIBNAME, "dump");  // bytecode out, and with it bytecode in
  lua_sethook(state_, &Sandbox::on_count, LUA_MASKCOUNT, stride_);
}

Sandbox::~Sandbox() {
  if (state_ != nullptr) lua_close(state_);
}

std::string Sandbox::breach_message() const {
  switch (breach_) {
    case Breach::instructions: return "instruction limit (" + std::to_string(limits_.instructions) + ")";
    case Breach::memory: return "memory limit (" + std::to_string(limits_.memory_bytes) + " bytes)";
    case Breach::wall: return "time limit (" + std::to_string(limits_.wall.count()) + " ms)";
    case Breach::none: break;
  }
  return {};
}

void* Sandbox::allocate(void* self, void* block, size_t old_size, size_t new_size) {
  auto& sandbox = *static_cast<Sandbox*>(self);
  if (block == nullptr) old_size = 0;  // then old_size is the new object's type, not a size
  if (new_size == 0) {
    std::free(block);
    sandbox.allocated_ -= old_size;
    return nullptr;
  }
  if (new_size > old_size && new_size - old_size > sandbox.limits_.memory_bytes - sandbox.allocated_) {
    sandbox.breach_ = Breach::memory;
    return nullptr;  // Lua raises a memory error
  }
  void* grown = std::realloc(block, new_size);
  if (grown != nullptr) sandbox.allocated_ = sandbox.allocated_ - old_size + new_size;
  return grown;
}

void Sandbox::on_count(lua_State* state, lua_Debug*) {
  Sandbox& sandbox = *owner(state);
  sandbox.executed_ += static_cast<uint64_t>(sandbox.stride_);
  if (sandbox.breach_ == Breach::none) {
    if (sandbox.executed_ > sandbox.limits_.instructions) {
      sandbox.breach_ = Breach::instructions;
    } else if (sandbox.now_() > sandbox.deadline_) {
      sandbox.breach_ = Breach::wall;
    } else {
      return;
    }
  }
  // A cap was broken (a refused allocation included): from now on every instruction raises, so
  // a script that catches the error with pcall cannot carry on past its pcall.
  if (sandbox.stride_ != 1) {
    sandbox.stride_ = 1;
    lua_sethook(state, &Sandbox::on_count, LUA_MASKCOUNT, 1);
  }
  luaL_error(state, "%s", sandbox.breach_message().c_str());
}

}  // namespace hookgate::transform
