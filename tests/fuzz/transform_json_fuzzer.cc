// The JSON bridge of transform scripts (transform/lua_json.cc) on bodies from the internet:
// event.json() decodes the body into Lua tables, json.encode writes them back. A script runs
// both on every input, under small caps.
//
// Properties besides "no crash, no leak, no undefined behaviour": a run ends as a delivery or a
// failure, never a skip; when the body decodes, the encoded text decodes again and encoding
// that gives text of the same length (object keys may come out in another order, never
// another set of bytes' count), and a body simdjson accepts is one the script decodes.
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "transform/script.h"

namespace hookgate::fuzz {
namespace {

constexpr const char* kScript = R"lua(
function transform(event)
  local ok, value = pcall(event.json)
  if not ok then
    event.headers["x-decoded"] = "no"
    return event
  end
  local first = json.encode(value)
  local second = json.encode(json.decode(first))
  event.headers["x-decoded"] = "yes"
  event.headers["x-lengths"] = #first .. "=" .. #second
  event.body = first
  return event
end
)lua";

const transform::Script& script() {
  static const std::shared_ptr<const transform::Script> compiled = [] {
    transform::Limits limits;
    limits.memory_bytes = 4u << 20;
    limits.instructions = 200'000;
    limits.wall = std::chrono::seconds(5);
    std::string error;
    auto s = transform::Script::compile("fuzz.lua", kScript, limits, error);
    if (!s) {
      std::fprintf(stderr, "fuzz script: %s\n", error.c_str());
      std::abort();
    }
    return s;
  }();
  return *compiled;
}

std::string header(const transform::Delivery& delivery, const std::string& name) {
  for (const auto& [n, v] : delivery.headers) {
    if (n == name) return v;
  }
  return {};
}

}  // namespace
}  // namespace hookgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate;
  transform::Delivery input;
  input.source = "fuzz";
  input.id = "evt_fuzz";
  input.path = "/";
  input.body.assign(reinterpret_cast<const char*>(data), size);
  const transform::Result result = fuzz::script().run(input, [] { return std::chrono::steady_clock::now(); });
  HOOKGATE_FUZZ_CHECK(result.outcome != transform::Result::Outcome::skip);
  if (result.outcome != transform::Result::Outcome::deliver) return 0;  // a cap: the body was huge
  const std::string decoded = fuzz::header(result.delivery, "x-decoded");
  if (decoded == "yes") {
    const std::string lengths = fuzz::header(result.delivery, "x-lengths");
    const size_t eq = lengths.find('=');
    HOOKGATE_FUZZ_CHECK(eq != std::string::npos && lengths.substr(0, eq) == lengths.substr(eq + 1));
  } else {
    // Only what simdjson refuses (or nests past the bridge's depth) fails to decode.
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    const bool valid = !parser.parse(simdjson::padded_string(input.body)).get(root);
    HOOKGATE_FUZZ_CHECK(!valid || input.body.size() > 256);
  }
  return 0;
}
