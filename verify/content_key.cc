#include "verify/content_key.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "verify/duration_text.h"
#include "verify/json_body.h"

namespace hookgate::verify {
namespace {

// The raw JSON text at `pointer`; nullopt when the body is not JSON or nothing is there.
std::optional<std::string_view> raw_json_at(JsonBody& json, const std::string& pointer) {
  simdjson::ondemand::value value;
  if (!json.value_at(pointer, value)) return std::nullopt;
  simdjson::ondemand::json_type type;
  if (json.failed(value.type().get(type))) return std::nullopt;
  std::string_view raw;
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (json.failed(value.get_object().get(object)) || json.failed(object.raw_json().get(raw))) return std::nullopt;
  } else if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (json.failed(value.get_array().get(array)) || json.failed(array.raw_json().get(raw))) return std::nullopt;
  } else {
    raw = value.raw_json_token();
  }
  return trim_json_token(raw);
}

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string DedupeSpec::describe() const {
  if (!enabled()) return "none";
  std::string text;
  for (const DedupeField& field : fields) {
    if (!text.empty()) text += ", ";
    switch (field.kind) {
      case DedupeField::Kind::body: text += "body"; break;
      case DedupeField::Kind::header: text += "header " + field.name; break;
      case DedupeField::Kind::json: text += "json " + field.name; break;
    }
  }
  return text + " within " + duration_text(window);
}

std::string content_digest(const DedupeSpec& spec, const Request& request) {
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
  std::optional<JsonBody> own_json;
  JsonBody* json = request.json;
  const auto add = [&](uint8_t kind, std::optional<std::string_view> value) {
    std::array<unsigned char, 10> frame{};
    frame[0] = kind;
    frame[1] = value ? 1 : 0;
    const uint64_t size = value ? value->size() : 0;
    for (int i = 0; i < 8; ++i) frame[2 + i] = static_cast<unsigned char>(size >> (8 * i));
    EVP_DigestUpdate(ctx.get(), frame.data(), frame.size());
    if (value && !value->empty()) EVP_DigestUpdate(ctx.get(), value->data(), value->size());
  };
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (const DedupeField& field : spec.fields) {
    switch (field.kind) {
      case DedupeField::Kind::body:
        add(0, request.body);
        break;
      case DedupeField::Kind::header:
        add(1, request.header(field.name));
        break;
      case DedupeField::Kind::json:
        if (!json) json = &own_json.emplace(request.body, request.body_padded);
        add(2, raw_json_at(*json, field.name));
        break;
    }
  }
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(digest.data()), &size);
  digest.resize(size);
  return digest;
}

}  // namespace hookgate::verify
