// The `standard-webhooks` preset and its `svix` alias (https://github.com/standard-webhooks/standard-webhooks;
// vectors from svix-server's tests and the svix and standardwebhooks SDKs).
#include <gtest/gtest.h>

#include "test_request.h"
#include "verify/event_fields.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::generic;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr const char* kTsText = "1614265330";
constexpr std::int64_t kTs = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kSig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

OwnedRequest family_request(const std::string& family, std::string signature,
                            std::string body = kBody) {
  OwnedRequest r;
  r.with_body(std::move(body))
      .with(family + "-id", kId)
      .with(family + "-timestamp", kTsText)
      .with(family + "-signature", std::move(signature));
  return r;
}

class StandardWebhooks : public ::testing::Test {
 protected:
  Verdict check(const OwnedRequest& r, TimePoint now = at_unix(kTs)) {
    return verifier->verify(r.view(), now);
  }
  std::shared_ptr<const Verifier> verifier = build_ok(preset("standard-webhooks", {kSecret}));
  std::shared_ptr<const Verifier> svix = build_ok(preset("svix", {kSecret}));
};

TEST_F(StandardWebhooks, PublishedSvixVectorVerifiesUnderEitherHeaderFamily) {
  EXPECT_EQ(check(family_request("webhook", kSig)), Verdict::ok);
  EXPECT_EQ(check(family_request("svix", kSig)), Verdict::ok);
  EXPECT_EQ(svix->verify(family_request("svix", kSig).view(), at_unix(kTs)), Verdict::ok);
  EXPECT_EQ(svix->verify(family_request("webhook", kSig).view(), at_unix(kTs)), Verdict::ok);
}

TEST_F(StandardWebhooks, HeaderNamesAreCaseInsensitive) {
  OwnedRequest r;
  r.with_body(kBody)
      .with("Svix-Id", kId)
      .with("Svix-Timestamp", kTsText)
      .with("Svix-Signature", kSig);
  EXPECT_EQ(check(r), Verdict::ok);
}

TEST_F(StandardWebhooks, SignReproducesPublishedVector) {
  SignedHeaders out;
  ASSERT_TRUE(verifier->sign(kBody, at_unix(kTs), kId, out));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"webhook-id", kId}, {"webhook-timestamp", kTsText}, {"webhook-signature", kSig}};
  EXPECT_EQ(out.headers, expected);
}

TEST_F(StandardWebhooks, SvixAliasSignsWithSvixHeaderNames) {
  SignedHeaders out;
  ASSERT_TRUE(svix->sign(kBody, at_unix(kTs), kId, out));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"svix-id", kId}, {"svix-timestamp", kTsText}, {"svix-signature", kSig}};
  EXPECT_EQ(out.headers, expected);
}

TEST_F(StandardWebhooks, SignVerifyRoundTripBothPresets) {
  for (const auto& v : {verifier, svix}) {
    SignedHeaders out;
    ASSERT_TRUE(v->sign(R"({"type":"user.created"})", at_unix(1700000000), "msg_2", out));
    OwnedRequest r;
    r.with_body(R"({"type":"user.created"})").with(out);
    EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
    EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "msg_2");
    EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "user.created");
  }
}

TEST_F(StandardWebhooks, SignNeedsAnId) {
  SignedHeaders out;
  EXPECT_FALSE(verifier->sign(kBody, at_unix(kTs), "", out));
  EXPECT_TRUE(out.headers.empty());
}

TEST_F(StandardWebhooks, AnyEntryOfTheListMatches) {
  // §4.3: the SDK accepts "v1,AAAA <good>"; v1a and other versions are skipped.
  EXPECT_EQ(check(family_request("webhook", std::string("v1,AAAA ") + kSig)), Verdict::ok);
  EXPECT_EQ(
      check(family_request("webhook", std::string("v1a,") + std::string(88, 'A') + " " + kSig)),
      Verdict::ok);
  EXPECT_EQ(check(family_request("webhook", std::string(kSig) + "  v2,xyz")), Verdict::ok);
  const std::string other_mac = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  EXPECT_EQ(check(family_request("webhook", other_mac + " " + kSig)), Verdict::ok);
  EXPECT_EQ(check(family_request("webhook", other_mac)), Verdict::bad_signature);
}

