// A request body's JSON, shared by every lookup of one request — handshake detection, the
// event id and type, a timestamp in the body, route filters — so that the body is parsed once
// (simdjson On-Demand's stage 1 runs over the whole body) instead of once per lookup.
#pragma once

#include <simdjson.h>

#include <memory>
#include <string_view>

namespace hookgate::verify {

// Lazily parsed: nothing happens before the first document(). One request on one thread; the
// parser comes from a small per-thread pool (its buffers stay warm between requests), so a
// request handled while another one's JsonBody is alive on the same thread gets its own.
class JsonBody {
 public:
  // `body` must outlive this object. `padded`: body.data() has simdjson::SIMDJSON_PADDING
  // readable bytes after body.size() (see Request::body_padded); otherwise the body is copied
  // once, on first use.
  JsonBody(std::string_view body, bool padded);
  ~JsonBody();
  JsonBody(const JsonBody&) = delete;
  JsonBody& operator=(const JsonBody&) = delete;

  // The document, rewound to its root; null when the body is not JSON.
  [[nodiscard]] simdjson::ondemand::document* document();

  // The value at `pointer` (RFC 6901), in `out`; false when the body is not JSON or nothing is
  // there. The value is valid until the next lookup of this body.
  [[nodiscard]] bool value_at(std::string_view pointer, simdjson::ondemand::value& out);

  // Every lookup step's result goes through here: true when `error` is a failure. A clean
  // miss (no such field or index, a type mismatch) leaves the document usable; any other error
  // may leave simdjson's iterator in an error state, so the next document() parses afresh:
  // every lookup then sees exactly what a parse of its own would have shown it.
  [[nodiscard]] bool failed(simdjson::error_code error);

 private:
  enum class State { unparsed, parsed, invalid };
  std::string_view body_;
  bool padded_;
  State state_ = State::unparsed;
  std::unique_ptr<simdjson::ondemand::parser> parser_;
  simdjson::padded_string copy_;
  simdjson::ondemand::document document_;
};

// A scalar's raw_json_token() without the whitespace simdjson leaves after it.
[[nodiscard]] constexpr std::string_view trim_json_token(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r')) {
    raw.remove_suffix(1);
  }
  return raw;
}

}  // namespace hookgate::verify
