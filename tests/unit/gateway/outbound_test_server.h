// In-process peers for the outbound client tests, on 127.0.0.1 port 0: a scripted HTTP/1.1
// server (plain or TLS, blocking sockets, one thread per connection), a scripted DNS server,
// throwaway certificates, and an event-loop driver.
#pragma once

#include <event2/event.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace hookgate::gateway::outbound::testing {

// One accepted connection as a handler sees it: blocking I/O on the connection's own thread.
class ServerConnection {
 public:
  ServerConnection(int fd, SSL* ssl, int index) : fd_(fd), ssl_(ssl), index_(index) {}

  // Reads one request: the head through the empty line, then a Content-Length body. nullopt when
  // the peer closes first (or the server stops).
  std::optional<std::string> read_request();
  bool write(std::string_view bytes);
  // Blocks until the peer closes the connection (or the server stops).
  void wait_for_close();
  // Closes our side now (FIN); later reads and writes fail.
  void close();
  // 0 for the first connection the server accepted, 1 for the second...
  [[nodiscard]] int index() const { return index_; }
  // TLS only: the server name the client sent (SNI); empty without.
  [[nodiscard]] std::string server_name() const;

 private:
  long read_some(char* buffer, size_t size);

  int fd_;
  SSL* ssl_;
  int index_;
  std::string pending_;
};

struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
};

class TestServer {
 public:
  using Handler = std::function<void(ServerConnection&)>;
  // Serves every accepted connection with `handler` on a thread of its own. With `tls`, the
  // handshake runs first; connections whose handshake fails never reach the handler.
  explicit TestServer(Handler handler, std::optional<TlsIdentity> tls = std::nullopt);
  ~TestServer();  // stops accepting, unblocks every handler (shutdown) and joins the threads
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] int accepted() const { return accepted_.load(); }
  [[nodiscard]] int handshakes_failed() const { return handshakes_failed_.load(); }

 private:
  void accept_loop();
  void serve(int fd, int index);

  Handler handler_;
  SSL_CTX* ssl_ctx_ = nullptr;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::atomic<int> handshakes_failed_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// A nameserver on 127.0.0.1 UDP. `nxdomain`: every query gets NXDOMAIN. `loopback`: every A
// query gets 127.0.0.1, every other query an empty answer.
class TestResolver {
 public:
  enum class Mode { nxdomain, loopback };
  explicit TestResolver(Mode mode);
  ~TestResolver();
  [[nodiscard]] std::string address() const;  // "127.0.0.1:port" for evdns_base_nameserver_ip_add
  [[nodiscard]] int queries() const { return queries_.load(); }

 private:
  Mode mode_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

// A key and certificate issued by `issuer` (self-signed when null), valid for an hour.
// `alt_names` like "IP:127.0.0.1,DNS:localhost"; empty for a CA.
struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};
TestCertificate make_certificate(const std::string& common_name, const std::string& alt_names, bool is_ca,
                                 const TestCertificate* issuer);

// Writes `text` to a fresh file in the temp directory; returns its path.
std::string write_temp_file(const std::string& name, const std::string& text);

// Runs `base` until `done()` or `limit` passes; false on timeout.
bool run_until(event_base* base, const std::function<bool()>& done,
               std::chrono::milliseconds limit = std::chrono::milliseconds(10000));

}  // namespace hookgate::gateway::outbound::testing
