// The `github` preset (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries,
// whose published vector is used here, as @octokit/webhooks-methods computes it).
#include <gtest/gtest.h>

#include "test_request.h"
#include "verify/event_fields.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

constexpr const char* kSecret = "It's a Secret to Everybody";
constexpr const char* kBody = "Hello, World!";
constexpr const char* kSha256 =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
constexpr const char* kSha1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";

class GitHub : public ::testing::Test {
 protected:
  Verdict check(OwnedRequest r) { return verifier->verify(r.view(), at_unix(1700000000)); }
  static OwnedRequest with_sig(std::string header, std::string value, std::string body = kBody) {
    OwnedRequest r;
    r.with_body(std::move(body)).with(std::move(header), std::move(value));
    return r;
  }
  std::shared_ptr<const Verifier> verifier = build_ok(preset("github", {kSecret}));
};

TEST_F(GitHub, PublishedVectorVerifies) {
  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", kSha256)), Verdict::ok);
}

TEST_F(GitHub, NoTimestampSoAnyNowPasses) {
  OwnedRequest r = with_sig("X-Hub-Signature-256", kSha256);
  EXPECT_EQ(verifier->verify(r.view(), at_unix(0)), Verdict::ok);
  EXPECT_EQ(verifier->verify(r.view(), at_unix(4000000000)), Verdict::ok);
}

TEST_F(GitHub, SignReproducesPublishedSignatureAndDeliveryHeaders) {
  SignedHeaders out;
  ASSERT_TRUE(
      verifier->sign(kBody, at_unix(1700000000), "72d3162e-cc78-11e3-81ab-4c9367dc0958", out));
  ASSERT_EQ(out.headers.size(), 3u);
  EXPECT_EQ(out.headers[0], (std::pair<std::string, std::string>{"X-Hub-Signature-256", kSha256}));
  EXPECT_EQ(header_of(out, "X-GitHub-Event"), "ping");
  EXPECT_EQ(header_of(out, "X-GitHub-Delivery"), "72d3162e-cc78-11e3-81ab-4c9367dc0958");
}

TEST_F(GitHub, SignWithoutIdOmitsDelivery) {
  SignedHeaders out;
  ASSERT_TRUE(verifier->sign(kBody, at_unix(1700000000), "", out));
  EXPECT_EQ(header_of(out, "X-GitHub-Delivery"), "<absent>");
  EXPECT_EQ(header_of(out, "X-Hub-Signature-256"), kSha256);
}

TEST_F(GitHub, SignVerifyRoundTrip) {
  SignedHeaders out;
  ASSERT_TRUE(
      verifier->sign(R"({"zen":"Keep it logically awesome."})", at_unix(1700000000), "d-1", out));
  OwnedRequest r;
  r.with_body(R"({"zen":"Keep it logically awesome."})").with(out);
  EXPECT_EQ(check(r), Verdict::ok);
  EXPECT_EQ(extract_field(verifier->event_type_field(), r.view()), "ping");
  EXPECT_EQ(extract_field(verifier->event_id_field(), r.view()), "d-1");
}

TEST_F(GitHub, TamperedBodyAndWrongSecret) {
  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", kSha256, "Hello, World?")),
            Verdict::bad_signature);
  auto other = build_ok(preset("github", {"not the secret"}));
  OwnedRequest r = with_sig("X-Hub-Signature-256", kSha256);
  EXPECT_EQ(other->verify(r.view(), at_unix(1700000000)), Verdict::bad_signature);
}

TEST_F(GitHub, FallbackSecretMatches) {
  // @octokit/webhooks-methods verifyWithFallback('old-secret', …, [secret]).
  auto rotated = build_ok(preset("github", {"old-secret", kSecret}));
  OwnedRequest r = with_sig("X-Hub-Signature-256", kSha256);
  EXPECT_EQ(rotated->verify(r.view(), at_unix(1700000000)), Verdict::ok);
}

TEST_F(GitHub, MissingRepeatedAndGarbled) {
  OwnedRequest none;
  none.with_body(kBody).with("X-GitHub-Event", "push");
  EXPECT_EQ(check(none), Verdict::missing_signature);

  OwnedRequest repeated = with_sig("X-Hub-Signature-256", kSha256);
  repeated.with("x-hub-signature-256", kSha256);
  EXPECT_EQ(check(repeated), Verdict::malformed_signature);

  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", "")), Verdict::malformed_signature);
  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", "garbage")), Verdict::malformed_signature);
  // The hex without its prefix, and a SHA-1 value in the SHA-256 header.
  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", std::string(kSha256).substr(7))),
            Verdict::malformed_signature);
  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", kSha1)), Verdict::malformed_signature);
  EXPECT_EQ(check(with_sig("X-Hub-Signature-256", "sha256=" + std::string(63, 'a') + "g")),
            Verdict::malformed_signature);
}

TEST_F(GitHub, LegacySha1HeaderAloneVerifies) {
  EXPECT_EQ(check(with_sig("X-Hub-Signature", kSha1)), Verdict::ok);
  EXPECT_EQ(check(with_sig("X-Hub-Signature", kSha1, "tampered")), Verdict::bad_signature);
}

TEST_F(GitHub, Sha256HeaderDecidesWhenBothArePresent) {
  OwnedRequest good_256 = with_sig("X-Hub-Signature-256", kSha256);
  good_256.with("X-Hub-Signature", "sha1=" + std::string(40, '0'));
  EXPECT_EQ(check(good_256), Verdict::ok);

  // A valid legacy header does not rescue a wrong SHA-256 one (no downgrade).
  OwnedRequest bad_256 = with_sig("X-Hub-Signature-256", "sha256=" + std::string(64, '0'));
  bad_256.with("X-Hub-Signature", kSha1);
  EXPECT_EQ(check(bad_256), Verdict::bad_signature);
}

TEST_F(GitHub, EventFieldsAreHeaders) {
  EXPECT_EQ(verifier->event_id_field().kind, FieldRef::Kind::header);
  EXPECT_EQ(verifier->event_id_field().name, "X-GitHub-Delivery");
  EXPECT_EQ(verifier->event_type_field().name, "X-GitHub-Event");
  OwnedRequest r = with_sig("X-Hub-Signature-256", kSha256);
  r.with("x-github-event", "push").with("x-github-delivery", "abc");
  EXPECT_EQ(extract_field(verifier->event_type_field(), r.view()), "push");
  EXPECT_EQ(extract_field(verifier->event_id_field(), r.view()), "abc");
}

}  // namespace
}  // namespace hookgate::verify
