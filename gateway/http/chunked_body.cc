#include "gateway/http/chunked_body.h"

#include <algorithm>

#include "gateway/http/syntax.h"

namespace hookgate::gateway::http {

enum class ChunkedBodyDecoder::Step : std::uint8_t {
  size,
  size_bws,  // after the size: only BWS, then ";", may follow
  // ExtensionSyntax::strict, one step per element of the chunk-ext grammar.
  ext_name_start,
  ext_name,
  ext_name_bws,
  ext_value_start,
  ext_token_value,
  ext_quoted_value,
  ext_quoted_pair,
  ext_value_end,  // after a closing quote
  ext_value_bws,
  // ExtensionSyntax::field_value_bytes, after the first ";".
  ext_bytes,
  size_lf,
  data,
  data_cr,
  data_lf,
  trailers,
  done,
  failed,
};

ChunkedBodyDecoder::ChunkedBodyDecoder(ChunkedLimits limits)
    : limits_(limits), step_(Step::size), trailers_(limits.trailers) {}

void ChunkedBodyDecoder::reset() {
  step_ = Step::size;
  fault_ = Fault::none;
  detail_ = {};
  chunk_size_ = 0;
  size_digits_ = 0;
  extension_bytes_ = 0;
  data_left_ = 0;
  decoded_ = 0;
}

bool ChunkedBodyDecoder::done() const { return step_ == Step::done; }
bool ChunkedBodyDecoder::failed() const { return step_ == Step::failed; }

ChunkedBodyDecoder::Result ChunkedBodyDecoder::feed(std::string_view data) {
  std::size_t i = 0;
  while (i < data.size()) {
    const auto c = static_cast<unsigned char>(data[i]);
    switch (step_) {
      case Step::data: {
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(data.size() - i, data_left_));
        data_left_ -= take;
        decoded_ += take;
        if (data_left_ == 0) step_ = Step::data_cr;
        return {i + take, data.substr(i, take)};
      }
      case Step::trailers: {
        const Result r = trailer_bytes(data.substr(i));
        return {i + r.consumed, {}};
      }
      case Step::done:
      case Step::failed:
        return {i, {}};
      case Step::size:
        i += size_byte(c);
        break;
      case Step::size_lf:
      case Step::data_cr:
      case Step::data_lf:
        i += line_end_byte(c);
        break;
      default:
        i += extension_byte(c);
        break;
    }
    if (step_ == Step::failed) return {i, {}};
  }
  return {i, {}};
}

std::size_t ChunkedBodyDecoder::fail(Fault fault, std::string_view detail) {
  step_ = Step::failed;
  fault_ = fault;
  detail_ = detail;
  return 1;  // the offending byte
}

std::size_t ChunkedBodyDecoder::size_byte(unsigned char c) {
  if (syntax::is_hex_digit(c)) {
    if (size_digits_ == kMaxChunkSizeDigits) return fail(Fault::malformed, "chunk size too long");
    chunk_size_ = chunk_size_ * 16 + syntax::hex_value(c);
    ++size_digits_;
    return 1;
  }
  const std::string_view invalid = c == '\n' ? "bare LF" : "invalid chunk size";
  if (size_digits_ == 0) return fail(Fault::malformed, invalid);
  // Checked at the byte ending the size, before that byte's own meaning: an oversized chunk is
  // refused before any of its data is read.
  if (limits_.max_body && chunk_size_ > *limits_.max_body - std::min(*limits_.max_body, decoded_)) {
    return fail(Fault::body_too_large, "chunked body over body limit");
  }
  if (c == '\r') {
    step_ = Step::size_lf;
    return 1;
  }
  if (c == ';' || syntax::is_ows(c)) {
    const bool bytes_syntax = limits_.extensions == ExtensionSyntax::field_value_bytes;
    step_ = c == ';' && bytes_syntax ? Step::ext_bytes : Step::size_bws;
    return 0;  // charged against the extension budget
  }
  return fail(Fault::malformed, invalid);
}

