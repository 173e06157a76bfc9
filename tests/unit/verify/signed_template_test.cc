#include "verify/signed_template.h"

#include <gtest/gtest.h>

#include <string>

namespace hookgate::verify {
namespace {

std::string render(const SignedTemplate& t, const TemplateValues& values) {
  SignedTemplate::Pieces storage;
  std::string out;
  for (std::string_view piece : t.pieces(values, storage)) out += piece;
  return out;
}

const TemplateValues kValues{.body = "{\"a\":1}",
                             .timestamp = "1700000000",
                             .id = "msg_1",
                             .method = "POST",
                             .url = "https://example.com/hook?x=1"};

TEST(SignedTemplate, ConcatenatesLiteralsAndVariables) {
  std::string error;
  const auto t = SignedTemplate::parse("v0:{timestamp}:{body}", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(render(*t, kValues), "v0:1700000000:{\"a\":1}");
}

TEST(SignedTemplate, EveryVariable) {
  std::string error;
  const auto t = SignedTemplate::parse("{method}{url}{body}{timestamp}|{id}", error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(render(*t, kValues), "POSThttps://example.com/hook?x=1{\"a\":1}1700000000|msg_1");
  EXPECT_TRUE(t->uses(SignedTemplate::Var::id));
  EXPECT_TRUE(t->uses(SignedTemplate::Var::url));
}

TEST(SignedTemplate, UsesReportsOnlyPresentVariables) {
  std::string error;
  const auto t = SignedTemplate::parse("{body}", error);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->uses(SignedTemplate::Var::body));
  EXPECT_FALSE(t->uses(SignedTemplate::Var::timestamp));
  EXPECT_FALSE(t->uses(SignedTemplate::Var::id));
}

TEST(SignedTemplate, UnknownVariableIsAnError) {
  std::string error;
  EXPECT_FALSE(SignedTemplate::parse("{ts}.{body}", error));
  EXPECT_EQ(error, "unknown variable {ts} (known: {body} {timestamp} {id} {method} {url})");
}

TEST(SignedTemplate, UnterminatedAndStrayBracesAreErrors) {
  std::string error;
  EXPECT_FALSE(SignedTemplate::parse("{body", error));
  EXPECT_EQ(error, "unterminated '{' at offset 0");
  EXPECT_FALSE(SignedTemplate::parse("a}{body}", error));
  EXPECT_EQ(error.rfind("stray '}' at offset 1", 0), 0u) << error;
}

TEST(SignedTemplate, TooManyPartsIsAnError) {
  std::string text;
  for (int i = 0; i < 9; ++i) text += "{body}.";  // 18 parts
  std::string error;
  EXPECT_FALSE(SignedTemplate::parse(text, error));
  EXPECT_EQ(error, "more than 16 parts");
}

}  // namespace
}  // namespace hookgate::verify
