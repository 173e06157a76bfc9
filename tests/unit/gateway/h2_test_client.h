// An HTTP/2 client in memory, on nghttp2's client session: requests in, bytes out (the
// client preface first), bytes in, streams' answers out. Shared by the session tests (bytes
// straight to the sans-I/O session) and the connection tests (bytes over a socket).
#pragma once

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hookgate::gateway::testing {

// An HTTP/2 client in memory, on nghttp2's client session.
class Client {
 public:
  struct Stream {
    std::string body_to_send;
    size_t sent = 0;
    bool hold_body = false;  // DATA deferred until release()
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
    bool closed = false;
    uint32_t close_error = 0;
    bool reset_received = false;
  };

  Client() {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Client::on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Client::on_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Client::on_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Client::on_frame);
    nghttp2_session_client_new(&session_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  ~Client() { nghttp2_session_del(session_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POST (or `method`) with the given fields; a content-length field is added when
  // `declare_length`. The body goes out as DATA unless `hold_body`.
  int32_t request(const std::string& path, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> fields = {}, bool declare_length = true,
                  bool hold_body = false, const std::string& method = "POST") {
    std::vector<std::pair<std::string, std::string>> all = {
        {":method", method}, {":scheme", "http"}, {":authority", "hooks.test"}, {":path", path}};
    if (declare_length) all.emplace_back("content-length", std::to_string(body.size()));
    for (auto& f : fields) all.push_back(std::move(f));
    std::vector<nghttp2_nv> nva;
    for (const auto& [name, value] : all) {
      nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                     reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                     NGHTTP2_NV_FLAG_NONE});
    }
    auto stream = std::make_unique<Stream>();
    stream->body_to_send = body;
    stream->hold_body = hold_body;
    nghttp2_data_provider provider;
    provider.source.ptr = stream.get();
    provider.read_callback = &Client::read_body;
    const bool has_body = !body.empty() || hold_body;
    const int32_t id = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), has_body ? &provider : nullptr, nullptr);
    streams_[id] = std::move(stream);
    return id;
  }

  void release(int32_t id) {
    streams_.at(id)->hold_body = false;
    nghttp2_session_resume_data(session_, id);
  }
  void reset(int32_t id, uint32_t code = NGHTTP2_CANCEL) { nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, code); }

  std::string output() {
    std::string out;
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    return out;
  }
  void input(const std::string& bytes) {
    raw_input += bytes;
    nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }

  Stream& stream(int32_t id) { return *streams_.at(id); }
  std::optional<uint32_t> goaway_error;
  std::string raw_input;

 private:
  static Client& self(void* user) { return *static_cast<Client*>(user); }
  Stream* find(int32_t id) {
    auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : it->second.get();
  }
  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* user) {
    Stream* s = self(user).find(frame->hd.stream_id);
    if (!s) return 0;
    const std::string n(reinterpret_cast<const char*>(name), namelen), v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") s->status = std::stoi(v);
    else s->headers[n] = v;
    return 0;
  }
  static int on_data(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len, void* user) {
    if (Stream* s = self(user).find(id)) s->body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }
  static int on_close(nghttp2_session*, int32_t id, uint32_t error, void* user) {
    if (Stream* s = self(user).find(id)) {
      s->closed = true;
      s->close_error = error;
    }
    return 0;
  }
  static int on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type == NGHTTP2_GOAWAY) self(user).goaway_error = frame->goaway.error_code;
    if (frame->hd.type == NGHTTP2_RST_STREAM) {
      if (Stream* s = self(user).find(frame->hd.stream_id)) s->reset_received = true;
    }
    return 0;
  }
  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source* source, void*) {
    auto* s = static_cast<Stream*>(source->ptr);
    if (s->hold_body) return NGHTTP2_ERR_DEFERRED;
    const size_t n = std::min(length, s->body_to_send.size() - s->sent);
    std::memcpy(buf, s->body_to_send.data() + s->sent, n);
    s->sent += n;
    if (s->sent == s->body_to_send.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::unique_ptr<Stream>> streams_;
};

}  // namespace hookgate::gateway::testing
