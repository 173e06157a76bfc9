// Presets against test vectors: the ones vendors publish (in their docs or SDK tests: Slack, Twilio, Svix
// v1/v1a, Adyen, Zendesk) and, for vendors that publish none, values computed by the vendor's
// own SDK (HubSpot, Square) or by node:crypto following the vendor's docs (noted per test).
#include <gtest/gtest.h>

#include "test_request.h"
#include "verify/body_signed_schemes.h"
#include "verify/event_fields.h"
#include "verify/twilio_scheme.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using testing::at_unix;
using testing::build_ok;
using testing::generic;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

Verdict check(const Verifier& v, const OwnedRequest& r, std::int64_t now) {
  return v.verify(r.view(), at_unix(now));
}

// ---- Slack (published: https://api.slack.com/authentication/verifying-requests-from-slack) ----

constexpr const char* kSlackBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
    "channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
    "response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F"
    "96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
constexpr const char* kSlackSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

TEST(SlackVector, PublishedVectorVerifiesAndSignReproducesIt) {
  auto v = build_ok(preset("slack", {"8f742231b10e8888abcd99yyyzzz85a5"}));
  OwnedRequest r;
  r.with_body(kSlackBody).with("X-Slack-Request-Timestamp", "1531420618").with("X-Slack-Signature", kSlackSignature);
  EXPECT_EQ(check(*v, r, 1531420618), Verdict::ok);
  EXPECT_EQ(check(*v, r, 1531420618 + 300), Verdict::ok);
  EXPECT_EQ(check(*v, r, 1531420618 + 301), Verdict::timestamp_too_old);
  EXPECT_EQ(check(*v, r, 1531420618 - 301), Verdict::timestamp_in_future);
  r.body += "x";
  EXPECT_EQ(check(*v, r, 1531420618), Verdict::bad_signature);

  SignedHeaders out;
  ASSERT_TRUE(v->sign(kSlackBody, at_unix(1531420618), "", out));
  EXPECT_EQ(header_of(out, "X-Slack-Signature"), kSlackSignature);
  EXPECT_EQ(header_of(out, "X-Slack-Request-Timestamp"), "1531420618");
}

// ---- Twilio (published: https://www.twilio.com/docs/usage/webhooks/webhooks-security, and twilio SDK tests) ----

constexpr const char* kTwilioUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr const char* kTwilioForm =
    "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";

OwnedRequest twilio_request(std::string url, std::string body, std::string signature) {
  OwnedRequest r;
  r.public_url = std::move(url);
  r.with_body(std::move(body)).with("X-Twilio-Signature", std::move(signature));
  return r;
}

