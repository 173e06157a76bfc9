#include "gateway/loop/log_line.h"

#include <time.h>

#include <cstdio>
#include <vector>

#include "verify/json_text.h"

namespace hookgate::gateway::loop {
namespace {

bool plain_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b > 0x20 && b != 0x7f && c != '"' && c != '\\' && c != '=';
}

bool key_byte(char c, bool first) {
  return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

// The length of a key=... prefix's key at `text`, or 0 when the token is not a field.
size_t key_length(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && key_byte(text[i], i == 0)) ++i;
  return i > 0 && i < text.size() && text[i] == '=' ? i : 0;
}

bool json_integer(std::string_view value) {
  std::string_view digits = value;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 15 || (digits.size() > 1 && digits.front() == '0')) return false;
  for (const char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Reads a value at the start of `text` (plain up to the next space, or quoted by log_value())
// and removes it from `text`.
std::string take_value(std::string_view& text) {
  std::string value;
  if (!text.empty() && text.front() == '"') {
    size_t i = 1;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] != '\\' || i + 1 >= text.size()) {
        value.push_back(text[i]);
        continue;
      }
      const char e = text[++i];
      switch (e) {
        case 'n': value.push_back('\n'); break;
        case 'r': value.push_back('\r'); break;
        case 't': value.push_back('\t'); break;
        case 'u':
          if (i + 4 < text.size()) {
            unsigned code = 0;
            if (std::sscanf(std::string(text.substr(i + 1, 4)).c_str(), "%4x", &code) == 1 && code < 0x80) {
              value.push_back(static_cast<char>(code));
              i += 4;
              break;
            }
          }
          value.push_back('\\');
          value.push_back('u');
          break;
        default: value.push_back(e); break;  // \" and \\ (and anything else, literally)
      }
    }
    text.remove_prefix(i < text.size() ? i + 1 : text.size());  // past the closing quote
    return value;
  }
  const size_t end = text.find(' ');
  value.assign(text.substr(0, end));
  text.remove_prefix(end == std::string_view::npos ? text.size() : end);
  return value;
}

}  // namespace

std::string log_value(std::string_view value) {
  bool plain = !value.empty();
  for (const char c : value) plain = plain && plain_byte(c);
  if (plain) return std::string(value);
  std::string out;
  verify::append_json_string(out, value);  // the same escapes take_value() reads back
  return out;
}

std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level, uint64_t thread,
                          std::string_view text) {
  std::string message;
  std::string fields;
  while (!text.empty()) {
    if (text.front() == ' ') {
      text.remove_prefix(1);
      continue;
    }
    if (const size_t length = key_length(text)) {
      const std::string_view key = text.substr(0, length);
      text.remove_prefix(length + 1);
      const bool quoted = !text.empty() && text.front() == '"';
      const std::string value = take_value(text);
      fields += ',';
      const bool reserved = key == "time" || key == "level" || key == "thread" || key == "msg";
      verify::append_json_string(fields, reserved ? "field." + std::string(key) : std::string(key));
      fields += ':';
      if (!quoted && json_integer(value)) {
        fields += value;
      } else {
        verify::append_json_string(fields, value);
      }
      continue;
    }
    const size_t end = text.find(' ');
    if (!message.empty()) message.push_back(' ');
    message.append(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end);
  }

  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - seconds).count();
  const time_t t = static_cast<time_t>(seconds.count());
  tm utc{};
  gmtime_r(&t, &utc);
  char stamp[64];  // room for any int gmtime_r fields, so the format can never truncate
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<long long>(micros));

  std::string out = "{\"time\":\"";
  out += stamp;
  out += "\",\"level\":";
  verify::append_json_string(out, level);
  out += ",\"thread\":" + std::to_string(thread) + ",\"msg\":";
  verify::append_json_string(out, message);
  out += fields;
  out += '}';
  return out;
}

}  // namespace hookgate::gateway::loop
