#include "storage/postgres/pg_connection.h"

#include <charconv>

namespace hookgate::storage {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the valid UTF-8 sequence at `s[i]` (no NUL, no overlongs, no surrogates), or 0.
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c == 0) return 0;
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

PgConn pg_connect(const std::string& url, std::string& error) {
  // Later keywords override earlier ones, and `dbname` expands the URL: our defaults first, so
  // that anything the URL says wins.
  const char* keywords[] = {"connect_timeout", "tcp_user_timeout", "keepalives_idle", "keepalives_interval",
                            "keepalives_count", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "10000", "10", "5", "3", "hookgate", url.c_str(), nullptr};
  PgConn conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!conn) {
    error = "cannot connect to PostgreSQL: out of memory";
    return nullptr;
  }
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    error = "cannot connect to PostgreSQL: " + pg_error(conn.get());
    return nullptr;
  }
  // libpq prints the server's NOTICEs to stderr by default: hookgate's only ones are the
  // migrator's "already exists, skipping", which are no news (and no log line) for anyone.
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

std::string pg_error(PGconn* conn) {
  std::string message = conn ? PQerrorMessage(conn) : "no connection";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

std::string pg_error(PGconn* conn, const PGresult* result) {
  if (result) {
    std::string message = PQresultErrorMessage(result);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (!message.empty()) return message;
  }
  return pg_error(conn);
}

void PgParams::push(const char* data, int length, int format) {
  values_.push_back(data);
  lengths_.push_back(length);
  formats_.push_back(format);
}

void PgParams::add(int64_t value) {
  owned_.push_back(std::make_unique<std::string>(std::to_string(value)));
  push(owned_.back()->c_str(), static_cast<int>(owned_.back()->size()), 0);
}

void PgParams::add(std::string_view text) {
  owned_.push_back(std::make_unique<std::string>(pg_text(text)));
  push(owned_.back()->c_str(), static_cast<int>(owned_.back()->size()), 0);
}

void PgParams::add(const std::optional<std::string>& text) {
  if (text) {
    add(std::string_view(*text));
  } else {
    add_null();
  }
}

void PgParams::add_bytes(std::string_view bytes) {
  owned_.push_back(std::make_unique<std::string>(bytes));
  push(owned_.back()->data(), static_cast<int>(owned_.back()->size()), 1);
}

void PgParams::add_bytes(std::string&& bytes) {
  owned_.push_back(std::make_unique<std::string>(std::move(bytes)));
  push(owned_.back()->data(), static_cast<int>(owned_.back()->size()), 1);
}

void PgParams::add_null() { push(nullptr, 0, 0); }

PgResult pg_exec(PGconn* conn, const std::string& sql, const PgParams& params) {
  return PgResult(PQexecParams(conn, sql.c_str(), params.count(), nullptr, params.values(), params.lengths(),
                               params.formats(), 0));
}

bool pg_ok(const PGresult* result) {
  if (!result) return false;
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string pg_value(const PGresult* result, int row, int column) {
  const char* data = PQgetvalue(result, row, column);
  const size_t length = static_cast<size_t>(PQgetlength(result, row, column));
  constexpr Oid kByteaOid = 17;
  if (PQftype(result, column) != kByteaOid || length < 2 || data[0] != '\\' || data[1] != 'x') {
    return std::string(data, length);
  }
  std::string bytes;
  bytes.reserve((length - 2) / 2);
  for (size_t i = 2; i + 1 < length; i += 2) {
    const int high = hex_digit(data[i]), low = hex_digit(data[i + 1]);
    if (high < 0 || low < 0) break;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

int64_t pg_int(const PGresult* result, int row, int column) {
  const char* data = PQgetvalue(result, row, column);
  int64_t value = 0;
  (void)std::from_chars(data, data + PQgetlength(result, row, column), value);
  return value;
}

std::string pg_text(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = utf8_sequence(text, i);
    if (n == 0) break;
    i += n;
  }
  if (i == text.size()) return std::string(text);
  std::string out(text.substr(0, i));
  static constexpr char kHex[] = "0123456789abcdef";
  while (i < text.size()) {
    const size_t n = utf8_sequence(text, i);
    if (n > 0) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i++]);
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string pg_text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : pg_text(items[i])) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace hookgate::storage
