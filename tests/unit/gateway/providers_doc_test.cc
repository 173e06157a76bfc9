// docs/providers.md is generated from the preset table (`hookgate providers --markdown`); this
// test fails when the committed file and the generated text differ, so the docs cannot drift.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/cli/commands.h"
#include "verify/presets.h"

namespace hookgate::gateway::cli {
namespace {

std::filesystem::path checkout() {
  // This file is tests/unit/gateway/providers_doc_test.cc in the checkout.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

TEST(ProvidersDoc, CommittedMarkdownMatchesTheRegistry) {
  const std::filesystem::path doc = checkout() / "docs" / "providers.md";
  std::ifstream in(doc, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << doc;
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(committed.str() == render_providers(ProvidersFormat::markdown))
      << doc << " is out of date: run `build/hookgate providers --markdown > docs/providers.md`";
}

TEST(ProvidersDoc, TextListingHasOneLinePerPresetStartingWithItsName) {
  const std::string text = render_providers(ProvidersFormat::text);
  std::istringstream lines(text);
  std::string line;
  std::size_t i = 0;
  const auto& presets = verify::presets();
  while (std::getline(lines, line)) {
    ASSERT_LT(i, presets.size());
    EXPECT_EQ(line.rfind(presets[i].name + " ", 0), 0u) << line;
    ++i;
  }
  EXPECT_EQ(i, presets.size());
}

TEST(ProvidersDoc, JsonListingHasEveryPreset) {
  const std::string json = render_providers(ProvidersFormat::json);
  EXPECT_EQ(json.front(), '[');
  for (const verify::Preset& p : verify::presets()) {
    EXPECT_NE(json.find("\"name\":\"" + p.name + "\""), std::string::npos) << p.name;
  }
}

}  // namespace
}  // namespace hookgate::gateway::cli
