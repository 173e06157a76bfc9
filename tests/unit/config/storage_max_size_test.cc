// storage.max_size: an operator's cap on the database file, written as a size.
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using testing::error_lines;
using testing::load;

TEST(StorageMaxSize, AbsentMeansNoCap) {
  const auto result = load("storage: {path: /x}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.config->storage.max_size, 0u);
}

TEST(StorageMaxSize, ParsedLikeEveryOtherSize) {
  for (const auto& [text, bytes] : std::vector<std::pair<std::string, uint64_t>>{
           {"10GiB", 10ULL << 30}, {"512MiB", 512ULL << 20}, {"1M", 1ULL << 20}, {"2097152", 2ULL << 20}}) {
    const auto result = load("storage: {path: /x, max_size: " + text + "}\n");
    ASSERT_TRUE(result.config) << text << ": " << ::testing::PrintToString(error_lines(result));
    EXPECT_EQ(result.config->storage.max_size, bytes) << text;
  }
}

TEST(StorageMaxSize, OutOfRangeOrMalformedIsAnErrorAtItsPosition) {
  auto result = load("storage: {path: /x, max_size: 512KiB}\n");
  EXPECT_FALSE(result.config);
  EXPECT_EQ(error_lines(result),
            std::vector<std::string>{"hookgate.yaml:1:31: storage.max_size: must be between 1MiB and 16384GiB, got '512KiB'"});

  result = load("storage: {path: /x, max_size: 10GB}\n");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].key_path, "storage.max_size");
  EXPECT_EQ(result.errors[0].line, 1);
  EXPECT_EQ(result.errors[0].column, 31);
}

}  // namespace
}  // namespace hookgate::config
