// Owning handles of OpenSSL's TLS objects, for the listeners' and the outbound client's TLS.
#pragma once

#include <openssl/ssl.h>

#include <memory>

namespace hookgate::gateway::loop {

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
using SslPtr = std::unique_ptr<SSL, SslDeleter>;

}  // namespace hookgate::gateway::loop
