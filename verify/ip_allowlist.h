// Source IP allowlists (CIDR), optionally behind trusted proxies. Combines with any scheme:
// the address is checked first, then the wrapped verifier.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "verify/forwarding_verifier.h"
#include "verify/spec.h"

namespace hookgate::verify {

// A set of IPv4/IPv6 networks. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4
// networks. Immutable; thread-safe.
class IpNetworks {
 public:
  // "203.0.113.0/24", "2001:db8::/32", or a single address. nullopt and `error` naming the
  // bad entry otherwise.
  [[nodiscard]] static std::optional<IpNetworks> parse(std::span<const std::string> entries,
                                                       std::string& error);
  // False for text that is not an address.
  [[nodiscard]] bool contains(std::string_view address) const;
  [[nodiscard]] bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<unsigned char, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    unsigned prefix = 0;                    // over the 128 bits
  };
  std::vector<Network> networks_;
};

// ip_not_allowed unless the client address is in `allow`. The client address is the
// connection's peer; with a proxy header, and only when the peer is a trusted proxy, it is
// the rightmost address in that header (all its fields, comma-separated) that is not itself
// a trusted proxy. A header address that does not parse is ip_not_allowed.
class IpAllowlistVerifier final : public ForwardingVerifier {
 public:
  IpAllowlistVerifier(std::shared_ptr<const Verifier> inner, IpNetworks allow,
                      std::string proxy_header, IpNetworks trusted_proxies);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  [[nodiscard]] std::optional<HandshakeOutcome> handshake(const Request& request,
                                                          TimePoint now) const override;
  // The address the allowlist judges (exposed for tests).
  [[nodiscard]] std::optional<std::string> client_address(const Request& request) const;

 private:
  [[nodiscard]] bool allowed(const Request& request) const;

  IpNetworks allow_;
  std::string proxy_header_;
  IpNetworks trusted_;
};

}  // namespace hookgate::verify
