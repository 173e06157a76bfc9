#include "gateway/connections/http2_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "gateway/http/request.h"
#include "gateway/http/request_target.h"

namespace hookgate::gateway::connections {
namespace {

constexpr std::size_t kBodyPadding = http::Request::kBodyPadding;
// A declared content-length is trusted for at most this much memory before the bytes come:
// streams that declare much and send little must not reserve much (as in HTTP/1.1).
constexpr uint64_t kMaxUpfrontBodyReserve = 64 * 1024;

// Windows: a stream may send a default-sized (1 MiB) body without waiting for a
// WINDOW_UPDATE round trip, and sixteen such bodies may be in flight on one connection.
// Neither lets a peer make us buffer more: bodies are capped by max_body whatever the window.
constexpr int32_t kStreamWindow = 1 << 20;
constexpr int32_t kConnectionWindow = 16 << 20;

// Rapid reset (CVE-2023-44487): a webhook sender has no reason to cancel requests, so the
// token bucket is tighter than nghttp2's default (1000 burst, 33/s).
constexpr uint64_t kResetBurst = 200;
constexpr uint64_t kResetsPerSecond = 33;
// Zero-length DATA without END_STREAM does nothing useful; nghttp2 1.52 does not bound it.
constexpr uint32_t kEmptyDataFrameBudget = 1000;

// A field an HTTP/2 response must not carry (RFC 9113 §8.2.2).
bool connection_specific(std::string_view lowercase_name) {
  return lowercase_name == "connection" || lowercase_name == "keep-alive" ||
         lowercase_name == "proxy-connection" || lowercase_name == "transfer-encoding" ||
         lowercase_name == "upgrade";
}

void to_lower(std::string& text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

nghttp2_nv make_nv(std::string_view name, std::string_view value) {
  // NO_COPY: the strings live in the Stream until nghttp2 closes it, after the frame is sent.
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

}  // namespace

Http2Limits Http2Limits::from(const config::ServerConfig& server) {
  Http2Limits limits;
  limits.max_concurrent_streams = server.http2.max_concurrent_streams;
  limits.max_header_list_size = server.http2.max_header_list_size;
  limits.max_header_bytes = server.max_header_bytes;
  limits.max_headers = server.max_headers;
  limits.max_body = server.max_body;
  return limits;
}

struct Http2Session::Stream {
  enum class State {
    receiving,   // headers or body still arriving
    dispatched,  // handed to the Handler, waiting for respond()
    answering,   // a response is submitted
  };

  int32_t id = 0;
  State state = State::receiving;
  Http2Session::TimePoint opened_at{};
  Stream* older = nullptr;  // the incomplete list, while receiving
  Stream* newer = nullptr;
  bool in_trailers = false;
  // Answered by the session itself (413, 431, 408…), maybe before the request ended. Its
  // later DATA is discarded; past a budget the client is asked to stop (reset_wanted).
  bool rejected = false;
  bool answer_sent = false;
  bool reset_wanted = false;
  bool reset_sent = false;
  uint64_t discarded = 0;
  bool head_too_large = false;
  uint64_t declared_length = UINT64_MAX;  // content-length; UINT64_MAX when none
  uint32_t header_bytes = 0;
  uint32_t header_fields = 0;
  uint64_t header_list_size = 0;
  std::string target;  // :path
  InboundRequest request;

  Response response;
  std::array<char, 4> status{};
  std::array<char, 24> content_length{};
  size_t body_sent = 0;
};

void Http2Session::SessionDeleter::operator()(nghttp2_session* session) const { nghttp2_session_del(session); }

// The C-callback trampolines: each finds the session in user_data and the stream in the
// stream's user data, and returns 0 unless the whole connection must go.
struct Http2Session::Callbacks {
  static Http2Session& self(void* user_data) { return *static_cast<Http2Session*>(user_data); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    Http2Session& session = self(user_data);
    if (frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      Stream* stream = session.acquire(frame->hd.stream_id);
      nghttp2_session_set_stream_user_data(session.session_.get(), frame->hd.stream_id, stream);
    } else if (Stream* stream = session.stream(frame->hd.stream_id)) {
      stream->in_trailers = true;
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name_bytes, size_t name_length,
                       const uint8_t* value_bytes, size_t value_length, uint8_t, void* user_data) {
    Http2Session& session = self(user_data);
    Stream* stream = session.stream(frame->hd.stream_id);
    // Trailer fields are not part of what is stored (HTTP/1.1 drops them too).
    if (!stream || stream->in_trailers || stream->head_too_large) return 0;
    const std::string_view name(reinterpret_cast<const char*>(name_bytes), name_length);
    const std::string_view value(reinterpret_cast<const char*>(value_bytes), value_length);
    const bool pseudo = !name.empty() && name.front() == ':';
    stream->header_bytes += static_cast<uint32_t>(std::min<size_t>(name_length + value_length + 4, UINT32_MAX));
    stream->header_list_size += name_length + value_length + 32;
    if (!pseudo) ++stream->header_fields;
    const Http2Limits& limits = session.limits_;
    if (stream->header_bytes > limits.max_header_bytes || stream->header_fields > limits.max_headers ||
        stream->header_list_size > limits.max_header_list_size) {
      // Keep decoding (HPACK state is shared by the connection) but keep nothing more.
      stream->head_too_large = true;
      stream->request.headers = {};
      stream->target = {};
      return 0;
    }
    if (pseudo) {
      // nghttp2 has checked the pseudo-header fields (known names, once each, before the
      // others); :scheme and :authority are not part of the stored request.
      if (name == ":method") {
        stream->request.method.assign(value);
      } else if (name == ":path") {
        stream->target.assign(value);
      } else if (name == ":authority") {
        stream->request.authority.assign(value);
      }
      return 0;
    }
    auto& headers = stream->request.headers;
    if (headers.empty()) headers.reserve(16);  // one allocation for a typical webhook's fields
    headers.push_back({std::string(name), std::string(value)});
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data, size_t length,
                           void* user_data) {
    Http2Session& session = self(user_data);
    Stream* stream = session.stream(stream_id);
    if (!stream) return 0;
    if (stream->state != Stream::State::receiving) {
      // Discarded (still credited to flow control). Clients finish sending a body they
      // declared before they read the answer (curl 7.88 fails if reset before), so up to
      // twice max_body is let through; beyond it the stream is reset.
      if (stream->rejected) {
        stream->discarded += length;
        if (stream->discarded > session.limits_.max_body * 2) {
          stream->reset_wanted = true;
          session.reset_if_wanted(*stream);
        }
      }
      return 0;
    }
    std::string& body = stream->request.body;
    if (length > session.limits_.max_body - std::min<uint64_t>(session.limits_.max_body, body.size())) {
      session.reject(*stream, 413, "payload_too_large");
      return 0;
    }
    const size_t need = body.size() + length + kBodyPadding;
    if (need > body.capacity()) {
      // Geometric growth, never past what the body may still become.
      const size_t ceiling =
          static_cast<size_t>(std::min(session.limits_.max_body, stream->declared_length)) + kBodyPadding;
      body.reserve(std::max(need, std::min(body.capacity() * 2, ceiling)));
    }
    body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    Http2Session& session = self(user_data);
    const bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    switch (frame->hd.type) {
      case NGHTTP2_HEADERS:
        if (Stream* stream = session.stream(frame->hd.stream_id)) {
          if (frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
            session.header_block_done(*stream, end_stream);
          } else if (end_stream) {
            session.complete(*stream);  // after trailers
          }
        }
        return 0;
      case NGHTTP2_DATA:
        if (frame->hd.length == 0 && !end_stream && ++session.empty_data_frames_ > kEmptyDataFrameBudget) {
          session.error_ = "too many empty DATA frames";
          nghttp2_session_terminate_session(session.session_.get(), NGHTTP2_ENHANCE_YOUR_CALM);
          return 0;
        }
        if (end_stream) {
          if (Stream* stream = session.stream(frame->hd.stream_id)) session.complete(*stream);
        }
        return 0;
      default:
        return 0;
    }
  }

  static int on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if ((frame->hd.type != NGHTTP2_DATA && frame->hd.type != NGHTTP2_HEADERS) ||
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) {
      return 0;
    }
    Http2Session& session = self(user_data);
    if (Stream* stream = session.stream(frame->hd.stream_id)) {
      stream->answer_sent = true;
      session.reset_if_wanted(*stream);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t, void* user_data) {
    Http2Session& session = self(user_data);
    if (Stream* stream = session.stream(stream_id)) {
      nghttp2_session_set_stream_user_data(session.session_.get(), stream_id, nullptr);
      session.release(stream);
      session.handler_.on_stream_closed(stream_id);
    }
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buffer, size_t length, uint32_t* flags,
                           nghttp2_data_source* source, void*) {
    auto* stream = static_cast<Stream*>(source->ptr);
    const std::string& body = stream->response.body;
    const size_t n = std::min(length, body.size() - stream->body_sent);
    std::memcpy(buffer, body.data() + stream->body_sent, n);
    stream->body_sent += n;
    if (stream->body_sent == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

namespace {

// The callbacks and options are the same for every session: built once per process.
struct Setup {
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_option* option = nullptr;

  Setup() {
    if (nghttp2_session_callbacks_new(&callbacks) != 0 || nghttp2_option_new(&option) != 0) return;
    using C = Http2Session::Callbacks;
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &C::on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &C::on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &C::on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &C::on_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &C::on_stream_close);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &C::on_frame_send);

    // Flood limits, explicit even where they equal nghttp2's defaults, so that a library
    // upgrade cannot loosen them silently.
    nghttp2_option_set_max_outbound_ack(option, 1000);
    nghttp2_option_set_max_settings(option, 32);
    nghttp2_option_set_stream_reset_rate_limit(option, kResetBurst, kResetsPerSecond);
    nghttp2_option_set_max_continuations(option, 8);
    // No priority tree: closed streams need not be remembered.
    nghttp2_option_set_no_closed_streams(option, 1);
  }
  ~Setup() {
    nghttp2_session_callbacks_del(callbacks);
    nghttp2_option_del(option);
  }
};

const Setup& setup() {
  static const Setup instance;
  return instance;
}

}  // namespace

Http2Session::Http2Session(const Http2Limits& limits, Handler& handler) : limits_(limits), handler_(handler) {}

Http2Session::~Http2Session() = default;

std::unique_ptr<Http2Session> Http2Session::create(const Http2Limits& limits, Handler& handler) {
  const Setup& shared = setup();
  if (!shared.callbacks || !shared.option) return nullptr;
  std::unique_ptr<Http2Session> session(new Http2Session(limits, handler));
  nghttp2_session* raw = nullptr;
  if (nghttp2_session_server_new2(&raw, shared.callbacks, session.get(), shared.option) != 0) return nullptr;
  session->session_.reset(raw);
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, limits.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(kStreamWindow)},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, limits.max_header_list_size},
      {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
  };
  if (nghttp2_submit_settings(raw, NGHTTP2_FLAG_NONE, settings, std::size(settings)) != 0 ||
      nghttp2_session_set_local_window_size(raw, NGHTTP2_FLAG_NONE, 0, kConnectionWindow) != 0) {
    return nullptr;
  }
  return session;
}

bool Http2Session::receive(std::string_view bytes, TimePoint now) {
  now_ = now;
  const ssize_t used =
      nghttp2_session_mem_recv(session_.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (used < 0) {
    error_ = nghttp2_strerror(static_cast<int>(used));
    return false;
  }
  return true;
}

std::optional<std::string_view> Http2Session::next_output() {
  const uint8_t* data = nullptr;
  const ssize_t n = nghttp2_session_mem_send(session_.get(), &data);
  if (n < 0) {
    error_ = nghttp2_strerror(static_cast<int>(n));
    return std::nullopt;
  }
  return std::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
}

bool Http2Session::finished() const {
  return nghttp2_session_want_read(session_.get()) == 0 && nghttp2_session_want_write(session_.get()) == 0;
}

void Http2Session::shutdown() {
  (void)nghttp2_submit_goaway(session_.get(), NGHTTP2_FLAG_NONE,
                              nghttp2_session_get_last_proc_stream_id(session_.get()), NGHTTP2_NO_ERROR,
                              nullptr, 0);
}

void Http2Session::terminate(uint32_t error_code) {
  (void)nghttp2_session_terminate_session(session_.get(), error_code);
}

Http2Session::Stream* Http2Session::stream(int32_t stream_id) const {
  return static_cast<Stream*>(nghttp2_session_get_stream_user_data(session_.get(), stream_id));
}

Http2Session::Stream* Http2Session::acquire(int32_t stream_id) {
  Stream* stream;
  if (free_streams_.empty()) {
    streams_.push_back(std::make_unique<Stream>());
    stream = streams_.back().get();
  } else {
    stream = free_streams_.back();
    free_streams_.pop_back();
  }
  stream->id = stream_id;
  stream->opened_at = now_;
  // Append to the incomplete list: `now_` never decreases, so it stays ordered by start.
  stream->older = newest_;
  if (newest_) newest_->newer = stream; else oldest_ = stream;
  newest_ = stream;
  ++live_streams_;
  return stream;
}

void Http2Session::stop_receiving(Stream& stream) {
  if (stream.state != Stream::State::receiving) return;
  if (stream.older) stream.older->newer = stream.newer; else oldest_ = stream.newer;
  if (stream.newer) stream.newer->older = stream.older; else newest_ = stream.older;
  stream.older = stream.newer = nullptr;
}

std::optional<Http2Session::TimePoint> Http2Session::oldest_incomplete() const {
  if (!oldest_) return std::nullopt;
  return oldest_->opened_at;
}

size_t Http2Session::expire_incomplete(TimePoint cutoff) {
  size_t expired = 0;
  while (oldest_ && oldest_->opened_at < cutoff) {
    reject(*oldest_, 408, "request_timeout");  // leaves the list
    ++expired;
  }
  return expired;
}

void Http2Session::release(Stream* stream) {
  stop_receiving(*stream);
  *stream = Stream{};  // drops what the request and answer still held
  free_streams_.push_back(stream);
  --live_streams_;
}

void Http2Session::header_block_done(Stream& stream, bool end_stream) {
  if (stream.state != Stream::State::receiving) return;
  if (stream.head_too_large) {
    reject(stream, 431, "header_fields_too_large");
    return;
  }
  if (!end_stream) {
    // nghttp2 has checked that content-length is a number and that DATA will match it.
    for (const auto& field : stream.request.headers) {
      if (!iequals(field.name, "content-length")) continue;
      uint64_t declared = 0;
      const auto [end, error] = std::from_chars(field.value.data(), field.value.data() + field.value.size(), declared);
      if (error != std::errc() || declared > limits_.max_body) {
        reject(stream, 413, "payload_too_large");
        return;
      }
      stream.declared_length = declared;
      stream.request.body.reserve(static_cast<size_t>(std::min(declared, kMaxUpfrontBodyReserve)) + kBodyPadding);
      break;
    }
    return;
  }
  complete(stream);
}

void Http2Session::complete(Stream& stream) {
  if (stream.state != Stream::State::receiving) return;
  // The same target rules as HTTP/1.1: routing is exact on the raw path, so whatever a later
  // hop might normalise differently ("..", a fragment) is refused.
  const http::TargetParts parts = http::split_request_target(stream.request.method, stream.target);
  if (!parts.ok) {
    reject(stream, 400, "bad_request");
    return;
  }
  InboundRequest& request = stream.request;
  request.path.assign(parts.path);
  request.query.assign(parts.query);
  std::string& body = request.body;
  const size_t size = body.size();
  if (body.capacity() < size + kBodyPadding) body.reserve(size + kBodyPadding);
  // Zeros in the padding without reallocating; shrinking back keeps the capacity.
  body.append(kBodyPadding, '\0');
  body.resize(size);
  stop_receiving(stream);
  stream.state = Stream::State::dispatched;
  handler_.on_request(stream.id, std::move(request));
}

void Http2Session::reject(Stream& stream, int status, std::string_view reason) {
  stream.request = InboundRequest{};
  stream.target = {};
  stream.rejected = true;
  // A peer too slow to finish its request in time gets no more time to send the rest.
  stream.reset_wanted = status == 408;
  handler_.on_stream_rejected(stream.id, status, reason);
  (void)submit(stream, error_response(status, reason));
}

void Http2Session::reset_if_wanted(Stream& stream) {
  // Only once the answer is out: nghttp2 sends RST_STREAM ahead of queued DATA.
  if (!stream.reset_wanted || !stream.answer_sent || stream.reset_sent) return;
  if (nghttp2_session_get_stream_remote_close(session_.get(), stream.id) != 0) return;
  stream.reset_sent = true;
  // RFC 9113 §8.1: the answer is complete, the rest of the request is not wanted.
  (void)nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, stream.id, NGHTTP2_NO_ERROR);
}

bool Http2Session::respond(int32_t stream_id, Response response) {
  Stream* stream = this->stream(stream_id);
  if (!stream || stream->state != Stream::State::dispatched) return false;
  return submit(*stream, std::move(response));
}

bool Http2Session::submit(Stream& stream, Response&& response) {
  stop_receiving(stream);
  stream.state = Stream::State::answering;
  stream.response = std::move(response);
  Response& r = stream.response;
  const int status = (r.status >= 100 && r.status <= 999) ? r.status : 500;
  std::to_chars(stream.status.data(), stream.status.data() + 3, status);
  const auto length_end =
      std::to_chars(stream.content_length.data(), stream.content_length.data() + stream.content_length.size(),
                    r.body.size())
          .ptr;

  // :status, content-type, content-length and the extras; a small array covers every answer
  // the pipeline gives, a vector the rest.
  std::array<nghttp2_nv, 8> fixed;
  std::vector<nghttp2_nv> spill;
  nghttp2_nv* nva = fixed.data();
  const size_t capacity = 3 + r.headers.size();
  if (capacity > fixed.size()) {
    spill.resize(capacity);
    nva = spill.data();
  }
  size_t n = 0;
  nva[n++] = make_nv(":status", std::string_view(stream.status.data(), 3));
  if (!r.content_type.empty()) nva[n++] = make_nv("content-type", r.content_type);
  nva[n++] = make_nv("content-length",
                     std::string_view(stream.content_length.data(),
                                      static_cast<size_t>(length_end - stream.content_length.data())));
  for (auto& [name, value] : r.headers) {
    to_lower(name);  // HTTP/2 field names are lowercase
    if (connection_specific(name) || name == "content-length" || name == "content-type") continue;
    nva[n++] = make_nv(name, value);
  }

  nghttp2_data_provider body;
  body.source.ptr = &stream;
  body.read_callback = &Callbacks::read_body;
  return nghttp2_submit_response(session_.get(), stream.id, nva, n, r.body.empty() ? nullptr : &body) == 0;
}

}  // namespace hookgate::gateway::connections
