#include "gateway/http/framing_fields.h"

#include <optional>

#include "gateway/http/field_values.h"
#include "gateway/http/syntax.h"

namespace hookgate::gateway::http {

void FramingFields::reset(bool http10) {
  *this = FramingFields{};
  http10_ = http10;
}

FramingFields::Fault FramingFields::fail(Fault fault, std::string_view detail) {
  detail_ = detail;
  return fault;
}

FramingFields::Fault FramingFields::add(std::string_view name, std::string_view value) {
  if (syntax::equals_lower(name, "content-length")) {
    if (content_length_seen_) return fail(Fault::malformed, "duplicate content-length");
    if (chunked_) return fail(Fault::malformed, "content-length with transfer-encoding");
    const std::optional<std::uint64_t> length = parse_content_length(value);
    if (!length) return fail(Fault::malformed, "invalid content-length");
    content_length_seen_ = true;
    content_length_ = *length;
  } else if (syntax::equals_lower(name, "transfer-encoding")) {
    // RFC 9112 §6.1: HTTP/1.0 has no transfer codings; such framing is faulty.
    if (http10_) return fail(Fault::malformed, "transfer-encoding in HTTP/1.0");
    if (content_length_seen_) return fail(Fault::malformed, "content-length with transfer-encoding");
    if (chunked_) return fail(Fault::unsupported_coding, "repeated transfer-encoding");
    if (!is_single_chunked(value)) return fail(Fault::unsupported_coding, "unsupported transfer-encoding");
    chunked_ = true;
  } else if (syntax::equals_lower(name, "connection")) {
    ConnectionOptions options{close_, keep_alive_option_};
    if (!parse_connection(value, options)) return fail(Fault::malformed, "invalid connection");
    close_ = options.close;
    keep_alive_option_ = options.keep_alive;
  }
  return Fault::none;
}

bool FramingFields::keep_alive() const { return !close_ && (!http10_ || keep_alive_option_); }

}  // namespace hookgate::gateway::http
