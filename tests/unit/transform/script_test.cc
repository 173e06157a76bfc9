// Transformations: what a script sees and may change, what it cannot reach, and the caps that
// end it. Time is simulated: the wall-clock cap is driven by a fake monotonic clock.
#include "transform/script.h"

#include <gtest/gtest.h>

namespace hookgate::transform {
namespace {

using Outcome = Result::Outcome;

Delivery sample() {
  Delivery d;
  d.source = "stripe";
  d.type = "invoice.paid";
  d.id = "evt_pub_1";
  d.headers = {{"Content-Type", "application/json"}, {"Stripe-Signature", "t=1,v1=ab"}, {"X-Multi", "a"},
               {"x-multi", "b"}};
  d.body = R"({"id":"evt_1","data":{"object":{"amount":1200,"currency":"usd"}},"tags":["a","b"],"gone":null})";
  d.path = "/hooks";
  d.query = "";
  return d;
}

std::shared_ptr<const Script> compile_ok(std::string_view source, const Limits& limits = {}) {
  std::string error;
  auto script = Script::compile("transforms/t.lua", source, limits, error);
  EXPECT_NE(script, nullptr) << error;
  return script;
}

MonotonicNow real_clock() {
  return [] { return std::chrono::steady_clock::now(); };
}

Result run(std::string_view source, const Limits& limits = {}, const Delivery& input = sample()) {
  auto script = compile_ok(source, limits);
  if (!script) return {};
  return script->run(input, real_clock());
}

TEST(TransformScript, ReturningTheEventUnchangedDeliversItAsItCame) {
  const Result result = run("function transform(event) return event end");
  ASSERT_EQ(result.outcome, Outcome::deliver) << result.message;
  const Delivery input = sample();
  EXPECT_EQ(result.delivery.body, input.body);
  EXPECT_EQ(result.delivery.type, input.type);
  EXPECT_EQ(result.delivery.path, "/hooks");
  // Names keep their spelling and order; repeated fields come back joined.
  ASSERT_EQ(result.delivery.headers.size(), 3u);
  EXPECT_EQ(result.delivery.headers[0], (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  EXPECT_EQ(result.delivery.headers[2], (std::pair<std::string, std::string>{"X-Multi", "a, b"}));
}

TEST(TransformScript, SeesTheEventsFieldsAndItsBodyAsJson) {
  const Result result = run(R"lua(
    function transform(event)
      local body = event.json()
      event.headers["x-seen"] = table.concat({event.source, event.type, event.id,
        event.headers["stripe-signature"], tostring(body.data.object.amount), body.tags[2],
        tostring(body.gone == json.null)}, "|")
      return event
    end)lua");
  ASSERT_EQ(result.outcome, Outcome::deliver) << result.message;
  ASSERT_FALSE(result.delivery.headers.empty());
  EXPECT_EQ(result.delivery.headers.back(),
            (std::pair<std::string, std::string>{"x-seen", "stripe|invoice.paid|evt_pub_1|t=1,v1=ab|1200|b|true"}));
}

TEST(TransformScript, MayRewriteTheBodyTypeHeadersAndTarget) {
  const Result result = run(R"lua(
    function transform(event)
      local body = event.json()
      event.body = json.encode({amount = body.data.object.amount, kind = "payment"})
      event.type = "payment.received"
      event.headers["stripe-signature"] = nil
      event.headers["x-tenant"] = "acme"
      event.path = "/billing/v2"
      event.query = "from=stripe"
      return event
    end)lua");
  ASSERT_EQ(result.outcome, Outcome::deliver) << result.message;
  // Object keys come out in Lua's order: compare the decoded shape, not the text.
  EXPECT_TRUE(result.delivery.body == R"({"amount":1200,"kind":"payment"})" ||
              result.delivery.body == R"({"kind":"payment","amount":1200})")
      << result.delivery.body;
  EXPECT_EQ(result.delivery.type, "payment.received");
  EXPECT_EQ(result.delivery.path, "/billing/v2");
  EXPECT_EQ(result.delivery.query, "from=stripe");
  const Headers expected{{"Content-Type", "application/json"}, {"X-Multi", "a, b"}, {"x-tenant", "acme"}};
  EXPECT_EQ(result.delivery.headers, expected);
}

TEST(TransformScript, EncodesArraysNestedValuesAndEscapes) {
  const Result result = run(R"lua(
    function transform(event)
      event.body = json.encode({list = {1, 2.5, "q\"\n", true, json.null, 3.0, -0.0, 0.1}})
      return event
    end)lua");
  ASSERT_EQ(result.outcome, Outcome::deliver) << result.message;
  EXPECT_EQ(result.delivery.body, R"({"list":[1,2.5,"q\"\n",true,null,3.0,-0.0,0.1]})");
}

TEST(TransformScript, ReturningNilSkipsWithTheScriptsReason) {
  Result result = run(R"lua(
    function transform(event)
      if event.type ~= "invoice.created" then return nil, "only invoice.created goes to billing" end
      return event
    end)lua");
  EXPECT_EQ(result.outcome, Outcome::skip);
  EXPECT_EQ(result.message, "only invoice.created goes to billing");
  result = run("function transform(event) return nil end");
  EXPECT_EQ(result.outcome, Outcome::skip);
  EXPECT_EQ(result.message, "the script returned nil");
}

TEST(TransformScript, AnInfiniteLoopBreaksTheInstructionCap) {
  Limits limits;
  limits.instructions = 200'000;
  const Result result = run("function transform(event) while true do end end", limits);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message, "transform: instruction limit (200000)");
}

TEST(TransformScript, CatchingTheCapWithPcallDoesNotEscapeIt) {
  const Result result = run(R"lua(
    function transform(event)
      while true do pcall(function() while true do end end) end
    end)lua");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message, "transform: instruction limit (1000000)");
}

TEST(TransformScript, AllocatingWithoutEndBreaksTheMemoryCap) {
  Limits limits;
  limits.memory_bytes = 2u << 20;
  const Result result = run(R"lua(
    function transform(event)
      local t = {}
      for i = 1, 1e9 do t[i] = string.rep("x", 64) .. i end
    end)lua", limits);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message, "transform: memory limit (2097152 bytes)");
}

TEST(TransformScript, OneHugeStringBreaksTheMemoryCap) {
  const Result result = run(R"lua(function transform(event) event.body = string.rep("x", 1 << 30) return event end)lua");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message, "transform: memory limit (8388608 bytes)");
}

