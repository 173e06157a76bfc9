#include "verify/form.h"

#include "verify/ascii.h"

namespace hookgate::verify {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}
namespace {

// Calls fn(name_text, value_text) for every non-empty '&'-separated piece, undecoded.
template <class Fn>
void for_each_pair(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      if (fn(piece.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1))) {
        return;
      }
    }
    if (amp == std::string_view::npos) return;
    text.remove_prefix(amp + 1);
  }
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
               hex_digit_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for_each_pair(text, [&](std::string_view name, std::string_view value) {
    out.emplace_back(percent_decode(name, true), percent_decode(value, true));
    return false;
  });
  return out;
}

std::optional<std::string> form_value(std::string_view text, std::string_view name) {
  std::optional<std::string> found;
  for_each_pair(text, [&](std::string_view raw_name, std::string_view raw_value) {
    if (percent_decode(raw_name, true) != name) return false;
    found = percent_decode(raw_value, true);
    return true;
  });
  return found;
}

}  // namespace hookgate::verify
