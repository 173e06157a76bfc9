// The TLS side of one listener: its certificates loaded into OpenSSL contexts with hookgate's
// defaults, SNI among several certificates, ALPN (h2 preferred, then http/1.1), session
// resumption, and certificate reload.
//
// Defaults: TLS 1.2 and 1.3 only; for TLS 1.2 only ECDHE key exchange with AEAD ciphers (the
// suites RFC 9113 allows for h2); no renegotiation, no compression; resumption through
// stateless tickets and a server-side session cache, both keyed by the listener's default
// context, so a session resumes whichever SNI certificate served it. Ticket keys are random
// per certificate generation: a reload (often a rotation after a compromise) invalidates the
// tickets issued before it, and those clients do one full handshake.
//
// Threading: TlsContext::load() and reload() on the control thread; current() from any thread
// (the loops call it at accept). A TlsCertificateSet is immutable once loaded and shared by
// every loop; OpenSSL contexts are reference-counted, so connections accepted under an older
// set keep it alive for as long as they are open.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/loop/openssl_handles.h"

namespace hookgate::gateway::connections {

// The application protocol a finished handshake agreed on through ALPN.
enum class AlpnProtocol { none, http2, http1 };
[[nodiscard]] AlpnProtocol negotiated_protocol(const SSL* ssl);

// One generation of a listener's certificates.
class TlsCertificateSet {
 public:
  // Reads every certificate chain and key and checks that each key matches its certificate.
  // Null with `error` naming the file and the reason when one does not load.
  [[nodiscard]] static std::shared_ptr<const TlsCertificateSet> load(const config::TlsFiles& files,
                                                                     std::string& error);
  ~TlsCertificateSet();
  TlsCertificateSet(const TlsCertificateSet&) = delete;
  TlsCertificateSet& operator=(const TlsCertificateSet&) = delete;

  // A server-side SSL for one accepted connection, on the default certificate until SNI picks
  // another. The set must stay alive until that connection's handshake is over (SNI runs
  // inside it): the caller holds the shared_ptr that long. Null only when OpenSSL cannot
  // allocate.
  [[nodiscard]] loop::SslPtr new_connection() const;

  // The context whose certificate serves `server_name`: an exact subjectAltName match first,
  // then a wildcard one, each in configuration order (default first); the default when none.
  [[nodiscard]] SSL_CTX* select(std::string_view server_name) const;

 private:
  struct Entry {
    loop::SslCtxPtr ctx;
    X509* leaf = nullptr;  // owned by ctx
  };
  TlsCertificateSet() = default;
  static int on_servername(SSL* ssl, int* alert, void* set);

  std::vector<Entry> entries_;  // [0] is the default certificate
};

class TlsContext {
 public:
  // Null with `error` when the files do not load (startup fails closed).
  [[nodiscard]] static std::unique_ptr<TlsContext> load(config::TlsFiles files, std::string& error);

  // Reads the same files again. On success new handshakes use the new certificates and open
  // connections keep theirs; on failure the current certificates stay and `error` says why.
  [[nodiscard]] bool reload(std::string& error);

  [[nodiscard]] std::shared_ptr<const TlsCertificateSet> current() const;

 private:
  explicit TlsContext(config::TlsFiles files) : files_(std::move(files)) {}

  const config::TlsFiles files_;
  mutable std::mutex mutex_;
  std::shared_ptr<const TlsCertificateSet> current_;
};

}  // namespace hookgate::gateway::connections
