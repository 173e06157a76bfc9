// The server side of HTTP/1.1 request framing (RFC 9112), sans I/O: bytes in, one parsed
// request or one Error out. The libevent adapter moves the bytes and owns the timeouts.
//
// Strict by design: whatever two implementations could frame differently (CL with TE,
// duplicate or list Content-Length, obs-fold, bare CR or LF, whitespace before ':', unknown
// transfer codings…) is an error, never a guess. Every input byte is looked at once, in any
// split across feed() calls: the outcome does not depend on how the bytes were chunked.
// Memory is bounded by Limits whatever the peer sends.
//
// Driving it (the adapter, a test or a fuzzer alike): feed(); on State::complete take_request(),
// reset() and feed the unconsumed rest; on State::error answer status_of(error()) and close.
//
// Thread-safety: none; one parser belongs to one connection on one loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/http/framing_fields.h"
#include "gateway/http/message_reader.h"
#include "gateway/http/request.h"
#include "gateway/http1/error.h"

namespace hookgate::gateway::http1 {

struct Limits {
  // Budget of the head: request line plus header fields, CRLFs included (not the up to two
  // empty lines tolerated before the request line). Exceeding it is 431, checked byte by byte.
  // The same budget applies separately to a chunked body's trailer section (431) and to the sum
  // of its chunk extensions (413). A request-target longer than half of it is 414.
  std::uint32_t max_header_bytes = 16384;
  std::uint32_t max_headers = 100;  // header fields; separately, trailer fields
  std::uint64_t max_body = 1 << 20;  // decoded body bytes; 413 beyond
};

class RequestParser final : private http::MessageEvents {
 public:
  enum class State {
    reading_head,  // the head is incomplete (nothing consumed yet included: see started())
    reading_body,  // head done, body still to come: request() is readable
    complete,      // take_request(), then reset() for the next one
    error,         // error() / error_detail(); terminal until reset()
  };

  explicit RequestParser(Limits limits = {});

  // Consumes bytes of the current request from `data` and returns how many. Stops right after
  // the last byte of a complete request, so bytes of a pipelined next request stay with the
  // caller, to be fed again after reset(). In reading_head/reading_body every byte is consumed
  // (the parser keeps what it needs); in complete and error nothing more is consumed. On error
  // the count includes the offending byte. Never throws on any input; std::bad_alloc only.
  size_t feed(std::string_view data);

  [[nodiscard]] State state() const;

  // True once the head has been parsed (the body may still be arriving, or may have failed).
  // The adapter then switches from the header timeout to the body timeout, and answers
  // "100 Continue" when request().expect_continue and state() == State::reading_body.
  [[nodiscard]] bool headers_complete() const { return headers_complete_; }

  // True once any byte of the current request has been consumed (even a leading empty line).
  // A peer that closes or idles before that has not started a request.
  [[nodiscard]] bool started() const { return started_; }

  // Error::none unless state() == State::error.
  [[nodiscard]] Error error() const { return error_; }
  // A fixed phrase saying what was wrong ("content-length with transfer-encoding"), for logs and
  // 4xx bodies. Never contains input bytes. Empty without an error.
  [[nodiscard]] std::string_view error_detail() const { return error_detail_; }

  // The request so far: method, target, path, query, version once the request line is parsed;
  // headers, keep_alive and expect_continue once headers_complete(); body as it arrives.
  [[nodiscard]] const http::Request& request() const { return request_; }

  // Moves the complete request out. Outside State::complete it returns an empty Request.
  // The parser stays in State::complete until reset().
  [[nodiscard]] http::Request take_request();

  // Starts over for the next request on the same connection, whatever the state.
  // After an error the connection must be closed instead: its framing is unknown.
  void reset();

 private:
  enum class Step : std::uint8_t;

  size_t fail(size_t consumed, Error error, std::string_view detail);
  // Adds `n` bytes to the running head budget; false once over it.
  bool charge_head(size_t n);
  size_t feed_request_line(unsigned char c);
  size_t feed_target(std::string_view data);
  size_t feed_message(std::string_view data);
  [[nodiscard]] bool finish_request_line();
  // gateway::http::MessageEvents: what the header fields mean, and the body.
  bool on_field(const std::string& name, const std::string& value) override;
  bool on_head_end() override;
  void on_body(std::string_view bytes) override;
  void complete();

  Limits limits_;
  Step step_;
  Error error_ = Error::none;
  std::string_view error_detail_;
  bool started_ = false;
  bool headers_complete_ = false;

  http::Request request_;

  // Request line.
  std::uint32_t leading_empty_lines_ = 0;
  std::uint64_t head_bytes_ = 0;  // of the request line; message_ charges the field lines on top
  std::string version_;

  // The header section and the body.
  http::MessageReader message_;
  http::FramingFields framing_;
  bool host_seen_ = false;
};

}  // namespace hookgate::gateway::http1
