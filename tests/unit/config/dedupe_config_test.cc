// sources.NAME.dedupe: the provider's default, overridden field by field or turned off, and
// each mistake reported at its file:line.
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using testing::error_lines;
using testing::load;

constexpr const char* kHead = "server: {listen: [\"127.0.0.1:8080\"]}\nstorage: {path: e.db}\nsources:\n";

const SourceConfig& only_source(const LoadResult& result) {
  EXPECT_NE(result.config, nullptr) << ::testing::PrintToString(error_lines(result));
  static const SourceConfig none;
  return result.config && !result.config->sources.empty() ? result.config->sources.front() : none;
}

std::string one_error(const std::string& source_yaml) {
  const LoadResult result = load(std::string(kHead) + source_yaml);
  EXPECT_EQ(result.errors.size(), 1u) << ::testing::PrintToString(error_lines(result));
  return result.errors.empty() ? std::string() : result.errors.front().to_string();
}

using Kind = verify::DedupeField::Kind;

TEST(DedupeConfig, APresetWithoutEventIdsBringsItsDefaultAndOthersHaveNone) {
  const LoadResult zoom = load(std::string(kHead) + "  zoom: {path: /in/zoom, verify: {provider: zoom, secrets: [s]}}\n");
  const SourceConfig& source = only_source(zoom);
  ASSERT_TRUE(source.dedupe.enabled());
  EXPECT_EQ(source.dedupe.window, std::chrono::hours(3));
  ASSERT_EQ(source.dedupe.fields.size(), 1u);
  EXPECT_EQ(source.dedupe.fields[0].kind, Kind::body);

  const LoadResult stripe = load(std::string(kHead) + "  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: [whsec_x]}}\n");
  EXPECT_FALSE(only_source(stripe).dedupe.enabled());
  const LoadResult dropbox = load(std::string(kHead) + "  dropbox: {path: /in/d, verify: {provider: dropbox, secrets: [s]}}\n");
  EXPECT_FALSE(only_source(dropbox).dedupe.enabled());
}

TEST(DedupeConfig, OverridesKeepTheUnsetPartsOfTheDefaultAndNoneTurnsItOff) {
  const LoadResult window = load(std::string(kHead) +
                                 "  zoom: {path: /in/zoom, verify: {provider: zoom, secrets: [s]}, dedupe: {window: 10m}}\n");
  EXPECT_EQ(only_source(window).dedupe.window, std::chrono::minutes(10));
  EXPECT_EQ(only_source(window).dedupe.fields.size(), 1u);

  const LoadResult fields = load(std::string(kHead) +
                                 "  shop:\n"
                                 "    path: /in/shop\n"
                                 "    verify: none\n"
                                 "    dedupe: {fields: [{json: /order/id}, {header: X-Shop}, body]}\n");
  const verify::DedupeSpec& spec = only_source(fields).dedupe;
  EXPECT_EQ(spec.window, std::chrono::hours(24));
  ASSERT_EQ(spec.fields.size(), 3u);
  EXPECT_EQ(spec.fields[0].kind, Kind::json);
  EXPECT_EQ(spec.fields[0].name, "/order/id");
  EXPECT_EQ(spec.fields[1].kind, Kind::header);
  EXPECT_EQ(spec.fields[1].name, "X-Shop");
  EXPECT_EQ(spec.fields[2].kind, Kind::body);
  EXPECT_EQ(spec.describe(), "json /order/id, header X-Shop, body within 24h");

  const LoadResult off = load(std::string(kHead) +
                              "  zoom: {path: /in/zoom, verify: {provider: zoom, secrets: [s]}, dedupe: none}\n");
  EXPECT_FALSE(only_source(off).dedupe.enabled());
}

TEST(DedupeConfig, MistakesAreReportedWhereTheyAre) {
  EXPECT_EQ(one_error("  s:\n    path: /in/s\n    verify: none\n    dedupe: {window: 1500ms}\n"),
            "hookgate.yaml:7:22: sources.s.dedupe.window: window must be whole seconds, from 1s to 30d");
  EXPECT_EQ(one_error("  s:\n    path: /in/s\n    verify: none\n    dedupe: {window: 31d}\n"),
            "hookgate.yaml:7:22: sources.s.dedupe.window: must be at most 30d, got '31d'");
  EXPECT_EQ(one_error("  s:\n    path: /in/s\n    verify: none\n    dedupe: {fields: []}\n"),
            "hookgate.yaml:7:22: sources.s.dedupe.fields: expected a non-empty list of fields: body, {header: NAME} "
            "or {json: /pointer} (or `dedupe: none`)");
  EXPECT_EQ(one_error("  s:\n    path: /in/s\n    verify: none\n    dedupe: {fields: [headers]}\n"),
            "hookgate.yaml:7:23: sources.s.dedupe.fields[0]: expected body, {header: NAME} or {json: /pointer}, got 'headers'");
  EXPECT_EQ(one_error("  s:\n    path: /in/s\n    verify: none\n    dedupe: {fields: [body, body]}\n"),
            "hookgate.yaml:7:29: sources.s.dedupe.fields[1]: this field is listed twice");
  EXPECT_EQ(one_error("  s:\n    path: /in/s\n    verify: none\n    dedupe: off\n"),
            "hookgate.yaml:7:13: sources.s.dedupe: expected none or {fields: [...], window: DURATION}, got 'off'");
}

}  // namespace
}  // namespace hookgate::config
