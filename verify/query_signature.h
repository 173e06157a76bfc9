// A header-signed scheme whose signature arrives in a query parameter of the URL called
// instead (PandaDoc: ?signature=<hex HMAC-SHA256 of the body>). The parameter's value is
// handed to the inner scheme as if it were its signature header; nothing else changes.
#pragma once

#include <memory>
#include <string>

#include "verify/forwarding_verifier.h"

namespace hookgate::verify {

// verify(): the parameter absent → missing_signature, repeated → malformed_signature; a
// request that also carries the inner scheme's header is refused as malformed (which one
// would count?). Otherwise the inner scheme's verdict on the request with the parameter's
// (percent-decoded) value as its signature header.
// sign(): the inner scheme's signature moved into input.url's query (needs input.url).
// Immutable; thread-safe.
class QuerySignatureVerifier final : public ForwardingVerifier {
 public:
  // `parameter` is also the inner scheme's signature header name.
  QuerySignatureVerifier(std::shared_ptr<const Verifier> inner, std::string parameter);

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override;
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override;
  [[nodiscard]] bool signs_url() const override { return true; }

 private:
  std::string parameter_;
};

}  // namespace hookgate::verify
