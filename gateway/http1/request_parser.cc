#include "gateway/http1/request_parser.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <utility>

#include "gateway/http/field_values.h"
#include "gateway/http/request_target.h"
#include "gateway/http/syntax.h"
#include "gateway/http/version.h"

// How the parser stays split-invariant: it is a byte-level state machine in which every
// decision (accept, reject, which error) is taken at one byte position from the bytes before
// it. The fast paths below only batch runs of bytes that the per-byte rules would accept one
// by one, and reproduce exactly where those rules would have hit a limit inside the run. What
// follows the request line (field lines, framing fields, chunked coding) is read by the HTTP/1
// core shared with the response parser (gateway/http/), built the same way; this file keeps what
// only a request has: the request line, Host and Expect, the body limit and the body buffer.

namespace hookgate::gateway::http1 {

namespace syntax = http::syntax;
using http::Request;

enum class RequestParser::Step : std::uint8_t {
  request_begin,  // before the method; empty lines tolerated (RFC 9112 §2.2)
  leading_lf,     // CR of such an empty line seen
  method,
  target,
  version,
  request_line_lf,
  message,  // header section and body, read by message_
  done,
  failed,
};

namespace {

constexpr std::uint32_t kMaxLeadingEmptyLines = 2;
constexpr std::size_t kMaxMethodLength = 32;
// A declared Content-Length is reserved up to this much before any body byte arrives, so a
// peer cannot make the gateway allocate max_body per connection by only announcing it.
constexpr std::uint64_t kMaxUpfrontBodyReserve = 64 * 1024;
constexpr std::size_t kTypicalHeaderFields = 16;
constexpr std::string_view kHeadTooLarge = "header section too large";

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

std::size_t to_size(std::uint64_t n) {
  return n > std::numeric_limits<std::size_t>::max() ? std::numeric_limits<std::size_t>::max()
                                                      : static_cast<std::size_t>(n);
}

// A trailer section has the head's budgets; the chunk extensions of a body share one such budget
// too. Extensions are held to their grammar, so that no request is framed differently here than
// by a strict peer behind the gateway.
http::ChunkedLimits chunked_limits(const Limits& limits) {
  http::ChunkedLimits out;
  out.max_extension_bytes = limits.max_header_bytes;
  out.trailers = {limits.max_header_bytes, limits.max_headers};
  out.max_body = limits.max_body;
  out.extensions = http::ExtensionSyntax::strict;
  return out;
}

Error error_of(http::MessageReader::Fault fault) {
  switch (fault) {
    case http::MessageReader::Fault::none:
    case http::MessageReader::Fault::malformed: return Error::bad_request;
    case http::MessageReader::Fault::head_too_large:
    case http::MessageReader::Fault::trailers_too_large: return Error::header_fields_too_large;
    case http::MessageReader::Fault::extensions_too_large:
    case http::MessageReader::Fault::body_too_large: return Error::payload_too_large;
  }
  return Error::bad_request;
}

}  // namespace

RequestParser::RequestParser(Limits limits)
    : limits_(limits),
      step_(Step::request_begin),
      message_({limits.max_header_bytes, limits.max_headers}, chunked_limits(limits)) {
  version_.reserve(http::kVersionLength);
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
  version_.clear();
  host_seen_ = false;
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

// Each step function consumes from the front of what is left and returns how many bytes it took;
// one that takes none has changed the step.
size_t RequestParser::feed(std::string_view data) {
  size_t i = 0;
  while (i < data.size() && step_ != Step::done && step_ != Step::failed) {
    if (step_ == Step::message) {
      i += feed_message(data.substr(i));
    } else if (step_ == Step::target) {
      i += feed_target(data.substr(i));
    } else {
      i += feed_request_line(static_cast<unsigned char>(data[i]));
    }
  }
  return i;
}

// One byte of the request line outside the target, or of an empty line before it.
size_t RequestParser::feed_request_line(unsigned char c) {
  switch (step_) {
    case Step::request_begin:
      started_ = true;
      if (c == '\r') {
        step_ = Step::leading_lf;
        return 1;
      }
      if (c == '\n') return fail(1, Error::bad_request, "bare LF");
      step_ = Step::method;
      return 0;  // c is the method's first byte

    case Step::leading_lf:
      if (c != '\n') return fail(1, Error::bad_request, "bare CR");
      if (++leading_empty_lines_ > kMaxLeadingEmptyLines) {
        return fail(1, Error::bad_request, "too many empty lines before request line");
      }
      step_ = Step::request_begin;
      return 1;

    case Step::method:
      if (!charge_head(1)) return fail(1, Error::header_fields_too_large, kHeadTooLarge);
      if (syntax::is_tchar(c)) {
        if (request_.method.size() == kMaxMethodLength) return fail(1, Error::bad_request, "method too long");
        request_.method.push_back(static_cast<char>(c));
        return 1;
      }
      if (c == ' ' && !request_.method.empty()) {
        step_ = Step::target;
        return 1;
      }
      return fail(1, Error::bad_request, "malformed method");

    case Step::version:
      if (!charge_head(1)) return fail(1, Error::header_fields_too_large, kHeadTooLarge);
      if (c == '\r') {
        step_ = Step::request_line_lf;
        return 1;
      }
      if (c == '\n') return fail(1, Error::bad_request, "bare LF");
      if (!http::may_extend_version(version_.size(), c)) return fail(1, Error::bad_request, "malformed HTTP version");
      version_.push_back(static_cast<char>(c));
      return 1;

    case Step::request_line_lf:
      if (!charge_head(1)) return fail(1, Error::header_fields_too_large, kHeadTooLarge);
      if (c != '\n') return fail(1, Error::bad_request, "bare CR");
      if (!finish_request_line()) return 1;
      message_.begin_head(head_bytes_);
      step_ = Step::message;
      return 1;

    case Step::target:
    case Step::message:
    case Step::done:
    case Step::failed:
      break;
  }
  std::abort();  // feed() dispatches only the steps above here
}

size_t RequestParser::feed_target(std::string_view data) {
  const size_t run = syntax::run_length(data, syntax::is_target_char);
  if (run > 0) {
    // Invariants while not failed: target <= max/2, head_bytes_ <= max.
    const std::uint64_t target_left = limits_.max_header_bytes / 2 - request_.target.size();
    const std::uint64_t head_left = limits_.max_header_bytes - head_bytes_;
    if (run > target_left || run > head_left) {
      if (target_left <= head_left) return fail(to_size(target_left) + 1, Error::uri_too_long, "request-target too long");
      return fail(to_size(head_left) + 1, Error::header_fields_too_large, kHeadTooLarge);
    }
    request_.target.append(data.substr(0, run));
    head_bytes_ += run;
    return run;
  }
  if (!charge_head(1)) return fail(1, Error::header_fields_too_large, kHeadTooLarge);
  if (data.front() == ' ') {
    if (request_.target.empty()) return fail(1, Error::bad_request, "empty request-target");
    step_ = Step::version;
    return 1;
  }
  return fail(1, Error::bad_request, "invalid byte in request-target");
}

size_t RequestParser::feed_message(std::string_view data) {
  const size_t used = message_.feed(data, *this);
  if (message_.failed()) return fail(used, error_of(message_.fault()), message_.detail());
  if (message_.done() && step_ != Step::failed) complete();
  return used;
}

bool RequestParser::finish_request_line() {
  const std::optional<http::Version> version = http::parse_version(version_);
  if (!version) {
    fail(0, Error::bad_request, "malformed HTTP version");
    return false;
  }
  if (version->major != 1 || version->minor > 1) {
    fail(0, Error::version_not_supported, "unsupported HTTP version");
    return false;
  }
  request_.version_minor = version->minor;
  framing_.reset(version->minor == 0);

  const http::TargetParts parts = http::split_request_target(request_.method, request_.target);
  if (!parts.ok) {
    fail(0, Error::bad_request, parts.detail);
    return false;
  }
  request_.path.assign(parts.path);
  request_.query.assign(parts.query);
  return true;
}

bool RequestParser::on_field(const std::string& name, const std::string& value) {
  const auto reject = [this](Error error, std::string_view detail) {
    fail(0, error, detail);
    return false;
  };
  const http::FramingFields::Fault framing = framing_.add(name, value);
  if (framing != http::FramingFields::Fault::none) {
    return reject(framing == http::FramingFields::Fault::unsupported_coding ? Error::not_implemented : Error::bad_request,
                  framing_.detail());
  }
  // Only this field can have set it so: an earlier one over the limit was refused.
  if (framing_.content_length() > limits_.max_body) return reject(Error::payload_too_large, "content-length over body limit");
  if (syntax::equals_lower(name, "host")) {
    if (host_seen_) return reject(Error::bad_request, "duplicate host");
    if (!http::is_valid_host(value)) return reject(Error::bad_request, "invalid host");
    host_seen_ = true;
  } else if (syntax::equals_lower(name, "expect")) {
    if (!http::is_100_continue(value)) return reject(Error::expectation_failed, "unsupported expectation");
    // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
    if (request_.version_minor != 0) request_.expect_continue = true;
  }
  // One allocation for a typical webhook's fields rather than a regrowth every few.
  if (request_.headers.empty()) request_.headers.reserve(kTypicalHeaderFields);
  // Exact-size copies: the reader's buffers keep their capacity for the next field.
  request_.headers.push_back(http::Header{name, value});
  return true;
}

bool RequestParser::on_head_end() {
  const bool http10 = request_.version_minor == 0;
  if (!http10 && !host_seen_) {
    fail(0, Error::bad_request, "missing host");
    return false;
  }
  request_.keep_alive = framing_.keep_alive();
  headers_complete_ = true;
  if (framing_.chunked()) {
    message_.read_chunked();
  } else {
    const std::uint64_t length = framing_.content_length();
    if (length > 0) request_.body.reserve(to_size(std::min(length, kMaxUpfrontBodyReserve) + Request::kBodyPadding));
    message_.read_length(length);  // no framing fields: an empty body (RFC 9112 §6.3)
  }
  return true;
}

void RequestParser::on_body(std::string_view bytes) {
  std::string& body = request_.body;
  const std::size_t need = body.size() + bytes.size() + Request::kBodyPadding;
  if (need > body.capacity()) {
    // Geometric growth, but never past what the body can still become.
    const std::uint64_t ceiling =
        saturating_add(framing_.chunked() ? limits_.max_body : framing_.content_length(), Request::kBodyPadding);
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

}  // namespace hookgate::gateway::http1
