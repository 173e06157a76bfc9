#include "gateway/connections/http1_connection.h"

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <span>
#include <vector>

#include "gateway/connections/request_id.h"
#include "gateway/http1/response_writer.h"
#include "gateway/loop/log_line.h"

namespace hookgate::gateway::connections {
namespace {

// Reading stays on while a request is being answered (turning it off and on again costs two
// epoll_ctl calls per request), so pipelined bytes pile up in the input buffer meanwhile; past
// this many, libevent stops reading until the parser has taken them.
constexpr size_t kMaxBufferedInput = 64 * 1024;
// What one read of a plain socket asks for, as much as libevent's bufferevents read at once.
constexpr size_t kReadSize = 16 * 1024;

http1::Limits parser_limits(const config::ServerConfig& server) {
  http1::Limits limits;
  limits.max_header_bytes = server.max_header_bytes;
  limits.max_headers = server.max_headers;
  limits.max_body = server.max_body;
  return limits;
}

timeval to_timeval(config::Duration d) {
  const auto ms = d.count();
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

InboundRequest to_inbound(http::Request&& parsed, const std::string& peer, std::string request_id) {
  InboundRequest request;
  request.method = std::move(parsed.method);
  request.path = std::move(parsed.path);
  request.query = std::move(parsed.query);
  request.headers.reserve(parsed.headers.size());
  for (auto& h : parsed.headers) request.headers.push_back({std::move(h.name), std::move(h.value)});
  request.body = std::move(parsed.body);
  request.peer = peer;
  request.request_id = std::move(request_id);
  return request;
}

// One readv of up to kReadSize bytes from `fd` onto the end of `input` (which must not be
// frozen): what readv returned, errno set when negative.
ssize_t read_into(evutil_socket_t fd, evbuffer* input) {
  std::array<evbuffer_iovec, 2> space;
  const int chunks = evbuffer_reserve_space(input, kReadSize, space.data(), static_cast<int>(space.size()));
  if (chunks < 1) {
    errno = ENOMEM;
    return -1;
  }
  std::array<iovec, 2> targets;
  for (int i = 0; i < chunks; ++i) targets[i] = iovec{space[i].iov_base, space[i].iov_len};
  const ssize_t n = ::readv(fd, targets.data(), chunks);
  if (n <= 0) return n;
  size_t left = static_cast<size_t>(n);
  for (int i = 0; i < chunks; ++i) {
    space[i].iov_len = std::min(space[i].iov_len, left);
    left -= space[i].iov_len;
  }
  evbuffer_commit_space(input, space.data(), chunks);
  return n;
}

}  // namespace

Http1Connection::Http1Connection(ConnectionContext& context, loop::BufferEventPtr bev, std::string peer,
                                 uint64_t connection_id)
    : context_(context),
      bev_(std::move(bev)),
      deadline_(event_new(context.loop.base(), -1, 0, &Http1Connection::on_deadline, this)),
      peer_(std::move(peer)),
      connection_id_(connection_id),
      parser_(parser_limits(context.limits)),
      plain_socket_(bufferevent_openssl_get_ssl(bev_.get()) == nullptr) {}

Http1Connection::~Http1Connection() = default;

void Http1Connection::start() {
  bufferevent_setcb(bev_.get(), &Http1Connection::on_read, &Http1Connection::on_write,
                    &Http1Connection::on_event, this);
  // A peer that stops reading our answers is dropped after the idle timeout.
  const timeval write_timeout = to_timeval(context_.limits.idle_timeout);
  bufferevent_set_timeouts(bev_.get(), nullptr, &write_timeout);
  if (plain_socket_) {
    bufferevent_disable(bev_.get(), EV_READ);  // the protocol selector's reading ends here
    bufferevent_enable(bev_.get(), EV_WRITE);
    read_event_.reset(event_new(context_.loop.base(), bufferevent_getfd(bev_.get()), EV_READ | EV_PERSIST,
                                &Http1Connection::on_readable, this));
    event_add(read_event_.get(), nullptr);
  } else {
    bufferevent_setwatermark(bev_.get(), EV_READ, 0, kMaxBufferedInput);
    bufferevent_enable(bev_.get(), EV_READ | EV_WRITE);
  }
  set_phase(Phase::idle);
  // Bytes read before the hand-off (the protocol selector's) get no new read event.
  if (evbuffer_get_length(bufferevent_get_input(bev_.get())) > 0) process_input();
}

void Http1Connection::drain() {
  keep_alive_ = false;
  if (phase_ == Phase::idle) close();
}

void Http1Connection::set_phase(Phase phase) {
  phase_ = phase;
  config::Duration limit{0};
  switch (phase) {
    case Phase::idle: limit = context_.limits.idle_timeout; break;
    case Phase::head: limit = context_.limits.header_timeout; break;
    case Phase::body: limit = context_.limits.body_timeout; break;
    case Phase::waiting:
    case Phase::closing: event_del(deadline_.get()); return;
  }
  // Deadlines are absolute per phase: a slow trickle of bytes does not extend them.
  const timeval tv = to_timeval(limit);
  event_add(deadline_.get(), &tv);
}

void Http1Connection::on_deadline(evutil_socket_t, short, void* self) {
  auto* connection = static_cast<Http1Connection*>(self);
  if (connection->phase_ == Phase::head || connection->phase_ == Phase::body) {
    spdlog::info("status=408 reason=request_timeout request_id={} peer={}",
                 request_id(connection->connection_id_, connection->requests_), connection->peer_);
    connection->send_error(408, "request_timeout");
  } else {
    connection->close();
  }
}

void Http1Connection::on_read(bufferevent*, void* self) { static_cast<Http1Connection*>(self)->process_input(); }

void Http1Connection::on_readable(evutil_socket_t fd, short, void* self) {
  auto* connection = static_cast<Http1Connection*>(self);
  evbuffer* input = bufferevent_get_input(connection->bev_.get());
  // A bufferevent keeps the end of its input frozen except while it reads into it itself.
  evbuffer_unfreeze(input, 0);
  const ssize_t n = read_into(fd, input);
  const int read_error = errno;
  evbuffer_freeze(input, 0);
  if (n < 0 && (read_error == EAGAIN || read_error == EWOULDBLOCK || read_error == EINTR)) return;
  if (n <= 0) {
    // As a bufferevent does: reading stops at the end of the stream or an error.
    event_del(connection->read_event_.get());
    on_event(connection->bev_.get(), static_cast<short>(BEV_EVENT_READING | (n == 0 ? BEV_EVENT_EOF : BEV_EVENT_ERROR)),
             self);
    return;
  }
  connection->process_input();
}

void Http1Connection::process_input() {
  parse_input();
  if (!read_event_ || !bev_) return;
  // The high watermark of a bufferevent, kept by hand: pipelined bytes past kMaxBufferedInput
  // wait in the socket until the parser has taken what is buffered.
  const bool full = evbuffer_get_length(bufferevent_get_input(bev_.get())) >= kMaxBufferedInput;
  if (full && !read_paused_) {
    event_del(read_event_.get());
    read_paused_ = true;
  } else if (!full && read_paused_ && phase_ != Phase::closing) {
    event_add(read_event_.get(), nullptr);
    read_paused_ = false;
  }
}

void Http1Connection::parse_input() {
  evbuffer* input = bufferevent_get_input(bev_.get());
  while (phase_ == Phase::idle || phase_ == Phase::head || phase_ == Phase::body) {
    if (evbuffer_get_length(input) == 0) return;
    if (phase_ == Phase::idle) {
      ++requests_;
      set_phase(Phase::head);
    }
    evbuffer_iovec chunk;
    if (evbuffer_peek(input, -1, nullptr, &chunk, 1) < 1) return;
    const size_t used = parser_.feed(std::string_view(static_cast<const char*>(chunk.iov_base), chunk.iov_len));
    evbuffer_drain(input, used);

    switch (parser_.state()) {
      case http1::RequestParser::State::error: {
        const http1::Error error = parser_.error();
        spdlog::info("status={} reason={} detail={} request_id={} peer={}", http1::status_of(error),
                     http1::reason_of(error), loop::log_value(parser_.error_detail()),
                     request_id(connection_id_, requests_), peer_);
        send_error(http1::status_of(error), http1::reason_of(error));
        return;
      }
      case http1::RequestParser::State::complete:
        dispatch();
        return;
      case http1::RequestParser::State::reading_head:
      case http1::RequestParser::State::reading_body:
        if (parser_.headers_complete() && phase_ == Phase::head) {
          set_phase(Phase::body);
          if (parser_.request().expect_continue && !sent_continue_) {
            sent_continue_ = true;
            out_.clear();
            http1::write_continue(out_);
            write_out();
          }
        }
        if (used < chunk.iov_len) return;  // defensive: the parser wants nothing more from this chunk
        break;
    }
  }
}

void Http1Connection::dispatch() {
  http::Request parsed = parser_.take_request();
  version_minor_ = parsed.version_minor;
  keep_alive_ = keep_alive_ && parsed.keep_alive && !context_.draining;
  set_phase(Phase::waiting);  // one request at a time: process_input() leaves pipelined bytes be

  std::weak_ptr<Http1Connection> weak = weak_from_this();
  context_.handler.handle(to_inbound(std::move(parsed), peer_, request_id(connection_id_, requests_)), context_.loop,
                           [weak](Response response) {
                             // The peer may have gone while the event was being stored: the
                             // event is kept, the answer has nowhere to go.
                             if (auto self = weak.lock()) self->send(response, self->keep_alive_);
                           });
}

void Http1Connection::send(const Response& response, bool keep_alive) {
  if (phase_ == Phase::closing) return;
  // Content-Type and the extras; every answer the pipeline gives fits the array.
  using Field = std::pair<std::string_view, std::string_view>;
  std::array<Field, 8> fixed;
  std::vector<Field> spill;
  std::span<Field> headers(fixed.data(), response.headers.size() + 1);
  if (headers.size() > fixed.size()) {
    spill.resize(headers.size());
    headers = spill;
  }
  headers[0] = {"Content-Type", response.content_type};
  for (size_t i = 0; i < response.headers.size(); ++i) headers[i + 1] = response.headers[i];
  out_.clear();
  http1::ResponseOptions options;
  options.request_version_minor = version_minor_;
  if (!http1::write_response(out_, response.status, headers, response.body, keep_alive, options)) {
    // Only a bug behind us can produce an unwritable response: answer 500 and close.
    spdlog::error("unwritable response status={} request_id={} peer={}", response.status,
                  request_id(connection_id_, requests_), peer_);
    keep_alive = false;
    out_.clear();
    (void)http1::write_response(out_, 500, {}, R"({"error":"internal"})", false, options);
  }
  write_out();

  if (!keep_alive) {
    close_when_written();
    return;
  }
  parser_.reset();
  sent_continue_ = false;
  set_phase(Phase::idle);
  process_input();  // pipelined requests already buffered get no new read event
  // After the peer's EOF nothing more comes: once what it sent is answered, close.
  if (peer_closed_ && phase_ != Phase::waiting && phase_ != Phase::closing) close_when_written();
}

void Http1Connection::write_out() {
  evbuffer* output = bufferevent_get_output(bev_.get());
  size_t sent = 0;
  // Straight to the socket when nothing is queued ahead: a bufferevent_write would add the
  // write event, wait a loop turn for it and remove it again (two epoll_ctl, one epoll_wait).
  if (plain_socket_ && evbuffer_get_length(output) == 0) {
    const evutil_socket_t fd = bufferevent_getfd(bev_.get());
    while (sent < out_.size()) {
      const ssize_t n = ::send(fd, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        break;  // socket full: the rest waits for it; an error: the bufferevent reports it
      }
    }
  }
  if (sent < out_.size()) bufferevent_write(bev_.get(), out_.data() + sent, out_.size() - sent);
}

void Http1Connection::close_when_written() {
  close_after_write_ = true;
  set_phase(Phase::closing);
  bufferevent_disable(bev_.get(), EV_READ);
  if (read_event_) event_del(read_event_.get());
  if (evbuffer_get_length(bufferevent_get_output(bev_.get())) == 0) close();  // on_write will not come
}

void Http1Connection::send_error(int status, std::string_view reason) {
  if (context_.refusals) context_.refusals->count(status);
  // After a framing error the byte stream cannot be trusted: answer and close.
  send(error_response(status, reason), false);
}

void Http1Connection::on_write(bufferevent*, void* self) {
  auto* connection = static_cast<Http1Connection*>(self);
  if (connection->close_after_write_) connection->close();
}

void Http1Connection::on_event(bufferevent*, short what, void* self) {
  auto* connection = static_cast<Http1Connection*>(self);
  // A peer may half-close once its request is sent (shutdown(SHUT_WR)): it still gets the
  // answer. libevent has stopped reading.
  if ((what & BEV_EVENT_EOF) && !(what & (BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) &&
      connection->phase_ == Phase::waiting) {
    connection->peer_closed_ = true;
    return;
  }
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) connection->close();
}

void Http1Connection::close() {
  if (!bev_) return;  // already closed
  phase_ = Phase::closing;
  event_del(deadline_.get());
  read_event_.reset();  // before the socket closes with bev_
  bev_.reset();
  context_.forget(shared_from_this());
}

}  // namespace hookgate::gateway::connections