TEST_F(StandardWebhooks, NoCandidateIsMalformed) {
  EXPECT_EQ(check(family_request("webhook", "v1,AAAA")), Verdict::malformed_signature);
  EXPECT_EQ(check(family_request("webhook", "v1a,AAAA")), Verdict::malformed_signature);
  EXPECT_EQ(check(family_request("webhook", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")),
            Verdict::malformed_signature);
  // Unpadded base64 is not the encoding the spec sends.
  EXPECT_EQ(check(family_request("webhook", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")),
            Verdict::malformed_signature);
}

TEST_F(StandardWebhooks, TamperedBodyIdOrTimestamp) {
  EXPECT_EQ(check(family_request("webhook", kSig, R"({"test": 2432232315})")),
            Verdict::bad_signature);
  OwnedRequest other_id = family_request("webhook", kSig);
  other_id.headers[0].second = "msg_other";
  EXPECT_EQ(check(other_id), Verdict::bad_signature);
  OwnedRequest other_ts = family_request("webhook", kSig);
  other_ts.headers[1].second = "1614265331";
  EXPECT_EQ(check(other_ts), Verdict::bad_signature);
}

TEST_F(StandardWebhooks, WrongAndRotatedSecrets) {
  auto wrong = build_ok(preset("standard-webhooks", {"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}));
  EXPECT_EQ(wrong->verify(family_request("webhook", kSig).view(), at_unix(kTs)),
            Verdict::bad_signature);
  auto rotated =
      build_ok(preset("standard-webhooks", {"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", kSecret}));
  EXPECT_EQ(rotated->verify(family_request("webhook", kSig).view(), at_unix(kTs)), Verdict::ok);
}

TEST_F(StandardWebhooks, ToleranceBothDirections) {
  const OwnedRequest r = family_request("webhook", kSig);
  EXPECT_EQ(check(r, at_unix(kTs + 300)), Verdict::ok);
  EXPECT_EQ(check(r, at_unix(kTs + 301)), Verdict::timestamp_too_old);
  EXPECT_EQ(check(r, at_unix(kTs - 300)), Verdict::ok);
  EXPECT_EQ(check(r, at_unix(kTs - 301)), Verdict::timestamp_in_future);
}

TEST_F(StandardWebhooks, MissingAndMalformedHeaders) {
  EXPECT_EQ(check(OwnedRequest{}.with_body(kBody)), Verdict::missing_signature);
  EXPECT_EQ(check(family_request("webhook", kSig).without("webhook-id")), Verdict::missing_id);
  EXPECT_EQ(check(family_request("webhook", kSig).without("webhook-timestamp")),
            Verdict::missing_timestamp);

  OwnedRequest empty_id = family_request("webhook", kSig);
  empty_id.headers[0].second = "";
  EXPECT_EQ(check(empty_id), Verdict::missing_id);

  for (const char* bad :
       {"", "16142653x0", "1614265330.0", "99999999999999999999", "2021-02-25T15:15:30Z"}) {
    OwnedRequest r = family_request("webhook", kSig);
    r.headers[1].second = bad;
    EXPECT_EQ(check(r), Verdict::malformed_timestamp) << "timestamp '" << bad << "'";
  }

  OwnedRequest repeated_ts = family_request("webhook", kSig);
  repeated_ts.with("webhook-timestamp", kTsText);
  EXPECT_EQ(check(repeated_ts), Verdict::malformed_timestamp);

  OwnedRequest repeated_sig = family_request("webhook", kSig);
  repeated_sig.with("webhook-signature", kSig);
  EXPECT_EQ(check(repeated_sig), Verdict::malformed_signature);
}

TEST_F(StandardWebhooks, WebhookFamilyIsPreferredWhenBothArePresent) {
  OwnedRequest both = family_request("webhook", kSig);
  both.with("svix-id", "msg_x").with("svix-timestamp", "1").with("svix-signature", "v1,bogus");
  EXPECT_EQ(check(both), Verdict::ok);
  EXPECT_EQ(svix->verify(both.view(), at_unix(kTs)), Verdict::ok);

  OwnedRequest bad_preferred =
      family_request("webhook", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  bad_preferred.with("svix-id", kId).with("svix-timestamp", kTsText).with("svix-signature", kSig);
  EXPECT_EQ(check(bad_preferred), Verdict::bad_signature);
}

TEST_F(StandardWebhooks, MixedFamiliesAreMalformed) {
  // svix-signature checked while an unsigned webhook-id would supply the event id.
  OwnedRequest mixed = family_request("svix", kSig);
  mixed.with("webhook-id", "msg_forged");
  EXPECT_EQ(check(mixed), Verdict::malformed_signature);
}

TEST_F(StandardWebhooks, EventIdFromEitherFamilyTypeFromBody) {
  EXPECT_EQ(verifier->event_id_field().name, "webhook-id");
  EXPECT_EQ(verifier->event_id_field().fallback_header, "svix-id");
  EXPECT_EQ(verifier->event_type_field().kind, FieldRef::Kind::json);
  EXPECT_EQ(verifier->event_type_field().name, "/type");
  EXPECT_EQ(extract_field(verifier->event_id_field(), family_request("webhook", kSig).view()), kId);
  EXPECT_EQ(extract_field(svix->event_id_field(), family_request("svix", kSig).view()), kId);
}

TEST(StandardWebhooksRaw, RawFormatSecretVector) {
  // §4.3: new Webhook('my plain secret', {format: 'raw'}).sign('msg_1', 1700000000 s, body).
  HmacSpec spec{
      .envelope = {.header = "webhook-signature",
                   .encoding = Encoding::base64,
                   .prefix = "v1,",
                   .separator = " ",
                   .signed_template = "{id}.{timestamp}.{body}",
                   .timestamp = testing::header_timestamp("webhook-timestamp", TimestampFormat::unix_seconds),
                   .id_header = "webhook-id"},
      .algorithm = Algorithm::sha256,
      .secret_encoding = SecretEncoding::raw,
  };
  auto v = build_ok(generic(spec, {"my plain secret"}));
  OwnedRequest r;
  r.with_body(kBody)
      .with("webhook-id", "msg_1")
      .with("webhook-timestamp", "1700000000")
      .with("webhook-signature", "v1,m4IUkTftO4tj7Uo+EFwKgXz/K6HfUslajR3gi5pxuQ4=");
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  SignedHeaders out;
  ASSERT_TRUE(v->sign(kBody, at_unix(1700000000), "msg_1", out));
  EXPECT_EQ(header_of(out, "webhook-signature"), "v1,m4IUkTftO4tj7Uo+EFwKgXz/K6HfUslajR3gi5pxuQ4=");
}

}  // namespace
}  // namespace hookgate::verify
