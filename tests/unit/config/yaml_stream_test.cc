// YAML streams that yaml-cpp 0.7 cannot parse past: found by tests/fuzz (config_load). Its
// LoadAll() never returned on them and allocated until memory ran out (a config file with a
// stray ',' hung `hookgate check-config` and `serve`); they are syntax errors now.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using testing::error_lines;
using testing::load;

// A regression loops forever while allocating: stop this binary, not the machine.
class Watchdog {
 public:
  Watchdog()
      : thread_([this] {
          for (int i = 0; i < 300 && !done_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
          if (!done_) {
            std::fprintf(stderr, "config loading did not return within 30 s\n");
            std::abort();
          }
        }) {}
  ~Watchdog() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

TEST(YamlStream, LeadingCommaIsASyntaxErrorNotAHang) {
  const Watchdog watchdog;
  for (const char* text : {",", ",a", ",storage: {path: /x}\n", ",a}\n---\nstorage: {path: b.db}\n"}) {
    const LoadResult result = load(text);
    EXPECT_EQ(result.config, nullptr) << text;
    ASSERT_EQ(result.errors.size(), 1u) << text;
    EXPECT_EQ(result.errors[0].to_string(), "hookgate.yaml:1:1: YAML syntax error: cannot parse past this point") << text;
  }
}

TEST(YamlStream, CommaAfterAValidFirstDocumentIsStillReported) {
  const Watchdog watchdog;
  const LoadResult result = load("storage: {path: /x}\n---\n,\n");
  EXPECT_EQ(result.config, nullptr);
  EXPECT_FALSE(result.errors.empty());
}

TEST(YamlStream, OneDocumentWithExplicitMarkersLoads) {
  const Watchdog watchdog;
  const LoadResult result = load("---\nstorage: {path: /x}\n...\n");
  EXPECT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  ASSERT_NE(result.config, nullptr);
  EXPECT_EQ(result.config->storage.path, "/x");
}

TEST(YamlStream, SecondDocumentIsReportedAtItsRoot) {
  const Watchdog watchdog;
  const LoadResult result = load("storage: {path: /x}\n---\n~\n");
  ASSERT_EQ(result.errors.size(), 1u) << ::testing::PrintToString(error_lines(result));
  EXPECT_EQ(result.errors[0].to_string(),
            "hookgate.yaml:3:1: only one YAML document is allowed (found '---' starting another)");
}

}  // namespace
}  // namespace hookgate::config
