// A destination service for delivery tests: an HTTP/1.1 keep-alive server on 127.0.0.1:0 that
// records every request and answers what the test scripts.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace hookgate::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
  [[nodiscard]] std::string header(const std::string& name) const;  // "" when absent
};

// The request's Standard Webhooks signature (webhook-id, -timestamp, -signature) verifies now
// with `secret` (whsec_…): what a destination checking hookgate's outbound signature sees.
[[nodiscard]] bool signed_with(const ReceivedRequest& got, const std::string& secret);

struct ScriptedResponse {
  int status = 200;
  Headers headers;
  std::string body = "ok";
  std::chrono::milliseconds delay{0};  // before answering
  bool close_without_answer = false;
};

class FakeDestination {
 public:
  // `script` decides each answer from the request and its 0-based arrival index.
  using Script = std::function<ScriptedResponse(const ReceivedRequest&, size_t index)>;
  explicit FakeDestination(Script script = nullptr);
  ~FakeDestination();

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& path = "/hooks") const;
  [[nodiscard]] std::vector<ReceivedRequest> received() const;
  // Waits until at least `count` requests arrived; false on timeout.
  bool wait_for(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
  void set_script(Script script);

 private:
  void accept_loop();
  void serve(int fd);

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedRequest> received_;
  Script script_;
  std::vector<std::thread> connections_;
  std::vector<int> connection_fds_;
};

}  // namespace hookgate::testing
