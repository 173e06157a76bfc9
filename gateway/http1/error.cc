#include "gateway/http1/error.h"

namespace hookgate::gateway::http1 {

int status_of(Error error) {
  switch (error) {
    case Error::none: return 0;
    case Error::bad_request: return 400;
    case Error::header_fields_too_large: return 431;
    case Error::uri_too_long: return 414;
    case Error::payload_too_large: return 413;
    case Error::not_implemented: return 501;
    case Error::version_not_supported: return 505;
    case Error::length_required: return 411;
    case Error::expectation_failed: return 417;
  }
  return 400;  // unreachable for valid enumerators; a forged value still gets a safe answer
}

std::string_view reason_of(Error error) {
  switch (error) {
    case Error::none: return "none";
    case Error::bad_request: return "bad_request";
    case Error::header_fields_too_large: return "header_fields_too_large";
    case Error::uri_too_long: return "uri_too_long";
    case Error::payload_too_large: return "payload_too_large";
    case Error::not_implemented: return "not_implemented";
    case Error::version_not_supported: return "version_not_supported";
    case Error::length_required: return "length_required";
    case Error::expectation_failed: return "expectation_failed";
  }
  return "bad_request";
}

}  // namespace hookgate::gateway::http1
