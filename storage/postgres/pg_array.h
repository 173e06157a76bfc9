// One-dimensional PostgreSQL arrays in the binary wire format (array_recv), so that a batch of
// events binds as a handful of array parameters (`unnest($1::text[], …)`) without quoting or
// hex-escaping bodies. Elements are appended in order; NULL elements are allowed.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace hookgate::storage {

class PgBinaryArray {
 public:
  // The element type's OID; it must match the parameter's cast in the statement.
  static constexpr Oid kText = 25;
  static constexpr Oid kBytea = 17;
  static constexpr Oid kInt8 = 20;

  explicit PgBinaryArray(Oid element_type);

  // kText: the bytes must be valid UTF-8 without NUL (see pg_text); kBytea: any bytes.
  void add(std::string_view bytes);
  void add(int64_t value);  // kInt8
  void add_null();

  [[nodiscard]] size_t size() const { return count_; }
  // The array_recv bytes: the header (1 dimension, lower bound 1; none when empty) and the
  // elements. Moves them out: the array is empty and unusable afterwards.
  [[nodiscard]] std::string release();

 private:
  Oid element_type_;
  bool has_null_ = false;
  size_t count_ = 0;
  std::string bytes_;  // room for the header, then length-prefixed (-1: NULL) elements
};

}  // namespace hookgate::storage
