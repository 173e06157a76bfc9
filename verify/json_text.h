// Writing JSON string literals: handshake replies ({"challenge":"…"}) and every JSON hookgate
// prints (the admin API, the CLI's --json, JSON logs, alerts). One escaper, two rules.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace hookgate::verify {

// keep: '<', '>' and '&' pass through (operator output: bodies stay readable).
// escape: they are written as \u escapes, so that a value hookgate echoes to a vendor can never
// read as markup.
enum class Markup { keep, escape };

// Appends `text` as a JSON string literal, quotes included. Escapes '"', '\\' and every control
// character; bytes >= 0x80 are copied as they are (what was received is shown as received).
inline void append_json_string(std::string& out, std::string_view text, Markup markup = Markup::keep) {
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20 || (markup == Markup::escape && (c == '<' || c == '>' || c == '&'))) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// A reply to a vendor's handshake: markup escaped.
[[nodiscard]] inline std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text, Markup::escape);
  return out;
}

}  // namespace hookgate::verify
