// The libevent adapter of one HTTP/2 connection (h2 over TLS, or h2c): moves bytes between a
// bufferevent and the sans-I/O Http2Session, hands every complete stream to the ingest
// pipeline at once (many streams of one connection commit in the same writer groups), and
// answers each stream when its event is durable. It also keeps the time:
//   - a stream must be complete within header_timeout + body_timeout of its start (408);
//   - a connection with no open stream is closed (GOAWAY) after idle_timeout;
//   - a peer that does not read what we send is dropped after idle_timeout.
// Output is bounded: past kHighWater bytes queued for the socket, the session is not asked
// for more and the peer is not read, so nghttp2's own flood limits see a peer that only
// sends (PING, SETTINGS…) and never reads.
// Owned by its ConnectionContext; loop thread only.
#pragma once

#include <memory>
#include <string>

#include "gateway/connections/connection_context.h"
#include "gateway/connections/http2_session.h"
#include "gateway/loop/event_loop.h"
#include "gateway/loop/libevent_handles.h"

namespace hookgate::gateway::connections {

class Http2Connection final : public Connection,
                              public Http2Session::Handler,
                              public std::enable_shared_from_this<Http2Connection> {
 public:
  // Takes over `bev`, whose input may already hold the client's first bytes.
  // `connection_id` (request_id.h) prefixes the request ids (connection.stream) of its log lines.
  Http2Connection(ConnectionContext& context, loop::BufferEventPtr bev, std::string peer, uint64_t connection_id);
  ~Http2Connection() override;

  // Sends the server's SETTINGS and processes what is already buffered. Call once the
  // shared_ptr exists (answers hold a weak_ptr to the connection).
  void start();
  void drain() override;

 private:
  static constexpr size_t kHighWater = 64 << 10;

  // Http2Session::Handler
  void on_request(int32_t stream_id, InboundRequest request) override;
  void on_stream_rejected(int32_t stream_id, int status, std::string_view reason) override;
  void on_stream_closed(int32_t stream_id) override;

  static void on_read(bufferevent*, void* self);
  static void on_write(bufferevent*, void* self);
  static void on_event(bufferevent*, short what, void* self);
  static void on_stream_deadline(evutil_socket_t, short, void* self);
  static void on_idle(evutil_socket_t, short, void* self);

  void process_input();
  void respond(int32_t stream_id, Response response);
  // Moves session output to the socket, then: closes once the session is finished and the
  // output has left, pauses or resumes reading, arms the timers.
  void settle();
  void fail(std::string_view why);
  void close();

  ConnectionContext& context_;
  loop::BufferEventPtr bev_;  // null once closed
  loop::EventPtr stream_timer_;
  loop::EventPtr idle_timer_;
  std::string peer_;
  const uint64_t connection_id_;
  std::unique_ptr<Http2Session> session_;
  bool receiving_ = false;       // inside session_->receive(): settle() afterwards
  bool reading_paused_ = false;  // output backed up
  bool closing_ = false;         // close once the output has left
};

}  // namespace hookgate::gateway::connections
