// The chunked transfer coding of an HTTP/1 body (RFC 9112 §7.1), sans I/O: the framed bytes in,
// spans of decoded data out, up to the end of the trailer section. Its owner (MessageReader) hands
// the data on; each message parser maps the Fault to its own error.
//
// Strict: a chunk-size line must be 1*16HEXDIG [ chunk-ext ] CRLF, chunk data must be followed by
// CRLF, bare CR or LF is a fault. Extensions carry nothing hookgate uses; they are checked (see
// ExtensionSyntax) only so that they end unambiguously. Trailer fields are validated like header
// fields (FieldLineParser) and dropped, so that a trailer can never pose as a header that was
// checked at head time. Every decision is taken at one byte position from the bytes before it, so
// the outcome does not depend on how the input is split across feed() calls.
//
// Thread-safety: none; one decoder belongs to one message being read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gateway/http/field_lines.h"

namespace hookgate::gateway::http {

// 16 hex digits cannot overflow a 64-bit size; one more is a fault.
inline constexpr std::uint32_t kMaxChunkSizeDigits = 16;

enum class ExtensionSyntax : std::uint8_t {
  // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ), as RFC 9112
  // §7.1.1 has it: no byte sequence is framed differently than by a strict peer.
  strict,
  // Optional whitespace, then from the first ";" any field-value bytes up to the CR.
  field_value_bytes,
};

struct ChunkedLimits {
  // Sum over the whole body of the extension bytes: from the first BWS or ";" after a chunk size
  // up to and including the CR ending its line.
  std::uint64_t max_extension_bytes = 16384;
  SectionLimits trailers;
  // Decoded bytes; a chunk size that would go beyond is a fault at the byte after its last digit.
  // nullopt: unbounded (the caller caps the bytes it feeds).
  std::optional<std::uint64_t> max_body;
  ExtensionSyntax extensions = ExtensionSyntax::strict;
};

class ChunkedBodyDecoder {
 public:
  enum class Fault : std::uint8_t {
    none,
    malformed,             // invalid chunk framing or trailer field line
    extensions_too_large,  // over ChunkedLimits::max_extension_bytes
    body_too_large,        // over ChunkedLimits::max_body
    trailers_too_large,    // trailer section over its byte or field budget
  };
  struct Result {
    std::size_t consumed = 0;  // on a fault, includes the offending byte
    std::string_view data;     // decoded bytes among those consumed (a view into the input); may be empty
  };

  explicit ChunkedBodyDecoder(ChunkedLimits limits = {});

  // Starts over for another body.
  void reset();

  // Consumes framed bytes and stops after the first span of chunk data, at the end of the body
  // (the empty line after the trailers), at a fault, or when the input is used up; so a caller
  // loops while bytes remain and neither done() nor failed(). Consumes nothing once done or
  // failed. Never throws on any input; std::bad_alloc only.
  [[nodiscard]] Result feed(std::string_view data);

  [[nodiscard]] bool done() const;
  [[nodiscard]] bool failed() const;
  [[nodiscard]] Fault fault() const { return fault_; }
  // A fixed phrase ("invalid chunk size"); never contains input bytes. Empty without a fault.
  [[nodiscard]] std::string_view detail() const { return detail_; }
  // Decoded bytes handed out so far.
  [[nodiscard]] std::uint64_t decoded_bytes() const { return decoded_; }

 private:
  enum class Step : std::uint8_t;

  std::size_t fail(Fault fault, std::string_view detail);
  std::size_t size_byte(unsigned char c);
  std::size_t extension_byte(unsigned char c);
  [[nodiscard]] Step strict_extension_next(unsigned char c) const;
  [[nodiscard]] Step field_value_extension_next(unsigned char c) const;
  std::size_t line_end_byte(unsigned char c);
  Result trailer_bytes(std::string_view data);

  ChunkedLimits limits_;
  Step step_;
  Fault fault_ = Fault::none;
  std::string_view detail_;
  std::uint64_t chunk_size_ = 0;
  std::uint32_t size_digits_ = 0;
  std::uint64_t extension_bytes_ = 0;
  std::uint64_t data_left_ = 0;  // of the current chunk
  std::uint64_t decoded_ = 0;
  FieldLineParser trailers_;
};

}  // namespace hookgate::gateway::http
