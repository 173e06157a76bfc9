#include "fake_destination.h"

#include "verify/registry.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <sstream>

namespace hookgate::testing {

std::string ReceivedRequest::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return "";
}

FakeDestination::FakeDestination(Script script) : script_(std::move(script)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(listen_fd_, 128);
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeDestination::~FakeDestination() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : connection_fds_) shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : connections_) t.join();
}

std::string FakeDestination::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedRequest> FakeDestination::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool FakeDestination::wait_for(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
}

void FakeDestination::set_script(Script script) {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

void FakeDestination::accept_loop() {
  while (!stopping_) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) return;
      continue;
    }
    std::lock_guard lock(mutex_);
    connection_fds_.push_back(fd);
    connections_.emplace_back([this, fd] { serve(fd); });
  }
}

void FakeDestination::serve(int fd) {
  std::string buffer;
  char chunk[65536];
  for (;;) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        close(fd);
        return;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    ReceivedRequest request;
    std::istringstream head(buffer.substr(0, head_end));
    std::string line;
    std::getline(head, line);
    std::istringstream request_line(line);
    request_line >> request.method >> request.target;
    size_t content_length = 0;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (strcasecmp(line.substr(0, colon).c_str(), "Content-Length") == 0) content_length = std::stoul(value);
      request.headers.emplace_back(line.substr(0, colon), value);
    }
    buffer.erase(0, head_end + 4);
    while (buffer.size() < content_length) {
      const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        close(fd);
        return;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    request.body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);

    ScriptedResponse response;
    {
      std::lock_guard lock(mutex_);
      const size_t index = received_.size();
      received_.push_back(request);
      if (script_) response = script_(request, index);
    }
    arrived_.notify_all();
    if (response.delay.count() > 0) {
      // Sleep in slices so the destructor's shutdown() ends a long delay promptly.
      const auto until = std::chrono::steady_clock::now() + response.delay;
      while (std::chrono::steady_clock::now() < until && !stopping_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (response.close_without_answer || stopping_) {
      close(fd);
      return;
    }
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Scripted\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
    if (send(fd, out.data(), out.size(), MSG_NOSIGNAL) < 0) {
      close(fd);
      return;
    }
  }
}

bool signed_with(const ReceivedRequest& got, const std::string& secret) {
  verify::VerifySpec spec;
  spec.provider = "standard-webhooks";
  spec.secrets = {secret};
  const auto verifier = verify::build_verifier(spec).verifier;
  std::vector<verify::HeaderView> views;
  for (const auto& [name, value] : got.headers) views.push_back({name, value});
  verify::Request request;
  request.method = "POST";
  request.headers = views;
  request.body = got.body;
  return verifier && verifier->verify(request, std::chrono::system_clock::now()) == verify::Verdict::ok;
}

}  // namespace hookgate::testing
