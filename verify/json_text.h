// Writing JSON strings for handshake replies ({"challenge":"…"}).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace hookgate::verify {

// `text` as a JSON string literal, quotes included. Escapes '"', '\\' and every control
// character, and '<' '>' '&' as \u escapes so that an echoed value can never read as markup.
// Bytes >= 0x80 are copied as they are (the caller echoes what the vendor sent).
[[nodiscard]] inline std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20 || c == '<' || c == '>' || c == '&') {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace hookgate::verify
