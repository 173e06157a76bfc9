// Route filters (config/filter_section.cc → filter/): arbitrary YAML under a route's
// `filter:` key, loaded, then evaluated on fixed events. The input is the filter's YAML as
// written at column 0 (each line is indented under the route), so the corpus reads like the
// README's examples.
//
// Properties: loading never throws; the result is a config or errors, every error with a
// message and a line inside the file; a loaded filter evaluates on JSON and non-JSON bodies,
// with and without headers and query, never crashing, and gives the same answer when asked
// twice on one Input (the shared body parse and the decoded query do not drift).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "filter/filter.h"
#include "fuzz_input.h"
#include "verify/json_body.h"

namespace {

constexpr std::string_view kPrefix =
    "storage: {path: fuzz.db}\n"
    "sources: {s: {path: /s, verify: none}}\n"
    "destinations: {d: {url: 'http://d'}}\n"
    "routes:\n"
    "  - from: s\n"
    "    to: d\n"
    "    filter:\n";

struct Event {
  std::string body;
  std::vector<hookgate::verify::HeaderView> headers;
  std::string query;
  std::string type;
};

const std::vector<Event>& events() {
  static const std::vector<Event> all = {
      {R"({"total":150,"price":"99.50","currency":"USD","email":"ann@example.com","tags":["vip","new",7],)"
       R"("customer":{"email":"a@b.c","addr":{"city":"Oslo"}},"items":[{"sku":"A-1"}],"test":false,"n":null,)"
       R"("a/b":1,"c~d":"\u00e9"})",
       {{"X-Shop-Domain", "acme.myshopify.com"}, {"x-tag", "a"}, {"X-Tag", "b"}, {"X-Count", "12"}},
       "env=prod&who=ann%20lee&who=bob+k&n=5&flag&bad=%zz",
       "orders/create"},
      {"[1,2,{\"x\":[]}]", {}, "", ""},
      {"not json {", {{"x-a", ""}}, "&&=&a=", "x"},
      {"", {}, "a=%", "orders/paid"},
  };
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string text(kPrefix);
  std::size_t lines = 7;
  text += "      ";
  for (const char c : input) {
    text.push_back(c);
    if (c == '\n') {
      text += "      ";
      ++lines;
    }
  }
  text.push_back('\n');
  ++lines;

  const config::LoadResult result = config::load_config_text(text, "fuzz.yaml", "", nullptr);
  HOOKGATE_FUZZ_CHECK((result.config != nullptr) != !result.errors.empty());
  for (const config::ConfigError& error : result.errors) {
    HOOKGATE_FUZZ_CHECK(!error.message.empty());
    HOOKGATE_FUZZ_CHECK(error.line >= 0 && static_cast<std::size_t>(error.line) <= lines + 1);
  }
  if (!result.config) return 0;
  HOOKGATE_FUZZ_CHECK(result.config->routes.size() == 1);
  const filter::Filter& route_filter = result.config->routes[0].filter;
  for (const Event& event : events()) {
    verify::JsonBody body(event.body, false);
    filter::Input first(event.type, event.headers, event.query, body);
    const bool once = route_filter.matches(first);
    HOOKGATE_FUZZ_CHECK(route_filter.matches(first) == once);
    verify::JsonBody fresh_body(event.body, false);
    filter::Input fresh(event.type, event.headers, event.query, fresh_body);
    HOOKGATE_FUZZ_CHECK(route_filter.matches(fresh) == once);
  }
  return 0;
}
