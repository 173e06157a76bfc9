#include "controlled_destination.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace hookgate::reliability {
namespace {

// The value of `name` in an HTTP/1.1 head ("" when absent).
std::string header_value(const std::string& head, const char* name) {
  size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string::npos) {
    at += 2;
    const size_t colon = head.find(':', at);
    const size_t end = head.find("\r\n", at);
    if (colon == std::string::npos || (end != std::string::npos && colon > end)) continue;
    if (colon - at == std::strlen(name) && strncasecmp(head.data() + at, name, colon - at) == 0) {
      size_t value = colon + 1;
      while (value < head.size() && head[value] == ' ') ++value;
      return head.substr(value, (end == std::string::npos ? head.size() : end) - value);
    }
  }
  return "";
}

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the peer went away; its attempt fails and is retried
    sent += static_cast<size_t>(n);
  }
}

constexpr const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
constexpr const char* kUnavailable = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy";

}  // namespace

const char* to_string(ControlledDestination::Mode mode) {
  switch (mode) {
    case ControlledDestination::Mode::answer: return "answer";
    case ControlledDestination::Mode::hang: return "hang";
    case ControlledDestination::Mode::down: return "down";
  }
  return "?";
}

ControlledDestination::ControlledDestination(Mode mode) : mode_(mode) {
  if (::pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) ADD_FAILURE() << "pipe2: " << std::strerror(errno);
  if (!listen_now()) ADD_FAILURE() << "cannot listen on 127.0.0.1";
  if (mode_ == Mode::down) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  thread_ = std::thread([this] { run(); });
}

ControlledDestination::~ControlledDestination() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  thread_.join();
  close_all();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(wake_fds_[0]);
  ::close(wake_fds_[1]);
}

std::string ControlledDestination::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks"; }

bool ControlledDestination::listen_now() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port_);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 256) != 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    return false;
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  return true;
}

bool ControlledDestination::set_mode(Mode mode) {
  std::unique_lock lock(mutex_);
  requested_mode_ = mode;
  const uint64_t ticket = ++mode_requests_;
  wake();
  mode_applied_.wait(lock, [&] { return mode_changes_done_ >= ticket; });
  return mode_change_ok_;
}

std::vector<ControlledDestination::Arrival> ControlledDestination::arrivals() const {
  std::lock_guard lock(mutex_);
  return arrivals_;
}

std::map<std::string, std::chrono::steady_clock::time_point> ControlledDestination::answered() const {
  std::lock_guard lock(mutex_);
  return answered_;
}

size_t ControlledDestination::open_connections() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

size_t ControlledDestination::peak_connections() const {
  std::lock_guard lock(mutex_);
  return peak_;
}

void ControlledDestination::reset_peak() {
  std::lock_guard lock(mutex_);
  peak_ = connections_.size();
}

void ControlledDestination::wake() {
  const char byte = 1;
  (void)!::write(wake_fds_[1], &byte, 1);
}

void ControlledDestination::close_all() {
  for (auto& connection : connections_) ::close(connection.fd);
  connections_.clear();
}

void ControlledDestination::set_answering(Answering answering) {
  std::lock_guard lock(mutex_);
  answering_ = answering;
}

void ControlledDestination::answer_due(Connection& connection, bool all) {
  const auto now = std::chrono::steady_clock::now();
  size_t answered = 0;
  // In order: HTTP/1.1 answers a connection's requests in the order they came.
  for (; answered < connection.held.size(); ++answered) {
    const Held& held = connection.held[answered];
    if (!all && held.due > now) break;
    send_all(connection.fd, held.status == 200 ? kOk : kUnavailable);
    if (held.status == 200) answered_.emplace(held.webhook_id, now);
  }
  connection.held.erase(connection.held.begin(), connection.held.begin() + static_cast<std::ptrdiff_t>(answered));
}

