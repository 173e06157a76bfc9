#include "storage/postgres/pg_array.h"

namespace hookgate::storage {
namespace {

void put_u32(std::string& out, uint32_t value) {
  const char bytes[] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
                        static_cast<char>(value)};
  out.append(bytes, sizeof bytes);
}

constexpr size_t kHeaderSize = 20;  // dimensions, has-null flag, element type, length, lower bound

}  // namespace

PgBinaryArray::PgBinaryArray(Oid element_type) : element_type_(element_type), bytes_(kHeaderSize, '\0') {}

void PgBinaryArray::add(std::string_view bytes) {
  put_u32(bytes_, static_cast<uint32_t>(bytes.size()));
  bytes_.append(bytes);
  ++count_;
}

void PgBinaryArray::add(int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  put_u32(bytes_, 8);
  put_u32(bytes_, static_cast<uint32_t>(bits >> 32));
  put_u32(bytes_, static_cast<uint32_t>(bits));
  ++count_;
}

void PgBinaryArray::add_null() {
  put_u32(bytes_, 0xFFFFFFFFu);  // length -1
  has_null_ = true;
  ++count_;
}

std::string PgBinaryArray::release() {
  std::string header;
  put_u32(header, count_ == 0 ? 0 : 1);
  put_u32(header, has_null_ ? 1 : 0);
  put_u32(header, element_type_);
  if (count_ == 0) {
    bytes_ = std::move(header);  // no dimensions: no length, no lower bound
  } else {
    put_u32(header, static_cast<uint32_t>(count_));
    put_u32(header, 1);
    bytes_.replace(0, kHeaderSize, header);
  }
  return std::move(bytes_);
}

}  // namespace hookgate::storage
