#include "verify/multipart.h"

#include "verify/ascii.h"

namespace hookgate::verify {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of parameter `key` in "type; k=v; k2=\"v2\"" (after the first ';'), unquoted
// (no escapes inside quotes: neither boundaries nor field names need them), or nullopt.
std::optional<std::string_view> parameter(std::string_view header, std::string_view key) {
  std::size_t at = header.find(';');
  while (at != std::string_view::npos) {
    const std::string_view piece = header.substr(at + 1);
    std::size_t next = std::string_view::npos;
    std::string_view value;
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view k = trim(piece.substr(0, eq));
    std::string_view v = piece.substr(eq + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    const std::size_t offset = at + 1 + eq + 1 + (piece.size() - eq - 1 - v.size());
    if (!v.empty() && v.front() == '"') {
      const std::size_t close = v.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      value = v.substr(1, close - 1);
      next = header.find(';', offset + close + 1);
    } else {
      const std::size_t semi = v.find(';');
      value = trim(v.substr(0, semi));
      next = semi == std::string_view::npos ? std::string_view::npos : offset + semi;
    }
    if (ascii_iequals(k, key)) return value;
    at = next;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> multipart_boundary(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  if (!ascii_iequals(type, "multipart/form-data")) return std::nullopt;
  const std::optional<std::string_view> boundary = parameter(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryBytes) return std::nullopt;
  for (const char c : *boundary) {
    if (c < 0x20 || c > 0x7e) return std::nullopt;
  }
  return boundary;
}

std::optional<std::string_view> multipart_field(std::string_view body, std::string_view boundary,
                                                std::string_view name) {
  if (boundary.empty() || boundary.size() > kMaxBoundaryBytes) return std::nullopt;
  std::string delimiter = "--";
  delimiter.append(boundary);
  // The first delimiter may follow a preamble; every later one follows a CRLF.
  std::size_t at = body.starts_with(delimiter) ? 0 : body.find("\r\n" + delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  if (at != 0) at += 2;
  for (std::size_t parts = 0; parts < kMaxMultipartParts; ++parts) {
    std::size_t cursor = at + delimiter.size();
    if (body.substr(cursor).starts_with("--")) return std::nullopt;  // close delimiter
    while (cursor < body.size() && (body[cursor] == ' ' || body[cursor] == '\t')) ++cursor;
    if (!body.substr(cursor).starts_with("\r\n")) return std::nullopt;
    cursor += 2;
    // Headers end at CRLF CRLF; the first CRLF is the delimiter line's when there are none.
    const std::size_t headers_end = body.find("\r\n\r\n", cursor - 2);
    if (headers_end == std::string_view::npos || headers_end - (cursor - 2) > kMaxPartHeaderBytes) {
      return std::nullopt;
    }
    const std::string_view headers = body.substr(cursor, headers_end + 2 - cursor);
    const std::size_t content_start = headers_end + 4;
    const std::size_t content_end = body.find("\r\n" + delimiter, content_start);
    if (content_end == std::string_view::npos) return std::nullopt;
    bool named = false;
    std::size_t line_start = 0;
    while (line_start < headers.size()) {
      std::size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      const std::string_view line = headers.substr(line_start, line_end - line_start);
      const std::size_t colon = line.find(':');
      if (colon != std::string_view::npos &&
          ascii_iequals(trim(line.substr(0, colon)), "Content-Disposition")) {
        const std::string_view value = line.substr(colon + 1);
        const std::string_view disposition = trim(value.substr(0, value.find(';')));
        const std::optional<std::string_view> field = parameter(value, "name");
        named = ascii_iequals(disposition, "form-data") && field && *field == name;
      }
      line_start = line_end + 2;
    }
    if (named) return body.substr(content_start, content_end - content_start);
    at = content_end + 2;
  }
  return std::nullopt;
}

std::string multipart_body(std::string_view boundary, std::string_view name, std::string_view value) {
  std::string out;
  out.append("--").append(boundary).append("\r\n");
  out.append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n");
  out.append(value).append("\r\n--").append(boundary).append("--\r\n");
  return out;
}

}  // namespace hookgate::verify
