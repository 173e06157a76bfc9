// Shared helpers of the config unit tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "config/config.h"

namespace hookgate::config::testing {

// Secret values the tests plant, to assert they never show up in error messages.
inline constexpr const char* kStripeSecret = "whsec_STRIPE_TOP_SECRET_VALUE";
inline constexpr const char* kGithubSecret = "GITHUB_TOP_SECRET_VALUE";
inline constexpr const char* kBillingSecret = "whsec_QklMTElOR19TRUNSRVQ=";
inline constexpr const char* kAdminToken = "ADMIN_TOP_SECRET_TOKEN";

// The fake environment: a fixed table, so tests never depend on the real one.
inline std::optional<std::string> fake_env(const std::string& name) {
  static const std::map<std::string, std::string> vars{
      {"STRIPE_SECRET", kStripeSecret},
      {"GITHUB_SECRET", kGithubSecret},
      {"BILLING_SECRET", kBillingSecret},
      {"ADMIN_TOKEN", kAdminToken},
      {"PORT", "9000"},
      {"TIMEOUT", "5 minutes"},
      {"EMPTY", ""},
  };
  const auto it = vars.find(name);
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

inline LoadResult load(const std::string& yaml, const std::string& base_dir = "/etc/hookgate") {
  return load_config_text(yaml, "hookgate.yaml", base_dir, &fake_env);
}

// Every error as "file:line:col: key_path: message".
inline std::vector<std::string> error_lines(const LoadResult& result) {
  std::vector<std::string> out;
  for (const auto& error : result.errors) out.push_back(error.to_string());
  return out;
}

// A fresh directory under the test temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("hookgate_config_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// A minimal valid config, to which a test appends the section under test.
inline constexpr const char* kMinimal = "storage: {path: /var/lib/hookgate/events.db}\n";

}  // namespace hookgate::config::testing
