#include "h2_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace hookgate::testing {
namespace {

int connect_loopback(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

}  // namespace

struct H2Client::Stream {
  std::string body;
  size_t sent = 0;
  Result result;
};

struct H2Client::Callbacks {
  static H2Client& self(void* user) { return *static_cast<H2Client*>(user); }
  static Stream* find(void* user, int32_t id) {
    auto& streams = self(user).streams_;
    const auto it = streams.find(id);
    return it == streams.end() ? nullptr : it->second.get();
  }
  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t name_length,
                       const uint8_t* value, size_t value_length, uint8_t, void* user) {
    Stream* stream = find(user, frame->hd.stream_id);
    if (!stream) return 0;
    std::string n(reinterpret_cast<const char*>(name), name_length);
    std::string v(reinterpret_cast<const char*>(value), value_length);
    if (n == ":status") {
      stream->result.status = std::stoi(v);
    } else {
      stream->result.headers.emplace_back(std::move(n), std::move(v));
    }
    return 0;
  }
  static int on_data(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t length, void* user) {
    if (Stream* stream = find(user, id)) stream->result.body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }
  static int on_close(nghttp2_session*, int32_t id, uint32_t error_code, void* user) {
    if (Stream* stream = find(user, id)) {
      stream->result.closed = true;
      stream->result.error_code = error_code;
    }
    return 0;
  }
  static int on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type == NGHTTP2_GOAWAY) self(user).goaway_error_ = frame->goaway.error_code;
    return 0;
  }
  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buffer, size_t length, uint32_t* flags,
                           nghttp2_data_source* source, void*) {
    auto* stream = static_cast<Stream*>(source->ptr);
    const size_t n = std::min(length, stream->body.size() - stream->sent);
    std::memcpy(buffer, stream->body.data() + stream->sent, n);
    stream->sent += n;
    if (stream->sent == stream->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

H2Client::H2Client(uint16_t port, Options options) {
  fd_ = connect_loopback(port);
  if (fd_ < 0) {
    error_ = "connect failed";
    return;
  }
  if (options.tls) {
    ssl_ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ssl_ctx_, options.ca_cert.c_str(), nullptr);
    SSL_CTX_set_verify(ssl_ctx_, SSL_VERIFY_PEER, nullptr);
    static const unsigned char alpn[] = {2, 'h', '2'};
    SSL_CTX_set_alpn_protos(ssl_ctx_, alpn, sizeof alpn);
    ssl_ = SSL_new(ssl_ctx_);
    if (options.server_name.empty()) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    } else {
      // SSL_set_tlsext_host_name, without the macro's C-style cast.
      SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(options.server_name.c_str()));
      SSL_set1_host(ssl_, options.server_name.c_str());
    }
    SSL_set_fd(ssl_, fd_);
    if (SSL_connect(ssl_) != 1) {
      char text[256];
      ERR_error_string_n(ERR_get_error(), text, sizeof text);
      error_ = std::string("TLS handshake failed: ") + text;
      return;
    }
    const unsigned char* chosen = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(ssl_, &chosen, &length);
    if (std::string_view(reinterpret_cast<const char*>(chosen), chosen ? length : 0) != "h2") {
      error_ = "server did not select h2";
      return;
    }
  }
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Callbacks::on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::on_close);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Callbacks::on_frame);
  nghttp2_session_client_new(&session_, callbacks, this);
  nghttp2_session_callbacks_del(callbacks);
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
}

H2Client::~H2Client() {
  if (session_) nghttp2_session_del(session_);
  if (ssl_) SSL_free(ssl_);
  if (ssl_ctx_) SSL_CTX_free(ssl_ctx_);
  if (fd_ >= 0) close(fd_);
}

int32_t H2Client::submit(const std::string& method, const std::string& path, const Headers& headers,
                         const std::string& body) {
  Headers all = {{":method", method}, {":scheme", ssl_ ? "https" : "http"}, {":authority", "hooks.test"}, {":path", path}};
  if (!body.empty()) all.emplace_back("content-length", std::to_string(body.size()));
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    all.emplace_back(std::move(lower), value);
  }
  std::vector<nghttp2_nv> nva;
  for (const auto& [name, value] : all) {
    nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                   NGHTTP2_NV_FLAG_NONE});
  }
  auto stream = std::make_unique<Stream>();
  stream->body = body;
  nghttp2_data_provider provider;
  provider.source.ptr = stream.get();
  provider.read_callback = &Callbacks::read_body;
  const int32_t id = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), body.empty() ? nullptr : &provider, nullptr);
  if (id > 0) streams_[id] = std::move(stream);
  return id;
}

