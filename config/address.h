// Network addresses in the config: listener "host:port" and outbound http(s) URLs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "config/values.h"

namespace hookgate::config::detail {

struct HostPort {
  std::string host;  // an IP literal; IPv6 without brackets
  uint16_t port = 0;
};

// "0.0.0.0:8080", "127.0.0.1:0", "[::1]:8443". The host must be an IP literal: listeners bind
// addresses, and resolving names at load time would make the config depend on DNS.
[[nodiscard]] Parsed<HostPort> parse_listen_address(std::string_view text);

// "http[s]://host[:port][/path][?query]". No userinfo (credentials belong in headers, and a
// URL is logged), no fragment, no spaces or control or non-ASCII bytes (percent-encode them).
[[nodiscard]] Parsed<Endpoint> parse_http_url(std::string_view text);

}  // namespace hookgate::config::detail
