#include "verify/verifier.h"

namespace hookgate::verify {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::ok:
      return "ok";
    case Verdict::missing_signature:
      return "missing_signature";
    case Verdict::malformed_signature:
      return "malformed_signature";
    case Verdict::bad_signature:
      return "bad_signature";
    case Verdict::missing_timestamp:
      return "missing_timestamp";
    case Verdict::malformed_timestamp:
      return "malformed_timestamp";
    case Verdict::timestamp_too_old:
      return "timestamp_too_old";
    case Verdict::timestamp_in_future:
      return "timestamp_in_future";
    case Verdict::missing_id:
      return "missing_id";
    case Verdict::missing_credentials:
      return "missing_credentials";
    case Verdict::bad_credentials:
      return "bad_credentials";
    case Verdict::bad_body_hash:
      return "bad_body_hash";
    case Verdict::ip_not_allowed:
      return "ip_not_allowed";
    case Verdict::bad_verify_token:
      return "bad_verify_token";
    case Verdict::secret_not_established:
      return "secret_not_established";
    case Verdict::secret_already_established:
      return "secret_already_established";
  }
  // Only reachable through a cast of an out-of-range integer: a broken invariant, but a
  // metric label must still be a string.
  return "unknown";
}

}  // namespace hookgate::verify
