#include "gateway/http/field_lines.h"

#include "gateway/http/syntax.h"

// A byte-level state machine. The runs of name and value bytes are taken in one step, but only
// as far as the per-byte rules would accept them, and a budget overrun inside a run fails at the
// same byte the per-byte rule would have: that keeps the outcome independent of the split.

namespace hookgate::gateway::http {

enum class FieldLineParser::Step : std::uint8_t {
  line_begin,  // start of a field line, or of the empty line that ends the section
  name,
  value_ows,  // OWS after ':', dropped
  value,
  line_lf,  // CR of a field line seen
  end_lf,   // CR of the empty line seen
  ended,
  failed,
};

FieldLineParser::FieldLineParser(SectionLimits limits) : limits_(limits), step_(Step::line_begin) {}

void FieldLineParser::begin(Section section, std::uint64_t bytes_used) {
  step_ = Step::line_begin;
  section_ = section;
  fault_ = Fault::none;
  detail_ = {};
  bytes_ = bytes_used;
  fields_ = 0;
  name_.clear();
  value_.clear();
}

FieldLineParser::Result FieldLineParser::feed(std::string_view data) {
  std::size_t i = 0;
  while (i < data.size() && step_ != Step::ended && step_ != Step::failed) {
    const std::string_view rest = data.substr(i);
    const auto c = static_cast<unsigned char>(rest.front());
    switch (step_) {
      case Step::line_begin: i += line_begin(c); break;
      case Step::name: i += field_name(rest); break;
      case Step::value_ows: i += value_ows(c); break;
      case Step::value: i += field_value(rest); break;
      case Step::line_lf:
        i += line_end(c);
        if (step_ == Step::line_begin) return {i, Event::field};
        break;
      case Step::end_lf: i += line_end(c); break;
      case Step::ended:
      case Step::failed: break;
    }
  }
  if (step_ == Step::failed) return {i, Event::failed};
  if (step_ == Step::ended) return {i, Event::end};
  return {i, Event::need_more};
}

std::size_t FieldLineParser::fail(Fault fault, std::string_view detail) {
  step_ = Step::failed;
  fault_ = fault;
  detail_ = detail;
  return 1;  // the offending byte
}

std::size_t FieldLineParser::fail_too_large() {
  return fail(Fault::too_large, section_ == Section::trailer ? "trailer section too large" : "header section too large");
}

bool FieldLineParser::charge(std::size_t n) {
  bytes_ += n;
  return bytes_ <= limits_.max_bytes;
}

// Takes `run` accepted bytes into `into`, or fails at the first byte over the budget.
std::size_t FieldLineParser::take_run(std::string_view data, std::size_t run, std::string& into) {
  const std::uint64_t left = limits_.max_bytes - bytes_;  // bytes_ <= max_bytes while not failed
  if (run > left) {
    fail_too_large();
    return static_cast<std::size_t>(left) + 1;
  }
  into.append(data.substr(0, run));
  bytes_ += run;
  return run;
}

std::size_t FieldLineParser::line_begin(unsigned char c) {
  if (!charge(1)) return fail_too_large();
  if (c == '\r') {
    step_ = Step::end_lf;
    return 1;
  }
  if (c == '\n') return fail(Fault::malformed, "bare LF");
  if (syntax::is_ows(c)) {
    // RFC 9112 §5.2 allows replacing obs-fold with SP; refusing is the unambiguous choice.
    return fail(Fault::malformed, fields_ == 0 ? "whitespace before first field line" : "obs-fold");
  }
  if (!syntax::is_tchar(c)) return fail(Fault::malformed, "invalid field name");
  if (++fields_ > limits_.max_fields) {
    return fail(Fault::too_large, section_ == Section::trailer ? "too many trailer fields" : "too many header fields");
  }
  // Cleared here rather than after the field: the owner reads them once feed() returned.
  name_.clear();
  value_.clear();
  name_.push_back(static_cast<char>(c));
  step_ = Step::name;
  return 1;
}

std::size_t FieldLineParser::field_name(std::string_view data) {
  const std::size_t run = syntax::run_length(data, syntax::is_tchar);
  if (run > 0) return take_run(data, run, name_);
  const auto c = static_cast<unsigned char>(data.front());
  if (!charge(1)) return fail_too_large();
  if (c == ':') {
    step_ = Step::value_ows;
    return 1;
  }
  if (syntax::is_ows(c)) return fail(Fault::malformed, "whitespace before colon");
  return fail(Fault::malformed, "invalid field name");
}

std::size_t FieldLineParser::value_ows(unsigned char c) {
  if (!syntax::is_ows(c)) {
    step_ = Step::value;
    return 0;  // c belongs to the value (or ends it)
  }
  if (!charge(1)) return fail_too_large();
  return 1;
}

std::size_t FieldLineParser::field_value(std::string_view data) {
  const std::size_t run = syntax::run_length(data, syntax::is_field_value_char);
  if (run > 0) return take_run(data, run, value_);
  const auto c = static_cast<unsigned char>(data.front());
  if (!charge(1)) return fail_too_large();
  if (c == '\r') {
    step_ = Step::line_lf;
    return 1;
  }
  if (c == '\n') return fail(Fault::malformed, "bare LF");
  if (c == '\0') return fail(Fault::malformed, "NUL in field value");
  return fail(Fault::malformed, "control character in field value");
}

// The LF after the CR of a field line or of the empty line.
std::size_t FieldLineParser::line_end(unsigned char c) {
  if (!charge(1)) return fail_too_large();
  if (c != '\n') return fail(Fault::malformed, "bare CR");
  if (step_ == Step::end_lf) {
    step_ = Step::ended;
    return 1;
  }
  while (!value_.empty() && syntax::is_ows(static_cast<unsigned char>(value_.back()))) value_.pop_back();
  step_ = Step::line_begin;
  return 1;
}

}  // namespace hookgate::gateway::http
