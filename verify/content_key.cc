#include "verify/content_key.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "verify/json_body.h"

namespace hookgate::verify {
namespace {

std::string window_text(std::chrono::seconds s) {
  const int64_t n = s.count();
  if (n % 3600 == 0) return std::to_string(n / 3600) + "h";
  if (n % 60 == 0) return std::to_string(n / 60) + "m";
  return std::to_string(n) + "s";
}

// The raw JSON text at `pointer`; nullopt when the body is not JSON or nothing is there.
std::optional<std::string_view> raw_json_at(JsonBody& json, const std::string& pointer) {
  simdjson::ondemand::document* doc = json.document();
  if (!doc) return std::nullopt;
  const auto failed = [&json](simdjson::error_code error) {
    json.note(error);
    return error != simdjson::SUCCESS;
  };
  simdjson::ondemand::value value;
  if (failed(doc->at_pointer(pointer).get(value))) return std::nullopt;
  simdjson::ondemand::json_type type;
  if (failed(value.type().get(type))) return std::nullopt;
  std::string_view raw;
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (failed(value.get_object().get(object)) || failed(object.raw_json().get(raw))) return std::nullopt;
  } else if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (failed(value.get_array().get(array)) || failed(array.raw_json().get(raw))) return std::nullopt;
  } else {
    raw = value.raw_json_token();
  }
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
    raw.remove_suffix(1);
  }
  return raw;
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
  return text + " within " + window_text(window);
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
