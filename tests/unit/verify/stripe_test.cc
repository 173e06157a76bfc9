// The `stripe` preset (https://docs.stripe.com/webhooks#verify-manually; vectors made with the
// stripe SDK's generateTestHeaderString).
#include <gtest/gtest.h>

#include <cctype>

#include "test_request.h"
#include "verify/event_fields.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using testing::at_unix;
using testing::build_ok;
using testing::OwnedRequest;
using testing::preset;

constexpr const char* kSecret = "whsec_test";
constexpr const char* kBody = R"({"id":"evt_1","object":"event"})";
constexpr std::int64_t kTs = 1700000000;
constexpr const char* kGoodSig = "4c15fb2a43f93ef61eaa3e0893866d57cad9cad4223242cfb96f362480cb4021";
constexpr const char* kVectorHeader =
    "t=1700000000,v1=4c15fb2a43f93ef61eaa3e0893866d57cad9cad4223242cfb96f362480cb4021";

class Stripe : public ::testing::Test {
 protected:
  Verdict check(const std::string& header, TimePoint now = at_unix(kTs),
                std::string body = kBody) {
    OwnedRequest r;
    r.with_body(std::move(body)).with("Stripe-Signature", header);
    return verifier->verify(r.view(), now);
  }
  std::shared_ptr<const Verifier> verifier = build_ok(preset("stripe", {kSecret}));
};

TEST_F(Stripe, PublishedVectorVerifies) {
  EXPECT_EQ(check(kVectorHeader), Verdict::ok);
  // §4.1 constructs the event 100 s later.
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs + 100)), Verdict::ok);
}

TEST_F(Stripe, SignReproducesPublishedHeader) {
  SignedHeaders out;
  ASSERT_TRUE(verifier->sign(kBody, at_unix(kTs), "", out));
  ASSERT_EQ(out.headers.size(), 1u);
  EXPECT_EQ(out.headers[0].first, "Stripe-Signature");
  EXPECT_EQ(out.headers[0].second, kVectorHeader);
}

TEST_F(Stripe, SignVerifyRoundTripAtAnotherTime) {
  SignedHeaders out;
  const TimePoint now = at_unix(1800000000) + 250ms;
  ASSERT_TRUE(verifier->sign("{\"id\":\"evt_2\"}", now, "", out));
  OwnedRequest r;
  r.with_body("{\"id\":\"evt_2\"}").with(out);
  EXPECT_EQ(verifier->verify(r.view(), now), Verdict::ok);
}

TEST_F(Stripe, TamperedBodyIsBadSignature) {
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs), R"({"id":"evt_1","object":"event "})"),
            Verdict::bad_signature);
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs), ""), Verdict::bad_signature);
}

TEST_F(Stripe, TamperedTimestampIsBadSignature) {
  EXPECT_EQ(check(std::string("t=1700000001,v1=") + kGoodSig), Verdict::bad_signature);
}

TEST_F(Stripe, WrongSecretIsBadSignature) {
  auto other = build_ok(preset("stripe", {"whsec_other"}));
  OwnedRequest r;
  r.with_body(kBody).with("Stripe-Signature", kVectorHeader);
  EXPECT_EQ(other->verify(r.view(), at_unix(kTs)), Verdict::bad_signature);
}

TEST_F(Stripe, SecondSecretOfRotationMatches) {
  auto rotated = build_ok(preset("stripe", {"whsec_new", kSecret}));
  OwnedRequest r;
  r.with_body(kBody).with("Stripe-Signature", kVectorHeader);
  EXPECT_EQ(rotated->verify(r.view(), at_unix(kTs)), Verdict::ok);
}

TEST_F(Stripe, AnyV1OfSeveralMatchesAndOtherSchemesAreIgnored) {
  const std::string bogus(64, 'a');
  EXPECT_EQ(check("t=1700000000,v1=" + bogus + ",v1=" + kGoodSig + ",v0=" + bogus), Verdict::ok);
  EXPECT_EQ(check(std::string("t=1700000000, v0=xyz, v1=") + kGoodSig),
            Verdict::ok);  // spaces trimmed
  EXPECT_EQ(check("t=1700000000,v1=" + bogus + ",v0=" + std::string(kGoodSig)),
            Verdict::bad_signature);
}

TEST_F(Stripe, UppercaseHexMatches) {
  std::string upper = kGoodSig;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(check("t=1700000000,v1=" + upper), Verdict::ok);
}

