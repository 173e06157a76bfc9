// Two HTTP/2 clients for black-box tests:
//   - H2Client: a well-behaved client on nghttp2's client session over a blocking socket,
//     cleartext (prior knowledge) or TLS (ALPN h2, certificate checked against a CA), that
//     keeps one connection open across requests;
//   - RawH2Connection: bytes exactly as a test writes them (hostile frames), and the
//     server's frames read back by type without decoding their header blocks.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness.h"

struct nghttp2_session;
struct ssl_st;
struct ssl_ctx_st;

namespace hookgate::testing {

class H2Client {
 public:
  struct Options {
    bool tls = false;
    std::string ca_cert;      // TLS: verify the server against this CA
    std::string server_name;  // TLS: SNI (and the name checked); empty = none, IP checked
  };
  struct Result {
    int status = 0;
    Headers headers;
    std::string body;
    bool closed = false;
    uint32_t error_code = 0;  // RST_STREAM code when reset
  };

  H2Client(uint16_t port, Options options);
  explicit H2Client(uint16_t port) : H2Client(port, Options{}) {}
  ~H2Client();
  H2Client(const H2Client&) = delete;
  H2Client& operator=(const H2Client&) = delete;

  [[nodiscard]] bool connected() const { return session_ != nullptr; }
  [[nodiscard]] const std::string& error() const { return error_; }

  // Queues a request; the body goes out as DATA with a content-length field.
  int32_t submit(const std::string& method, const std::string& path, const Headers& headers, const std::string& body);
  // Moves bytes until every submitted stream is closed, the connection ends, or timeout.
  // True when every stream closed.
  bool run(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // One request, run to completion.
  Result request(const std::string& method, const std::string& path, const Headers& headers, const std::string& body);

  [[nodiscard]] const Result& result(int32_t stream_id) const;
  [[nodiscard]] std::optional<uint32_t> goaway_error() const { return goaway_error_; }
  [[nodiscard]] bool peer_closed() const { return peer_closed_; }
  // TLS: the subject CN of the server's certificate on this connection.
  [[nodiscard]] std::string peer_certificate_cn() const;

 private:
  struct Stream;
  struct Callbacks;
  bool write_all(const std::string& bytes);
  ssize_t read_some(char* buffer, size_t size);

  int fd_ = -1;
  ssl_ctx_st* ssl_ctx_ = nullptr;
  ssl_st* ssl_ = nullptr;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::unique_ptr<Stream>> streams_;
  std::optional<uint32_t> goaway_error_;
  bool peer_closed_ = false;
  std::string error_;
};

struct H2Frame {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream_id = 0;
  std::string payload;
  // GOAWAY / RST_STREAM: the error code.
  [[nodiscard]] uint32_t error_code() const;
};

// Frame and header-block builders for raw tests.
[[nodiscard]] std::string h2_frame(uint8_t type, uint8_t flags, uint32_t stream_id, const std::string& payload);
// An HPACK "literal field without indexing, new name" (RFC 7541 §6.2.2), no Huffman.
[[nodiscard]] std::string hpack_literal(const std::string& name, const std::string& value);
// The header block of a POST to `path` on authority "hooks.test", scheme http.
[[nodiscard]] std::string hpack_request(const std::string& path, const Headers& extra = {});

class RawH2Connection {
 public:
  explicit RawH2Connection(uint16_t port);
  ~RawH2Connection();
  RawH2Connection(const RawH2Connection&) = delete;
  RawH2Connection& operator=(const RawH2Connection&) = delete;

  [[nodiscard]] bool connected() const { return fd_ >= 0; }
  // Sends everything unless the server stops reading or closes before `timeout`; returns how
  // many bytes went out.
  size_t send(const std::string& bytes, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads frames until a GOAWAY, the server closing, or `timeout`; returns them.
  std::vector<H2Frame> read_until_goaway(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  [[nodiscard]] bool closed_by_peer() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
  std::string buffer_;
};

// The client connection preface plus an empty SETTINGS frame.
[[nodiscard]] std::string h2_client_start();

}  // namespace hookgate::testing
