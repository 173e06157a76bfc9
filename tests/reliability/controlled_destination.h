// A destination service for reliability tests whose behaviour the test switches while the
// gateway runs:
//   - answer: 200 to every request (keep-alive), optionally after a delay, optionally 503 to
//     every Nth request;
//   - hang:   accept and read requests, never answer (a stuck service behind a live socket);
//   - down:   nothing listens on the port (connections are refused).
// It records every request (webhook-id, arrival time) and how many connections were open at
// once, so tests can check a destination's concurrency limit from the outside.
//
// One poll() thread serves everything. Public methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hookgate::reliability {

class ControlledDestination {
 public:
  enum class Mode { answer, hang, down };

  struct Arrival {
    std::string webhook_id;
    std::chrono::steady_clock::time_point at;
  };

  // How answer mode answers requests that arrive from now on.
  struct Answering {
    std::chrono::milliseconds delay{0};  // held this long, then answered
    uint32_t fail_every = 0;             // every Nth request (counting all) gets 503; 0 = none
  };

  // Binds 127.0.0.1:0; the port is kept for the object's life (down closes the listener, and
  // leaving down binds the same port again).
  explicit ControlledDestination(Mode mode = Mode::answer);
  ~ControlledDestination();
  ControlledDestination(const ControlledDestination&) = delete;
  ControlledDestination& operator=(const ControlledDestination&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const;

  // answer after hang: the held requests are answered at once. down: every open connection is
  // closed and the listener with them. Returns false if the port could not be bound again.
  bool set_mode(Mode mode);
  void set_answering(Answering answering);

  // Every request received, in arrival order (hung ones included).
  [[nodiscard]] std::vector<Arrival> arrivals() const;
  // webhook-ids answered 200, with the first time each was answered (503s are not in it).
  [[nodiscard]] std::map<std::string, std::chrono::steady_clock::time_point> answered() const;
  [[nodiscard]] size_t open_connections() const;
  // The most connections open at the same time since construction (or reset_peak()). A closed
  // connection stops counting as soon as its FIN is seen, before any later accept is counted.
  [[nodiscard]] size_t peak_connections() const;
  void reset_peak();

 private:
  struct Held {
    std::string webhook_id;
    std::chrono::steady_clock::time_point due;  // time_point::max(): until the mode changes
    int status = 200;
  };
  struct Connection {
    int fd = -1;
    std::string buffer;
    std::vector<Held> held;  // requests read, not answered yet, in arrival order
  };

  bool listen_now();
  void run();
  void wake();
  void reap_closed();                       // connections whose peer closed
  bool read_from(Connection& connection);   // false when the connection ended
  // Answers the held requests that are due (all of them when `all`), in order.
  void answer_due(Connection& connection, bool all);
  [[nodiscard]] int poll_timeout_ms() const;
  void close_all();

  uint16_t port_ = 0;
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};
  std::thread thread_;

  mutable std::mutex mutex_;
  Mode mode_;
  // set_mode() asks, the poll thread applies (it alone touches sockets, so a descriptor is
  // never closed under a poll() that still watches it).
  std::condition_variable mode_applied_;
  Mode requested_mode_ = Mode::answer;
  uint64_t mode_requests_ = 0;
  uint64_t mode_changes_done_ = 0;
  bool mode_change_ok_ = true;
  bool stopping_ = false;
  std::vector<Connection> connections_;
  size_t peak_ = 0;
  Answering answering_;
  uint64_t requests_ = 0;
  std::vector<Arrival> arrivals_;
  std::map<std::string, std::chrono::steady_clock::time_point> answered_;
};

[[nodiscard]] const char* to_string(ControlledDestination::Mode mode);
// For GoogleTest's parameter names and messages.
inline void PrintTo(ControlledDestination::Mode mode, std::ostream* out) { *out << to_string(mode); }

}  // namespace hookgate::reliability
