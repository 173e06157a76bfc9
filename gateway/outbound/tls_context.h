// TLS for outbound connections: one client SSL_CTX per pool (TLS 1.2+, peer verification with
// a CA file or the system default paths), one SSL per connection with SNI and host-name (or IP
// address) verification, and the text that says why a handshake failed.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>

#include "gateway/loop/openssl_handles.h"

struct bufferevent;

namespace hookgate::gateway::outbound {

using loop::SslCtxPtr;
using loop::SslPtr;

struct ClientTlsContext {
  SslCtxPtr ctx;      // null when it could not be built
  std::string error;  // why not ("cannot load CA file /x.pem: no such file"); empty otherwise
};

// `ca_file`: PEM bundle; empty = the system default paths. `verify`: false turns off chain
// and host-name verification (tests, explicitly insecure destinations).
[[nodiscard]] ClientTlsContext make_client_tls_context(const std::string& ca_file, bool verify);

// An SSL for one connection to `host` ("billing.internal", "10.0.0.5", "::1"): SNI for a host
// name (never for an IP literal, RFC 6066 §3), and, when `verify`, the certificate must match
// the name or the address. Null (with `error` set) on failure.
[[nodiscard]] SslPtr make_client_ssl(SSL_CTX* ctx, const std::string& host, bool verify, std::string& error);

// Why the handshake on `bev` (a bufferevent_openssl over `ssl`) failed: the verification
// result if the chain or name was refused ("certificate verify failed: hostname mismatch"),
// else the queued OpenSSL errors, else `fallback`. Drains the bufferevent's error queue.
[[nodiscard]] std::string describe_tls_failure(SSL* ssl, bufferevent* bev, std::string_view fallback);

// True for an IPv4 or IPv6 address literal (no brackets).
[[nodiscard]] bool is_ip_literal(const std::string& host);

}  // namespace hookgate::gateway::outbound