std::size_t ChunkedBodyDecoder::extension_byte(unsigned char c) {
  if (++extension_bytes_ > limits_.max_extension_bytes) {
    return fail(Fault::extensions_too_large, "chunk extensions too large");
  }
  const bool strict = limits_.extensions == ExtensionSyntax::strict;
  const Step next = strict ? strict_extension_next(c) : field_value_extension_next(c);
  if (next == Step::failed) {
    if (c == '\n') return fail(Fault::malformed, "bare LF");
    // Without the grammar, what follows the size before any ";" is still part of the size line.
    return fail(Fault::malformed, !strict && step_ == Step::size_bws ? "invalid chunk size" : "malformed chunk extension");
  }
  step_ = next;
  return 1;
}

ChunkedBodyDecoder::Step ChunkedBodyDecoder::strict_extension_next(unsigned char c) const {
  const bool ows = syntax::is_ows(c);
  const bool tchar = syntax::is_tchar(c);
  switch (step_) {
    case Step::size_bws:  // BWS before a ";"
    case Step::ext_value_bws:
      if (ows) return step_;
      if (c == ';') return Step::ext_name_start;
      break;
    case Step::ext_name_start:
      if (ows) return step_;
      if (tchar) return Step::ext_name;
      break;
    case Step::ext_name:
      if (tchar) return step_;
      if (ows) return Step::ext_name_bws;
      if (c == '=') return Step::ext_value_start;
      if (c == ';') return Step::ext_name_start;
      if (c == '\r') return Step::size_lf;
      break;
    case Step::ext_name_bws:
      if (ows) return step_;
      if (c == '=') return Step::ext_value_start;
      if (c == ';') return Step::ext_name_start;
      break;
    case Step::ext_value_start:
      if (ows) return step_;
      if (tchar) return Step::ext_token_value;
      if (c == '"') return Step::ext_quoted_value;
      break;
    case Step::ext_quoted_value:
      if (c == '"') return Step::ext_value_end;
      if (c == '\\') return Step::ext_quoted_pair;
      if (syntax::is_qdtext(c)) return step_;
      break;
    case Step::ext_quoted_pair:  // "\" ( HTAB / SP / VCHAR / obs-text )
      if (syntax::is_field_value_char(c)) return Step::ext_quoted_value;
      break;
    case Step::ext_token_value:
    case Step::ext_value_end:
      if (tchar && step_ == Step::ext_token_value) return step_;
      if (ows) return Step::ext_value_bws;
      if (c == ';') return Step::ext_name_start;
      if (c == '\r') return Step::size_lf;
      break;
    default:
      break;
  }
  return Step::failed;
}

ChunkedBodyDecoder::Step ChunkedBodyDecoder::field_value_extension_next(unsigned char c) const {
  if (step_ == Step::size_bws) {
    if (c == ';') return Step::ext_bytes;
    return syntax::is_ows(c) ? step_ : Step::failed;
  }
  if (c == '\r') return Step::size_lf;
  return syntax::is_field_value_char(c) ? step_ : Step::failed;
}

// The LF ending a chunk-size line, or the CRLF after chunk data.
std::size_t ChunkedBodyDecoder::line_end_byte(unsigned char c) {
  if (step_ == Step::data_cr) {
    if (c != '\r') return fail(Fault::malformed, "missing CRLF after chunk data");
    step_ = Step::data_lf;
    return 1;
  }
  if (c != '\n') return fail(Fault::malformed, "bare CR");
  if (step_ == Step::data_lf) {
    step_ = Step::size;
    return 1;
  }
  if (chunk_size_ == 0) {
    // The last chunk: the trailer section follows, with its own budgets.
    trailers_.begin(Section::trailer);
    step_ = Step::trailers;
  } else {
    data_left_ = chunk_size_;
    step_ = Step::data;
  }
  chunk_size_ = 0;
  size_digits_ = 0;
  return 1;
}

ChunkedBodyDecoder::Result ChunkedBodyDecoder::trailer_bytes(std::string_view data) {
  std::size_t i = 0;
  for (;;) {
    const FieldLineParser::Result r = trailers_.feed(data.substr(i));
    i += r.consumed;
    switch (r.event) {
      case FieldLineParser::Event::field:
        continue;  // validated, dropped
      case FieldLineParser::Event::end:
        step_ = Step::done;
        return {i, {}};
      case FieldLineParser::Event::failed:
        (void)fail(trailers_.fault() == FieldLineParser::Fault::too_large ? Fault::trailers_too_large : Fault::malformed,
                   trailers_.detail());
        return {i, {}};
      case FieldLineParser::Event::need_more:
        return {i, {}};
    }
  }
}

}  // namespace hookgate::gateway::http
