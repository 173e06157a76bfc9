// The signed-bytes template of the generic HMAC scheme ("{timestamp}.{body}"), parsed once at
// build time into parts so that verification only concatenates views.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hookgate::verify {

// The per-request values a template can refer to.
struct TemplateValues {
  std::string_view body;
  std::string_view timestamp;  // the timestamp text exactly as received
  std::string_view id;
  std::string_view method;
  std::string_view url;  // Request::public_url
};

class SignedTemplate {
 public:
  // More parts than any vendor needs ("{method}{url}{body}{timestamp}" has 4); the bound lets
  // pieces() fill a fixed array instead of allocating per request.
  static constexpr std::size_t kMaxParts = 16;
  using Pieces = std::array<std::string_view, kMaxParts>;

  enum class Var { body, timestamp, id, method, url };

  // Literals plus {body} {timestamp} {id} {method} {url}. nullopt and `error` set for an
  // unknown variable, an unterminated '{', a stray '}', or more than kMaxParts parts.
  [[nodiscard]] static std::optional<SignedTemplate> parse(std::string_view text,
                                                           std::string& error);

  [[nodiscard]] bool uses(Var var) const;

  // The template's bytes as consecutive views into `values` and the template's literals;
  // returns the used front of `storage`. Valid while `values`' referents and *this live.
  [[nodiscard]] std::span<const std::string_view> pieces(const TemplateValues& values,
                                                         Pieces& storage) const;

 private:
  struct Part {
    bool is_literal = true;
    Var var = Var::body;
    std::string literal;
  };
  std::vector<Part> parts_;
};

}  // namespace hookgate::verify