bool H2Client::write_all(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ssl_ ? SSL_write(ssl_, bytes.data() + sent, static_cast<int>(bytes.size() - sent))
                           : ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

ssize_t H2Client::read_some(char* buffer, size_t size) {
  if (ssl_) return SSL_read(ssl_, buffer, static_cast<int>(size));
  return ::recv(fd_, buffer, size, 0);
}

bool H2Client::run(std::chrono::milliseconds timeout) {
  if (!session_) return false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto all_closed = [this] {
    for (const auto& [id, stream] : streams_) {
      if (!stream->result.closed) return false;
    }
    return true;
  };
  for (;;) {
    std::string out;
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (!out.empty() && !write_all(out)) {
      peer_closed_ = true;
      return all_closed();
    }
    if (all_closed()) return true;
    if (peer_closed_) return false;
    if (!ssl_ || SSL_pending(ssl_) == 0) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
    }
    char buffer[16384];
    const ssize_t n = read_some(buffer, sizeof buffer);
    if (n <= 0) {
      peer_closed_ = true;
      return all_closed();
    }
    if (nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(buffer), static_cast<size_t>(n)) < 0) {
      peer_closed_ = true;
      return all_closed();
    }
  }
}

H2Client::Result H2Client::request(const std::string& method, const std::string& path, const Headers& headers,
                                   const std::string& body) {
  const int32_t id = submit(method, path, headers, body);
  if (id <= 0) return {};
  run();
  return result(id);
}

const H2Client::Result& H2Client::result(int32_t stream_id) const { return streams_.at(stream_id)->result; }

std::string H2Client::peer_certificate_cn() const {
  if (!ssl_) return "";
  X509* cert = SSL_get1_peer_certificate(ssl_);
  if (!cert) return "";
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return cn;
}

uint32_t H2Frame::error_code() const {
  // RST_STREAM: the code; GOAWAY: last-stream-id, then the code.
  const size_t at = type == 0x7 ? 4 : 0;
  if (payload.size() < at + 4) return 0;
  uint32_t code = 0;
  for (size_t i = 0; i < 4; ++i) code = (code << 8) | static_cast<uint8_t>(payload[at + i]);
  return code;
}

std::string h2_frame(uint8_t type, uint8_t flags, uint32_t stream_id, const std::string& payload) {
  std::string out;
  const auto length = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>((length >> 16) & 0xff));
  out.push_back(static_cast<char>((length >> 8) & 0xff));
  out.push_back(static_cast<char>(length & 0xff));
  out.push_back(static_cast<char>(type));
  out.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((stream_id >> shift) & 0xff));
  return out + payload;
}

namespace {

// RFC 7541 §5.1 integer with a 7-bit prefix (H bit clear: no Huffman).
void hpack_string(std::string& out, const std::string& text) {
  size_t n = text.size();
  if (n < 127) {
    out.push_back(static_cast<char>(n));
  } else {
    out.push_back(static_cast<char>(127));
    n -= 127;
    while (n >= 128) {
      out.push_back(static_cast<char>((n % 128) + 128));
      n /= 128;
    }
    out.push_back(static_cast<char>(n));
  }
  out += text;
}

}  // namespace

std::string hpack_literal(const std::string& name, const std::string& value) {
  std::string out(1, '\0');  // literal without indexing, new name
  hpack_string(out, name);
  hpack_string(out, value);
  return out;
}

std::string hpack_request(const std::string& path, const Headers& extra) {
  std::string block = hpack_literal(":method", "POST") + hpack_literal(":scheme", "http") +
                      hpack_literal(":authority", "hooks.test") + hpack_literal(":path", path);
  for (const auto& [name, value] : extra) block += hpack_literal(name, value);
  return block;
}

std::string h2_client_start() {
  return std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + h2_frame(0x4, 0, 0, "");
}

RawH2Connection::RawH2Connection(uint16_t port) : fd_(connect_loopback(port)) {
  if (fd_ >= 0) fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

RawH2Connection::~RawH2Connection() {
  if (fd_ >= 0) close(fd_);
}

size_t RawH2Connection::send(const std::string& bytes, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t sent = 0;
  while (sent < bytes.size() && fd_ >= 0) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      if (poll(&p, 1, remaining_ms(deadline)) <= 0) break;
      continue;
    }
    closed_ = true;  // reset by the server
    break;
  }
  return sent;
}

std::vector<H2Frame> RawH2Connection::read_until_goaway(std::chrono::milliseconds timeout) {
  std::vector<H2Frame> frames;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    while (buffer_.size() >= 9) {
      const size_t length = (static_cast<size_t>(static_cast<uint8_t>(buffer_[0])) << 16) |
                            (static_cast<size_t>(static_cast<uint8_t>(buffer_[1])) << 8) |
                            static_cast<uint8_t>(buffer_[2]);
      if (buffer_.size() < 9 + length) break;
      H2Frame frame;
      frame.type = static_cast<uint8_t>(buffer_[3]);
      frame.flags = static_cast<uint8_t>(buffer_[4]);
      for (int i = 5; i < 9; ++i) frame.stream_id = (frame.stream_id << 8) | static_cast<uint8_t>(buffer_[static_cast<size_t>(i)]);
      frame.stream_id &= 0x7fffffff;
      frame.payload = buffer_.substr(9, length);
      buffer_.erase(0, 9 + length);
      frames.push_back(std::move(frame));
      if (frames.back().type == 0x7) return frames;
    }
    if (closed_ || fd_ < 0) return frames;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, remaining_ms(deadline)) <= 0) return frames;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
      closed_ = true;
      continue;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace hookgate::testing
