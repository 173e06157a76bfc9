// serve --ready-file: the JSON a supervisor reads, and a write that replaces the file whole.
#include "gateway/cli/ready_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hookgate::gateway::cli {
namespace {

TEST(ReadyFile, NamesTheBoundListenersTheAdminAndTheReloadCounts) {
  ServeState state;
  state.pid = 42;
  state.listeners = {"http://127.0.0.1:8080", "https://[::1]:8443"};
  state.admin = "http://127.0.0.1:9000";
  state.reloads_applied = 2;
  state.reloads_refused = 1;
  state.tls_reloaded = 3;
  EXPECT_EQ(ready_file_json(state),
            R"({"pid":42,"listeners":["http://127.0.0.1:8080","https://[::1]:8443"],"admin":"http://127.0.0.1:9000",)"
            R"("reloads":{"applied":2,"refused":1},"tls_reloads":{"reloaded":3,"kept":0}})"
            "\n");
}

TEST(ReadyFile, AWriteReplacesTheFileAndAnUnwritableDirectoryIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() / ("hookgate-ready-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "ready.json").string();
  std::string error;
  ServeState state;
  state.listeners = {"http://127.0.0.1:1"};
  ASSERT_TRUE(write_ready_file(path, state, error)) << error;
  state.reloads_applied = 1;
  ASSERT_TRUE(write_ready_file(path, state, error)) << error;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), ready_file_json(state));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(write_ready_file((dir / "missing" / "ready.json").string(), state, error));
  EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hookgate::gateway::cli
