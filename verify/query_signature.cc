#include "verify/query_signature.h"

#include <vector>

#include "verify/ascii.h"
#include "verify/form.h"

namespace hookgate::verify {

QuerySignatureVerifier::QuerySignatureVerifier(std::shared_ptr<const Verifier> inner, std::string parameter)
    : ForwardingVerifier(std::move(inner)), parameter_(std::move(parameter)) {}

Verdict QuerySignatureVerifier::verify(const Request& request, TimePoint now) const {
  std::string value;
  std::size_t count = 0;
  for (auto& [name, decoded] : parse_form(request.query)) {
    if (name == parameter_ && count++ == 0) value = std::move(decoded);
  }
  if (count == 0) return Verdict::missing_signature;
  if (count > 1 || request.header_count(parameter_) > 0) return Verdict::malformed_signature;
  // The inner scheme reads its signature from a header: give it the parameter as one.
  std::vector<HeaderView> headers(request.headers.begin(), request.headers.end());
  headers.push_back(HeaderView{parameter_, value});
  Request with_header = request;
  with_header.headers = headers;
  return inner().verify(with_header, now);
}

bool QuerySignatureVerifier::sign(const SignInput& input, SignedHeaders& out) const {
  if (input.url.empty() || !inner().sign(input, out)) return false;
  std::string signature;
  std::erase_if(out.headers, [&](const auto& header) {
    if (!ascii_iequals(header.first, parameter_)) return false;
    signature = header.second;
    return true;
  });
  std::string url(input.url);
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += parameter_ + "=" + percent_encode(signature);
  out.url = std::move(url);
  return true;
}

}  // namespace hookgate::verify
