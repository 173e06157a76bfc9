#include "outbound_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <filesystem>

namespace hookgate::gateway::outbound::testing {

namespace {

uint16_t bound_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) throw std::runtime_error("getsockname");
  return ntohs(address.sin_port);
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

// ---------------------------------------------------------------------------------------------

long ServerConnection::read_some(char* buffer, size_t size) {
  if (ssl_) return SSL_read(ssl_, buffer, static_cast<int>(size));
  return ::recv(fd_, buffer, size, 0);
}

std::optional<std::string> ServerConnection::read_request() {
  char buffer[16384];
  size_t head_end;
  while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    const long n = read_some(buffer, sizeof buffer);
    if (n <= 0) return std::nullopt;
    pending_.append(buffer, static_cast<size_t>(n));
  }
  head_end += 4;
  size_t body_size = 0;
  const std::string head = lower(pending_.substr(0, head_end));
  if (const size_t at = head.find("\r\ncontent-length:"); at != std::string::npos) {
    body_size = std::stoul(head.substr(at + 17));
  }
  while (pending_.size() < head_end + body_size) {
    const long n = read_some(buffer, sizeof buffer);
    if (n <= 0) return std::nullopt;
    pending_.append(buffer, static_cast<size_t>(n));
  }
  std::string request = pending_.substr(0, head_end + body_size);
  pending_.erase(0, head_end + body_size);
  return request;
}

