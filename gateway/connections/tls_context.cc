#include "gateway/connections/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace hookgate::gateway::connections {
namespace {

// Mozilla's "intermediate" TLS 1.2 list: forward secrecy and AEAD only, which is also what
// RFC 9113 §9.2.2 requires of h2. TLS 1.3 suites stay OpenSSL's defaults (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// One value for every context of every generation: a cached session is then valid whichever
// certificate SNI chose.
constexpr unsigned char kSessionIdContext[] = "hookgate";

// The most specific reason OpenSSL queued, and the queue cleared (it is per thread and would
// otherwise leak into the next, unrelated, error report).
std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (code != 0) {
    const char* text = ERR_reason_error_string(code);
    reason = text ? text : "error " + std::to_string(code);
  } else {
    reason = "unknown error";
  }
  ERR_clear_error();
  return reason;
}

// OpenSSL's own message for a missing file is "system lib"; say what really happened.
bool readable(const std::string& path, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  std::fclose(file);
  return true;
}

int on_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
            unsigned int in_length, void*) {
  // Our preference wins: h2 when the client offers it. The list is length-prefixed strings,
  // already checked by OpenSSL; the bounds are re-checked here anyway.
  static constexpr std::string_view kOurs[] = {"h2", "http/1.1"};
  for (const std::string_view ours : kOurs) {
    for (unsigned int i = 0; i < in_length;) {
      const unsigned int length = in[i];
      if (length == 0 || i + 1 + length > in_length) break;
      if (std::string_view(reinterpret_cast<const char*>(in + i + 1), length) == ours) {
        *out = in + i + 1;
        *out_length = static_cast<unsigned char>(length);
        return SSL_TLSEXT_ERR_OK;
      }
      i += 1 + length;
    }
  }
  // Nothing we speak was offered: go on without ALPN. The connection is then told apart by
  // its first bytes, as on a cleartext port, and HTTP/1.1 answers anything that is not h2.
  return SSL_TLSEXT_ERR_NOACK;
}

loop::SslCtxPtr new_context(const config::TlsCertificate& files, std::string& error) {
  if (!readable(files.cert, error) || !readable(files.key, error)) return nullptr;
  loop::SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    error = "cannot create a TLS context: " + openssl_reason();
    return nullptr;
  }
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  // libevent may hand SSL_write a retry from a moved buffer (evbuffer chains move).
  SSL_CTX_set_mode(c, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1) {
    error = "cannot set the TLS 1.2 ciphers: " + openssl_reason();
    return nullptr;
  }
  SSL_CTX_set_session_id_context(c, kSessionIdContext, sizeof kSessionIdContext - 1);
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_SERVER);
  SSL_CTX_set_alpn_select_cb(c, &on_alpn, nullptr);

  if (SSL_CTX_use_certificate_chain_file(c, files.cert.c_str()) != 1) {
    error = "cannot load certificate " + files.cert + ": " + openssl_reason();
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(c, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the pair while loading the key; say so in the operator's terms.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      error = "private key " + files.key + " does not match certificate " + files.cert;
    } else {
      error = "cannot load private key " + files.key + ": " + openssl_reason();
    }
    return nullptr;
  }
  if (SSL_CTX_check_private_key(c) != 1) {
    error = "private key " + files.key + " does not match certificate " + files.cert + ": " + openssl_reason();
    return nullptr;
  }
  return ctx;
}

}  // namespace

AlpnProtocol negotiated_protocol(const SSL* ssl) {
  const unsigned char* data = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(ssl, &data, &length);
  const std::string_view name(reinterpret_cast<const char*>(data), data ? length : 0);
  if (name == "h2") return AlpnProtocol::http2;
  if (name == "http/1.1") return AlpnProtocol::http1;
  return AlpnProtocol::none;
}

std::shared_ptr<const TlsCertificateSet> TlsCertificateSet::load(const config::TlsFiles& files, std::string& error) {
  std::shared_ptr<TlsCertificateSet> set(new TlsCertificateSet());
  std::vector<config::TlsCertificate> all;
  all.reserve(1 + files.certificates.size());
  all.push_back({files.cert, files.key});
  all.insert(all.end(), files.certificates.begin(), files.certificates.end());
  for (const auto& certificate : all) {
    loop::SslCtxPtr ctx = new_context(certificate, error);
    if (!ctx) return nullptr;
    Entry entry;
    entry.leaf = SSL_CTX_get0_certificate(ctx.get());
    entry.ctx = std::move(ctx);
    // The callback runs on whichever context the SSL was created from (the default one); it
    // is set on all so that the choice never depends on that detail.
    // SSL_CTX_set_tlsext_servername_callback, without the macro's C-style cast.
    SSL_CTX_callback_ctrl(entry.ctx.get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                          reinterpret_cast<void (*)()>(&TlsCertificateSet::on_servername));
    SSL_CTX_set_tlsext_servername_arg(entry.ctx.get(), set.get());
    set->entries_.push_back(std::move(entry));
  }
  return set;
}

TlsCertificateSet::~TlsCertificateSet() = default;

loop::SslPtr TlsCertificateSet::new_connection() const { return loop::SslPtr(SSL_new(entries_.front().ctx.get())); }

SSL_CTX* TlsCertificateSet::select(std::string_view server_name) const {
  if (entries_.size() > 1 && !server_name.empty()) {
    for (const unsigned int flags : {X509_CHECK_FLAG_NO_WILDCARDS, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS}) {
      for (const auto& entry : entries_) {
        if (X509_check_host(entry.leaf, server_name.data(), server_name.size(), flags, nullptr) == 1) {
          return entry.ctx.get();
        }
      }
    }
  }
  return entries_.front().ctx.get();
}

int TlsCertificateSet::on_servername(SSL* ssl, int*, void* arg) {
  const auto* set = static_cast<const TlsCertificateSet*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (!name) return SSL_TLSEXT_ERR_NOACK;  // the default certificate answers
  SSL_CTX* chosen = set->select(name);
  if (chosen != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, chosen);
  return SSL_TLSEXT_ERR_OK;
}

std::unique_ptr<TlsContext> TlsContext::load(config::TlsFiles files, std::string& error) {
  std::unique_ptr<TlsContext> context(new TlsContext(std::move(files)));
  context->current_ = TlsCertificateSet::load(context->files_, error);
  if (!context->current_) return nullptr;
  return context;
}

bool TlsContext::reload(std::string& error) {
  auto fresh = TlsCertificateSet::load(files_, error);
  if (!fresh) return false;
  std::lock_guard lock(mutex_);
  current_ = std::move(fresh);
  return true;
}

std::shared_ptr<const TlsCertificateSet> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace hookgate::gateway::connections
