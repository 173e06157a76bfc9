#include "config/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

namespace hookgate::config::detail {
namespace {

bool is_ipv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// A port: 1..5 digits, at most 65535; `allow_zero` for listeners (0 = any free port).
std::optional<uint16_t> parse_port(std::string_view text, bool allow_zero) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  const auto number = parse_unsigned(text);
  if (!number.value || *number.value > 65535) return std::nullopt;
  if (*number.value == 0 && !allow_zero) return std::nullopt;
  return static_cast<uint16_t>(*number.value);
}

bool is_hostname_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

}  // namespace

Parsed<HostPort> parse_listen_address(std::string_view text) {
  using P = Parsed<HostPort>;
  constexpr std::string_view kShape = "expected host:port, e.g. 0.0.0.0:8080 or [::1]:8080";
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return P::fail("missing ']' after the IPv6 address");
    out.host = std::string(text.substr(1, close - 1));
    if (!is_ipv6(out.host)) return P::fail("'[...]' must contain an IPv6 address");
    const auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return P::fail(std::string(kShape));
    port_text = rest.substr(1);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return P::fail(std::string(kShape));
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return P::fail("IPv6 addresses must be in brackets, e.g. [::1]:8080");
    }
    if (out.host.empty()) return P::fail("missing host; " + std::string(kShape));
    if (!is_ipv4(out.host)) {
      return P::fail("host must be an IP address (e.g. 0.0.0.0, 127.0.0.1 or [::1])");
    }
    port_text = text.substr(colon + 1);
  }
  const auto port = parse_port(port_text, /*allow_zero=*/true);
  if (!port) return P::fail("port must be a number from 0 to 65535");
  out.port = *port;
  return P::ok(std::move(out));
}

Parsed<Endpoint> parse_http_url(std::string_view text) {
  using P = Parsed<Endpoint>;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return P::fail("URL contains a space, control or non-ASCII character (percent-encode it)");
    }
  }
  Endpoint out;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return P::fail("expected an absolute URL: http://host[:port]/path");
  std::string scheme(text.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  if (scheme == "http") {
    out.tls = false;
  } else if (scheme == "https") {
    out.tls = true;
  } else {
    return P::fail("unsupported scheme (use http:// or https://)");
  }
  const auto rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, authority_end);
  const auto target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return P::fail("credentials in the URL are not supported (send them with `headers`)");
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return P::fail("missing ']' after the IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    if (!is_ipv6(out.host)) return P::fail("'[...]' must contain an IPv6 address");
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return P::fail("unexpected text after ']'");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    if (out.host.empty()) return P::fail("missing host");
    if (!std::all_of(out.host.begin(), out.host.end(), is_hostname_char)) {
      return P::fail("invalid character in host");
    }
  }
  if (has_port) {
    const auto port = parse_port(port_text, /*allow_zero=*/false);
    if (!port) return P::fail("port must be a number from 1 to 65535");
    out.port = *port;
  } else {
    out.port = out.tls ? 443 : 80;
  }
  if (target.find('#') != std::string_view::npos) return P::fail("fragments (#...) are not allowed");
  out.authority = std::string(authority);
  if (target.empty()) {
    out.target = "/";
  } else if (target.front() == '?') {
    out.target = "/" + std::string(target);
  } else {
    out.target = std::string(target);
  }
  return P::ok(std::move(out));
}

}  // namespace hookgate::config::detail
