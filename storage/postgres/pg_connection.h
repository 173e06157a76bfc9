// RAII for libpq handles and the few helpers every PostgreSQL part shares: connecting with safe
// defaults, parameters bound as text or binary, bytea decoding, and text made safe for a TEXT
// column. Not thread-safe: a connection belongs to one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hookgate::storage {

struct PgConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgConn = std::unique_ptr<PGconn, PgConnCloser>;
using PgResult = std::unique_ptr<PGresult, PgResultClearer>;

// Connects (blocking) to `url`, a libpq URI or key=value string. Defaults that the URL may
// override: connect_timeout=5, tcp_user_timeout=10000 (a silent peer fails writes in 10 s),
// keepalives after 10 s idle, application_name=hookgate. Multi-host URIs with
// target_session_attrs=read-write find the primary. Null with `error` (libpq's message,
// which never holds the password).
[[nodiscard]] PgConn pg_connect(const std::string& url, std::string& error);

// PQerrorMessage without its trailing newline.
[[nodiscard]] std::string pg_error(PGconn* conn);
// The result's error, or the connection's when there is no result.
[[nodiscard]] std::string pg_error(PGconn* conn, const PGresult* result);

// Parameters for PQexecParams / PQsendQueryParams. Values are copied in; text goes as text,
// bytes as binary (bytea), integers as decimal text.
class PgParams {
 public:
  void add(int64_t value);
  void add(std::string_view text);
  void add(const std::optional<std::string>& text);  // NULL when nullopt
  void add_bytes(std::string_view bytes);
  void add_bytes(std::string&& bytes);  // taken over, not copied
  void add_null();

  [[nodiscard]] int count() const { return static_cast<int>(values_.size()); }
  [[nodiscard]] const char* const* values() const { return values_.data(); }
  [[nodiscard]] const int* lengths() const { return lengths_.data(); }
  [[nodiscard]] const int* formats() const { return formats_.data(); }

 private:
  void push(const char* data, int length, int format);
  std::vector<std::unique_ptr<std::string>> owned_;  // stable addresses
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// Runs one statement (blocking, not in pipeline mode). Text results.
[[nodiscard]] PgResult pg_exec(PGconn* conn, const std::string& sql, const PgParams& params = {});
[[nodiscard]] bool pg_ok(const PGresult* result);  // COMMAND_OK or TUPLES_OK

// A text-format column: bytea ("\x…" hex) decoded to its bytes, everything else as sent.
[[nodiscard]] std::string pg_value(const PGresult* result, int row, int column);
[[nodiscard]] int64_t pg_int(const PGresult* result, int row, int column);

// `text` as PostgreSQL TEXT accepts it: valid UTF-8 without NUL. Bytes that are not (a vendor
// id from a header may carry any octet) become "\xNN"; valid text is returned unchanged.
[[nodiscard]] std::string pg_text(std::string_view text);

// A text[] literal of `items` ({"a","b"}), quoted for any content.
[[nodiscard]] std::string pg_text_array(const std::vector<std::string>& items);

// The database's clock in unix milliseconds, as SQL: leases and ownership use it, so nodes whose
// clocks disagree still agree on when a lease ends.
inline constexpr const char* kPgNowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

// The channel that tells nodes about new due deliveries; the payload is a destination name,
// or empty for "look at every destination".
inline constexpr const char* kPgDeliveryChannel = "hookgate_deliveries";

}  // namespace hookgate::storage