TEST_F(Stripe, NoCandidateOfTheSchemeIsMalformed) {
  EXPECT_EQ(check(std::string("t=1700000000,v0=") + kGoodSig), Verdict::malformed_signature);
  EXPECT_EQ(check("t=1700000000,v1=zz"), Verdict::malformed_signature);
  EXPECT_EQ(check("t=1700000000,v1=" + std::string(kGoodSig).substr(2)),
            Verdict::malformed_signature);
  EXPECT_EQ(check("t=1700000000,v1="), Verdict::malformed_signature);
  EXPECT_EQ(check("t=1700000000"), Verdict::malformed_signature);
}

TEST_F(Stripe, StaleAndFutureTimestampsBothDirections) {
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs + 300)), Verdict::ok);
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs + 301)), Verdict::timestamp_too_old);
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs - 300)), Verdict::ok);
  EXPECT_EQ(check(kVectorHeader, at_unix(kTs - 301)), Verdict::timestamp_in_future);
}

TEST_F(Stripe, ConfiguredToleranceAndZeroDisablesTheCheck) {
  VerifySpec spec = preset("stripe", {kSecret});
  spec.tolerance = 10s;
  auto tight = build_ok(spec);
  spec.tolerance = 0s;
  auto unchecked = build_ok(spec);
  OwnedRequest r;
  r.with_body(kBody).with("Stripe-Signature", kVectorHeader);
  EXPECT_EQ(tight->verify(r.view(), at_unix(kTs + 11)), Verdict::timestamp_too_old);
  EXPECT_EQ(tight->verify(r.view(), at_unix(kTs + 10)), Verdict::ok);
  EXPECT_EQ(unchecked->verify(r.view(), at_unix(kTs + 86400 * 365)), Verdict::ok);
  EXPECT_EQ(unchecked->verify(r.view(), at_unix(0)), Verdict::ok);
}

TEST_F(Stripe, StaleIsReportedBeforeTheMac) {
  // Order of checks: a replayed request is turned away on its timestamp, whatever its MAC.
  EXPECT_EQ(check("t=1600000000,v1=" + std::string(64, 'a'), at_unix(kTs)),
            Verdict::timestamp_too_old);
}

TEST_F(Stripe, MissingRepeatedAndGarbledHeaders) {
  OwnedRequest none;
  none.with_body(kBody).with("Content-Type", "application/json");
  EXPECT_EQ(verifier->verify(none.view(), at_unix(kTs)), Verdict::missing_signature);

  OwnedRequest repeated;
  repeated.with_body(kBody)
      .with("Stripe-Signature", kVectorHeader)
      .with("stripe-signature", kVectorHeader);
  EXPECT_EQ(verifier->verify(repeated.view(), at_unix(kTs)), Verdict::malformed_signature);

  OwnedRequest lowercase_name;
  lowercase_name.with_body(kBody).with("stripe-signature", kVectorHeader);
  EXPECT_EQ(verifier->verify(lowercase_name.view(), at_unix(kTs)), Verdict::ok);

  EXPECT_EQ(check(""), Verdict::missing_timestamp);
  EXPECT_EQ(check("garbage"), Verdict::missing_timestamp);
  EXPECT_EQ(check(std::string("v1=") + kGoodSig), Verdict::missing_timestamp);
}

TEST_F(Stripe, MalformedTimestamps) {
  const std::string sig = std::string(",v1=") + kGoodSig;
  EXPECT_EQ(check("t=17000000x0" + sig), Verdict::malformed_timestamp);
  EXPECT_EQ(check("t=abc" + sig), Verdict::malformed_timestamp);
  EXPECT_EQ(check("t=" + sig), Verdict::malformed_timestamp);
  EXPECT_EQ(check("t=-1700000000" + sig), Verdict::malformed_timestamp);
  EXPECT_EQ(check("t=99999999999999999999" + sig), Verdict::malformed_timestamp);
  EXPECT_EQ(check("t=1700000000,t=1700000000" + sig), Verdict::malformed_timestamp);  // ambiguous
}

TEST_F(Stripe, EventFieldsComeFromTheBody) {
  EXPECT_EQ(verifier->event_id_field().kind, FieldRef::Kind::json);
  EXPECT_EQ(verifier->event_id_field().name, "/id");
  EXPECT_EQ(verifier->event_type_field().name, "/type");
  OwnedRequest r;
  r.with_body(R"({"id":"evt_1","type":"invoice.paid"})");
  EXPECT_EQ(extract_field(verifier->event_id_field(), r.view()), "evt_1");
  EXPECT_EQ(extract_field(verifier->event_type_field(), r.view()), "invoice.paid");
}

}  // namespace
}  // namespace hookgate::verify
