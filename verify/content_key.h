// Content dedupe keys, for vendors that send no event id: which fields of a request identify
// it, for how long a repeat of them is the vendor retrying, and the digest that is stored
// (storage/write_batch.h, ContentKey).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "verify/request.h"

namespace hookgate::verify {

// A field hashed into the key: the raw body, a header's value, or the JSON value at a pointer
// into the body (as its raw JSON text: strings with their quotes, objects and arrays whole).
struct DedupeField {
  enum class Kind { body, header, json };
  Kind kind = Kind::body;
  std::string name = {};  // header name, or an RFC 6901 JSON pointer

  bool operator==(const DedupeField&) const = default;
};

struct DedupeSpec {
  std::vector<DedupeField> fields = {};  // empty: no content dedupe
  std::chrono::seconds window{0};        // a repeat within this long of the first is a duplicate

  [[nodiscard]] bool enabled() const { return !fields.empty() && window.count() > 0; }
  // "body, header X-Foo, json /a" and "1h": for listings (`hookgate providers`).
  [[nodiscard]] std::string describe() const;
};

// SHA-256 over the fields in order, each framed (kind, present or absent, length, bytes) so
// that no two different field values give the same input. 32 raw bytes.
[[nodiscard]] std::string content_digest(const DedupeSpec& spec, const Request& request);

}  // namespace hookgate::verify
