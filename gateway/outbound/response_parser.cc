#include "gateway/outbound/response_parser.h"

#include <cstdlib>
#include <limits>

#include "gateway/http/syntax.h"
#include "gateway/http/version.h"

// Same construction as http1::RequestParser: a byte-level state machine whose fast paths only
// batch runs of bytes that the per-byte rules would accept one by one, and that reproduce
// exactly where those rules would have hit a budget inside the run. What follows the status line
// (field lines, framing fields, chunked coding) is read by the HTTP/1 core shared with the
// request parser (gateway/http/); this file keeps what only a response has: the status line,
// interim responses, which responses have a body, and the body excerpt.

namespace hookgate::gateway::outbound {

namespace syntax = http::syntax;

enum class ResponseParser::Step : std::uint8_t {
  status_version,
  status_code,
  status_reason,
  status_lf,
  message,  // a header section (interim or final) and the body, read by message_
  done,
  failed,
};

namespace {

constexpr std::string_view kHeadTooLarge = "header section too large";

std::size_t to_size(std::uint64_t n) {
  return n > std::numeric_limits<std::size_t>::max() ? std::numeric_limits<std::size_t>::max()
                                                      : static_cast<std::size_t>(n);
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The trailer section and the sum of the chunk extensions get a head's budgets. Extensions are
// skipped as field-value bytes: a destination's extensions only have to end unambiguously at a
// CRLF. The body is not capped here (the caller caps what it feeds).
http::ChunkedLimits chunked_limits(const ResponseLimits& limits) {
  http::ChunkedLimits out;
  out.max_extension_bytes = limits.max_header_bytes;
  out.trailers = {limits.max_header_bytes, limits.max_headers};
  out.max_body = std::nullopt;
  out.extensions = http::ExtensionSyntax::field_value_bytes;
  return out;
}

// Every budget is a head's budget here; a response body has no limit to go over.
ResponseParser::Error error_of(http::MessageReader::Fault fault) {
  const bool over_budget = fault == http::MessageReader::Fault::head_too_large ||
                           fault == http::MessageReader::Fault::trailers_too_large ||
                           fault == http::MessageReader::Fault::extensions_too_large;
  return over_budget ? ResponseParser::Error::head_too_large : ResponseParser::Error::malformed;
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (equals_ignore_case(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view to_string(ResponseParser::Error error) {
  switch (error) {
    case ResponseParser::Error::none: return "none";
    case ResponseParser::Error::malformed: return "malformed";
    case ResponseParser::Error::head_too_large: return "head_too_large";
    case ResponseParser::Error::truncated: return "truncated";
  }
  return "malformed";
}

ResponseParser::ResponseParser(ResponseLimits limits)
    : limits_(limits),
      step_(Step::status_version),
      message_({limits.max_header_bytes, limits.max_headers}, chunked_limits(limits)) {
  version_.reserve(http::kVersionLength);
}

void ResponseParser::reset(bool head_request) {
  step_ = Step::status_version;
  error_ = Error::none;
  error_detail_ = {};
  head_request_ = head_request;
  started_ = false;
  headers_complete_ = false;
  response_ = Response{};
  start_head();
}

void ResponseParser::start_head() {
  status_ = 0;
  head_bytes_ = 0;
  version_.clear();
  headers_.clear();
}

ResponseParser::State ResponseParser::state() const {
  if (step_ == Step::failed) return State::error;
  if (step_ == Step::done) return State::complete;
  return headers_complete_ ? State::reading_body : State::reading_head;
}

size_t ResponseParser::fail(size_t consumed, Error error, std::string_view detail) {
  step_ = Step::failed;
  error_ = error;
  error_detail_ = detail;
  return consumed;
}

bool ResponseParser::charge_head(size_t n) {
  head_bytes_ += n;
  return head_bytes_ <= limits_.max_header_bytes;
}

void ResponseParser::finish() {
  if (step_ == Step::done || step_ == Step::failed) return;
  if (step_ == Step::message && message_.reading_until_close()) {
    step_ = Step::done;
    return;
  }
  if (!started_) {
    fail(0, Error::truncated, "connection closed before response");
  } else if (!headers_complete_) {
    fail(0, Error::truncated, "connection closed in response head");
  } else {
    fail(0, Error::truncated, "connection closed in response body");
  }
}

// Each step function consumes from the front of what is left and returns how many bytes it took;
// one that takes none has changed the step.
size_t ResponseParser::feed(std::string_view data) {
  size_t i = 0;
  if (!data.empty() && step_ != Step::done && step_ != Step::failed) started_ = true;
  while (i < data.size() && step_ != Step::done && step_ != Step::failed) {
    const std::string_view rest = data.substr(i);
    switch (step_) {
      case Step::status_reason: i += feed_reason(rest); break;
      case Step::message: i += feed_message(rest); break;
      default: i += feed_status_line(static_cast<unsigned char>(rest.front())); break;
    }
  }
  return i;
}

// The reason phrase carries nothing hookgate uses: checked, charged and dropped.
size_t ResponseParser::feed_reason(std::string_view data) {
  const size_t run = syntax::run_length(data, syntax::is_field_value_char);
  if (run > 0) {
    const std::uint64_t head_left = limits_.max_header_bytes - head_bytes_;  // head_bytes_ <= max
    if (run > head_left) return fail(to_size(head_left) + 1, Error::head_too_large, kHeadTooLarge);
    head_bytes_ += run;
    return run;
  }
  if (!charge_head(1)) return fail(1, Error::head_too_large, kHeadTooLarge);
  const auto c = static_cast<unsigned char>(data.front());
  if (c == '\r') {
    step_ = Step::status_lf;
    return 1;
  }
  if (c == '\n') return fail(1, Error::malformed, "bare LF");
  return fail(1, Error::malformed, "control character in reason phrase");
}

// One byte of the status line outside the reason phrase.
size_t ResponseParser::feed_status_line(unsigned char c) {
  if (!charge_head(1)) return fail(1, Error::head_too_large, kHeadTooLarge);
  switch (step_) {
    case Step::status_version:
      if (c == ' ') {
        if (!finish_status_line()) return 1;
        step_ = Step::status_code;
        return 1;
      }
      if (c == '\n') return fail(1, Error::malformed, "bare LF");
      if (c == '\r') return fail(1, Error::malformed, "malformed status line");
      if (!http::may_extend_version(version_.size(), c)) return fail(1, Error::malformed, "malformed HTTP version");
      version_.push_back(static_cast<char>(c));
      return 1;

    case Step::status_code:
      if (syntax::is_digit(c) && status_ < 100) {
        status_ = status_ * 10 + (c - '0');
        if (status_ == 0) return fail(1, Error::malformed, "malformed status code");
        return 1;
      }
      if (status_ < 100 || status_ > 599) return fail(1, Error::malformed, "malformed status code");
      if (c == ' ') {
        step_ = Step::status_reason;
        return 1;
      }
      if (c == '\r') {  // "HTTP/1.1 200" without the SP: nothing ambiguous, accepted
        step_ = Step::status_lf;
        return 1;
      }
      if (c == '\n') return fail(1, Error::malformed, "bare LF");
      return fail(1, Error::malformed, "malformed status code");

    case Step::status_lf:
      if (c != '\n') return fail(1, Error::malformed, "bare CR");
      message_.begin_head(head_bytes_);
      step_ = Step::message;
      return 1;

    default:
      std::abort();  // feed() dispatches only the steps above here
  }
}

// After an interim head the reader is idle and step_ is back at the status line.
size_t ResponseParser::feed_message(std::string_view data) {
  const size_t used = message_.feed(data, *this);
  if (message_.failed()) return fail(used, error_of(message_.fault()), message_.detail());
  if (message_.done() && step_ == Step::message) step_ = Step::done;
  return used;
}

bool ResponseParser::finish_status_line() {
  const std::optional<http::Version> version = http::parse_version(version_);
  if (!version) {
    fail(0, Error::malformed, "malformed HTTP version");
    return false;
  }
  if (version->major != 1) {
    fail(0, Error::malformed, "unsupported HTTP version");
    return false;
  }
  // RFC 9110 §2.5: a higher minor version is read as the highest one we implement.
  response_.version_minor = version->minor == 0 ? 0 : 1;
  framing_.reset(version->minor == 0);
  return true;
}

bool ResponseParser::on_field(const std::string& name, const std::string& value) {
  // The fields of interim responses are checked for syntax only and dropped.
  if (status_ < 200) return true;
  // hookgate sends neither TE nor Accept-Encoding: any coding but "chunked" is a broken peer.
  if (framing_.add(name, value) != http::FramingFields::Fault::none) {
    fail(0, Error::malformed, framing_.detail());
    return false;
  }
  headers_.emplace_back(name, value);
  return true;
}

bool ResponseParser::on_head_end() {
  if (status_ < 200) {
    if (status_ == 101) {
      fail(0, Error::malformed, "unexpected 101 switching protocols");
      return false;
    }
    // An interim response (100 Continue, 102, 103): its head is skipped, the final one follows.
    start_head();
    step_ = Step::status_version;  // message_ stays idle until the next head
    return true;
  }

  response_.status = status_;
  response_.headers = std::move(headers_);
  headers_.clear();
  headers_complete_ = true;
  bool keep_alive = framing_.keep_alive();

  if (head_request_ || status_ == 204 || status_ == 304) {
    // RFC 9112 §6.3 (1): no body whatever the fields say. A 204 announcing one anyway may send
    // it: such a connection is not reused.
    if (status_ == 204 && !head_request_ && (framing_.chunked() || framing_.content_length() > 0)) keep_alive = false;
    response_.framing = BodyFraming::none;
    message_.end_message();
  } else if (framing_.chunked()) {
    response_.framing = BodyFraming::chunked;
    message_.read_chunked();
  } else if (framing_.content_length_seen()) {
    response_.framing = BodyFraming::content_length;
    message_.read_length(framing_.content_length());
  } else {
    response_.framing = BodyFraming::until_close;
    keep_alive = false;
    message_.read_until_close();
  }
  response_.keep_alive = keep_alive;
  return true;
}

void ResponseParser::on_body(std::string_view bytes) {
  response_.body_size += bytes.size();
  std::string& excerpt = response_.body_excerpt;
  if (excerpt.size() < limits_.excerpt_bytes) {
    excerpt.append(bytes.substr(0, limits_.excerpt_bytes - excerpt.size()));
  }
}

}  // namespace hookgate::gateway::outbound