TEST(TransformScript, TheWallClockCapEndsASlowRun) {
  // Each reading of the clock is 1 ms later: the cap of 5 ms is passed after a few hook calls,
  // long before the instruction cap.
  auto ticks = std::make_shared<int64_t>(0);
  const MonotonicNow fake = [ticks] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds((*ticks)++)); };
  Limits limits;
  limits.wall = std::chrono::milliseconds(5);
  limits.instructions = 1'000'000'000;
  auto script = compile_ok("function transform(event) while true do end end", limits);
  ASSERT_NE(script, nullptr);
  const Result result = script->run(sample(), fake);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.message, "transform: time limit (5 ms)");
  EXPECT_LT(*ticks, 20);
}

TEST(TransformScript, NothingOutsideTheSandboxCanBeReached) {
  for (const char* probe : {"os", "io", "require", "package", "debug", "dofile", "loadfile", "load", "print",
                            "collectgarbage"}) {
    const std::string source = std::string("function transform(event) if ") + probe +
                               " ~= nil then event.body = 'reachable' end return event end";
    const Result result = run(source);
    ASSERT_EQ(result.outcome, Outcome::deliver) << probe << ": " << result.message;
    EXPECT_NE(result.delivery.body, "reachable") << probe;
  }
  Result result = run("function transform(event) os.execute('touch /tmp/hookgate-pwned') return event end");
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_NE(result.message.find("transforms/t.lua:1: attempt to index a nil value (global 'os')"), std::string::npos)
      << result.message;
  result = run("function transform(event) return string.dump(transform) end");
  EXPECT_EQ(result.outcome, Outcome::failed);
}

TEST(TransformScript, SyntaxErrorsNameTheFileAndLine) {
  std::string error;
  EXPECT_EQ(Script::compile("transforms/bad.lua", "function transform(event)\n  return event\nen", {}, error), nullptr);
  EXPECT_EQ(error.rfind("transforms/bad.lua:3:", 0), 0u) << error;
}

TEST(TransformScript, AChunkWithoutTransformIsRefused) {
  std::string error;
  EXPECT_EQ(Script::compile("transforms/none.lua", "local x = 1", {}, error), nullptr);
  EXPECT_EQ(error, "transforms/none.lua: defines no function transform(event)");
  EXPECT_EQ(Script::compile("transforms/loop.lua", "while true do end", {}, error), nullptr);
  EXPECT_EQ(error, "transforms/loop.lua: top level: instruction limit (1000000)");
}

TEST(TransformScript, RuntimeErrorsAndMalformedResultsFailWithTheirCause) {
  EXPECT_EQ(run("function transform(event) error('no tenant') end").message, "transform: transforms/t.lua:1: no tenant");
  EXPECT_EQ(run("function transform(event) return 42 end").message,
            "transform: transform() must return the event (a table) or nil, not a number");
  EXPECT_EQ(run("function transform(event) event.body = {} return event end").message,
            "transform: event.body must be a string, not a table (json.encode makes one from a table)");
  EXPECT_EQ(run("function transform(event) event.headers['bad name'] = 'x' return event end").message,
            "transform: header name bad name is not a token");
  EXPECT_EQ(run("function transform(event) event.headers['x-a'] = 'a\\r\\nInjected: 1' return event end").message,
            "transform: header x-a holds a control character");
  EXPECT_EQ(run("function transform(event) event.headers['webhook-signature'] = 'v1,forged' return event end").message,
            "transform: header webhook-signature is hookgate's own and cannot be set");
  EXPECT_EQ(run("function transform(event) event.path = 'relative' return event end").message,
            "transform: event.path must start with '/' and hold visible ASCII without '?' or '#'");
  EXPECT_EQ(run("function transform(event) event.query = 'a b' return event end").message,
            "transform: event.query must hold visible ASCII without '#'");
}

TEST(TransformScript, JsonErrorsAreScriptErrors) {
  Delivery input = sample();
  input.body = "not json";
  EXPECT_NE(run("function transform(event) event.json() return event end", {}, input).message.find("json.decode:"),
            std::string::npos);
  EXPECT_NE(run("function transform(event) local t = {} t.self = t event.body = json.encode(t) return event end")
                .message.find("json.encode: nesting deeper than 128"),
            std::string::npos);
  // One string named many times would pass the budget as text, though it fits as a table.
  EXPECT_NE(run(R"lua(function transform(event)
      local s, t = string.rep("x", 1 << 20), {}
      for i = 1, 64 do t[i] = s end
      event.body = json.encode(t) return event end)lua")
                .message.find("json.encode: the text would pass"),
            std::string::npos);
}

TEST(TransformScript, RunsDoNotShareState) {
  auto script = compile_ok("count = 0\nfunction transform(event) count = count + 1 event.body = tostring(count) return event end");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->run(sample(), real_clock()).delivery.body, "1");
  EXPECT_EQ(script->run(sample(), real_clock()).delivery.body, "1");
}

}  // namespace
}  // namespace hookgate::transform
