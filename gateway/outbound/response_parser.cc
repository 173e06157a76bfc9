#include "gateway/outbound/response_parser.h"

#include <algorithm>
#include <limits>

#include "gateway/http1/field_values.h"
#include "gateway/http1/syntax.h"

// Same construction as http1::RequestParser: a byte-level state machine whose fast paths only
// batch runs of bytes that the per-byte rules would accept one by one, and that reproduce
// exactly where those rules would have hit a budget inside the run.

namespace hookgate::outbound {

namespace syntax = http1::syntax;

enum class ResponseParser::Step : std::uint8_t {
  status_version,
  status_code,
  status_reason,
  status_lf,
  field_begin,  // start of a field line, or of the empty line that ends the section
  field_name,
  field_value_ows,  // OWS after ':', dropped
  field_value,
  field_lf,
  section_end_lf,  // CR of the empty line ending a head or the trailer section seen
  identity_body,
  until_close_body,
  chunk_size,
  chunk_size_bws,  // BWS after the size: only more BWS or ";" may follow
  chunk_ext,
  chunk_size_lf,
  chunk_data,
  chunk_data_cr,
  chunk_data_lf,
  done,
  failed,
};

namespace {

constexpr std::size_t kVersionLength = 8;          // "HTTP/1.1"
constexpr std::uint32_t kMaxChunkSizeDigits = 16;  // 16 hex digits cannot overflow 64 bits

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

ResponseParser::ResponseParser(ResponseLimits limits) : limits_(limits), step_(Step::status_version) {
  version_.reserve(kVersionLength);
}

void ResponseParser::reset(bool head_request) {
  step_ = Step::status_version;
  error_ = Error::none;
  error_detail_ = {};
  head_request_ = head_request;
  started_ = false;
  headers_complete_ = false;
  response_ = Response{};
  in_trailers_ = false;
  body_remaining_ = 0;
  chunk_size_ = 0;
  chunk_size_digits_ = 0;
  chunk_ext_bytes_ = 0;
  start_head();
}

void ResponseParser::start_head() {
  status_ = 0;
  head_bytes_ = 0;
  field_count_ = 0;
  version_.clear();
  field_name_.clear();
  field_value_.clear();
  headers_.clear();
  content_length_seen_ = false;
  chunked_ = false;
  connection_close_ = false;
  connection_keep_alive_ = false;
  content_length_ = 0;
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

std::string_view ResponseParser::over_budget_detail() const {
  return in_trailers_ ? "trailer section too large" : "header section too large";
}

void ResponseParser::finish() {
  if (step_ == Step::done || step_ == Step::failed) return;
  if (step_ == Step::until_close_body) {
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

size_t ResponseParser::feed(std::string_view data) {
  const size_t n = data.size();
  size_t i = 0;
  if (n > 0 && step_ != Step::done && step_ != Step::failed) started_ = true;

  const auto run_length = [&](auto accept) {
    size_t j = i;
    while (j < n && accept(static_cast<unsigned char>(data[j]))) ++j;
    return j - i;
  };
  // Takes a run of accepted bytes into `into` (or drops them when null), failing at the exact
  // byte that goes over the head budget. False once failed, with `i` the count to return.
  const auto take_head_run = [&](size_t run, std::string* into) {
    const std::uint64_t head_left = limits_.max_header_bytes - head_bytes_;
    if (run > head_left) {
      i = fail(i + to_size(head_left) + 1, Error::head_too_large, over_budget_detail());
      return false;
    }
    if (into) into->append(data.substr(i, run));
    head_bytes_ += run;
    i += run;
    return true;
  };

  while (i < n) {
    const auto c = static_cast<unsigned char>(data[i]);
    switch (step_) {
      case Step::status_version:
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c == ' ') {
          ++i;
          if (!finish_status_line()) return i;
          step_ = Step::status_code;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        if (c == '\r') return fail(i + 1, Error::malformed, "malformed status line");
        if ((!syntax::is_tchar(c) && c != '/') || version_.size() == kVersionLength) {
          return fail(i + 1, Error::malformed, "malformed HTTP version");
        }
        version_.push_back(static_cast<char>(c));
        ++i;
        continue;

      case Step::status_code:
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (syntax::is_digit(c) && status_ < 100) {
          status_ = status_ * 10 + (c - '0');
          if (status_ == 0) return fail(i + 1, Error::malformed, "malformed status code");
          ++i;
          continue;
        }
        if (status_ < 100) return fail(i + 1, Error::malformed, "malformed status code");
        if (status_ > 599) return fail(i + 1, Error::malformed, "malformed status code");
        if (c == ' ') {
          step_ = Step::status_reason;
          ++i;
          continue;
        }
        if (c == '\r') {  // "HTTP/1.1 200" without the SP: nothing ambiguous, accepted
          step_ = Step::status_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        return fail(i + 1, Error::malformed, "malformed status code");

      case Step::status_reason: {
        const size_t run = run_length(syntax::is_field_value_char);
        if (run > 0) {
          if (!take_head_run(run, nullptr)) return i;  // the reason phrase carries nothing we use
          continue;
        }
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c == '\r') {
          step_ = Step::status_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        return fail(i + 1, Error::malformed, "control character in reason phrase");
      }

      case Step::status_lf:
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c != '\n') return fail(i + 1, Error::malformed, "bare CR");
        ++i;
        step_ = Step::field_begin;
        continue;

      case Step::field_begin:
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c == '\r') {
          step_ = Step::section_end_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        if (syntax::is_ows(c)) {
          return fail(i + 1, Error::malformed, field_count_ == 0 ? "whitespace before first field line" : "obs-fold");
        }
        if (!syntax::is_tchar(c)) return fail(i + 1, Error::malformed, "invalid field name");
        if (++field_count_ > limits_.max_headers) {
          return fail(i + 1, Error::head_too_large, in_trailers_ ? "too many trailer fields" : "too many header fields");
        }
        field_name_.push_back(static_cast<char>(c));
        step_ = Step::field_name;
        ++i;
        continue;

      case Step::field_name: {
        const size_t run = run_length(syntax::is_tchar);
        if (run > 0) {
          if (!take_head_run(run, &field_name_)) return i;
          continue;
        }
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c == ':') {
          step_ = Step::field_value_ows;
          ++i;
          continue;
        }
        if (syntax::is_ows(c)) return fail(i + 1, Error::malformed, "whitespace before colon");
        return fail(i + 1, Error::malformed, "invalid field name");
      }

      case Step::field_value_ows:
        if (!syntax::is_ows(c)) {
          step_ = Step::field_value;
          continue;  // c belongs to the value (or ends it)
        }
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        ++i;
        continue;

      case Step::field_value: {
        const size_t run = run_length(syntax::is_field_value_char);
        if (run > 0) {
          if (!take_head_run(run, &field_value_)) return i;
          continue;
        }
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c == '\r') {
          step_ = Step::field_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        if (c == '\0') return fail(i + 1, Error::malformed, "NUL in field value");
        return fail(i + 1, Error::malformed, "control character in field value");
      }

      case Step::field_lf:
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c != '\n') return fail(i + 1, Error::malformed, "bare CR");
        ++i;
        if (!finish_field()) return i;
        step_ = Step::field_begin;
        continue;

      case Step::section_end_lf:
        if (!charge_head(1)) return fail(i + 1, Error::head_too_large, over_budget_detail());
        if (c != '\n') return fail(i + 1, Error::malformed, "bare CR");
        ++i;
        if (in_trailers_) {
          step_ = Step::done;
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
          step_ = Step::done;
          return i;
        }
        continue;
      }

      case Step::until_close_body:
        append_body(data.substr(i));
        i = n;
        continue;

      case Step::chunk_size:
        if (syntax::is_hex_digit(c)) {
          if (chunk_size_digits_ == kMaxChunkSizeDigits) return fail(i + 1, Error::malformed, "chunk size too long");
          chunk_size_ = chunk_size_ * 16 + syntax::hex_value(c);
          ++chunk_size_digits_;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        if (chunk_size_digits_ == 0) return fail(i + 1, Error::malformed, "invalid chunk size");
        if (c == '\r') {
          step_ = Step::chunk_size_lf;
          ++i;
          continue;
        }
        if (c == ';' || syntax::is_ows(c)) {
          step_ = c == ';' ? Step::chunk_ext : Step::chunk_size_bws;
          continue;  // charged against the extension budget below
        }
        return fail(i + 1, Error::malformed, "invalid chunk size");

      case Step::chunk_size_bws:
      case Step::chunk_ext:
        // Extensions carry nothing hookgate uses. They only have to end unambiguously at a CRLF,
        // and their sum is bounded like a head.
        if (++chunk_ext_bytes_ > limits_.max_header_bytes) {
          return fail(i + 1, Error::head_too_large, "chunk extensions too large");
        }
        if (step_ == Step::chunk_size_bws) {
          if (c == ';') step_ = Step::chunk_ext;
          else if (!syntax::is_ows(c)) return fail(i + 1, Error::malformed, c == '\n' ? "bare LF" : "invalid chunk size");
          ++i;
          continue;
        }
        if (c == '\r') {
          step_ = Step::chunk_size_lf;
          ++i;
          continue;
        }
        if (c == '\n') return fail(i + 1, Error::malformed, "bare LF");
        if (!syntax::is_field_value_char(c)) return fail(i + 1, Error::malformed, "malformed chunk extension");
        ++i;
        continue;

      case Step::chunk_size_lf:
        if (c != '\n') return fail(i + 1, Error::malformed, "bare CR");
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
        if (c != '\r') return fail(i + 1, Error::malformed, "missing CRLF after chunk data");
        step_ = Step::chunk_data_lf;
        ++i;
        continue;

      case Step::chunk_data_lf:
        if (c != '\n') return fail(i + 1, Error::malformed, "bare CR");
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

bool ResponseParser::finish_status_line() {
  const std::string_view v = version_;
  if (v.size() != kVersionLength || v.substr(0, 5) != "HTTP/" || !syntax::is_digit(static_cast<unsigned char>(v[5])) ||
      v[6] != '.' || !syntax::is_digit(static_cast<unsigned char>(v[7]))) {
    fail(0, Error::malformed, "malformed HTTP version");
    return false;
  }
  if (v[5] != '1') {
    fail(0, Error::malformed, "unsupported HTTP version");
    return false;
  }
  // RFC 9110 §2.5: a higher minor version is read as the highest one we implement.
  response_.version_minor = v[7] == '0' ? 0 : 1;
  return true;
}

bool ResponseParser::finish_field() {
  while (!field_value_.empty() && syntax::is_ows(static_cast<unsigned char>(field_value_.back()))) {
    field_value_.pop_back();
  }
  const std::string_view name = field_name_;
  const std::string_view value = field_value_;
  // Trailers and the fields of interim responses are checked for syntax only and dropped.
  const bool keep = !in_trailers_ && status_ >= 200;
  const bool ok = !keep || finish_header_field(name, value);
  if (ok && keep) headers_.emplace_back(field_name_, field_value_);
  field_name_.clear();
  field_value_.clear();
  return ok;
}

bool ResponseParser::finish_header_field(std::string_view name, std::string_view value) {
  const auto reject = [this](std::string_view detail) {
    fail(0, Error::malformed, detail);
    return false;
  };
  if (syntax::equals_lower(name, "content-length")) {
    if (content_length_seen_) return reject("duplicate content-length");
    if (chunked_) return reject("content-length with transfer-encoding");
    const std::optional<std::uint64_t> length = http1::parse_content_length(value);
    if (!length) return reject("invalid content-length");
    content_length_seen_ = true;
    content_length_ = *length;
  } else if (syntax::equals_lower(name, "transfer-encoding")) {
    // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; such framing is faulty.
    if (response_.version_minor == 0) return reject("transfer-encoding in HTTP/1.0");
    if (content_length_seen_) return reject("content-length with transfer-encoding");
    if (chunked_) return reject("repeated transfer-encoding");
    // hookgate sends neither TE nor Accept-Encoding: any other coding is a broken peer.
    if (!http1::is_single_chunked(value)) return reject("unsupported transfer-encoding");
    chunked_ = true;
  } else if (syntax::equals_lower(name, "connection")) {
    http1::ConnectionOptions options{connection_close_, connection_keep_alive_};
    if (!http1::parse_connection(value, options)) return reject("invalid connection");
    connection_close_ = options.close;
    connection_keep_alive_ = options.keep_alive;
  }
  return true;
}

bool ResponseParser::finish_head() {
  if (status_ < 200) {
    if (status_ == 101) {
      fail(0, Error::malformed, "unexpected 101 switching protocols");
      return false;
    }
    // An interim response (100 Continue, 102, 103): its head is skipped, the final one follows.
    start_head();
    step_ = Step::status_version;
    return true;
  }

  response_.status = status_;
  response_.headers = std::move(headers_);
  headers_.clear();
  headers_complete_ = true;
  const bool http10 = response_.version_minor == 0;
  bool keep_alive = !connection_close_ && (!http10 || connection_keep_alive_);

  if (head_request_ || status_ == 204 || status_ == 304) {
    // RFC 9112 §6.3 (1): no body whatever the fields say. A 204 announcing one anyway may send
    // it: such a connection is not reused.
    if (status_ == 204 && !head_request_ && (chunked_ || content_length_ > 0)) keep_alive = false;
    response_.framing = BodyFraming::none;
    step_ = Step::done;
  } else if (chunked_) {
    response_.framing = BodyFraming::chunked;
    step_ = Step::chunk_size;
  } else if (content_length_seen_) {
    response_.framing = BodyFraming::content_length;
    body_remaining_ = content_length_;
    step_ = content_length_ == 0 ? Step::done : Step::identity_body;
  } else {
    response_.framing = BodyFraming::until_close;
    keep_alive = false;
    step_ = Step::until_close_body;
  }
  response_.keep_alive = keep_alive;
  return true;
}

void ResponseParser::append_body(std::string_view bytes) {
  response_.body_size += bytes.size();
  std::string& excerpt = response_.body_excerpt;
  if (excerpt.size() < limits_.excerpt_bytes) {
    excerpt.append(bytes.substr(0, limits_.excerpt_bytes - excerpt.size()));
  }
}

}  // namespace hookgate::outbound
