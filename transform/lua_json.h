// JSON for scripts: a global `json` table with decode(text), encode(value) and `null` (a
// sentinel that stands for JSON null, which Lua's nil cannot: a nil in a table is no entry).
// decode gives objects and arrays as tables (arrays 1-based), integers as Lua integers, other
// numbers as floats. encode writes a table with keys 1..n (and no other) as an array, any
// other table as an object (its keys must be strings), the empty table as {}.
#pragma once

#include <cstddef>

struct lua_State;

namespace hookgate::transform {

// Sets the global `json`. Errors in decode/encode are raised as Lua errors ("json.decode: …");
// encode refuses to write more than `max_text` bytes.
void open_json(lua_State* state, size_t max_text);

}  // namespace hookgate::transform
