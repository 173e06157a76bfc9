// Vendor-side helpers for the reliability tests: events signed the way the vendor would sign
// them, the ack parsed, and the gateway's memory read from /proc.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "harness.h"

namespace hookgate::verify {
class Verifier;
}

namespace hookgate::reliability {

using testing::Headers;

// The verifier of `source` in the config at `config_path` (null, with a test failure, when the
// config does not load or has no such source). Signing with it is what `hookgate sign` does.
[[nodiscard]] std::shared_ptr<const verify::Verifier> verifier_for(const std::string& config_path,
                                                                  const std::string& source);

// A Stripe-style event body with vendor id `id` and type `type`.
[[nodiscard]] std::string stripe_body(const std::string& id, const std::string& type, size_t pad = 0);

// The signed headers for `body`, signed now.
[[nodiscard]] Headers signed_headers(const verify::Verifier& verifier, const std::string& body);

// What a vendor learns from one POST.
struct Ack {
  int status = 0;                          // 0: no answer (connection refused, reset, timeout)
  std::string public_id;                   // from {"id":"evt_…"} on 2xx, else empty
  std::optional<std::string> retry_after;  // the Retry-After header, if any
  std::string body;
};
[[nodiscard]] Ack to_ack(const testing::HttpResponse& response);

// The "evt_" + 26 characters id in an ack body, or "" when the body is not exactly
// {"id":"evt_…"}.
[[nodiscard]] std::string public_id_in(const std::string& body);

// VmRSS of `pid` in KiB, or -1 when /proc cannot tell.
[[nodiscard]] int64_t rss_kib(pid_t pid);

// An integer from the environment, or `fallback` when unset or not a number.
[[nodiscard]] int64_t env_int(const char* name, int64_t fallback);

}  // namespace hookgate::reliability
