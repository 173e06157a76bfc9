// The libevent adapter of one HTTP/1.1 connection: moves bytes between a bufferevent and the
// sans-I/O http1::RequestParser, hands complete requests to the request handler one at a
// time (pipelined requests wait in the input buffer, at most kMaxBufferedInput bytes of them
// before reading pauses) and enforces the phase deadlines. A peer that half-closes after its
// request still gets the answer. Owned by its ConnectionContext; loop thread only.
#pragma once

#include <event2/bufferevent.h>

#include <memory>
#include <string>

#include "gateway/connections/connection_context.h"
#include "gateway/http1/request_parser.h"
#include "gateway/loop/event_loop.h"
#include "gateway/loop/libevent_handles.h"

namespace hookgate::gateway::connections {

class Http1Connection final : public Connection, public std::enable_shared_from_this<Http1Connection> {
 public:
  // Takes over `bev` (plain or TLS), whose input may already hold the request's first bytes.
  // Call start() once the shared_ptr exists.
  // `connection_id` (request_id.h) prefixes the request ids of its log lines.
  Http1Connection(ConnectionContext& context, loop::BufferEventPtr bev, std::string peer, uint64_t connection_id);
  ~Http1Connection() override;

  // Installs the callbacks and processes whatever is already buffered.
  void start();
  void drain() override;

 private:
  enum class Phase { idle, head, body, waiting, closing };

  static void on_read(bufferevent*, void* self);
  static void on_readable(evutil_socket_t fd, short, void* self);
  static void on_write(bufferevent*, void* self);
  static void on_event(bufferevent*, short what, void* self);
  static void on_deadline(evutil_socket_t, short, void* self);

  // Parses what is buffered, then pauses or resumes reading a plain socket by what is left.
  void process_input();
  void parse_input();
  void dispatch();
  void send(const Response& response, bool keep_alive);
  // Queues out_ for the peer; on a plain socket with nothing queued, writes it at once.
  void write_out();
  void close_when_written();
  void send_error(int status, std::string_view reason);
  void set_phase(Phase phase);
  void close();

  ConnectionContext& context_;
  loop::BufferEventPtr bev_;  // null once closed
  loop::EventPtr deadline_;
  // Plain sockets are read by this event rather than by the bufferevent: libevent's
  // evbuffer_read asks the kernel how much is there (ioctl FIONREAD) before every read, one
  // syscall per request that a fixed-size readv does without. Null for TLS.
  loop::EventPtr read_event_;
  bool read_paused_ = false;  // read_event_ removed while kMaxBufferedInput bytes wait
  std::string peer_;
  const uint64_t connection_id_;
  uint64_t requests_ = 0;  // begun on this connection; the current one is number requests_
  http1::RequestParser parser_;
  Phase phase_ = Phase::idle;
  bool keep_alive_ = true;
  bool sent_continue_ = false;
  int version_minor_ = 1;  // of the request being answered
  bool close_after_write_ = false;
  bool peer_closed_ = false;   // EOF read while a request was being answered
  const bool plain_socket_;    // not TLS: out_ may go straight to the socket
  std::string out_;  // reused response buffer
};

}  // namespace hookgate::gateway::connections
