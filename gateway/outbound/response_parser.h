// The client side of HTTP/1.1 response framing (RFC 9112), sans I/O: bytes in, one parsed
// response or one Error out. The outbound connection moves the bytes and owns the timeouts.
//
// Strict where two implementations could frame a response differently (Content-Length with
// Transfer-Encoding, duplicate or list Content-Length, transfer codings other than a single
// "chunked", obs-fold, bare CR or LF, whitespace before ':'): such a response is an error and
// its connection is closed, never reused. 1xx interim responses are parsed and skipped; 101 is
// an error (hookgate never asks to upgrade).
//
// Memory is bounded whatever the peer sends: each head (and the trailer section) by
// ResponseLimits, the body by keeping only its first `excerpt_bytes`. The body itself is not
// capped here: the caller caps the bytes it feeds.
//
// Every decision is taken at one byte position from the bytes before it, so the outcome does not
// depend on how the input is split across feed() calls.
//
// Driving it: reset(head_request) before each response; feed() what arrives; on State::complete
// the response is read, and bytes feed() did not consume belong to no request (the connection
// must not be reused); on end of stream call finish(), which completes a read-until-close body
// or fails with Error::truncated.
//
// Thread-safety: none; one parser belongs to one connection on one loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/http/framing_fields.h"
#include "gateway/http/message_reader.h"

namespace hookgate::gateway::outbound {

struct ResponseLimits {
  // Budget of one head: status line plus header fields, CRLFs included. Each interim (1xx) head
  // and the trailer section of a chunked body get their own budget of the same size.
  std::uint32_t max_header_bytes = 16384;
  std::uint32_t max_headers = 100;  // fields per head; separately, trailer fields
  std::size_t excerpt_bytes = 1024; // decoded body bytes kept in Response::body_excerpt
};

// How the body of the final response is delimited (RFC 9112 §6.3).
enum class BodyFraming { none, content_length, chunked, until_close };

struct Response {
  int status = 0;         // 200..599 (the final response; interim ones are skipped)
  int version_minor = 1;  // 0 or 1 (HTTP/1.x with x > 1 reads as 1)
  // Header fields of the final response in order received, names as sent. Trailers are dropped.
  std::vector<std::pair<std::string, std::string>> headers;
  BodyFraming framing = BodyFraming::none;
  // Whether the connection may carry another request once this response is complete: HTTP/1.1
  // without "Connection: close", or HTTP/1.0 with "Connection: keep-alive"; never for a body
  // read until close.
  bool keep_alive = false;
  std::string body_excerpt;     // the first ResponseLimits::excerpt_bytes of the decoded body
  std::uint64_t body_size = 0;  // decoded body bytes seen so far

  // Value of the first field named `name` (ASCII case-insensitive); nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

class ResponseParser final : private http::MessageEvents {
 public:
  enum class State {
    reading_head,  // the final response's head is incomplete (interim responses included)
    reading_body,  // head done: response() has status and headers; body still to come
    complete,
    error,  // error() / error_detail(); terminal until reset()
  };

  enum class Error {
    none,
    malformed,       // not HTTP/1.x, or framing that is invalid or ambiguous
    head_too_large,  // a head or the trailer section over its byte or field budget
    truncated,       // finish() before the response was complete
  };

  explicit ResponseParser(ResponseLimits limits = {});

  // Starts over for the next response. `head_request`: the request was HEAD, so the final
  // response has no body whatever its headers say.
  void reset(bool head_request = false);

  // Consumes bytes of the current response from `data` and returns how many. Stops right after
  // the last byte of a complete response; while reading every byte is consumed; in complete and
  // error nothing more is. On error the count includes the offending byte. Never throws on any
  // input; std::bad_alloc only.
  size_t feed(std::string_view data);

  // The peer closed the stream. Completes a body read until close; anywhere else before
  // complete it is Error::truncated. No effect in complete or error.
  void finish();

  [[nodiscard]] State state() const;
  [[nodiscard]] bool headers_complete() const { return headers_complete_; }
  // True once any byte of this response (interim responses included) has been consumed.
  [[nodiscard]] bool started() const { return started_; }
  [[nodiscard]] Error error() const { return error_; }
  // A fixed phrase ("bare LF", "invalid chunk size"); never contains input bytes.
  [[nodiscard]] std::string_view error_detail() const { return error_detail_; }
  // Status and headers once headers_complete(); the excerpt and size as the body arrives.
  [[nodiscard]] const Response& response() const { return response_; }

 private:
  enum class Step : std::uint8_t;

  size_t fail(size_t consumed, Error error, std::string_view detail);
  bool charge_head(size_t n);
  size_t feed_status_line(unsigned char c);
  size_t feed_reason(std::string_view data);
  size_t feed_message(std::string_view data);
  [[nodiscard]] bool finish_status_line();
  // gateway::http::MessageEvents: what the header fields mean, and the body.
  bool on_field(const std::string& name, const std::string& value) override;
  bool on_head_end() override;
  void on_body(std::string_view bytes) override;
  void start_head();

  ResponseLimits limits_;
  Step step_;
  Error error_ = Error::none;
  std::string_view error_detail_;
  bool head_request_ = false;
  bool started_ = false;
  bool headers_complete_ = false;

  Response response_;

  // The head being read (an interim one or the final one).
  int status_ = 0;
  std::uint64_t head_bytes_ = 0;  // of the status line; message_ charges the field lines on top
  std::string version_;
  std::vector<std::pair<std::string, std::string>> headers_;

  // The header section and the body.
  http::MessageReader message_;
  http::FramingFields framing_;
};

[[nodiscard]] std::string_view to_string(ResponseParser::Error error);

}  // namespace hookgate::gateway::outbound
