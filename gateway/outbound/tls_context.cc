#include "gateway/outbound/tls_context.h"

#include <arpa/inet.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace hookgate::gateway::outbound {

namespace {

std::string openssl_error_text(unsigned long code) {
  const char* reason = ERR_reason_error_string(code);
  if (reason) return reason;
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

// The thread's OpenSSL error queue as one line, emptied.
std::string drain_thread_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    if (!text.empty()) text += "; ";
    text += openssl_error_text(code);
  }
  return text;
}

}  // namespace

bool is_ip_literal(const std::string& host) {
  in6_addr address6;
  in_addr address4;
  return inet_pton(AF_INET, host.c_str(), &address4) == 1 || inet_pton(AF_INET6, host.c_str(), &address6) == 1;
}

ClientTlsContext make_client_tls_context(const std::string& ca_file, bool verify) {
  ClientTlsContext out;
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1) {
    out.error = "cannot create TLS context: " + drain_thread_errors();
    return out;
  }
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS);
  // Many servers close without close_notify. OpenSSL 3 reports that as a protocol error, which
  // libevent 2.1's dirty-shutdown handling does not recognise; read it as a plain EOF instead.
  // Truncation is still caught by framing (Content-Length, chunked); only a body read until
  // close cannot tell, exactly as over plain TCP.
  SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (verify) {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    const int loaded = ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx.get())
                                       : SSL_CTX_load_verify_locations(ctx.get(), ca_file.c_str(), nullptr);
    if (loaded != 1) {
      out.error = (ca_file.empty() ? std::string("cannot load the system CA paths")
                                   : "cannot load CA file " + ca_file) + ": " + drain_thread_errors();
      return out;
    }
  } else {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  }
  out.ctx = std::move(ctx);
  return out;
}

SslPtr make_client_ssl(SSL_CTX* ctx, const std::string& host, bool verify, std::string& error) {
  ERR_clear_error();
  SslPtr ssl(SSL_new(ctx));
  if (!ssl) {
    error = "cannot create TLS session: " + drain_thread_errors();
    return nullptr;
  }
  const bool ip = is_ip_literal(host);
  // SSL_set_tlsext_host_name() spelled out: the macro casts in the old style.
  if (!ip && SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                      const_cast<char*>(host.c_str())) != 1) {
    error = "cannot set TLS server name: " + drain_thread_errors();
    return nullptr;
  }
  if (verify) {
    int ok;
    if (ip) {
      ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), host.c_str());
    } else {
      SSL_set_hostflags(ssl.get(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      ok = SSL_set1_host(ssl.get(), host.c_str());
    }
    if (ok != 1) {
      error = "cannot set TLS host verification: " + drain_thread_errors();
      return nullptr;
    }
  }
  return ssl;
}

std::string describe_tls_failure(SSL* ssl, bufferevent* bev, std::string_view fallback) {
  std::string queued;
  while (const unsigned long code = bufferevent_get_openssl_error(bev)) {
    // libevent also queues SSL_get_error() results (library 0): no text worth showing.
    if (ERR_GET_LIB(code) == 0) continue;
    if (!queued.empty()) queued += "; ";
    queued += openssl_error_text(code);
  }
  ERR_clear_error();
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
  if (!queued.empty()) return "tls: " + queued;
  return std::string(fallback);
}

}  // namespace hookgate::gateway::outbound
