// Timestamp windows of the presets: every preset whose signed bytes include a timestamp has a
// finite default (the vendor's, or hookgate's where the vendor documents none, and then the
// docs say so); the window is checked in both directions; `tolerance:` narrows or widens it and
// 0 turns it off. Signed with each preset's own sign(), verified through build_verifier().
#include <gtest/gtest.h>

#include "test_request.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using testing::at_unix;
using testing::build_ok;
using testing::OwnedRequest;

constexpr std::int64_t kSignedAt = 1700000000;

// Whether the bytes the vendor signs include a timestamp (so that a captured request could be
// replayed forever if its age were not checked).
bool signs_timestamp(const Preset& p) {
  if (p.scheme == Scheme::mailgun) return true;  // timestamp + token, inside the body
  if (p.scheme == Scheme::paypal) return true;   // PAYPAL-TRANSMISSION-TIME is signed
  if (p.scheme == Scheme::contentful) return true;    // x-contentful-timestamp is signed
  if (p.scheme == Scheme::dropbox_sign) return true;  // event.event_time is hashed
  // A JWT's iat is a signed claim: the presets whose vendors issue one check it (exp, when a
  // token has one, is enforced whatever the window).
  if (p.scheme == Scheme::jwt) return p.default_tolerance > 0s;
  for (const HmacSpec& family : p.families) {
    if (family.envelope.timestamp.kind != TimestampSource::Kind::none) return true;
  }
  for (const PublicKeySpec& family : p.key_families) {
    if (family.envelope.timestamp.kind != TimestampSource::Kind::none) return true;
  }
  return false;
}

TEST(PresetTolerance, EveryPresetThatSignsATimestampHasAFiniteDefault) {
  std::size_t timestamped = 0;
  for (const Preset& p : presets()) {
    EXPECT_EQ(signs_timestamp(p), p.default_tolerance > 0s) << p.name << ": " << p.default_tolerance.count();
    if (signs_timestamp(p)) ++timestamped;
    const std::string text = describe(p).tolerance;
    if (!p.tolerance_documented) {
      EXPECT_EQ(p.default_tolerance, kDefaultTolerance) << p.name;
      EXPECT_EQ(text, "5m (hookgate default)") << p.name;
    } else {
      EXPECT_EQ(text.find("hookgate"), std::string::npos) << p.name;
    }
  }
  EXPECT_GE(timestamped, 18u) << "the catalogue has lost its timestamped presets";
}

TEST(PresetTolerance, VendorsWithoutADocumentedWindowAreMarked) {
  for (const char* name : {"zoom", "discord", "sendgrid", "zendesk", "mailgun"}) {
    const Preset* p = find_preset(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_FALSE(p->tolerance_documented) << name;
    EXPECT_EQ(p->default_tolerance, kDefaultTolerance) << name;
  }
  EXPECT_EQ(find_preset("twitch")->default_tolerance, 600s);   // Twitch's 10 minutes
  EXPECT_EQ(find_preset("calendly")->default_tolerance, 180s); // Calendly's 3 minutes
  EXPECT_EQ(find_preset("paddle")->default_tolerance, 5s);     // Paddle's SDKs
  EXPECT_EQ(find_preset("linear")->default_tolerance, 60s);    // Linear's SDK
}

// A request signed by preset `name` at kSignedAt with `spec`.
struct Signed {
  std::shared_ptr<const Verifier> verifier;
  OwnedRequest request;
};

Signed sign_at(const Preset& p, VerifySpec spec) {
  Signed out;
  out.verifier = build_ok(spec);
  if (!out.verifier) return out;
  if (p.scheme == Scheme::learned_hmac) EXPECT_TRUE(out.verifier->learned_secret()->set("learned"));
  // Linear's (ms) and Fly.io's (s) timestamps are the body's own, so the body is written for
  // kSignedAt.
  const std::string body = testing::sample_body(
      p, R"({"id":"evt_1","type":"t","webhookTimestamp":1700000000000,"timestamp":1700000000,"é":"ü"})");
  const std::string url = "https://hooks.example.com/in/" + p.name;
  SignedHeaders headers;
  EXPECT_TRUE(out.verifier->sign(
      SignInput{.body = body, .now = at_unix(kSignedAt), .id = "msg_1", .url = url}, headers))
      << p.name;
  out.request.public_url = url;
  out.request.with_body(headers.body.value_or(body)).with(headers);
  return out;
}

TEST(PresetTolerance, DefaultWindowIsCheckedInBothDirections) {
  std::size_t checked = 0;
  for (const Preset& p : presets()) {
    if (!signs_timestamp(p) || !describe(p).can_sign) continue;
    ++checked;
    const Signed s = sign_at(p, testing::sample_spec(p.name));
    ASSERT_NE(s.verifier, nullptr) << p.name;
    const std::int64_t window = p.default_tolerance.count();
    const Request r = s.request.view();
    EXPECT_EQ(s.verifier->verify(r, at_unix(kSignedAt + window)), Verdict::ok) << p.name;
    EXPECT_EQ(s.verifier->verify(r, at_unix(kSignedAt - window)), Verdict::ok) << p.name;
    EXPECT_EQ(s.verifier->verify(r, at_unix(kSignedAt + window + 1)), Verdict::timestamp_too_old) << p.name;
    EXPECT_EQ(s.verifier->verify(r, at_unix(kSignedAt - window - 1)), Verdict::timestamp_in_future) << p.name;
  }
  EXPECT_GE(checked, 15u) << checked;
}

TEST(PresetTolerance, ConfiguredToleranceReplacesTheDefaultAndZeroTurnsTheCheckOff) {
  for (const Preset& p : presets()) {
    if (!signs_timestamp(p) || !describe(p).can_sign) continue;
    VerifySpec narrow = testing::sample_spec(p.name);
    narrow.tolerance = 2s;
    const Signed s = sign_at(p, narrow);
    ASSERT_NE(s.verifier, nullptr) << p.name;
    EXPECT_EQ(s.verifier->verify(s.request.view(), at_unix(kSignedAt + 2)), Verdict::ok) << p.name;
    EXPECT_EQ(s.verifier->verify(s.request.view(), at_unix(kSignedAt + 3)), Verdict::timestamp_too_old) << p.name;
    EXPECT_EQ(s.verifier->verify(s.request.view(), at_unix(kSignedAt - 3)), Verdict::timestamp_in_future) << p.name;

    VerifySpec wide = testing::sample_spec(p.name);
    wide.tolerance = 24h;
    const Signed w = sign_at(p, wide);
    EXPECT_EQ(w.verifier->verify(w.request.view(), at_unix(kSignedAt + 86400)), Verdict::ok) << p.name;
    EXPECT_EQ(w.verifier->verify(w.request.view(), at_unix(kSignedAt + 86401)), Verdict::timestamp_too_old) << p.name;

    VerifySpec off = testing::sample_spec(p.name);
    off.tolerance = 0s;
    const Signed o = sign_at(p, off);
    EXPECT_EQ(o.verifier->verify(o.request.view(), at_unix(kSignedAt + 10 * 365 * 86400)), Verdict::ok) << p.name;
    EXPECT_EQ(o.verifier->verify(o.request.view(), at_unix(0)), Verdict::ok) << p.name;
  }
}

}  // namespace
}  // namespace hookgate::verify
