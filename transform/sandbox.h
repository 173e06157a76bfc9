// A Lua 5.4 state for one run of an operator's script, with nothing that reaches outside it:
// no io, os, package/require, debug, dofile/loadfile/load, string.dump or print. Three caps
// end a run that will not end by itself: an instruction count (a count hook), a memory budget
// (the state's allocator refuses past it) and a wall-clock budget (checked from the same hook,
// on an injected monotonic clock). The hook runs between Lua instructions, so a single library
// call (one string.rep, one pattern match) is bounded by the memory cap and its input, not by
// the clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

struct lua_State;
struct lua_Debug;

namespace hookgate::transform {

struct Limits {
  uint64_t instructions = 1'000'000;
  size_t memory_bytes = 8u << 20;
  std::chrono::milliseconds wall{100};
  bool operator==(const Limits&) const = default;
};

using MonotonicNow = std::function<std::chrono::steady_clock::time_point()>;

// Which cap ended a run, if one did.
enum class Breach { none, instructions, memory, wall };

class Sandbox {
 public:
  // A fresh state with the safe libraries (base without its loaders, string without dump,
  // table, math, utf8, coroutine) and the caps armed from now. `ok()` is false when even that
  // did not fit in the memory budget.
  Sandbox(const Limits& limits, MonotonicNow now);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  [[nodiscard]] bool ok() const { return state_ != nullptr; }
  [[nodiscard]] lua_State* state() const { return state_; }
  [[nodiscard]] Breach breach() const { return breach_; }
  // "instruction limit (1000000)", "memory limit (8388608 bytes)", "time limit (100 ms)".
  [[nodiscard]] std::string breach_message() const;

 private:
  static void* allocate(void* self, void* block, size_t old_size, size_t new_size);
  static void on_count(lua_State* state, lua_Debug* debug);

  Limits limits_;
  MonotonicNow now_;
  std::chrono::steady_clock::time_point deadline_;
  size_t allocated_ = 0;
  uint64_t executed_ = 0;
  int stride_;  // instructions between hook calls
  Breach breach_ = Breach::none;
  lua_State* state_ = nullptr;
};

}  // namespace hookgate::transform
