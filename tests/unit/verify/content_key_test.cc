// content_digest: equal fields give equal keys, and any difference in a chosen field — its
// bytes, its presence, how the bytes split between fields — gives another key.
#include "verify/content_key.h"

#include <gtest/gtest.h>

#include <vector>

namespace hookgate::verify {
namespace {

using Kind = DedupeField::Kind;

struct Fixture {
  std::vector<HeaderView> headers;
  std::string body;
  Request request() const {
    Request r;
    r.headers = headers;
    r.body = body;
    return r;
  }
};

std::string digest(const DedupeSpec& spec, const Fixture& f) { return content_digest(spec, f.request()); }

const DedupeSpec kBody{{DedupeField{}}, std::chrono::hours(1)};

TEST(ContentDigest, TheBodyKeyIsSha256SizedAndFollowsEveryByte) {
  const Fixture a{{}, R"({"a":1})"}, b{{}, R"({"a":1} )"}, c{{}, R"({"a":1})"};
  EXPECT_EQ(digest(kBody, a).size(), 32u);
  EXPECT_EQ(digest(kBody, a), digest(kBody, c));
  EXPECT_NE(digest(kBody, a), digest(kBody, b));
}

TEST(ContentDigest, HeadersAreFoundCaseInsensitivelyAndAbsentDiffersFromEmpty) {
  const DedupeSpec spec{{DedupeField{Kind::header, "X-Shop"}}, std::chrono::hours(1)};
  const Fixture upper{{{"X-SHOP", "eu"}}, "1"}, lower{{{"x-shop", "eu"}}, "2"};
  const Fixture empty{{{"X-Shop", ""}}, ""}, absent{{}, ""};
  EXPECT_EQ(digest(spec, upper), digest(spec, lower)) << "the body is not part of this key";
  EXPECT_NE(digest(spec, empty), digest(spec, absent));
}

TEST(ContentDigest, JsonFieldsAreTheirRawValuesWholeObjectsIncluded) {
  const DedupeSpec spec{{DedupeField{Kind::json, "/order"}}, std::chrono::hours(1)};
  const Fixture a{{}, R"({"order":{"id":42,"lines":[1,2]},"at":"10:00"})"};
  const Fixture b{{}, R"({"at":"10:05","order":{"id":42,"lines":[1,2]}})"};
  const Fixture c{{}, R"({"order":{"id":42,"lines":[1,3]}})"};
  const Fixture missing{{}, R"({"at":"10:00"})"}, not_json{{}, "order=42"};
  EXPECT_EQ(digest(spec, a), digest(spec, b));
  EXPECT_NE(digest(spec, a), digest(spec, c));
  EXPECT_EQ(digest(spec, missing), digest(spec, not_json)) << "both: nothing at the pointer";
  const DedupeSpec string_id{{DedupeField{Kind::json, "/id"}}, std::chrono::hours(1)};
  EXPECT_NE(digest(string_id, Fixture{{}, R"({"id":"42"})"}), digest(string_id, Fixture{{}, R"({"id":42})"}));
}

TEST(ContentDigest, FieldsAreFramedSoBytesCannotMoveBetweenThem) {
  const DedupeSpec spec{{DedupeField{Kind::header, "A"}, DedupeField{Kind::header, "B"}}, std::chrono::hours(1)};
  const Fixture ab{{{"A", "xy"}, {"B", "z"}}, ""}, a_b{{{"A", "x"}, {"B", "yz"}}, ""};
  EXPECT_NE(digest(spec, ab), digest(spec, a_b));
  const DedupeSpec swapped{{DedupeField{Kind::header, "B"}, DedupeField{Kind::header, "A"}}, std::chrono::hours(1)};
  EXPECT_NE(digest(spec, ab), digest(swapped, ab));
}

TEST(DedupeSpec, DescribesItselfForListings) {
  EXPECT_EQ(kBody.describe(), "body within 1h");
  EXPECT_EQ((DedupeSpec{{DedupeField{}}, std::chrono::hours(36)}).describe(), "body within 36h");
  EXPECT_EQ((DedupeSpec{{DedupeField{}}, std::chrono::seconds(90)}).describe(), "body within 90s");
  EXPECT_EQ(DedupeSpec{}.describe(), "none");
}

}  // namespace
}  // namespace hookgate::verify
