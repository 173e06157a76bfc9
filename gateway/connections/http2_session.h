// The server side of one HTTP/2 connection, sans I/O: bytes in through receive(), complete
// requests out to a Handler, answers in through respond(), bytes out through next_output().
// A thin libevent adapter (Http2Connection) moves the bytes and keeps the time; unit tests
// drive this class with frames from an nghttp2 client session.
//
// nghttp2 does the framing, HPACK, flow control and the HTTP/2 checks (pseudo-header fields,
// content-length against DATA, connection-specific fields, stream states). This class adds
// hookgate's limits and turns each stream into one InboundRequest, answered by one Response:
//   - max_body: 413 as soon as the declared content-length or the received DATA exceeds it;
//     the rest of that stream's DATA is discarded (still credited to flow control); once
//     twice max_body has been discarded the stream is reset with NO_ERROR (a 408 right after
//     the answer).
//   - max_header_bytes / max_headers (counted like HTTP/1.1: every field's name + value + 4,
//     pseudo-header fields included) and max_header_list_size (RFC 9113's size, name + value
//     + 32 per field; also advertised in SETTINGS): 431, the fields are not kept. A header
//     block too large for HPACK or spread over too many CONTINUATION frames is a connection
//     error (GOAWAY) inside nghttp2.
//   - max_concurrent_streams: advertised; nghttp2 refuses streams beyond it (RST_STREAM
//     REFUSED_STREAM). A stream waiting for its commit counts as open.
// So a connection buffers at most max_concurrent_streams × max_body of request bodies.
// Against floods nghttp2's limits are switched on explicitly: outbound SETTINGS/PING
// ACK and RST_STREAM queue (the adapter also stops reading while output is backed up),
// SETTINGS entries per frame, incoming RST_STREAM rate (rapid reset), CONTINUATION frames
// per header block; RFC 7540 priorities are off. Empty DATA frames without END_STREAM, which
// no honest client needs, end the connection past a small budget.
//
// Threading: none; a session belongs to one connection on one loop. Callbacks into the
// Handler run inside receive() (and respond() never calls back).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/connections/exchange.h"

struct nghttp2_session;

namespace hookgate::gateway::connections {

struct Http2Limits {
  uint32_t max_concurrent_streams = 100;
  uint32_t max_header_list_size = (16 << 10) + 32 * 100;
  uint32_t max_header_bytes = 16 << 10;
  uint32_t max_headers = 100;
  uint64_t max_body = 1 << 20;

  [[nodiscard]] static Http2Limits from(const config::ServerConfig& server);
};

class Http2Session {
 public:
  // Time is passed in (the adapter's monotonic clock), never read here.
  using TimePoint = std::chrono::steady_clock::time_point;

  class Handler {
   public:
    // A stream's request is complete. Answer with respond(stream_id, …), now or later.
    // `request.peer` is left empty. `request.body` has capacity >= size + 64, zeroed padding.
    virtual void on_request(int32_t stream_id, InboundRequest request) = 0;
    // The session answered a stream itself (400, 413, 431, 408): for logs and counters.
    virtual void on_stream_rejected(int32_t stream_id, int status, std::string_view reason) = 0;
    // The stream is closed (answered, reset by either side, or refused): forget it.
    virtual void on_stream_closed(int32_t stream_id) = 0;

   protected:
    ~Handler() = default;
  };

  // Queues the server's SETTINGS. Null only when nghttp2 cannot allocate.
  [[nodiscard]] static std::unique_ptr<Http2Session> create(const Http2Limits& limits, Handler& handler);
  ~Http2Session();
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;

  // Consumes bytes from the peer (starting with the client preface) that arrived at `now`.
  // False when the connection cannot go on (bad preface, flood, internal failure): send what
  // next_output() still gives, then close. error() says why.
  [[nodiscard]] bool receive(std::string_view bytes, TimePoint now);

  // The next bytes to send, valid until the next call into the session; empty when there is
  // nothing to send now; nullopt on a fatal error (close).
  [[nodiscard]] std::optional<std::string_view> next_output();

  // Answers a stream that on_request() handed out. False (and the answer dropped) when the
  // stream is gone: reset by the peer or closed with the connection.
  bool respond(int32_t stream_id, Response response);

  // When the oldest stream whose request is still incomplete began; nullopt when none is.
  [[nodiscard]] std::optional<TimePoint> oldest_incomplete() const;
  // Answers 408 to every stream begun before `cutoff` whose request is still incomplete (a
  // deadline absolute from the stream's start: trickling bytes does not extend it).
  // Returns how many.
  size_t expire_incomplete(TimePoint cutoff);

  // GOAWAY(NO_ERROR): no new streams; open ones are finished. Then finished() turns true.
  void shutdown();
  // GOAWAY with `error_code` and no more streams at all: finished() once it is sent.
  void terminate(uint32_t error_code);

  // Nothing more to read or write: close the connection once the output has left.
  [[nodiscard]] bool finished() const;
  // Streams begun and not yet closed.
  [[nodiscard]] size_t open_streams() const { return live_streams_; }
  [[nodiscard]] const std::string& error() const { return error_; }

  struct Callbacks;  // the nghttp2 C-callback trampolines (http2_session.cc)

 private:
  struct Stream;
  friend struct Callbacks;

  Http2Session(const Http2Limits& limits, Handler& handler);
  Stream* stream(int32_t stream_id) const;
  Stream* acquire(int32_t stream_id);
  void release(Stream* stream);
  void stop_receiving(Stream& stream);  // leaves the incomplete list
  void header_block_done(Stream& stream, bool end_stream);
  void complete(Stream& stream);
  void reject(Stream& stream, int status, std::string_view reason);
  bool submit(Stream& stream, Response&& response);
  void reset_if_wanted(Stream& stream);

  struct SessionDeleter {
    void operator()(nghttp2_session* session) const;
  };

  const Http2Limits limits_;
  Handler& handler_;
  std::vector<std::unique_ptr<Stream>> streams_;  // every Stream ever made (reused)
  std::vector<Stream*> free_streams_;
  // Declared after the streams so that it goes first: nghttp2 may hold pointers to them.
  std::unique_ptr<nghttp2_session, SessionDeleter> session_;
  size_t live_streams_ = 0;
  // Streams still receiving, oldest first (an intrusive list through Stream).
  Stream* oldest_ = nullptr;
  Stream* newest_ = nullptr;
  TimePoint now_{};  // of the bytes being received
  uint32_t empty_data_frames_ = 0;
  std::string error_;
};

}  // namespace hookgate::gateway::connections
