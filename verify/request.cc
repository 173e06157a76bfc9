#include "verify/request.h"

#include "verify/ascii.h"

namespace hookgate::verify {

// Linear scans: a request carries a few dozen headers at most, and a scan over a contiguous
// span beats building an index per request.
std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const HeaderView& h : headers) {
    if (ascii_iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::size_t Request::header_count(std::string_view name) const {
  std::size_t count = 0;
  for (const HeaderView& h : headers) {
    if (ascii_iequals(h.name, name)) ++count;
  }
  return count;
}

}  // namespace hookgate::verify
