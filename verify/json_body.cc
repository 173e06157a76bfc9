#include "verify/json_body.h"

#include <vector>

namespace hookgate::verify {
namespace {

// Idle parsers of this thread. Usually one: a second only exists while requests nest.
constexpr std::size_t kMaxIdleParsers = 4;
thread_local std::vector<std::unique_ptr<simdjson::ondemand::parser>> idle_parsers;

}  // namespace

JsonBody::JsonBody(std::string_view body, bool padded) : body_(body), padded_(padded) {}

JsonBody::~JsonBody() {
  if (parser_ && idle_parsers.size() < kMaxIdleParsers) idle_parsers.push_back(std::move(parser_));
}

simdjson::ondemand::document* JsonBody::document() {
  if (state_ == State::unparsed) {
    if (!parser_) {
      if (idle_parsers.empty()) {
        parser_ = std::make_unique<simdjson::ondemand::parser>();
      } else {
        parser_ = std::move(idle_parsers.back());
        idle_parsers.pop_back();
      }
    }
    simdjson::padded_string_view input;
    if (padded_) {
      input = simdjson::padded_string_view(body_.data(), body_.size(), body_.size() + simdjson::SIMDJSON_PADDING);
    } else {
      if (copy_.data() == nullptr) copy_ = simdjson::padded_string(body_);
      if (copy_.data() == nullptr) {  // allocation failed
        state_ = State::invalid;
        return nullptr;
      }
      input = copy_;
    }
    state_ = parser_->iterate(input).get(document_) == simdjson::SUCCESS ? State::parsed : State::invalid;
    return state_ == State::parsed ? &document_ : nullptr;
  }
  if (state_ == State::invalid) return nullptr;
  // A lookup left the iterator somewhere inside: back to the root. (at_pointer() rewinds too,
  // but not every caller starts with it.)
  document_.rewind();
  return &document_;
}

bool JsonBody::value_at(std::string_view pointer, simdjson::ondemand::value& out) {
  simdjson::ondemand::document* doc = document();
  return doc != nullptr && !failed(doc->at_pointer(pointer).get(out));
}

bool JsonBody::failed(simdjson::error_code error) {
  switch (error) {
    case simdjson::SUCCESS:
      return false;
    case simdjson::NO_SUCH_FIELD:
    case simdjson::INDEX_OUT_OF_BOUNDS:
    case simdjson::INCORRECT_TYPE:
    case simdjson::INVALID_JSON_POINTER:
      return true;
    default:
      if (state_ == State::parsed) state_ = State::unparsed;
      return true;
  }
}

}  // namespace hookgate::verify
