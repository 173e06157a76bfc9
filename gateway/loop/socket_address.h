// Socket address helpers shared by the public and admin listeners.
#pragma once

#include <event2/util.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace hookgate::gateway::loop {

// "203.0.113.7:443", "[2001:db8::1]:443".
[[nodiscard]] std::string format_address(const sockaddr* address);
// `host` must be an IP literal. Unlike evutil_parse_sockaddr_port, port 0 (ephemeral) is fine.
[[nodiscard]] bool make_address(const std::string& host, uint16_t port, sockaddr_storage& address, int& length);
// The port a listening socket is bound to (after binding port 0), or 0.
[[nodiscard]] uint16_t bound_port(evutil_socket_t fd);
// "127.0.0.1:9090", "[::1]:9090".
[[nodiscard]] std::string host_port(const std::string& host, uint16_t port);

}  // namespace hookgate::gateway::loop