TEST(TwilioVector, PublishedFormVector) {
  auto v = build_ok(preset("twilio", {"12345"}));
  EXPECT_EQ(check(*v, twilio_request(kTwilioUrl, kTwilioForm, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), 0), Verdict::ok);
  // Parameter order in the body does not matter: they are sorted.
  EXPECT_EQ(check(*v, twilio_request(kTwilioUrl,
                                     "To=%2B18005551212&From=%2B12349013030&Digits=1234&Caller=%2B12349013030&"
                                     "CallSid=CA1234567890ABCDE",
                                     "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
                  0),
            Verdict::ok);
  EXPECT_EQ(check(*v, twilio_request(kTwilioUrl, std::string(kTwilioForm) + "&Extra=1", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), 0),
            Verdict::bad_signature);
  EXPECT_EQ(check(*v, twilio_request("https://mycompany.com/myapp.php?foo=1&bar=3", kTwilioForm,
                                     "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
                  0),
            Verdict::bad_signature);
  SignedHeaders out;
  ASSERT_TRUE(v->sign(SignInput{.body = kTwilioForm, .now = at_unix(0), .id = "", .url = kTwilioUrl}, out));
  EXPECT_EQ(header_of(out, "X-Twilio-Signature"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(TwilioVector, WithAndWithoutTheDefaultPort) {
  auto v = build_ok(preset("twilio", {"12345"}));
  // Twilio may have signed the URL with :443 while the configured one has none, and back.
  EXPECT_EQ(check(*v, twilio_request("https://mycompany.com:443/myapp.php?foo=1&bar=2", kTwilioForm,
                                     "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
                  0),
            Verdict::ok);
  SignedHeaders with_port;
  ASSERT_TRUE(v->sign(SignInput{.body = kTwilioForm, .now = at_unix(0), .id = "",
                                .url = "https://mycompany.com:443/myapp.php?foo=1&bar=2"},
                      with_port));
  EXPECT_NE(header_of(with_port, "X-Twilio-Signature"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_EQ(check(*v, twilio_request(kTwilioUrl, kTwilioForm, header_of(with_port, "X-Twilio-Signature")), 0),
            Verdict::ok);
  EXPECT_EQ(TwilioScheme::url_variants("http://h.example/p"),
            (std::vector<std::string>{"http://h.example/p", "http://h.example:80/p"}));
  EXPECT_EQ(TwilioScheme::url_variants("https://u:p@h.example:8443/p?q"),
            (std::vector<std::string>{"https://u:p@h.example/p?q", "https://u:p@h.example:8443/p?q"}));
}

TEST(TwilioVector, PublishedJsonBodySha256Vector) {
  auto v = build_ok(preset("twilio", {"12345"}));
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string url = std::string(kTwilioUrl) +
                          "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  EXPECT_EQ(check(*v, twilio_request(url, body, "a9nBmqA0ju/hNViExpshrM61xv4="), 0), Verdict::ok);
  // The URL signature is good but the body is not the one hashed.
  EXPECT_EQ(check(*v, twilio_request(url, R"({"property": "other", "boolean": true})", "a9nBmqA0ju/hNViExpshrM61xv4="), 0),
            Verdict::bad_body_hash);
  SignedHeaders out;
  ASSERT_TRUE(v->sign(SignInput{.body = body, .now = at_unix(0), .id = "", .url = url}, out));
  EXPECT_EQ(header_of(out, "X-Twilio-Signature"), "a9nBmqA0ju/hNViExpshrM61xv4=");
}

TEST(TwilioVector, RepeatedParametersAndMalformedHeaders) {
  EXPECT_EQ(TwilioScheme::signed_pieces("u", "b=2&a=1&b=1&b=2"),
            (std::vector<std::string>{"u", "a1", "b1", "b2"}));
  auto v = build_ok(preset("twilio", {"12345"}));
  OwnedRequest none;
  none.public_url = kTwilioUrl;
  EXPECT_EQ(check(*v, none, 0), Verdict::missing_signature);
  EXPECT_EQ(check(*v, twilio_request(kTwilioUrl, kTwilioForm, "not base64"), 0), Verdict::malformed_signature);
  OwnedRequest twice = twilio_request(kTwilioUrl, kTwilioForm, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  twice.with("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_EQ(check(*v, twice, 0), Verdict::malformed_signature);
  EXPECT_EQ(extract_field(v->event_id_field(),
                          twilio_request(kTwilioUrl, "", "x").with("I-Twilio-Idempotency-Token", "tok-1").view()),
            "tok-1");
}

// ---- Standard Webhooks v1a (published: svix-server tests, and the example header of https://github.com/standard-webhooks/standard-webhooks) ----

constexpr const char* kSvixId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr const char* kSvixBody = R"({"test": 2432232314})";
constexpr const char* kV1a =
    "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==";
constexpr const char* kV1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

OwnedRequest svix_request(const std::string& family, const std::string& signature) {
  OwnedRequest r;
  r.with_body(kSvixBody)
      .with(family + "-id", kSvixId)
      .with(family + "-timestamp", "1614265330")
      .with(family + "-signature", signature);
  return r;
}

TEST(StandardWebhooksV1a, PublishedEd25519Vector) {
  VerifySpec spec = preset("standard-webhooks", {});
  spec.public_key = testing::kEd25519Whpk;
  auto v = build_ok(spec);
  for (const char* family : {"webhook", "svix"}) {
    EXPECT_EQ(check(*v, svix_request(family, kV1a), 1614265330), Verdict::ok) << family;
    OwnedRequest tampered = svix_request(family, kV1a);
    tampered.body = R"({"test": 2432232315})";
    EXPECT_EQ(check(*v, tampered, 1614265330), Verdict::bad_signature);
  }
  EXPECT_EQ(check(*v, svix_request("webhook", kV1a), 1614265330 + 301), Verdict::timestamp_too_old);
  // With only a public key, a v1 entry is not a candidate.
  EXPECT_EQ(check(*v, svix_request("webhook", kV1), 1614265330), Verdict::malformed_signature);
  // hookgate holds no private key: it cannot sign v1a.
  SignedHeaders out;
  EXPECT_FALSE(v->sign(kSvixBody, at_unix(1614265330), kSvixId, out));
}

TEST(StandardWebhooksV1a, SecretsAndPublicKeyTogetherAcceptEitherEntry) {
  VerifySpec spec = preset("standard-webhooks", {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"});
  spec.public_key = testing::kEd25519Whpk;
  auto v = build_ok(spec);
  EXPECT_EQ(check(*v, svix_request("webhook", kV1a), 1614265330), Verdict::ok);
  EXPECT_EQ(check(*v, svix_request("webhook", kV1), 1614265330), Verdict::ok);
  EXPECT_EQ(check(*v, svix_request("webhook", std::string(kV1) + " " + kV1a), 1614265330), Verdict::ok);
  const std::string bad_v1 = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  EXPECT_EQ(check(*v, svix_request("webhook", bad_v1), 1614265330), Verdict::bad_signature);
  // sign() writes v1 with the secret.
  SignedHeaders out;
  ASSERT_TRUE(v->sign(kSvixBody, at_unix(1614265330), kSvixId, out));
  EXPECT_EQ(header_of(out, "webhook-signature"), kV1);
}

TEST(StandardWebhooksV1a, PublicKeyForms) {
  // whpk_, raw base64, hex and PEM SPKI of the same key all verify the vector.
  for (const char* key :
       {"whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=", "1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=",
        "d52880e28f61caa4c2a48a82e55f4751a92289a78009ea9f6532270c16ce8abe",
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=\n-----END PUBLIC KEY-----\n"}) {
    VerifySpec spec = preset("standard-webhooks", {});
    spec.public_key = key;
    auto v = build_ok(spec);
    ASSERT_NE(v, nullptr) << key;
    EXPECT_EQ(check(*v, svix_request("webhook", kV1a), 1614265330), Verdict::ok) << key;
  }
}

// ---- Adyen (published: Adyen SDK tests; https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures) ----

constexpr const char* kAdyenKey = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";

std::string adyen_notification(const std::string& item_fields, const std::string& signature) {
  return R"({"live":"false","notificationItems":[{"NotificationRequestItem":{)" + item_fields +
         R"(,"additionalData":{"hmacSignature":")" + signature + R"("}}}]})";
}

TEST(AdyenVector, PublishedSigningStringsAndSignatures) {
  const std::string item1 =
      R"("pspReference":"pspReference","originalReference":"originalReference","merchantAccountCode":"merchantAccount",)"
      R"("merchantReference":"reference","amount":{"value":1000,"currency":"EUR"},"eventCode":"EVENT","success":"true")";
  const std::string item2 =
      R"("pspReference":"7914073381342284","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704",)"
      R"("amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true")";
  EXPECT_EQ(AdyenNotificationScheme::signing_string("{" + item1 + "}"),
            "pspReference:originalReference:merchantAccount:reference:1000:EUR:EVENT:true");
  EXPECT_EQ(AdyenNotificationScheme::signing_string("{" + item2 + "}"),
            "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true");

  auto v = build_ok(preset("adyen", {kAdyenKey}));
  OwnedRequest r1;
  r1.with_body(adyen_notification(item1, "ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="));
  EXPECT_EQ(check(*v, r1, 0), Verdict::ok);
  OwnedRequest r2;
  r2.with_body(adyen_notification(item2, "Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I="));
  EXPECT_EQ(check(*v, r2, 0), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_id_field(), r2.view()), "7914073381342284:AUTHORISATION");
  EXPECT_EQ(extract_field(v->event_type_field(), r2.view()), "AUTHORISATION");
  EXPECT_EQ(v->success_body(), "[accepted]");

  OwnedRequest swapped;
  swapped.with_body(adyen_notification(item2, "ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="));
  EXPECT_EQ(check(*v, swapped, 0), Verdict::bad_signature);
  OwnedRequest unsigned_item;
  unsigned_item.with_body(R"({"notificationItems":[{"NotificationRequestItem":{"pspReference":"1"}}]})");
  EXPECT_EQ(check(*v, unsigned_item, 0), Verdict::missing_signature);
  OwnedRequest not_json;
  not_json.with_body("pspReference=1");
  EXPECT_EQ(check(*v, not_json, 0), Verdict::missing_signature);

  // sign() writes each item's hmacSignature into the body.
  const std::string unsigned_body = R"({"live":"false","notificationItems":[{"NotificationRequestItem":{)" + item2 + "}}]}";
  SignedHeaders out;
  ASSERT_TRUE(v->sign(unsigned_body, at_unix(0), "", out));
  ASSERT_TRUE(out.body);
  EXPECT_NE(out.body->find(R"("additionalData":{"hmacSignature":"Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I="})"),
            std::string::npos)
      << *out.body;
  OwnedRequest signed_request;
  signed_request.with_body(*out.body);
  EXPECT_EQ(check(*v, signed_request, 0), Verdict::ok);
}

TEST(AdyenVector, BalancePlatformHeaderHmacWithHexKey) {
  // node:crypto: base64 HMAC-SHA256(hex-decoded key, body), as @adyen/api-library validates it.
  auto v = build_ok(preset("adyen-hmac", {kAdyenKey}));
  OwnedRequest r;
  r.with_body(R"({"type":"balancePlatform.accountHolder.created"})")
      .with("HmacSignature", "6qW7bjMAqE5uCnh2H6xqK7YoPsA1ic0/9fSDbwhb/Yg=");
  EXPECT_EQ(check(*v, r, 0), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "balancePlatform.accountHolder.created");
}

// ---- Zendesk (published example: https://developer.zendesk.com/documentation/webhooks/verifying/;
//      the legacy page and the current one disagree on the order: both are checked below) ----

TEST(ZendeskVector, PublishedExampleIsBodyThenTimestampTheCurrentPageTimestampThenBody) {
  const char* secret = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=";
  OwnedRequest r;
  r.with_body(R"({"say": "hello"})").with("X-Zendesk-Webhook-Signature-Timestamp", "2021-07-25T10:00:00Z");
  // The legacy page's worked example: an hmac block with {body}{timestamp}.
  HmacSpec legacy{.envelope = {.header = "X-Zendesk-Webhook-Signature",
                               .encoding = Encoding::base64,
                               .signed_template = "{body}{timestamp}",
                               .timestamp = testing::header_timestamp("X-Zendesk-Webhook-Signature-Timestamp",
                                                                      TimestampFormat::rfc3339)}};
  VerifySpec legacy_spec = generic(legacy, {secret});
  legacy_spec.tolerance = 0s;
  auto legacy_v = build_ok(legacy_spec);
  OwnedRequest legacy_r = r;
  legacy_r.with("X-Zendesk-Webhook-Signature", "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=");
  EXPECT_EQ(check(*legacy_v, legacy_r, 1627207200), Verdict::ok);
  // The preset follows the current page (timestamp + body).
  auto v = build_ok(preset("zendesk", {secret}));
  OwnedRequest current = r;
  current.with("X-Zendesk-Webhook-Signature", "Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk=");
  EXPECT_EQ(check(*v, current, 1627207200), Verdict::ok);
  EXPECT_EQ(check(*v, legacy_r, 1627207200), Verdict::bad_signature);
}

// ---- HubSpot (values computed by @hubspot/api-client 13.5.0 Signature.getSignature) ----

constexpr const char* kHubspotBody = R"([{"eventId":1,"subscriptionType":"contact.creation"}])";

TEST(HubspotVector, V3SdkValueAndToleranceInMilliseconds) {
  auto v = build_ok(preset("hubspot", {"hs-secret"}));
  OwnedRequest r;
  r.public_url = "https://hooks.example.com/in/hubspot?x=1";
  r.with_body(kHubspotBody)
      .with("X-HubSpot-Request-Timestamp", "1700000000123")
      .with("X-HubSpot-Signature-v3", "KIJc12jKCfIT2qCIf0tMukBkBG8eB1Swu53L0VHdotY=");
  const TimePoint signed_at = TimePoint{std::chrono::milliseconds{1700000000123}};
  EXPECT_EQ(v->verify(r.view(), signed_at), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), signed_at + 300s), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), signed_at + 300001ms), Verdict::timestamp_too_old);
  EXPECT_EQ(v->verify(r.view(), signed_at - 300001ms), Verdict::timestamp_in_future);
  r.method = "PUT";
  EXPECT_EQ(v->verify(r.view(), signed_at), Verdict::bad_signature);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "contact.creation");
  EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "1");

  SignedHeaders out;
  ASSERT_TRUE(v->sign(SignInput{.body = kHubspotBody, .now = signed_at, .id = "",
                                .url = "https://hooks.example.com/in/hubspot?x=1"},
                      out));
  EXPECT_EQ(header_of(out, "X-HubSpot-Signature-v3"), "KIJc12jKCfIT2qCIf0tMukBkBG8eB1Swu53L0VHdotY=");
}

TEST(HubspotVector, V3DecodesTheListedPercentEncodings) {
  auto v = build_ok(preset("hubspot", {"hs-secret"}));
  OwnedRequest r;
  // HubSpot signs "…?email=a@b.c" even when the request line carries a%40b.c.
  r.public_url = "https://hooks.example.com/in/hubspot?email=a%40b.c";
  r.with_body(kHubspotBody)
      .with("X-HubSpot-Request-Timestamp", "1700000000123")
      .with("X-HubSpot-Signature-v3", "AzFQKSjUqDp0DpjNL9/AphkqAHealnnUMQeiFefa4lQ=");
  EXPECT_EQ(v->verify(r.view(), TimePoint{std::chrono::milliseconds{1700000000123}}), Verdict::ok);
}

// HubSpot's SDKs sign the URL their caller passes, undecoded (Signature.getSignature(…, {url}));
// a sender doing the same is accepted too. Another URL is not. MACs from node:crypto:
// base64 HMAC-SHA256('hs-secret', 'POST' + url + body + '1700000000123').
TEST(HubspotVector, V3AlsoAcceptsTheUrlAsReceived) {
  auto v = build_ok(preset("hubspot", {"hs-secret"}));
  const TimePoint at = TimePoint{std::chrono::milliseconds{1700000000123}};
  const auto request_with = [](const std::string& mac) {
    OwnedRequest r;
    r.public_url = "https://hooks.example.com/in/hubspot?email=a%40b.c&n=%28x%29";
    r.with_body(kHubspotBody).with("X-HubSpot-Request-Timestamp", "1700000000123").with("X-HubSpot-Signature-v3", mac);
    return r;
  };
  // Signed over the URL as received …%40…%28x%29.
  EXPECT_EQ(v->verify(request_with("/tJ1TCCc8YaY/X3wrwubgpyhP2dk/nA0FLtFr3Pxh2Y=").view(), at), Verdict::ok);
  // Signed over it decoded as HubSpot's docs list: …a@b.c&n=(x).
  EXPECT_EQ(v->verify(request_with("vCSqwI50Mu8YGy6ictgauW/7Vo/BSWGKnaQDMb8oaqk=").view(), at), Verdict::ok);
  // Signed over another URL (…b%40b.c…).
  EXPECT_EQ(v->verify(request_with("c7MDNp4qNsrtsljl1G4mCk0fYHOhcYcAS7HgReW17mA=").view(), at), Verdict::bad_signature);
  // A stale request is refused for its age, whichever URL it was signed over.
  EXPECT_EQ(v->verify(request_with("/tJ1TCCc8YaY/X3wrwubgpyhP2dk/nA0FLtFr3Pxh2Y=").view(), at + 301s),
            Verdict::timestamp_too_old);
}

TEST(HubspotVector, V1AndV2SdkValues) {
  auto v1 = build_ok(preset("hubspot-v1", {"hs-secret"}));
  auto v2 = build_ok(preset("hubspot-v2", {"hs-secret"}));
  OwnedRequest r;
  r.public_url = "https://hooks.example.com/in/hubspot?x=1";
  r.with_body(kHubspotBody)
      .with("X-HubSpot-Signature-Version", "v1")
      .with("X-HubSpot-Signature", "957fded2d7f03d0101adbbf0b234b8f270f9e5e03da7341f5550b1834233c4cb");
  EXPECT_EQ(check(*v1, r, 0), Verdict::ok);
  EXPECT_EQ(check(*v2, r, 0), Verdict::malformed_signature);  // the version header says v1

  OwnedRequest r2;
  r2.public_url = "https://hooks.example.com/in/hubspot?x=1";
  r2.with_body(kHubspotBody)
      .with("X-HubSpot-Signature-Version", "v2")
      .with("X-HubSpot-Signature", "85ae362299103423d61945303282ac0b890e5bc6af899c08a9cb759785e2545a");
  EXPECT_EQ(check(*v2, r2, 0), Verdict::ok);
  r2.public_url = "https://hooks.example.com/in/hubspot?x=2";
  EXPECT_EQ(check(*v2, r2, 0), Verdict::bad_signature);

  SignedHeaders out;
  ASSERT_TRUE(v1->sign(kHubspotBody, at_unix(0), "", out));
  EXPECT_EQ(header_of(out, "X-HubSpot-Signature"), "957fded2d7f03d0101adbbf0b234b8f270f9e5e03da7341f5550b1834233c4cb");
  ASSERT_TRUE(v2->sign(SignInput{.body = kHubspotBody, .now = at_unix(0), .id = "",
                                 .url = "https://hooks.example.com/in/hubspot?x=1"},
                       out));
  EXPECT_EQ(header_of(out, "X-HubSpot-Signature"), "85ae362299103423d61945303282ac0b890e5bc6af899c08a9cb759785e2545a");
  EXPECT_FALSE(v2->sign(kHubspotBody, at_unix(0), "", out)) << "v2 signs the URL: no URL, no signature";
}

// ---- Square (value checked by square 46.0.0 WebhooksHelper.verifySignature) ----

TEST(SquareVector, UrlIsInTheSignedBytes) {
  auto v = build_ok(preset("square", {"sq-key"}));
  const std::string body = R"({"merchant_id":"M1","type":"payment.created","event_id":"e1"})";
  OwnedRequest r;
  r.public_url = "https://hooks.example.com/in/square";
  r.with_body(body).with("x-square-hmacsha256-signature", "T7yarfxzJsA3W7UUC6Iueb8yWihBew2PB+xoRPjdG5w=");
  EXPECT_EQ(check(*v, r, 0), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "e1");
  r.public_url = "https://hooks.example.com/in/square?x=1";
  EXPECT_EQ(check(*v, r, 0), Verdict::bad_signature);
  EXPECT_TRUE(v->signs_url());
}

// ---- Vendors without published vectors: node:crypto per their docs ----

struct BodyVector {
  const char* provider;
  const char* secret;
  const char* body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::int64_t now;
};

TEST(DocumentedSchemes, NodeCryptoValuesVerify) {
  const std::vector<BodyVector> vectors = {
      {"twitch", "twitch-secret-123", R"({"subscription":{"type":"channel.follow"}})",
       {{"Twitch-Eventsub-Message-Id", "msg-1"},
        {"Twitch-Eventsub-Message-Timestamp", "2023-11-14T22:13:20.123456789Z"},
        {"Twitch-Eventsub-Message-Signature", "sha256=709817206625feabcfd0afeb75e92565a9085e10a21c712fdac9d06479485af6"}},
       1700000000},
      {"paddle", "pdl_ntfset_01abc_secret", R"({"event_id":"evt_1","event_type":"custom.x","data":{}})",
       {{"Paddle-Signature", "ts=1700000000;h1=d04a9568ee61bdb7124b2a12c0840064221e103fd6decc87266e89986d5941ca"}},
       1700000003},
      {"linear", "lin-secret", R"({"type":"Issue","action":"create","webhookTimestamp":1700000000000})",
       {{"Linear-Signature", "8bc741ab04bb3ede9ae0e1c1eab0abbbc17307625a9abde97e6987a78a787b75"}}, 1700000030},
      {"typeform", "tf-secret", R"({"event_id":"01","event_type":"form_response"})",
       {{"Typeform-Signature", "sha256=2bm6nQq7wa+Gq3Flzkd4F0hOzhtRZRRhHg0Txp3YqNE="}}, 0},
      {"zoom", "zoom-secret",
       R"({"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1700000000000})",
       {{"x-zm-request-timestamp", "1700000000"},
        {"x-zm-signature", "v0=27389d9bf99eeb74149568b7c96593531eaaf5c682aeb96417bd672eedf7b3bf"}},
       1700000000},
      {"asana", "asana-secret", R"({"events":[{"action":"changed"}]})",
       {{"X-Hook-Signature", "5e602c9dd09fc0ff0b10b18ebf9850143ff59003f03d2a90a968dd2e0e6f5047"}}, 0},
  };
  for (const BodyVector& vector : vectors) {
    auto v = build_ok(preset(vector.provider, {vector.secret}));
    OwnedRequest r;
    r.with_body(vector.body);
    for (const auto& [name, value] : vector.headers) r.with(name, value);
    EXPECT_EQ(check(*v, r, vector.now), Verdict::ok) << vector.provider;
    r.body += " ";
    EXPECT_EQ(check(*v, r, vector.now), Verdict::bad_signature) << vector.provider;
  }
}

TEST(DocumentedSchemes, PaddleWindowIsFiveSecondsAndLinearReadsTheBodyTimestamp) {
  auto paddle = build_ok(preset("paddle", {"pdl_ntfset_01abc_secret"}));
  OwnedRequest p;
  p.with_body(R"({"event_id":"evt_1","event_type":"custom.x","data":{}})")
      .with("Paddle-Signature", "ts=1700000000;h1=d04a9568ee61bdb7124b2a12c0840064221e103fd6decc87266e89986d5941ca");
  EXPECT_EQ(check(*paddle, p, 1700000005), Verdict::ok);
  EXPECT_EQ(check(*paddle, p, 1700000006), Verdict::timestamp_too_old);
  // Several h1 entries: any may match (the SDK keeps only the last; the docs allow several).
  p.headers.back().second = "ts=1700000000;h1=" + std::string(64, 'a') +
                            ";h1=d04a9568ee61bdb7124b2a12c0840064221e103fd6decc87266e89986d5941ca";
  EXPECT_EQ(check(*paddle, p, 1700000000), Verdict::ok);

  auto linear = build_ok(preset("linear", {"lin-secret"}));
  OwnedRequest l;
  l.with_body(R"({"type":"Issue","action":"create","webhookTimestamp":1700000000000})")
      .with("Linear-Signature", "8bc741ab04bb3ede9ae0e1c1eab0abbbc17307625a9abde97e6987a78a787b75");
  EXPECT_EQ(check(*linear, l, 1700000060), Verdict::ok);
  EXPECT_EQ(check(*linear, l, 1700000061), Verdict::timestamp_too_old);
  EXPECT_EQ(check(*linear, l, 1699999939), Verdict::timestamp_in_future);
  OwnedRequest no_ts;
  no_ts.with_body(R"({"type":"Issue"})").with("Linear-Signature", std::string(64, 'a'));
  EXPECT_EQ(check(*linear, no_ts, 1700000000), Verdict::missing_timestamp);
  // sign() signs the body as given; its webhookTimestamp is the body's own.
  SignedHeaders out;
  ASSERT_TRUE(linear->sign(l.body, at_unix(0), "", out));
  EXPECT_EQ(header_of(out, "Linear-Signature"), "8bc741ab04bb3ede9ae0e1c1eab0abbbc17307625a9abde97e6987a78a787b75");
}

// ---- Mailgun (node:crypto per Mailgun's docs) ----

constexpr const char* kMailgunToken = "0123456789abcdef0123456789abcdef0123456789abcdef01";
constexpr const char* kMailgunSig = "9a9b67ee45dfcf3d27a6264585166f97159ca29f367ca090f483239d72d9a0d8";

TEST(MailgunVector, JsonAndFormBodies) {
  auto v = build_ok(preset("mailgun", {"mailgun-key"}));
  OwnedRequest json;
  json.with_body(std::string(R"({"signature":{"timestamp":"1700000000","token":")") + kMailgunToken +
                 R"(","signature":")" + kMailgunSig + R"("},"event-data":{"id":"ev1","event":"delivered"}})");
  EXPECT_EQ(check(*v, json, 1700000000), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_id_field(), json.view()), kMailgunToken);
  EXPECT_EQ(extract_field(v->event_type_field(), json.view()), "delivered");

  OwnedRequest form;
  form.with_body(std::string("timestamp=1700000000&token=") + kMailgunToken + "&signature=" + kMailgunSig +
                 "&event=delivered");
  EXPECT_EQ(check(*v, form, 1700000000), Verdict::ok);

  OwnedRequest wrong_token = json;
  wrong_token.body.replace(wrong_token.body.find(kMailgunToken), 2, "ff");
  EXPECT_EQ(check(*v, wrong_token, 1700000000), Verdict::bad_signature);
  OwnedRequest none;
  none.with_body(R"({"event-data":{}})");
  EXPECT_EQ(check(*v, none, 0), Verdict::missing_signature);

  VerifySpec tight = preset("mailgun", {"mailgun-key"});
  tight.tolerance = 60s;
  auto tv = build_ok(tight);
  EXPECT_EQ(check(*tv, json, 1700000061), Verdict::timestamp_too_old);

  // sign() writes the signature block into the body, the id as the token.
  SignedHeaders out;
  ASSERT_TRUE(v->sign(R"({"event-data":{"event":"opened"}})", at_unix(1700000000), kMailgunToken, out));
  ASSERT_TRUE(out.body);
  EXPECT_EQ(*out.body, std::string(R"({"signature":{"token":")") + kMailgunToken +
                           R"(","timestamp":"1700000000","signature":")" + kMailgunSig +
                           R"("},"event-data":{"event":"opened"}})");
}

}  // namespace
}  // namespace hookgate::verify
