#include "gateway/http1/request_parser.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "gateway/http1/field_values.h"
#include "gateway/http1/request_target.h"
#include "gateway/http1/syntax.h"

// How the parser stays split-invariant: it is a byte-level state machine in which every
// decision (accept, reject, which error) is taken at one byte position from the bytes before
// it. The fast paths below only batch runs of bytes that the per-byte rules would accept one
// by one, and reproduce exactly where those rules would have hit a limit inside the run.

namespace hookgate::http1 {

enum class RequestParser::Step : std::uint8_t {
  request_begin,  // before the method; empty lines tolerated (RFC 9112 §2.2)
  leading_lf,     // CR of such an empty line seen
  method,
  target,
  version,
  request_line_lf,
  field_begin,  // start of a field line, or of the empty line that ends the section
  field_name,
  field_value_ows,  // OWS after ':', dropped
  field_value,
  field_lf,
  section_end_lf,  // CR of the empty line ending the head or the trailer section seen
  identity_body,
  chunk_size,
  chunk_size_bws,  // after the size, before the first ";": only BWS and ";" may follow
  chunk_ext_name_start,
  chunk_ext_name,
  chunk_ext_name_bws,
  chunk_ext_value_start,
  chunk_ext_token_value,
  chunk_ext_quoted_value,
  chunk_ext_quoted_pair,
  chunk_ext_value_end,  // after a closing quote
  chunk_ext_value_bws,
  chunk_size_lf,
  chunk_data,
  chunk_data_cr,
  chunk_data_lf,
  done,
  failed,
};

namespace {

constexpr std::uint32_t kMaxLeadingEmptyLines = 2;
constexpr std::size_t kMaxMethodLength = 32;
constexpr std::size_t kVersionLength = 8;  // "HTTP/1.1"
constexpr std::uint32_t kMaxChunkSizeDigits = 16;  // 16 hex digits cannot overflow 64 bits
// A declared Content-Length is reserved up to this much before any body byte arrives, so a
// peer cannot make the gateway allocate max_body per connection by only announcing it.
constexpr std::uint64_t kMaxUpfrontBodyReserve = 64 * 1024;
constexpr std::size_t kTypicalHeaderFields = 16;

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

std::size_t to_size(std::uint64_t n) {
  return n > std::numeric_limits<std::size_t>::max() ? std::numeric_limits<std::size_t>::max()
                                                      : static_cast<std::size_t>(n);
}

}  // namespace

RequestParser::RequestParser(Limits limits) : limits_(limits), step_(Step::request_begin) {
  version_.reserve(kVersionLength);
}

RequestParser::State RequestParser::state() const {
  if (step_ == Step::failed) return State::error;
  if (step_ == Step::done) return State::complete;
  return headers_complete_ ? State::reading_body : State::reading_head;
}

Request RequestParser::take_request() {
  if (step_ != Step::done) return Request{};
  Request out = std::move(request_);
  request_ = Request{};
  return out;
}

void RequestParser::reset() {
  step_ = Step::request_begin;
  error_ = Error::none;
  error_detail_ = {};
  started_ = false;
  headers_complete_ = false;
  request_ = Request{};
  leading_empty_lines_ = 0;
  head_bytes_ = 0;
  field_count_ = 0;
  in_trailers_ = false;
  version_.clear();
  field_name_.clear();
  field_value_.clear();
  host_seen_ = false;
  content_length_seen_ = false;
  chunked_ = false;
  connection_close_ = false;
  connection_keep_alive_ = false;
  content_length_ = 0;
  body_remaining_ = 0;
  chunk_size_ = 0;
  chunk_size_digits_ = 0;
  chunk_ext_bytes_ = 0;
}

size_t RequestParser::fail(size_t consumed, Error error, std::string_view detail) {
  step_ = Step::failed;
  error_ = error;
  error_detail_ = detail;
  return consumed;
}

bool RequestParser::charge_head(size_t n) {
  head_bytes_ += n;
  return head_bytes_ <= limits_.max_header_bytes;
}

size_t RequestParser::feed(std::string_view data) {
  const size_t n = data.size();
  size_t i = 0;
  const std::string_view head_too_large = "header section too large";
  const std::string_view trailers_too_large = "trailer section too large";

  // Length of the run of bytes from i that `accept` admits.
  const auto run_length = [&](auto accept) {
    size_t j = i;
    while (j < n && accept(static_cast<unsigned char>(data[j]))) ++j;
    return j - i;
  };

  while (i < n) {
    const auto c = static_cast<unsigned char>(data[i]);
    switch (step_) {
      case Step::request_begin:
        started_ = true;
        if (c == '\r') {
          step_ = Step::leading_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::bad_request, "bare LF");
        step_ = Step::method;
        continue;  // c is the method's first byte

      case Step::leading_lf:
        if (c != '\n') return fail(i + 1, Error::bad_request, "bare CR");
        if (++leading_empty_lines_ > kMaxLeadingEmptyLines) {
          return fail(i + 1, Error::bad_request, "too many empty lines before request line");
        }
        step_ = Step::request_begin;
        ++i;
        continue;

      case Step::method:
        if (!charge_head(1)) return fail(i + 1, Error::header_fields_too_large, head_too_large);
        if (syntax::is_tchar(c)) {
          if (request_.method.size() == kMaxMethodLength) return fail(i + 1, Error::bad_request, "method too long");
          request_.method.push_back(static_cast<char>(c));
          ++i;
          continue;
        }
        if (c == ' ' && !request_.method.empty()) {
          step_ = Step::target;
          ++i;
          continue;
        }
        return fail(i + 1, Error::bad_request, "malformed method");

      case Step::target: {
        const size_t run = run_length(syntax::is_target_char);
        if (run > 0) {
          // Invariants while not failed: target <= max/2, head_bytes_ <= max.
          const std::uint64_t target_left = limits_.max_header_bytes / 2 - request_.target.size();
          const std::uint64_t head_left = limits_.max_header_bytes - head_bytes_;
          if (run > target_left || run > head_left) {
            if (target_left <= head_left) {
              return fail(i + to_size(target_left) + 1, Error::uri_too_long, "request-target too long");
            }
            return fail(i + to_size(head_left) + 1, Error::header_fields_too_large, head_too_large);
          }
          request_.target.append(data.substr(i, run));
          head_bytes_ += run;
          i += run;
          continue;
        }
        if (!charge_head(1)) return fail(i + 1, Error::header_fields_too_large, head_too_large);
        if (c == ' ') {
          if (request_.target.empty()) return fail(i + 1, Error::bad_request, "empty request-target");
          step_ = Step::version;
          ++i;
          continue;
        }
        return fail(i + 1, Error::bad_request, "invalid byte in request-target");
      }

      case Step::version:
        if (!charge_head(1)) return fail(i + 1, Error::header_fields_too_large, head_too_large);
        if (c == '\r') {
          step_ = Step::request_line_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::bad_request, "bare LF");
        if ((!syntax::is_tchar(c) && c != '/') || version_.size() == kVersionLength) {
          return fail(i + 1, Error::bad_request, "malformed HTTP version");
        }
        version_.push_back(static_cast<char>(c));
        ++i;
        continue;

      case Step::request_line_lf:
        if (!charge_head(1)) return fail(i + 1, Error::header_fields_too_large, head_too_large);
        if (c != '\n') return fail(i + 1, Error::bad_request, "bare CR");
        ++i;
        if (!finish_request_line()) return i;
        step_ = Step::field_begin;
        continue;

      case Step::field_begin:
        if (!charge_head(1)) {
          return fail(i + 1, Error::header_fields_too_large, in_trailers_ ? trailers_too_large : head_too_large);
        }
        if (c == '\r') {
          step_ = Step::section_end_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::bad_request, "bare LF");
        if (syntax::is_ows(c)) {
          // RFC 9112 §5.2 allows replacing obs-fold with SP; refusing is the unambiguous choice.
          return fail(i + 1, Error::bad_request,
                      field_count_ == 0 ? "whitespace before first field line" : "obs-fold");
        }
        if (!syntax::is_tchar(c)) return fail(i + 1, Error::bad_request, "invalid field name");
        if (++field_count_ > limits_.max_headers) {
          return fail(i + 1, Error::header_fields_too_large,
                      in_trailers_ ? "too many trailer fields" : "too many header fields");
        }
        field_name_.push_back(static_cast<char>(c));
        step_ = Step::field_name;
        ++i;
        continue;

      case Step::field_name: {
        const size_t run = run_length(syntax::is_tchar);
        if (run > 0) {
          const std::uint64_t head_left = limits_.max_header_bytes - head_bytes_;
          if (run > head_left) {
            return fail(i + to_size(head_left) + 1, Error::header_fields_too_large,
                        in_trailers_ ? trailers_too_large : head_too_large);
          }
          field_name_.append(data.substr(i, run));
          head_bytes_ += run;
          i += run;
          continue;
        }
        if (!charge_head(1)) {
          return fail(i + 1, Error::header_fields_too_large, in_trailers_ ? trailers_too_large : head_too_large);
        }
        if (c == ':') {
          step_ = Step::field_value_ows;
          ++i;
          continue;
        }
        if (syntax::is_ows(c)) return fail(i + 1, Error::bad_request, "whitespace before colon");
        return fail(i + 1, Error::bad_request, "invalid field name");
      }

      case Step::field_value_ows:
        if (!syntax::is_ows(c)) {
          step_ = Step::field_value;
          continue;  // c belongs to the value (or ends it)
        }
        if (!charge_head(1)) {
          return fail(i + 1, Error::header_fields_too_large, in_trailers_ ? trailers_too_large : head_too_large);
        }
        ++i;
        continue;

      case Step::field_value: {
        const size_t run = run_length(syntax::is_field_value_char);
        if (run > 0) {
          const std::uint64_t head_left = limits_.max_header_bytes - head_bytes_;
          if (run > head_left) {
            return fail(i + to_size(head_left) + 1, Error::header_fields_too_large,
                        in_trailers_ ? trailers_too_large : head_too_large);
          }
          field_value_.append(data.substr(i, run));
          head_bytes_ += run;
          i += run;
          continue;
        }
        if (!charge_head(1)) {
          return fail(i + 1, Error::header_fields_too_large, in_trailers_ ? trailers_too_large : head_too_large);
        }
        if (c == '\r') {
          step_ = Step::field_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::bad_request, "bare LF");
        if (c == '\0') return fail(i + 1, Error::bad_request, "NUL in field value");
        return fail(i + 1, Error::bad_request, "control character in field value");
      }

      case Step::field_lf:
        if (!charge_head(1)) {
          return fail(i + 1, Error::header_fields_too_large, in_trailers_ ? trailers_too_large : head_too_large);
        }
        if (c != '\n') return fail(i + 1, Error::bad_request, "bare CR");
        ++i;
        if (!finish_field()) return i;
        step_ = Step::field_begin;
        continue;

      case Step::section_end_lf:
        if (!charge_head(1)) {
          return fail(i + 1, Error::header_fields_too_large, in_trailers_ ? trailers_too_large : head_too_large);
        }
        if (c != '\n') return fail(i + 1, Error::bad_request, "bare CR");
        ++i;
        if (in_trailers_) {
          complete();
          return i;
        }
        if (!finish_head() || step_ == Step::done) return i;
        continue;

      case Step::identity_body: {
        const size_t take = std::min(n - i, to_size(body_remaining_));
        append_body(data.substr(i, take));
        body_remaining_ -= take;
        i += take;
        if (body_remaining_ == 0) {
          complete();
          return i;
        }
        continue;
      }

      case Step::chunk_size:
        if (syntax::is_hex_digit(c)) {
          if (chunk_size_digits_ == kMaxChunkSizeDigits) return fail(i + 1, Error::bad_request, "chunk size too long");
          chunk_size_ = chunk_size_ * 16 + syntax::hex_value(c);
          ++chunk_size_digits_;
          ++i;
          continue;
        }
        if (chunk_size_digits_ == 0) {
          return fail(i + 1, Error::bad_request, c == '\n' ? std::string_view("bare LF") : "invalid chunk size");
        }
        if (!finish_chunk_size()) return i + 1;
        if (c == '\r') {
          step_ = Step::chunk_size_lf;
          ++i;
          continue;
        }
        if (c == ';' || syntax::is_ows(c)) {
          step_ = Step::chunk_size_bws;
          continue;  // charged against the extension budget below
        }
        return fail(i + 1, Error::bad_request, c == '\n' ? std::string_view("bare LF") : "invalid chunk size");

      case Step::chunk_size_bws:
      case Step::chunk_ext_name_start:
      case Step::chunk_ext_name:
      case Step::chunk_ext_name_bws:
      case Step::chunk_ext_value_start:
      case Step::chunk_ext_token_value:
      case Step::chunk_ext_quoted_value:
      case Step::chunk_ext_quoted_pair:
      case Step::chunk_ext_value_end:
      case Step::chunk_ext_value_bws: {
        // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
        // Extensions carry nothing hookgate uses; they are checked against RFC 9112 §7.1.1 only
        // so that no byte sequence is framed differently here than by a strict peer.
        if (++chunk_ext_bytes_ > limits_.max_header_bytes) {
          return fail(i + 1, Error::payload_too_large, "chunk extensions too large");
        }
        const bool ows = syntax::is_ows(c);
        const bool tchar = syntax::is_tchar(c);
        Step next = Step::failed;
        switch (step_) {
          case Step::chunk_size_bws:  // BWS before a ";"
          case Step::chunk_ext_value_bws:
            if (ows) next = step_;
            else if (c == ';') next = Step::chunk_ext_name_start;
            break;
          case Step::chunk_ext_name_start:
            if (ows) next = step_;
            else if (tchar) next = Step::chunk_ext_name;
            break;
          case Step::chunk_ext_name:
            if (tchar) next = step_;
            else if (ows) next = Step::chunk_ext_name_bws;
            else if (c == '=') next = Step::chunk_ext_value_start;
            else if (c == ';') next = Step::chunk_ext_name_start;
            else if (c == '\r') next = Step::chunk_size_lf;
            break;
          case Step::chunk_ext_name_bws:
            if (ows) next = step_;
            else if (c == '=') next = Step::chunk_ext_value_start;
            else if (c == ';') next = Step::chunk_ext_name_start;
            break;
          case Step::chunk_ext_value_start:
            if (ows) next = step_;
            else if (tchar) next = Step::chunk_ext_token_value;
            else if (c == '"') next = Step::chunk_ext_quoted_value;
            break;
          case Step::chunk_ext_quoted_value:
            if (c == '"') next = Step::chunk_ext_value_end;
            else if (c == '\\') next = Step::chunk_ext_quoted_pair;
            else if (syntax::is_qdtext(c)) next = step_;
            break;
          case Step::chunk_ext_quoted_pair:  // "\" ( HTAB / SP / VCHAR / obs-text )
            if (syntax::is_field_value_char(c)) next = Step::chunk_ext_quoted_value;
            break;
          case Step::chunk_ext_token_value:
          case Step::chunk_ext_value_end:
            if (tchar && step_ == Step::chunk_ext_token_value) next = step_;
            else if (ows) next = Step::chunk_ext_value_bws;
            else if (c == ';') next = Step::chunk_ext_name_start;
            else if (c == '\r') next = Step::chunk_size_lf;
            break;
          default:
            break;
        }
        if (next == Step::failed) {
          return fail(i + 1, Error::bad_request, c == '\n' ? std::string_view("bare LF") : "malformed chunk extension");
        }
        step_ = next;
        ++i;
        continue;
      }

      case Step::chunk_size_lf:
        if (c != '\n') return fail(i + 1, Error::bad_request, "bare CR");
        ++i;
        if (chunk_size_ == 0) {
          // Last chunk: the trailer section follows, with its own budgets.
          in_trailers_ = true;
          head_bytes_ = 0;
          field_count_ = 0;
          step_ = Step::field_begin;
        } else {
          body_remaining_ = chunk_size_;
          step_ = Step::chunk_data;
        }
        chunk_size_ = 0;
        chunk_size_digits_ = 0;
        continue;

      case Step::chunk_data: {
        const size_t take = std::min(n - i, to_size(body_remaining_));
        append_body(data.substr(i, take));
        body_remaining_ -= take;
        i += take;
        if (body_remaining_ == 0) step_ = Step::chunk_data_cr;
        continue;
      }

      case Step::chunk_data_cr:
        if (c != '\r') return fail(i + 1, Error::bad_request, "missing CRLF after chunk data");
        step_ = Step::chunk_data_lf;
        ++i;
        continue;

      case Step::chunk_data_lf:
        if (c != '\n') return fail(i + 1, Error::bad_request, "bare CR");
        step_ = Step::chunk_size;
        ++i;
        continue;

      case Step::done:
      case Step::failed:
        return i;
    }
  }
  return i;
}

bool RequestParser::finish_request_line() {
  const std::string_view v = version_;
  if (v.size() != kVersionLength || v.substr(0, 5) != "HTTP/" || !syntax::is_digit(static_cast<unsigned char>(v[5])) ||
      v[6] != '.' || !syntax::is_digit(static_cast<unsigned char>(v[7]))) {
    fail(0, Error::bad_request, "malformed HTTP version");
    return false;
  }
  if (v[5] != '1' || (v[7] != '0' && v[7] != '1')) {
    fail(0, Error::version_not_supported, "unsupported HTTP version");
    return false;
  }
  request_.version_minor = v[7] - '0';

  const TargetParts parts = split_request_target(request_.method, request_.target);
  if (!parts.ok) {
    fail(0, Error::bad_request, parts.detail);
    return false;
  }
  request_.path.assign(parts.path);
  request_.query.assign(parts.query);
  return true;
}

bool RequestParser::finish_field() {
  while (!field_value_.empty() && syntax::is_ows(static_cast<unsigned char>(field_value_.back()))) {
    field_value_.pop_back();
  }
  // Trailer fields are validated like header fields but carry nothing hookgate uses; dropping
  // them keeps a trailer from ever posing as a header that was checked at head time.
  const bool ok = in_trailers_ || finish_header_field();
  field_name_.clear();
  field_value_.clear();
  return ok;
}

bool RequestParser::finish_header_field() {
  const std::string_view name = field_name_;
  const std::string_view value = field_value_;
  const bool http10 = request_.version_minor == 0;

  if (syntax::equals_lower(name, "content-length")) {
    if (content_length_seen_) {
      fail(0, Error::bad_request, "duplicate content-length");
      return false;
    }
    if (chunked_) {
      fail(0, Error::bad_request, "content-length with transfer-encoding");
      return false;
    }
    const std::optional<std::uint64_t> length = parse_content_length(value);
    if (!length) {
      fail(0, Error::bad_request, "invalid content-length");
      return false;
    }
    if (*length > limits_.max_body) {
      fail(0, Error::payload_too_large, "content-length over body limit");
      return false;
    }
    content_length_seen_ = true;
    content_length_ = *length;
  } else if (syntax::equals_lower(name, "transfer-encoding")) {
    // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; such framing is faulty.
    if (http10) {
      fail(0, Error::bad_request, "transfer-encoding in HTTP/1.0");
      return false;
    }
    if (content_length_seen_) {
      fail(0, Error::bad_request, "content-length with transfer-encoding");
      return false;
    }
    if (chunked_) {
      fail(0, Error::not_implemented, "repeated transfer-encoding");
      return false;
    }
    if (!is_single_chunked(value)) {
      fail(0, Error::not_implemented, "unsupported transfer-encoding");
      return false;
    }
    chunked_ = true;
  } else if (syntax::equals_lower(name, "host")) {
    if (host_seen_) {
      fail(0, Error::bad_request, "duplicate host");
      return false;
    }
    if (!is_valid_host(value)) {
      fail(0, Error::bad_request, "invalid host");
      return false;
    }
    host_seen_ = true;
  } else if (syntax::equals_lower(name, "connection")) {
    ConnectionOptions options{connection_close_, connection_keep_alive_};
    if (!parse_connection(value, options)) {
      fail(0, Error::bad_request, "invalid connection");
      return false;
    }
    connection_close_ = options.close;
    connection_keep_alive_ = options.keep_alive;
  } else if (syntax::equals_lower(name, "expect")) {
    if (!is_100_continue(value)) {
      fail(0, Error::expectation_failed, "unsupported expectation");
      return false;
    }
    // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
    if (!http10) request_.expect_continue = true;
  }
  // One allocation for a typical webhook's fields rather than a regrowth every few.
  if (request_.headers.empty()) request_.headers.reserve(kTypicalHeaderFields);
  // Exact-size copies: the scratch buffers keep their capacity for the next field.
  request_.headers.push_back(Header{field_name_, field_value_});
  return true;
}

bool RequestParser::finish_head() {
  const bool http10 = request_.version_minor == 0;
  if (!http10 && !host_seen_) {
    fail(0, Error::bad_request, "missing host");
    return false;
  }
  request_.keep_alive = !connection_close_ && (!http10 || connection_keep_alive_);
  headers_complete_ = true;
  if (chunked_) {
    step_ = Step::chunk_size;
  } else if (content_length_ > 0) {
    request_.body.reserve(to_size(std::min(content_length_, kMaxUpfrontBodyReserve) + Request::kBodyPadding));
    body_remaining_ = content_length_;
    step_ = Step::identity_body;
  } else {
    complete();
  }
  return true;
}

bool RequestParser::finish_chunk_size() {
  if (chunk_size_ > limits_.max_body - std::min<std::uint64_t>(limits_.max_body, request_.body.size())) {
    fail(0, Error::payload_too_large, "chunked body over body limit");
    return false;
  }
  return true;
}

void RequestParser::append_body(std::string_view bytes) {
  std::string& body = request_.body;
  const std::size_t need = body.size() + bytes.size() + Request::kBodyPadding;
  if (need > body.capacity()) {
    // Geometric growth, but never past what the body can still become.
    const std::uint64_t ceiling =
        saturating_add(chunked_ ? limits_.max_body : content_length_, Request::kBodyPadding);
    const std::size_t grown = std::max(need, body.capacity() * 2);
    body.reserve(std::max(need, std::min(grown, to_size(ceiling))));
  }
  body.append(bytes);
}

void RequestParser::complete() {
  std::string& body = request_.body;
  const std::size_t size = body.size();
  if (body.capacity() < size + Request::kBodyPadding) body.reserve(size + Request::kBodyPadding);
  // Writes zeros into the padding without reallocating; shrinking back keeps the capacity.
  body.append(Request::kBodyPadding, '\0');
  body.resize(size);
  step_ = Step::done;
}

}  // namespace hookgate::http1
