#include "gateway/admin/sensitive_fields.h"

#include <array>

#include "verify/ascii.h"

namespace hookgate::gateway::admin {
namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = verify::ascii_lower(c);
  return out;
}

}  // namespace

bool is_sensitive_field(std::string_view name) {
  const std::string lower = lowered(name);
  static constexpr std::array<std::string_view, 10> kParts = {
      "signature", "token", "secret", "auth", "cookie", "hmac", "password", "api-key", "apikey", "api_key"};
  for (const auto part : kParts) {
    if (lower.find(part) != std::string::npos) return true;
  }
  return lower == "sig" || lower == "key";
}

std::string mask_header_block(std::string_view headers) {
  std::string out;
  out.reserve(headers.size());
  while (!headers.empty()) {
    const size_t end = headers.find('\n');
    std::string_view line = headers.substr(0, end == std::string_view::npos ? headers.size() : end + 1);
    headers.remove_prefix(line.size());
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_sensitive_field(line.substr(0, colon))) {
      out.append(line);
      continue;
    }
    out.append(line.substr(0, colon)).append(": ").append(kMasked);
    if (line.ends_with("\r\n")) out.append("\r\n");
    else if (line.ends_with("\n")) out.append("\n");
  }
  return out;
}

std::string mask_query(std::string_view query) {
  std::string out;
  out.reserve(query.size());
  bool first = true;
  while (true) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && is_sensitive_field(pair.substr(0, equals))) {
      out.append(pair.substr(0, equals + 1)).append(kMasked);
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace hookgate::gateway::admin