int ControlledDestination::poll_timeout_ms() const {
  auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  for (const auto& connection : connections_) {
    if (!connection.held.empty()) next = std::min(next, connection.held.front().due);
  }
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(wait + 1, 0, 200));
}

bool ControlledDestination::read_from(Connection& connection) {
  char chunk[65536];
  const ssize_t n = ::recv(connection.fd, chunk, sizeof chunk, MSG_DONTWAIT);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
  if (n < 0) return true;
  connection.buffer.append(chunk, static_cast<size_t>(n));
  for (;;) {
    const size_t head_end = connection.buffer.find("\r\n\r\n");
    if (head_end == std::string::npos) return true;
    const std::string head = connection.buffer.substr(0, head_end);
    const std::string length_text = header_value(head, "Content-Length");
    const size_t length = length_text.empty() ? 0 : std::stoul(length_text);
    if (connection.buffer.size() < head_end + 4 + length) return true;
    connection.buffer.erase(0, head_end + 4 + length);
    Held held;
    held.webhook_id = header_value(head, "webhook-id");
    const auto now = std::chrono::steady_clock::now();
    arrivals_.push_back({held.webhook_id, now});
    ++requests_;
    if (mode_ == Mode::answer) {
      held.due = now + answering_.delay;
      if (answering_.fail_every > 0 && requests_ % answering_.fail_every == 0) held.status = 503;
    } else {
      held.due = std::chrono::steady_clock::time_point::max();
    }
    connection.held.push_back(std::move(held));
    if (mode_ == Mode::answer) answer_due(connection, false);
  }
}

void ControlledDestination::reap_closed() {
  std::vector<pollfd> fds;
  for (const auto& connection : connections_) fds.push_back({connection.fd, POLLIN | POLLRDHUP, 0});
  if (fds.empty() || ::poll(fds.data(), fds.size(), 0) <= 0) return;
  std::vector<int> ended;
  for (size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    // RDHUP alone can come with unread data: read it first, then the EOF ends the connection.
    bool alive = read_from(connections_[i]);
    if (alive && (fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR))) alive = false;
    if (!alive) ended.push_back(connections_[i].fd);
  }
  for (int fd : ended) {
    ::close(fd);
    std::erase_if(connections_, [fd](const Connection& c) { return c.fd == fd; });
  }
}

void ControlledDestination::run() {
  for (;;) {
    std::vector<pollfd> fds;
    int timeout_ms = 200;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      if (mode_changes_done_ < mode_requests_) {
        bool ok = true;
        if (requested_mode_ == Mode::down) {
          close_all();
          if (listen_fd_ >= 0) ::close(listen_fd_);
          listen_fd_ = -1;
        } else if (mode_ == Mode::down) {
          ok = listen_now();
        }
        mode_ = requested_mode_;
        if (mode_ == Mode::answer) {
          for (auto& connection : connections_) answer_due(connection, /*all=*/true);
        }
        mode_change_ok_ = ok;
        mode_changes_done_ = mode_requests_;
        mode_applied_.notify_all();
      }
      fds.push_back({wake_fds_[0], POLLIN, 0});
      if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
      for (const auto& connection : connections_) fds.push_back({connection.fd, POLLIN | POLLRDHUP, 0});
      timeout_ms = poll_timeout_ms();
    }
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) return;

    std::lock_guard lock(mutex_);
    char drain[64];
    while (::read(wake_fds_[0], drain, sizeof drain) > 0) {
    }
    // Connections first, so that a peer that closed one and opened another is never counted
    // with both.
    reap_closed();
    const bool listening = listen_fd_ >= 0 && fds.size() >= 2 && fds[1].fd == listen_fd_;
    if (listening && (fds[1].revents & POLLIN)) {
      for (;;) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) break;
        reap_closed();
        connections_.push_back(Connection{fd, {}, {}});
        peak_ = std::max(peak_, connections_.size());
      }
    }
    if (mode_ == Mode::answer) {
      for (auto& connection : connections_) answer_due(connection, false);
    }
  }
}

}  // namespace hookgate::reliability
