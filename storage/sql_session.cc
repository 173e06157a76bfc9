#include "storage/sql_session.h"

#include <charconv>

namespace hookgate::storage {

int64_t row_int(const SqlRow& row, size_t column) {
  if (column >= row.size() || !row[column]) return 0;
  const std::string& text = *row[column];
  int64_t value = 0;
  (void)std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string row_text(const SqlRow& row, size_t column) {
  return column < row.size() && row[column] ? *row[column] : std::string();
}

}  // namespace hookgate::storage