bool ServerConnection::write(std::string_view bytes) {
  while (!bytes.empty()) {
    long n;
    if (ssl_) {
      n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    } else {
      n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void ServerConnection::wait_for_close() {
  char buffer[4096];
  while (read_some(buffer, sizeof buffer) > 0) {
  }
}

void ServerConnection::close() { ::shutdown(fd_, SHUT_RDWR); }

std::string ServerConnection::server_name() const {
  if (!ssl_) return {};
  const char* name = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
  return name ? name : "";
}

// ---------------------------------------------------------------------------------------------

TestServer::TestServer(Handler handler, std::optional<TlsIdentity> tls) : handler_(std::move(handler)) {
  if (tls) {
    ssl_ctx_ = SSL_CTX_new(TLS_server_method());
    BioPtr cert_bio(BIO_new_mem_buf(tls->cert_pem.data(), static_cast<int>(tls->cert_pem.size())));
    BioPtr key_bio(BIO_new_mem_buf(tls->key_pem.data(), static_cast<int>(tls->key_pem.size())));
    X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
    PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!cert || !key || SSL_CTX_use_certificate(ssl_ctx_, cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(ssl_ctx_, key.get()) != 1) {
      throw std::runtime_error("test server: bad certificate or key");
    }
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in address = loopback(0);
  if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0 || ::pipe(stop_pipe_) != 0) {
    throw std::runtime_error("test server: cannot listen");
  }
  port_ = bound_port(listen_fd_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestServer::~TestServer() {
  stopping_ = true;
  (void)!::write(stop_pipe_[1], "x", 1);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (const int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& thread : threads_) thread.join();
  ::close(listen_fd_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  if (ssl_ctx_) SSL_CTX_free(ssl_ctx_);
}

void TestServer::accept_loop() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int index = accepted_++;
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd, index] { serve(fd, index); });
  }
}

void TestServer::serve(int fd, int index) {
  SSL* ssl = nullptr;
  bool ready = true;
  if (ssl_ctx_) {
    ssl = SSL_new(ssl_ctx_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
      ++handshakes_failed_;
      ready = false;
    }
    ERR_clear_error();
  }
  if (ready && !stopping_) {
    ServerConnection connection(fd, ssl, index);
    handler_(connection);
  }
  if (ssl) SSL_free(ssl);
  ERR_clear_error();
  std::lock_guard lock(mutex_);
  open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  ::close(fd);
}

// ---------------------------------------------------------------------------------------------

TestResolver::TestResolver(Mode mode) : mode_(mode) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = loopback(0);
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("resolver: cannot bind");
  }
  port_ = bound_port(fd_);
  thread_ = std::thread([this] {
    unsigned char query[512];
    while (!stopping_) {
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      sockaddr_in from{};
      socklen_t from_length = sizeof from;
      const long n = ::recvfrom(fd_, query, sizeof query, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
      if (n < 12) continue;
      ++queries_;
      // The header with QR and RA set, opcode and RD kept; the question echoed.
      size_t end = 12;
      while (end < static_cast<size_t>(n) && query[end] != 0) end += query[end] + 1u;
      end = std::min(end + 5, static_cast<size_t>(n));  // the root label, QTYPE, QCLASS
      unsigned char reply[512 + 16];
      std::memcpy(reply, query, end);
      reply[2] = static_cast<unsigned char>(0x80 | (query[2] & 0x79));
      std::memset(reply + 6, 0, 6);
      const bool type_a = end >= 4 && query[end - 4] == 0 && query[end - 3] == 1;
      if (mode_ == Mode::nxdomain) {
        reply[3] = 0x83;
      } else {
        reply[3] = 0x80;
        if (type_a) {
          // One answer: the name by pointer to the question, A IN, TTL 60, 127.0.0.1.
          const unsigned char answer[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1};
          reply[7] = 1;
          std::memcpy(reply + end, answer, sizeof answer);
          end += sizeof answer;
        }
      }
      ::sendto(fd_, reply, end, 0, reinterpret_cast<const sockaddr*>(&from), from_length);
    }
  });
}

TestResolver::~TestResolver() {
  stopping_ = true;
  thread_.join();
  ::close(fd_);
}

std::string TestResolver::address() const { return "127.0.0.1:" + std::to_string(port_); }

// ---------------------------------------------------------------------------------------------

TestCertificate make_certificate(const std::string& common_name, const std::string& alt_names, bool is_ca,
                                 const TestCertificate* issuer) {
  static long serial = 1000;
  PkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);

  X509Ptr issuer_cert;
  PkeyPtr issuer_key;
  if (issuer) {
    BioPtr cert_bio(BIO_new_mem_buf(issuer->cert_pem.data(), static_cast<int>(issuer->cert_pem.size())));
    BioPtr key_bio(BIO_new_mem_buf(issuer->key_pem.data(), static_cast<int>(issuer->key_pem.size())));
    issuer_cert.reset(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
    issuer_key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  }
  X509_set_issuer_name(cert.get(), issuer_cert ? X509_get_subject_name(issuer_cert.get()) : name);

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer_cert ? issuer_cert.get() : cert.get(), cert.get(), nullptr, nullptr, 0);
  const auto add = [&](int nid, const std::string& value) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!extension) throw std::runtime_error("bad extension " + value);
    X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
  };
  add(NID_subject_key_identifier, "hash");
  if (is_ca) {
    add(NID_basic_constraints, "critical,CA:TRUE");
    add(NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add(NID_basic_constraints, "CA:FALSE");
    add(NID_ext_key_usage, "serverAuth");
    if (!alt_names.empty()) add(NID_subject_alt_name, alt_names);
    if (issuer_cert) add(NID_authority_key_identifier, "keyid");
  }
  X509_sign(cert.get(), issuer_key ? issuer_key.get() : key.get(), EVP_sha256());

  BioPtr cert_out(BIO_new(BIO_s_mem()));
  BioPtr key_out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(cert_out.get(), cert.get());
  PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return TestCertificate{bio_text(cert_out.get()), bio_text(key_out.get())};
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / ("hookgate-outbound-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path.string();
}

bool run_until(event_base* base, const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  // A ticking timer, so that one loop pass never sleeps past the deadline.
  event* tick = event_new(base, -1, EV_PERSIST, [](evutil_socket_t, short, void*) {}, nullptr);
  const timeval period{0, 10000};
  event_add(tick, &period);
  bool ok = true;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ok = false;
      break;
    }
    event_base_loop(base, EVLOOP_ONCE);
  }
  event_free(tick);
  return ok;
}

}  // namespace hookgate::gateway::outbound::testing
