// The verification contract. Verifiers are immutable after construction and safe to call
// from any thread concurrently. They do no I/O and read no clock: `now` is passed in.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verify/request.h"
#include "verify/spec.h"

namespace hookgate::verify {

// Every denial has exactly one reason; the gateway counts and logs it and answers 401.
enum class Verdict {
  ok,
  missing_signature,     // signature header absent
  malformed_signature,   // header repeated (ambiguous), or no parseable candidate of the scheme
  bad_signature,         // no candidate matched any configured secret
  missing_timestamp,
  malformed_timestamp,
  timestamp_too_old,
  timestamp_in_future,
  missing_id,            // the scheme signs an id header that is absent
};

// Stable snake_case names, used in 401 bodies, logs and metric labels.
[[nodiscard]] std::string_view to_string(Verdict v);

using Clock = std::chrono::system_clock;

struct SignedHeaders {
  std::vector<std::pair<std::string, std::string>> headers;  // in the order a vendor sends them
};

class Verifier {
 public:
  virtual ~Verifier() = default;

  [[nodiscard]] virtual Verdict verify(const Request& request, Clock::time_point now) const = 0;

  // The headers the vendor would send for `body` at `now`, signed with the first secret;
  // `id` is used where the scheme carries a delivery/message id. Returns false when the
  // scheme cannot sign (asymmetric or none). Used by `hookgate sign` and by tests.
  [[nodiscard]] virtual bool sign(std::string_view body, Clock::time_point now, std::string_view id,
                                  SignedHeaders& out) const = 0;

  // Where this source's vendor event id and event type live.
  [[nodiscard]] virtual const FieldRef& event_id_field() const = 0;
  [[nodiscard]] virtual const FieldRef& event_type_field() const = 0;
};

}  // namespace hookgate::verify
