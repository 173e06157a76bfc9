#include "gateway/http1/response_writer.h"

#include <charconv>

#include "gateway/http/syntax.h"

namespace hookgate::gateway::http1 {

namespace syntax = http::syntax;
namespace {

bool is_safe_value(std::string_view value) {
  for (const char c : value) {
    if (!syntax::is_field_value_char(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, result.ptr);
}

}  // namespace

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
  }
}

bool write_response(std::string& out, int status, std::span<const HeaderPair> headers, std::string_view body,
                    bool keep_alive, const ResponseOptions& options) {
  if (status < 200 || status > 599) return false;
  const bool bodiless = status == 204 || status == 304;
  if (bodiless && !body.empty()) return false;
  if (!is_safe_value(options.date)) return false;
  for (const auto& [name, value] : headers) {
    if (!syntax::is_token(name) || !is_safe_value(value)) return false;
    if (syntax::equals_lower(name, "content-length") || syntax::equals_lower(name, "transfer-encoding") ||
        syntax::equals_lower(name, "connection")) {
      return false;
    }
  }

  out.append("HTTP/1.1 ");
  append_number(out, static_cast<std::size_t>(status));
  out.push_back(' ');
  out.append(reason_phrase(status));
  out.append("\r\n");
  if (!options.date.empty()) {
    out.append("Date: ");
    out.append(options.date);
    out.append("\r\n");
  }
  for (const auto& [name, value] : headers) {
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
  }
  if (!bodiless) {
    out.append("Content-Length: ");
    append_number(out, body.size());
    out.append("\r\n");
  }
  if (!keep_alive) {
    out.append("Connection: close\r\n");
  } else if (options.request_version_minor == 0) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");
  if (!options.head) out.append(body);
  return true;
}

void write_continue(std::string& out) { out.append("HTTP/1.1 100 Continue\r\n\r\n"); }

}  // namespace hookgate::gateway::http1
