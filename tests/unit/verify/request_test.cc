#include "verify/request.h"

#include <gtest/gtest.h>

#include "test_request.h"
#include "verify/verifier.h"

namespace hookgate::verify {
namespace {

using testing::OwnedRequest;

TEST(RequestHeader, LookupIgnoresAsciiCase) {
  OwnedRequest owned;
  owned.with("Stripe-Signature", "t=1,v1=ab").with("content-type", "application/json");
  const Request r = owned.view();
  EXPECT_EQ(r.header("stripe-signature"), "t=1,v1=ab");
  EXPECT_EQ(r.header("STRIPE-SIGNATURE"), "t=1,v1=ab");
  EXPECT_EQ(r.header("Content-Type"), "application/json");
}

TEST(RequestHeader, AbsentHeaderIsNulloptAndCountZero) {
  OwnedRequest owned;
  owned.with("X-Other", "1");
  const Request r = owned.view();
  EXPECT_EQ(r.header("X-Hub-Signature-256"), std::nullopt);
  EXPECT_EQ(r.header_count("X-Hub-Signature-256"), 0u);
  // A prefix of a name is not the name.
  EXPECT_EQ(r.header("X-Oth"), std::nullopt);
}

TEST(RequestHeader, RepeatedHeaderReturnsFirstAndCountsAll) {
  OwnedRequest owned;
  owned.with("webhook-id", "first").with("X-Between", "x").with("Webhook-ID", "second");
  const Request r = owned.view();
  EXPECT_EQ(r.header("webhook-id"), "first");
  EXPECT_EQ(r.header_count("WEBHOOK-ID"), 2u);
  EXPECT_EQ(r.header_count("x-between"), 1u);
}

TEST(RequestHeader, EmptyValueIsPresent) {
  OwnedRequest owned;
  owned.with("X-Empty", "");
  EXPECT_EQ(owned.view().header("x-empty"), "");
}

TEST(VerdictNames, AreTheEnumeratorNames) {
  EXPECT_EQ(to_string(Verdict::ok), "ok");
  EXPECT_EQ(to_string(Verdict::missing_signature), "missing_signature");
  EXPECT_EQ(to_string(Verdict::malformed_signature), "malformed_signature");
  EXPECT_EQ(to_string(Verdict::bad_signature), "bad_signature");
  EXPECT_EQ(to_string(Verdict::missing_timestamp), "missing_timestamp");
  EXPECT_EQ(to_string(Verdict::malformed_timestamp), "malformed_timestamp");
  EXPECT_EQ(to_string(Verdict::timestamp_too_old), "timestamp_too_old");
  EXPECT_EQ(to_string(Verdict::timestamp_in_future), "timestamp_in_future");
  EXPECT_EQ(to_string(Verdict::missing_id), "missing_id");
}

}  // namespace
}  // namespace hookgate::verify
