#include "hostile_client.h"

#include <arpa/inet.h>
#include <nghttp2/nghttp2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <thread>

namespace hookgate::reliability {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000));
}

}  // namespace

RawHttpConnection::RawHttpConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawHttpConnection::~RawHttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawHttpConnection::send(std::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size() && fd_ >= 0) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return sent == bytes.size();
}

size_t RawHttpConnection::trickle(std::string_view bytes, std::chrono::milliseconds gap,
                                  std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  size_t sent = 0;
  while (sent < bytes.size() && Clock::now() < deadline) {
    if (!send(bytes.substr(sent, 1))) break;
    ++sent;
    // Anything from the server (an answer, or the end of the connection) stops the trickle.
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(gap.count())) > 0) break;
  }
  return sent;
}

void RawHttpConnection::shutdown_write() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

bool RawHttpConnection::fill(Clock::time_point deadline) {
  if (fd_ < 0 || eof_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    eof_ = true;  // EOF, or a reset
    return false;
  }
  received_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<gateway::outbound::Response> RawHttpConnection::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  gateway::outbound::ResponseParser parser;
  parser.reset(false);
  for (;;) {
    if (parsed_ < received_.size()) {
      parsed_ += parser.feed(std::string_view(received_).substr(parsed_));
    }
    switch (parser.state()) {
      case gateway::outbound::ResponseParser::State::complete:
        return parser.response();
      case gateway::outbound::ResponseParser::State::error:
        malformed_ = true;
        return std::nullopt;
      case gateway::outbound::ResponseParser::State::reading_head:
      case gateway::outbound::ResponseParser::State::reading_body:
        break;
    }
    if (!fill(deadline)) {
      if (!eof_) return std::nullopt;  // timed out
      parser.finish();
      if (parser.state() == gateway::outbound::ResponseParser::State::complete) return parser.response();
      return std::nullopt;
    }
  }
}

bool RawHttpConnection::wait_for(std::string_view needle, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (received_.find(needle) == std::string::npos) {
    if (!fill(deadline)) return received_.find(needle) != std::string::npos;
  }
  return true;
}

bool RawHttpConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!eof_ && Clock::now() < deadline) (void)fill(deadline);
  return eof_;
}

H2StatusReader::H2StatusReader() { (void)nghttp2_hd_inflate_new(&inflater_); }

H2StatusReader::~H2StatusReader() {
  if (inflater_) nghttp2_hd_inflate_del(inflater_);
}

void H2StatusReader::add(const std::vector<testing::H2Frame>& frames) {
  for (const testing::H2Frame& frame : frames) {
    if (frame.type != 0x1 || (frame.flags & 0x4) == 0 || !inflater_) continue;  // HEADERS, END_HEADERS
    std::string_view block = frame.payload;
    if (frame.flags & 0x8) {  // PADDED
      if (block.empty()) continue;
      const size_t pad = static_cast<uint8_t>(block.front());
      block.remove_prefix(1);
      block.remove_suffix(std::min(pad, block.size()));
    }
    if (frame.flags & 0x20) block.remove_prefix(std::min<size_t>(5, block.size()));  // PRIORITY
    auto* in = reinterpret_cast<const uint8_t*>(block.data());
    size_t left = block.size();
    for (;;) {
      nghttp2_nv nv;
      int flags = 0;
      const ssize_t used = nghttp2_hd_inflate_hd2(inflater_, &nv, &flags, in, left, 1);
      if (used < 0) break;
      in += used;
      left -= static_cast<size_t>(used);
      if (flags & NGHTTP2_HD_INFLATE_EMIT) {
        const std::string_view name(reinterpret_cast<const char*>(nv.name), nv.namelen);
        const std::string_view value(reinterpret_cast<const char*>(nv.value), nv.valuelen);
        int status = 0;
        if (name == ":status" && std::from_chars(value.data(), value.data() + value.size(), status).ec == std::errc()) {
          statuses_[frame.stream_id] = status;
        }
      }
      if (flags & NGHTTP2_HD_INFLATE_FINAL) {
        nghttp2_hd_inflate_end_headers(inflater_);
        break;
      }
      if (used == 0 && left == 0) break;
    }
  }
}

std::optional<int> H2StatusReader::status(uint32_t stream_id) const {
  const auto it = statuses_.find(stream_id);
  if (it == statuses_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hookgate::reliability
