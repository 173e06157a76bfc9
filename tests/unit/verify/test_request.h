// Test helpers: a request that owns its bytes, and verifier building that fails the test
// on a build error.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tests/unit/verify/test_keys.h"
#include "verify/presets.h"
#include "verify/registry.h"
#include "verify/request.h"
#include "verify/verifier.h"

namespace hookgate::verify {

// GoogleTest prints verdicts by name in failure messages.
inline void PrintTo(Verdict v, std::ostream* os) { *os << to_string(v); }

}  // namespace hookgate::verify

namespace hookgate::verify::testing {

// Owns method, URL, headers and body; view() is valid while this object is unchanged.
struct OwnedRequest {
  std::string method = "POST";
  std::string path = "/in/test";
  std::string public_url = "/in/test";
  std::string query;  // without '?'
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  OwnedRequest& with_body(std::string b) {
    body = std::move(b);
    return *this;
  }
  OwnedRequest& with(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // The signed headers and, when the scheme put its credential in the URL, that URL's query.
  OwnedRequest& with(const SignedHeaders& signed_headers) {
    for (const auto& [name, value] : signed_headers.headers) with(name, value);
    if (signed_headers.url) {
      const std::size_t at = signed_headers.url->find('?');
      query = at == std::string::npos ? "" : signed_headers.url->substr(at + 1);
    }
    return *this;
  }
  // Removes every header called exactly `name`.
  OwnedRequest& without(const std::string& name) {
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
    return *this;
  }

  [[nodiscard]] Request view() const {
    views_.clear();
    for (const auto& [name, value] : headers) views_.push_back(HeaderView{name, value});
    Request r;
    r.method = method;
    r.path = path;
    r.public_url = public_url;
    r.query = query;
    r.headers = views_;
    r.body = body;
    return r;
  }

 private:
  mutable std::vector<HeaderView> views_;
};

inline TimePoint at_unix(std::int64_t seconds) {
  return TimePoint{std::chrono::seconds{seconds}};
}

inline std::shared_ptr<const Verifier> build_ok(const VerifySpec& spec) {
  BuildResult result = build_verifier(spec);
  EXPECT_EQ(result.error, "");
  EXPECT_NE(result.verifier, nullptr);
  return result.verifier;
}

inline VerifySpec preset(std::string provider, std::vector<std::string> secrets) {
  VerifySpec spec;
  spec.provider = std::move(provider);
  spec.secrets = std::move(secrets);
  return spec;
}

inline VerifySpec generic(HmacSpec hmac, std::vector<std::string> secrets) {
  VerifySpec spec;
  spec.hmac = std::move(hmac);
  spec.secrets = std::move(secrets);
  return spec;
}

// Timestamp sources. (Built by functions rather than nested braces inside designated
// initializers: GCC 12 at -O2 reports a false -Wmaybe-uninitialized for the latter.)
inline TimestampSource header_timestamp(std::string name, TimestampFormat format) {
  TimestampSource ts;
  ts.kind = TimestampSource::Kind::header;
  ts.name = std::move(name);
  ts.format = format;
  return ts;
}

inline TimestampSource keyed_timestamp(std::string key, TimestampFormat format) {
  TimestampSource ts;
  ts.kind = TimestampSource::Kind::signature_key;
  ts.name = std::move(key);
  ts.format = format;
  return ts;
}

// A spec that builds for preset `name`, with the key material its scheme needs.
VerifySpec sample_spec(const std::string& name);

// The body a test signs for preset `p`: `json` for most schemes, a form for the schemes that
// sign form parameters (Twilio, Mandrill, Plivo), a Dropbox Sign event (event_time 1700000000,
// event_type "evt_1_sent", so that changing "evt_1" changes a signed byte) for Dropbox Sign.
inline std::string sample_body(const Preset& p, std::string json) {
  if (p.scheme == Scheme::twilio || p.scheme == Scheme::mandrill || p.scheme == Scheme::plivo_v3) {
    return "CallSid=CA1&From=%2B1555";
  }
  if (p.scheme == Scheme::dropbox_sign) {
    return R"({"event":{"event_time":"1700000000","event_type":"evt_1_sent","event_metadata":{}}})";
  }
  return json;
}

// The value of header `name` in `signed_headers`, or "<absent>".
inline std::string header_of(const SignedHeaders& signed_headers, const std::string& name) {
  for (const auto& [n, v] : signed_headers.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

}  // namespace hookgate::verify::testing
