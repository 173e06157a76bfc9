#include "verify/ip_allowlist.h"

#include <arpa/inet.h>

#include <cstring>

#include "verify/ascii.h"

namespace hookgate::verify {
namespace {

// `text` as 16 bytes (IPv4 mapped into IPv6); `is_v4` tells which it was.
bool parse_address(std::string_view text, std::array<unsigned char, 16>& out, bool& is_v4) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  char buffer[INET6_ADDRSTRLEN] = {};
  std::memcpy(buffer, text.data(), text.size());
  out = {};
  unsigned char v4[4];
  if (inet_pton(AF_INET, buffer, v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, v4, 4);
    is_v4 = true;
    return true;
  }
  is_v4 = false;
  return inet_pton(AF_INET6, buffer, out.data()) == 1;
}

bool prefix_matches(const std::array<unsigned char, 16>& a, const std::array<unsigned char, 16>& b,
                    unsigned prefix) {
  const unsigned whole = prefix / 8;
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<IpNetworks> IpNetworks::parse(std::span<const std::string> entries, std::string& error) {
  IpNetworks set;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string_view entry = trim_ows(entries[i]);
    const std::size_t slash = entry.find('/');
    Network network;
    bool is_v4 = false;
    const auto fail = [&] {
      // By position, never by value: an entry may come from the environment (config quotes
      // it as written before it gets here).
      error = "entry " + std::to_string(i + 1) + " is not an IP address or CIDR network";
      return std::nullopt;
    };
    if (!parse_address(entry.substr(0, slash), network.bytes, is_v4)) return fail();
    const unsigned max = is_v4 ? 32 : 128;
    unsigned prefix = max;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      if (digits.empty() || digits.size() > 3) return fail();
      prefix = 0;
      for (const char c : digits) {
        if (c < '0' || c > '9') return fail();
        prefix = prefix * 10 + static_cast<unsigned>(c - '0');
      }
      if (prefix > max) return fail();
    }
    network.prefix = is_v4 ? prefix + 96 : prefix;
    set.networks_.push_back(network);
  }
  return set;
}

bool IpNetworks::contains(std::string_view address) const {
  std::array<unsigned char, 16> bytes{};
  bool is_v4 = false;
  if (!parse_address(trim_ows(address), bytes, is_v4)) return false;
  for (const Network& network : networks_) {
    if (prefix_matches(bytes, network.bytes, network.prefix)) return true;
  }
  return false;
}

IpAllowlistVerifier::IpAllowlistVerifier(std::shared_ptr<const Verifier> inner, IpNetworks allow,
                                         std::string proxy_header, IpNetworks trusted_proxies)
    : ForwardingVerifier(std::move(inner)),
      allow_(std::move(allow)),
      proxy_header_(std::move(proxy_header)),
      trusted_(std::move(trusted_proxies)) {}

std::optional<std::string> IpAllowlistVerifier::client_address(const Request& request) const {
  if (request.peer_ip.empty()) return std::nullopt;
  if (proxy_header_.empty() || !trusted_.contains(request.peer_ip)) {
    return std::string(request.peer_ip);
  }
  // Every hop the proxies appended, in order: all fields of the header, comma-separated.
  std::vector<std::string_view> hops;
  for (const HeaderView& h : request.headers) {
    if (!ascii_iequals(h.name, proxy_header_)) continue;
    std::string_view value = h.value;
    while (true) {
      const std::size_t comma = value.find(',');
      hops.push_back(trim_ows(value.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  // From the nearest hop outwards, skip our own proxies: the first other address is the
  // client. Addresses further left were written by the client itself and prove nothing.
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!trusted_.contains(*it)) return std::string(*it);
  }
  if (!hops.empty()) return std::string(hops.front());
  return std::string(request.peer_ip);  // the proxy itself called us
}

bool IpAllowlistVerifier::allowed(const Request& request) const {
  const std::optional<std::string> client = client_address(request);
  return client && allow_.contains(*client);
}

Verdict IpAllowlistVerifier::verify(const Request& request, TimePoint now) const {
  if (!allowed(request)) return Verdict::ip_not_allowed;
  return ForwardingVerifier::verify(request, now);
}

std::optional<HandshakeOutcome> IpAllowlistVerifier::handshake(const Request& request,
                                                               TimePoint now) const {
  if (!allowed(request)) return HandshakeOutcome{Verdict::ip_not_allowed, {}};
  return ForwardingVerifier::handshake(request, now);
}

}  // namespace hookgate::verify
