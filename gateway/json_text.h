// Appends a JSON string literal. For the CLI's and admin API's --json output: bytes below
// 0x20, '"' and '\' are escaped; other bytes pass through (bodies are UTF-8 text in practice).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace hookgate::gateway {

inline void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace hookgate::gateway
