// What follows the start line of an HTTP/1 message, sans I/O: the header section, then the body
// as the owner frames it (by length, chunked with its trailers, or until the peer closes). Bytes
// in, callbacks out (MessageEvents); the request parser and the response parser each read their
// start line and give the rest to one of these, so both directions share one implementation.
//
// Every decision is taken at one byte position from the bytes before it, so the outcome does not
// depend on how the input is split across feed() calls. Memory is bounded by the limits given.
//
// Thread-safety: none; one reader belongs to one message parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/http/chunked_body.h"
#include "gateway/http/field_lines.h"

namespace hookgate::gateway::http {

// Implemented by the message parser that owns a MessageReader; called from inside feed().
class MessageEvents {
 public:
  // One header field, syntax checked. False refuses the message (the owner has recorded why):
  // feed() returns right after the field's LF.
  virtual bool on_field(const std::string& name, const std::string& value) = 0;
  // The empty line ending the header section was read. The owner chooses the body
  // (read_length(), read_chunked(), read_until_close()) or ends the message (end_message()), or
  // refuses it (false). Choosing nothing leaves the reader idle: feed() returns right after the
  // empty line, for the owner to read another start line (after an interim response) and call
  // begin_head() again.
  virtual bool on_head_end() = 0;
  // Decoded body bytes, in order; a view into feed()'s input.
  virtual void on_body(std::string_view data) = 0;

 protected:
  ~MessageEvents() = default;
};

class MessageReader {
 public:
  enum class Fault : std::uint8_t {
    none,
    malformed,             // invalid field line or chunk framing
    head_too_large,        // header section over its byte or field budget
    extensions_too_large,  // chunk extensions over their budget
    body_too_large,        // chunked body over ChunkedLimits::max_body
    trailers_too_large,    // trailer section over its byte or field budget
  };

  MessageReader(SectionLimits head, ChunkedLimits chunked);

  // Starts a header section; `bytes_used` (the start line) already count against its budget.
  void begin_head(std::uint64_t bytes_used);
  // Body framings, chosen from on_head_end(). read_length(0) is end_message().
  void read_length(std::uint64_t length);
  void read_chunked();
  void read_until_close();
  void end_message();

  // Consumes bytes and returns how many: all of them while the message is incomplete; up to its
  // last byte when it completes; on a fault up to and including the offending byte; after an
  // owner's refusal up to the byte that completed the refused element. Nothing once done() or
  // failed(), or once the owner has refused. Never throws on any input; std::bad_alloc only.
  std::size_t feed(std::string_view data, MessageEvents& events);

  [[nodiscard]] bool done() const;
  [[nodiscard]] bool failed() const;  // a fault of the reader; the owner's refusals are its own
  [[nodiscard]] bool reading_until_close() const;
  [[nodiscard]] Fault fault() const { return fault_; }
  // A fixed phrase ("obs-fold", "invalid chunk size"); never contains input bytes.
  [[nodiscard]] std::string_view detail() const { return detail_; }

 private:
  enum class Step : std::uint8_t;

  std::size_t fail(std::size_t consumed, Fault fault, std::string_view detail);
  std::size_t feed_head(std::string_view data, MessageEvents& events);
  std::size_t feed_length(std::string_view data, MessageEvents& events);
  std::size_t feed_chunked(std::string_view data, MessageEvents& events);

  Step step_;
  Fault fault_ = Fault::none;
  std::string_view detail_;
  FieldLineParser head_;
  ChunkedBodyDecoder chunked_;
  std::uint64_t length_left_ = 0;
};

}  // namespace hookgate::gateway::http
