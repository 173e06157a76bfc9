// The key tables (config/keys.h) against the parsers and config.h: the defaults the schema
// publishes are the ones a config without the key gets, and the schema is built from them.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "config/json_schema.h"
#include "config/keys.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using testing::error_lines;
using testing::load;

// `{key: default, ...}` for every key of `map` that has a default, nested maps included. The
// defaults are JSON literals, which YAML reads as flow scalars and sequences.
std::string defaults_of(const keys::Map& map, const std::string& extra = {}) {
  std::string out = "{" + extra;
  for (const keys::Field& field : map.fields) {
    std::string value;
    if (!field.fallback.empty()) {
      value = std::string(field.fallback);
    } else if (field.shape.map != nullptr && field.shape.scalar == keys::Scalar::none) {
      value = defaults_of(*field.shape.map);
      if (value == "{}") value.clear();
    }
    if (value.empty()) continue;
    if (out.size() > 1) out += ", ";
    out += std::string(field.name) + ": " + value;
  }
  return out + "}";
}

const keys::Map& section(std::string_view name) { return *keys::root().map->field(name)->shape.map; }

TEST(KeyTable, EveryDefaultItPublishesIsTheOneConfigHGives) {
  const keys::Map& destination = *keys::root().map->field("destinations")->shape.named->map;
  const std::string explicit_defaults =
      "server: " + defaults_of(section("server")) + "\n" +
      "storage: " + defaults_of(section("storage"), "path: /var/lib/hookgate/events.db") + "\n" +
      "log: " + defaults_of(section("log")) + "\n" +
      "destinations: {d: " + defaults_of(destination, "url: 'http://d'") + "}\n";
  // The generated text really sets them (a typo in the walk would compare defaults to defaults).
  ASSERT_NE(explicit_defaults.find("max_body: \"1MiB\""), std::string::npos) << explicit_defaults;
  ASSERT_NE(explicit_defaults.find("circuit_breaker: {failures: 5"), std::string::npos) << explicit_defaults;
  ASSERT_NE(explicit_defaults.find("schedule: [\"5s\""), std::string::npos) << explicit_defaults;

  const auto given = load(explicit_defaults);
  ASSERT_TRUE(given.errors.empty()) << ::testing::PrintToString(error_lines(given)) << "\n" << explicit_defaults;
  const auto left_out =
      load(std::string(testing::kMinimal) + "destinations: {d: {url: 'http://d'}}\n");
  ASSERT_TRUE(left_out.errors.empty()) << ::testing::PrintToString(error_lines(left_out));

  EXPECT_EQ(given.config->server, left_out.config->server);
  EXPECT_EQ(given.config->storage, left_out.config->storage);
  EXPECT_EQ(given.config->log.level, left_out.config->log.level);
  EXPECT_EQ(given.config->log.format, left_out.config->log.format);
  const DestinationConfig& a = given.config->destinations.at(0);
  const DestinationConfig& b = left_out.config->destinations.at(0);
  EXPECT_EQ(a.timeout, b.timeout);
  EXPECT_EQ(a.connect_timeout, b.connect_timeout);
  EXPECT_EQ(a.concurrency, b.concurrency);
  EXPECT_EQ(a.ordering, b.ordering);
  EXPECT_EQ(a.tls.verify, b.tls.verify);
  EXPECT_EQ(a.retry.schedule, b.retry.schedule);
  EXPECT_EQ(a.retry.jitter_percent, b.retry.jitter_percent);
  EXPECT_EQ(a.circuit_breaker, b.circuit_breaker);
}

TEST(KeyTable, EveryRequiredKeyIsReportedWhenMissing) {
  // From the table alone: a destination's url, a source's path and verify, a route's from/to.
  const auto result = load(std::string(testing::kMinimal) +
                           "sources: {s: {}}\ndestinations: {d: {}}\nroutes: [{}]\nadmin: {}\n");
  const auto lines = error_lines(result);
  const auto has = [&lines](const std::string& text) {
    for (const auto& line : lines) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  };
  for (const auto* expected :
       {"sources.s: missing required key 'path'", "sources.s: no verify block", "destinations.d: missing required key 'url'",
        "routes[0]: missing required key 'from'", "routes[0]: missing required key 'to'",
        "admin: missing required key 'listen'", "admin: missing required key 'token'"}) {
    EXPECT_TRUE(has(expected)) << expected << " not in " << ::testing::PrintToString(lines);
  }
}

TEST(KeyTable, TheSchemaIsBuiltFromTheTables) {
  const std::string schema = config_json_schema();
  EXPECT_EQ(schema.rfind("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",", 0), 0u);
  // A key of the table, with its bounds and default.
  const auto breaker = schema.find("\"circuit_breaker\": {\n      \"type\": \"object\"");
  ASSERT_NE(breaker, std::string::npos);
  const auto window = schema.find("\"window\": {", breaker);
  ASSERT_NE(window, std::string::npos);
  EXPECT_NE(schema.find("\"minimum\": 2,\n", window), std::string::npos);
  EXPECT_NE(schema.find("\"maximum\": 64,\n", window), std::string::npos);
  // The providers come from the verify registry.
  EXPECT_NE(schema.find("\"stripe\""), std::string::npos);
  EXPECT_NE(schema.find("\"standard-webhooks\""), std::string::npos);
  EXPECT_EQ(schema, config_json_schema()) << "the same text every time";
}

}  // namespace
}  // namespace hookgate::config
