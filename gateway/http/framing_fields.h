// The header fields that decide how an HTTP/1 message is framed and whether its connection may
// persist (RFC 9112 §6 and §9.3): Content-Length, Transfer-Encoding and Connection. The request
// and the response parser both read them here, so that the two directions are framed by one set
// of rules; what other fields mean (Host, Expect, a body limit) stays with each parser.
//
// Strict: a duplicate or list Content-Length, Content-Length with Transfer-Encoding (in either
// order), a transfer coding in HTTP/1.0, and any coding other than one "chunked" are faults.
//
// Thread-safety: none; one instance belongs to one message parser.
#pragma once

#include <cstdint>
#include <string_view>

namespace hookgate::gateway::http {

class FramingFields {
 public:
  enum class Fault : std::uint8_t {
    none,
    malformed,           // invalid or ambiguous framing: every smuggling shape lands here
    unsupported_coding,  // Transfer-Encoding repeated, or naming anything but one "chunked"
  };

  // Starts over for another head. `http10`: the message is HTTP/1.0, which has no transfer
  // codings and persists only with "Connection: keep-alive".
  void reset(bool http10);

  // Reads one header field (value without OWS). Fields other than the three are ignored.
  // After a fault the head must be refused: the instance is not meant to read further fields.
  [[nodiscard]] Fault add(std::string_view name, std::string_view value);

  // What the last fault was ("duplicate content-length"); a fixed phrase, never input bytes.
  [[nodiscard]] std::string_view detail() const { return detail_; }

  [[nodiscard]] bool content_length_seen() const { return content_length_seen_; }
  [[nodiscard]] std::uint64_t content_length() const { return content_length_; }  // 0 unless seen
  [[nodiscard]] bool chunked() const { return chunked_; }
  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive" and without "close".
  [[nodiscard]] bool keep_alive() const;

 private:
  Fault fail(Fault fault, std::string_view detail);

  bool http10_ = false;
  bool content_length_seen_ = false;
  std::uint64_t content_length_ = 0;
  bool chunked_ = false;
  bool close_ = false;
  bool keep_alive_option_ = false;
  std::string_view detail_;
};

}  // namespace hookgate::gateway::http
