// The `hookgate` subcommands. Each returns the process exit code. main.cc only parses flags.
#pragma once

#include <optional>
#include <string>

namespace hookgate::gateway {

struct ServeOptions {
  std::string config_path;
  std::optional<std::string> log_level;  // overrides log.level
};
// Runs until SIGTERM/SIGINT, then shuts down gracefully: exit 0. Startup failure: exit 1.
int run_serve(const ServeOptions& options);

// Prints "ok" (exit 0) or every error as "file:line:col: key: message" (exit 1).
int run_check_config(const std::string& config_path);

struct SignOptions {
  std::string config_path;
  std::string source;
  std::string body_path;  // "-" or empty: stdin
  std::optional<std::string> id;             // delivery/message id; default: generated
  std::optional<int64_t> timestamp;          // unix seconds; default: now
};
// Prints the headers the source's vendor would send, one "Name: value" per line.
int run_sign(const SignOptions& options);

struct ReceiveOptions {
  std::string listen = "127.0.0.1:9000";
  std::string secret;  // whsec_…: check each request's Standard Webhooks signature (401 when bad)
  int status = 200;    // what to answer
};
// A stand-in destination: prints one line per webhook received and answers `status`.
int run_receive(const ReceiveOptions& options);

}  // namespace hookgate::gateway
