#include "verify/signed_template.h"

#include <algorithm>

namespace hookgate::verify {
namespace {

struct VarName {
  std::string_view name;
  SignedTemplate::Var var;
};

constexpr std::array<VarName, 5> kVars{{
    {"body", SignedTemplate::Var::body},
    {"timestamp", SignedTemplate::Var::timestamp},
    {"id", SignedTemplate::Var::id},
    {"method", SignedTemplate::Var::method},
    {"url", SignedTemplate::Var::url},
}};

}  // namespace

std::optional<SignedTemplate> SignedTemplate::parse(std::string_view text, std::string& error) {
  SignedTemplate result;
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) result.parts_.push_back(Part{true, Var::body, std::move(literal)});
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      error = "stray '}' at offset " + std::to_string(i) +
              " (variables are {body} {timestamp} {id} {method} {url})";
      return std::nullopt;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      error = "unterminated '{' at offset " + std::to_string(i);
      return std::nullopt;
    }
    const std::string_view name = text.substr(i + 1, close - i - 1);
    const auto* known =
        std::find_if(kVars.begin(), kVars.end(), [&](const VarName& v) { return v.name == name; });
    if (known == kVars.end()) {
      error = "unknown variable {" + std::string(name) +
              "} (known: {body} {timestamp} {id} {method} {url})";
      return std::nullopt;
    }
    flush_literal();
    result.parts_.push_back(Part{false, known->var, {}});
    i = close;
  }
  flush_literal();
  if (result.parts_.size() > kMaxParts) {
    error = "more than " + std::to_string(kMaxParts) + " parts";
    return std::nullopt;
  }
  return result;
}

bool SignedTemplate::uses(Var var) const {
  return std::any_of(parts_.begin(), parts_.end(),
                     [&](const Part& p) { return !p.is_literal && p.var == var; });
}

std::span<const std::string_view> SignedTemplate::pieces(const TemplateValues& values,
                                                         Pieces& storage) const {
  std::size_t n = 0;
  for (const Part& part : parts_) {
    std::string_view piece;
    if (part.is_literal) {
      piece = part.literal;
    } else {
      switch (part.var) {
        case Var::body:
          piece = values.body;
          break;
        case Var::timestamp:
          piece = values.timestamp;
          break;
        case Var::id:
          piece = values.id;
          break;
        case Var::method:
          piece = values.method;
          break;
        case Var::url:
          piece = values.url;
          break;
      }
    }
    storage[n++] = piece;
  }
  return {storage.data(), n};
}

}  // namespace hookgate::verify
