#include "gateway/connections/http2_connection.h"

#include <event2/buffer.h>
#include <nghttp2/nghttp2.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "gateway/connections/request_id.h"
#include "gateway/loop/log_line.h"

namespace hookgate::gateway::connections {
namespace {

timeval to_timeval(std::chrono::steady_clock::duration d) {
  const auto us = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  return timeval{static_cast<time_t>(us / 1'000'000), static_cast<suseconds_t>(us % 1'000'000)};
}

}  // namespace

Http2Connection::Http2Connection(ConnectionContext& context, loop::BufferEventPtr bev, std::string peer,
                                 uint64_t connection_id)
    : context_(context),
      bev_(std::move(bev)),
      stream_timer_(event_new(context.loop.base(), -1, 0, &Http2Connection::on_stream_deadline, this)),
      idle_timer_(event_new(context.loop.base(), -1, 0, &Http2Connection::on_idle, this)),
      peer_(std::move(peer)),
      connection_id_(connection_id) {}

Http2Connection::~Http2Connection() = default;

void Http2Connection::start() {
  session_ = Http2Session::create(Http2Limits::from(context_.limits), *this);
  if (!session_) {
    spdlog::error("cannot create an HTTP/2 session connection={} peer={}", connection_id_, peer_);
    close();
    return;
  }
  bufferevent_setcb(bev_.get(), &Http2Connection::on_read, &Http2Connection::on_write,
                    &Http2Connection::on_event, this);
  const timeval write_timeout = to_timeval(context_.limits.idle_timeout);
  bufferevent_set_timeouts(bev_.get(), nullptr, &write_timeout);
  bufferevent_enable(bev_.get(), EV_READ | EV_WRITE);
  if (context_.draining) session_->shutdown();
  process_input();  // the preface the sniffer saw, and whatever came with it
}

void Http2Connection::drain() {
  if (!bev_ || closing_) return;
  session_->shutdown();  // GOAWAY: open streams are still answered
  settle();
}

void Http2Connection::on_read(bufferevent*, void* self) { static_cast<Http2Connection*>(self)->process_input(); }

void Http2Connection::process_input() {
  if (!bev_ || closing_) return;
  evbuffer* input = bufferevent_get_input(bev_.get());
  const auto now = context_.clock.monotonic();
  bool ok = true;
  receiving_ = true;
  while (ok && !reading_paused_ && evbuffer_get_length(input) > 0) {
    evbuffer_iovec chunks[4];
    const int count = std::min(evbuffer_peek(input, -1, nullptr, chunks, 4), 4);
    size_t used = 0;
    for (int i = 0; i < count && ok; ++i) {
      ok = session_->receive(std::string_view(static_cast<const char*>(chunks[i].iov_base), chunks[i].iov_len), now);
      used += chunks[i].iov_len;
    }
    evbuffer_drain(input, used);
    // Answers to PING/SETTINGS pile up in the session until settle(): move them out before
    // reading more, so that only a peer that does not read can reach nghttp2's ACK limit.
    receiving_ = false;
    if (ok) settle();
    receiving_ = true;
    if (!bev_ || closing_) break;
  }
  receiving_ = false;
  if (!ok) fail(session_->error());
}

void Http2Connection::on_request(int32_t stream_id, InboundRequest request) {
  request.peer = peer_;
  request.request_id = request_id(connection_id_, static_cast<uint64_t>(stream_id));
  std::weak_ptr<Http2Connection> weak = weak_from_this();
  context_.handler.handle(std::move(request), context_.loop, [weak, stream_id](Response response) {
    // The stream may have been reset, or the connection closed, while the event was being
    // stored: the event is kept, the answer has nowhere to go.
    if (auto self = weak.lock()) self->respond(stream_id, std::move(response));
  });
}

void Http2Connection::on_stream_rejected(int32_t stream_id, int status, std::string_view reason) {
  if (context_.refusals) context_.refusals->count(status);
  spdlog::info("status={} reason={} request_id={} peer={}", status, reason,
               request_id(connection_id_, static_cast<uint64_t>(stream_id)), peer_);
}

void Http2Connection::on_stream_closed(int32_t) {}

void Http2Connection::respond(int32_t stream_id, Response response) {
  if (!bev_ || !session_->respond(stream_id, std::move(response))) return;
  if (!receiving_) settle();  // inside receive() the answer leaves when receive() returns
}

void Http2Connection::settle() {
  if (!bev_) return;
  evbuffer* output = bufferevent_get_output(bev_.get());
  while (evbuffer_get_length(output) < kHighWater) {
    const auto chunk = session_->next_output();
    if (!chunk) {
      spdlog::info("http2 connection error connection={} peer={} error={}", connection_id_, peer_,
                   loop::log_value(session_->error()));
      close();
      return;
    }
    if (chunk->empty()) break;
    evbuffer_add(output, chunk->data(), chunk->size());
  }
  const size_t queued = evbuffer_get_length(output);

  if (session_->finished() && !closing_) {
    closing_ = true;
    bufferevent_disable(bev_.get(), EV_READ);
    event_del(stream_timer_.get());
    event_del(idle_timer_.get());
  }
  if (closing_) {
    if (queued == 0) close();
    return;  // on_write closes once the output has left
  }

  if (queued >= kHighWater && !reading_paused_) {
    reading_paused_ = true;
    bufferevent_disable(bev_.get(), EV_READ);
  } else if (queued < kHighWater && reading_paused_) {
    reading_paused_ = false;  // on_write() feeds what is already buffered
    bufferevent_enable(bev_.get(), EV_READ);
  }

  // One timer for the oldest incomplete stream; it re-arms itself for the next one.
  if (const auto oldest = session_->oldest_incomplete()) {
    if (!event_pending(stream_timer_.get(), EV_TIMEOUT, nullptr)) {
      const auto limit = context_.limits.header_timeout + context_.limits.body_timeout;
      const timeval tv = to_timeval(*oldest + limit - context_.clock.monotonic());
      event_add(stream_timer_.get(), &tv);
    }
  }
  // Idle: no open stream. Armed when the last one closes, not extended by PINGs.
  if (session_->open_streams() == 0) {
    if (!event_pending(idle_timer_.get(), EV_TIMEOUT, nullptr)) {
      const timeval tv = to_timeval(context_.limits.idle_timeout);
      event_add(idle_timer_.get(), &tv);
    }
  } else {
    event_del(idle_timer_.get());
  }
}

void Http2Connection::on_stream_deadline(evutil_socket_t, short, void* self) {
  auto* connection = static_cast<Http2Connection*>(self);
  if (!connection->bev_ || connection->closing_) return;
  const auto limit = connection->context_.limits.header_timeout + connection->context_.limits.body_timeout;
  connection->session_->expire_incomplete(connection->context_.clock.monotonic() - limit + std::chrono::milliseconds(1));
  connection->settle();
}

void Http2Connection::on_idle(evutil_socket_t, short, void* self) {
  auto* connection = static_cast<Http2Connection*>(self);
  if (!connection->bev_ || connection->closing_) return;
  connection->session_->terminate(NGHTTP2_NO_ERROR);
  connection->settle();
}

void Http2Connection::on_write(bufferevent*, void* self) {
  auto* connection = static_cast<Http2Connection*>(self);
  if (connection->closing_) {
    if (evbuffer_get_length(bufferevent_get_output(connection->bev_.get())) == 0) connection->close();
    return;
  }
  connection->settle();
  // Input that arrived while reading was paused gets no new read event.
  if (connection->bev_ && !connection->reading_paused_ &&
      evbuffer_get_length(bufferevent_get_input(connection->bev_.get())) > 0) {
    connection->process_input();
  }
}

void Http2Connection::on_event(bufferevent*, short what, void* self) {
  auto* connection = static_cast<Http2Connection*>(self);
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) connection->close();
}

void Http2Connection::fail(std::string_view why) {
  spdlog::info("http2 connection error connection={} peer={} error={}", connection_id_, peer_, loop::log_value(why));
  if (!bev_ || closing_) return;
  // Tell the peer why when nghttp2 has not already; then close once that has left.
  session_->terminate(NGHTTP2_PROTOCOL_ERROR);
  settle();
  if (bev_ && !closing_) close();
}

void Http2Connection::close() {
  if (!bev_) return;
  closing_ = true;
  event_del(stream_timer_.get());
  event_del(idle_timer_.get());
  bev_.reset();
  context_.forget(shared_from_this());
}

}  // namespace hookgate::gateway::connections
