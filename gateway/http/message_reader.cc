#include "gateway/http/message_reader.h"

#include <algorithm>

namespace hookgate::gateway::http {

enum class MessageReader::Step : std::uint8_t {
  head,
  idle,  // head read, nothing chosen: the owner reads a start line
  length,
  chunked,
  until_close,
  done,
  failed,
  refused,  // by the owner, from a callback
};

namespace {

MessageReader::Fault fault_of(ChunkedBodyDecoder::Fault fault) {
  switch (fault) {
    case ChunkedBodyDecoder::Fault::none:
    case ChunkedBodyDecoder::Fault::malformed: return MessageReader::Fault::malformed;
    case ChunkedBodyDecoder::Fault::extensions_too_large: return MessageReader::Fault::extensions_too_large;
    case ChunkedBodyDecoder::Fault::body_too_large: return MessageReader::Fault::body_too_large;
    case ChunkedBodyDecoder::Fault::trailers_too_large: return MessageReader::Fault::trailers_too_large;
  }
  return MessageReader::Fault::malformed;
}

}  // namespace

MessageReader::MessageReader(SectionLimits head, ChunkedLimits chunked)
    : step_(Step::head), head_(head), chunked_(chunked) {}

void MessageReader::begin_head(std::uint64_t bytes_used) {
  step_ = Step::head;
  fault_ = Fault::none;
  detail_ = {};
  head_.begin(Section::header, bytes_used);
}

void MessageReader::read_length(std::uint64_t length) {
  length_left_ = length;
  step_ = length == 0 ? Step::done : Step::length;
}

void MessageReader::read_chunked() {
  chunked_.reset();
  step_ = Step::chunked;
}

void MessageReader::read_until_close() { step_ = Step::until_close; }
void MessageReader::end_message() { step_ = Step::done; }

bool MessageReader::done() const { return step_ == Step::done; }
bool MessageReader::failed() const { return step_ == Step::failed; }
bool MessageReader::reading_until_close() const { return step_ == Step::until_close; }

std::size_t MessageReader::fail(std::size_t consumed, Fault fault, std::string_view detail) {
  step_ = Step::failed;
  fault_ = fault;
  detail_ = detail;
  return consumed;
}

std::size_t MessageReader::feed(std::string_view data, MessageEvents& events) {
  std::size_t i = 0;
  while (i < data.size()) {
    const std::string_view rest = data.substr(i);
    switch (step_) {
      case Step::head: i += feed_head(rest, events); break;
      case Step::length: i += feed_length(rest, events); break;
      case Step::chunked: i += feed_chunked(rest, events); break;
      case Step::until_close:
        events.on_body(rest);
        i = data.size();
        break;
      case Step::idle:
      case Step::done:
      case Step::failed:
      case Step::refused: return i;
    }
  }
  return i;
}

// Up to the end of one field line or of the section, so that the owner sees each field at the
// byte position where it ends.
std::size_t MessageReader::feed_head(std::string_view data, MessageEvents& events) {
  const FieldLineParser::Result r = head_.feed(data);
  switch (r.event) {
    case FieldLineParser::Event::need_more: break;
    case FieldLineParser::Event::field:
      if (!events.on_field(head_.name(), head_.value())) step_ = Step::refused;
      break;
    case FieldLineParser::Event::end:
      step_ = Step::idle;
      if (!events.on_head_end()) step_ = Step::refused;
      break;
    case FieldLineParser::Event::failed: {
      const bool too_large = head_.fault() == FieldLineParser::Fault::too_large;
      return fail(r.consumed, too_large ? Fault::head_too_large : Fault::malformed, head_.detail());
    }
  }
  return r.consumed;
}

std::size_t MessageReader::feed_length(std::string_view data, MessageEvents& events) {
  const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), length_left_));
  events.on_body(data.substr(0, take));
  length_left_ -= take;
  if (length_left_ == 0) step_ = Step::done;
  return take;
}

std::size_t MessageReader::feed_chunked(std::string_view data, MessageEvents& events) {
  const ChunkedBodyDecoder::Result r = chunked_.feed(data);
  if (!r.data.empty()) events.on_body(r.data);
  if (chunked_.failed()) return fail(r.consumed, fault_of(chunked_.fault()), chunked_.detail());
  if (chunked_.done()) step_ = Step::done;
  return r.consumed;
}

}  // namespace hookgate::gateway::http
