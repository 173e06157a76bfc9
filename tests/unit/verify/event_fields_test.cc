#include "verify/event_fields.h"

#include <gtest/gtest.h>

#include "test_request.h"

namespace hookgate::verify {
namespace {

using testing::OwnedRequest;

FieldRef json(std::string pointer) { return FieldRef{FieldRef::Kind::json, std::move(pointer)}; }
FieldRef header(std::string name) { return FieldRef{FieldRef::Kind::header, std::move(name)}; }

std::optional<std::string> from_body(const std::string& pointer, std::string body) {
  OwnedRequest r;
  r.with_body(std::move(body));
  return extract_field(json(pointer), r.view());
}

TEST(ExtractJson, NestedStringIsUnescaped) {
  EXPECT_EQ(from_body("/data/object/id", R"({"data":{"object":{"id":"a\"b\\c\u00e9\n"}}})"),
            "a\"b\\c\xc3\xa9\n");
  EXPECT_EQ(from_body("/type", R"({"id":"evt_1","type":"invoice.paid"})"), "invoice.paid");
}

TEST(ExtractJson, NumbersAsTheirLiteralText) {
  EXPECT_EQ(from_body("/id", R"({"id": 12345 })"), "12345");
  EXPECT_EQ(from_body("/id", R"({"id":-1.50e+10,"x":1})"), "-1.50e+10");
  EXPECT_EQ(from_body("/id", "{\"id\":42\n}"), "42");
  // Beyond 64 bits is still an id, kept exactly.
  EXPECT_EQ(from_body("/id", R"({"id":123456789012345678901234567890})"),
            "123456789012345678901234567890");
  EXPECT_EQ(from_body("/id", R"({"id":012})"), std::nullopt);
  EXPECT_EQ(from_body("/id", R"({"id":-})"), std::nullopt);
}

TEST(ExtractJson, BooleansAsTrueFalse) {
  EXPECT_EQ(from_body("/live", R"({"live":true})"), "true");
  EXPECT_EQ(from_body("/live", R"({"live":false})"), "false");
}

TEST(ExtractJson, ArrayIndexAndEscapedKeys) {
  EXPECT_EQ(from_body("/items/1/id", R"({"items":[{"id":"a"},{"id":"b"}]})"), "b");
  EXPECT_EQ(from_body("/a~1b", R"({"a/b":"slash"})"), "slash");
}

TEST(ExtractJson, MissingNullObjectArrayAndEmptyAreNullopt) {
  EXPECT_EQ(from_body("/id", R"({"type":"x"})"), std::nullopt);
  EXPECT_EQ(from_body("/id", R"({"id":null})"), std::nullopt);
  EXPECT_EQ(from_body("/id", R"({"id":{"a":1}})"), std::nullopt);
  EXPECT_EQ(from_body("/id", R"({"id":[1]})"), std::nullopt);
  EXPECT_EQ(from_body("/id", R"({"id":""})"), std::nullopt);
  EXPECT_EQ(from_body("/items/5", R"({"items":[1]})"), std::nullopt);
}

TEST(ExtractJson, NonJsonBodiesAreNullopt) {
  EXPECT_EQ(from_body("/id", "id=evt_1&type=x"), std::nullopt);
  EXPECT_EQ(from_body("/id", ""), std::nullopt);
  EXPECT_EQ(from_body("/id", "Hello, World!"), std::nullopt);
  EXPECT_EQ(from_body("/id", R"({"id":"unterminated)"), std::nullopt);
  EXPECT_EQ(from_body("/id", "\"just a string\""), std::nullopt);
  EXPECT_EQ(from_body("/id", "\xff\xfe{\"id\":\"x\"}"), std::nullopt);
}

TEST(ExtractJson, InvalidPointerIsNullopt) {
  EXPECT_EQ(from_body("id", R"({"id":"x"})"), std::nullopt);
}

TEST(ExtractJson, LengthCappedAt256Bytes) {
  const std::string max(kMaxFieldBytes, 'x');
  EXPECT_EQ(from_body("/id", R"({"id":")" + max + "\"}"), max);
  EXPECT_EQ(from_body("/id", R"({"id":")" + max + "y\"}"), std::nullopt);
}

TEST(ExtractJson, PaddedBodyIsParsedInPlace) {
  std::string buffer = R"({"id":"evt_9"})";
  const std::size_t size = buffer.size();
  buffer.append(64, '\0');
  OwnedRequest owned;
  Request r = owned.view();
  r.body = std::string_view(buffer.data(), size);
  r.body_padded = true;
  EXPECT_EQ(extract_field(json("/id"), r), "evt_9");
}

TEST(ExtractJson, ReusedAcrossRequestsOfDifferentSizes) {
  EXPECT_EQ(from_body("/id", R"({"pad":")" + std::string(100000, 'p') + R"(","id":"big"})"), "big");
  EXPECT_EQ(from_body("/id", R"({"id":"small"})"), "small");
}

TEST(ExtractHeader, CaseInsensitiveFirstValue) {
  OwnedRequest r;
  r.with("X-GitHub-Delivery", "d-1").with("x-github-delivery", "d-2");
  EXPECT_EQ(extract_field(header("x-github-delivery"), r.view()), "d-1");
  EXPECT_EQ(extract_field(header("X-Absent"), r.view()), std::nullopt);
}

TEST(ExtractHeader, FallbackHeaderWhenNameIsAbsent) {
  const FieldRef ref{FieldRef::Kind::header, "webhook-id", "svix-id"};
  OwnedRequest svix;
  svix.with("svix-id", "msg_s");
  EXPECT_EQ(extract_field(ref, svix.view()), "msg_s");
  OwnedRequest both;
  both.with("svix-id", "msg_s").with("webhook-id", "msg_w");
  EXPECT_EQ(extract_field(ref, both.view()), "msg_w");
}

TEST(ExtractHeader, EmptyAndOverlongValuesAreNullopt) {
  OwnedRequest r;
  r.with("X-Empty", "").with("X-Long", std::string(kMaxFieldBytes + 1, 'a'));
  EXPECT_EQ(extract_field(header("X-Empty"), r.view()), std::nullopt);
  EXPECT_EQ(extract_field(header("X-Long"), r.view()), std::nullopt);
}

TEST(ExtractNone, IsAlwaysNullopt) {
  OwnedRequest r;
  r.with_body(R"({"id":"x"})");
  EXPECT_EQ(extract_field(FieldRef{}, r.view()), std::nullopt);
}

}  // namespace
}  // namespace hookgate::verify
