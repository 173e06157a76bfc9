// Generic `hmac:` schemes: algorithms, encodings, separators, timestamp formats and template
// variables beyond the presets. Expected values computed independently (Python hmac).
#include <gtest/gtest.h>

#include "test_request.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using testing::at_unix;
using testing::build_ok;
using testing::generic;
using testing::header_of;
using testing::OwnedRequest;

// Sign with the verifier, then verify the result: the two directions must agree.
void expect_round_trip(const Verifier& v, const std::string& body, TimePoint now,
                       const std::string& id) {
  SignedHeaders out;
  ASSERT_TRUE(v.sign(body, now, id, out));
  OwnedRequest r;
  r.with_body(body).with(out);
  EXPECT_EQ(v.verify(r.view(), now), Verdict::ok);
  r.body += " ";
  EXPECT_EQ(v.verify(r.view(), now), Verdict::bad_signature);
}

TEST(GenericHmac, Sha1HexWithoutPrefix) {
  // Vercel-style: x-vercel-signature = hex(HMAC-SHA1(secret, body)).
  HmacSpec spec{.envelope = {.header = "x-vercel-signature"}, .algorithm = Algorithm::sha1};
  auto v = build_ok(generic(spec, {"vercel-secret"}));
  OwnedRequest r;
  r.with_body(R"({"type":"deployment"})")
      .with("x-vercel-signature", "48f143acf0d2eb827393f160707a5f11516b9ae8");
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  SignedHeaders out;
  ASSERT_TRUE(v->sign(R"({"type":"deployment"})", at_unix(1700000000), "", out));
  EXPECT_EQ(header_of(out, "x-vercel-signature"), "48f143acf0d2eb827393f160707a5f11516b9ae8");
  expect_round_trip(*v, "payload", at_unix(1700000000), "");
}

TEST(GenericHmac, Sha512Base64WithMethodAndUrl) {
  HmacSpec spec{.envelope = {.header = "X-Signature",
                             .encoding = Encoding::base64,
                             .prefix = "sha512=",
                             .signed_template = "{method} {url}\n{body}"},
                .algorithm = Algorithm::sha512};
  auto v = build_ok(generic(spec, {"k512"}));
  OwnedRequest r;
  r.public_url = "https://hooks.example.com/in/x?a=1";
  r.with_body(R"({"a":1})")
      .with("X-Signature",
            "sha512=JXz/0pbx2tfUPej4Bk99vei0rw45/pyxzJmxIC4zk2GG5cko6VWkViF0oRaOEWW0IP/"
            "KKJ12I7kfr4LvCaaexA==");
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::ok);
  r.public_url = "https://hooks.example.com/in/x?a=2";
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::bad_signature);
  r.public_url = "https://hooks.example.com/in/x?a=1";
  r.method = "PUT";
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::bad_signature);
}

TEST(GenericHmac, SignRefusesTemplatesThatSignTheUrl) {
  HmacSpec spec{.envelope = {.header = "X-Signature", .signed_template = "{url}{body}"}};
  auto v = build_ok(generic(spec, {"k"}));
  SignedHeaders out;
  EXPECT_FALSE(v->sign("b", at_unix(0), "", out));
}

TEST(GenericHmac, SemicolonListWithTimestampKey) {
  // Paddle-style: Paddle-Signature: ts=<s>;h1=<hex of HMAC(secret, ts:body)>.
  HmacSpec spec{.envelope = {.header = "Paddle-Signature",
                             .prefix = "h1=",
                             .separator = ";",
                             .signed_template = "{timestamp}:{body}",
                             .timestamp = testing::keyed_timestamp("ts", TimestampFormat::unix_seconds)}};
  auto v = build_ok(generic(spec, {"pdl_ntfset_01abc_secret"}));
  const std::string body = R"({"event_type":"custom.x","data":{}})";
  const std::string good = "44db6cb3f3e42015f66483405a69f01f9ba8e3dce9deb9fba0d78b3f4ba5c027";
  OwnedRequest r;
  r.with_body(body).with("Paddle-Signature",
                         "ts=1671552777;h1=" + std::string(64, 'b') + ";h1=" + good);
  EXPECT_EQ(v->verify(r.view(), at_unix(1671552777)), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1671552777 + 301)),
            Verdict::timestamp_too_old);  // default 300 s

  SignedHeaders out;
  ASSERT_TRUE(v->sign(body, at_unix(1671552777), "", out));
  EXPECT_EQ(header_of(out, "Paddle-Signature"), "ts=1671552777;h1=" + good);
  expect_round_trip(*v, body, at_unix(1700000000), "");
}

TEST(GenericHmac, MillisecondTimestampHeader) {
  // HubSpot v3-like bytes: method + url + body + timestamp(ms), base64.
  HmacSpec spec{.envelope = {.header = "X-HubSpot-Signature-v3",
                             .encoding = Encoding::base64,
                             .signed_template = "{method}{url}{body}{timestamp}",
                             .timestamp = testing::header_timestamp("X-HubSpot-Request-Timestamp",
                                                                    TimestampFormat::unix_millis)}};
  auto v = build_ok(generic(spec, {"client-secret"}));
  OwnedRequest r;
  r.public_url = "https://example.com/hook";
  r.with_body(R"({"x":1})")
      .with("X-HubSpot-Request-Timestamp", "1700000000123")
      .with("X-HubSpot-Signature-v3", "EThCTcXlZiFzz13hfuRwJqmqetYSzLcT3JesPNLoRn0=");
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000) + 123ms), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000300) + 123ms), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000300) + 124ms), Verdict::timestamp_too_old);
  r.headers[0].second = "1700000000";  // seconds where ms are expected: a date in 1970
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::timestamp_too_old);
}

TEST(GenericHmac, Rfc3339TimestampIsSignedAsSent) {
  // Twitch-like: id + timestamp + body, "sha256=" hex, RFC 3339 with a fraction.
  HmacSpec spec{.envelope = {.header = "Twitch-Eventsub-Message-Signature",
                             .prefix = "sha256=",
                             .signed_template = "{id}{timestamp}{body}",
                             .timestamp = testing::header_timestamp("Twitch-Eventsub-Message-Timestamp",
                                                                    TimestampFormat::rfc3339),
                             .id_header = "Twitch-Eventsub-Message-Id"}};
  VerifySpec vs = generic(spec, {"twitch-secret"});
  vs.tolerance = 600s;
  auto v = build_ok(vs);
  OwnedRequest r;
  r.with_body(R"({"e":1})")
      .with("Twitch-Eventsub-Message-Id", "msg-123")
      .with("Twitch-Eventsub-Message-Timestamp", "2023-11-14T22:13:20.5Z")
      .with("Twitch-Eventsub-Message-Signature",
            "sha256=e3496c585ea4ec83dbffba3af4c6abd5c89b9afcffbb9680f39cd3d469a4afd9");
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000600) + 500ms), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000601)), Verdict::timestamp_too_old);
  r.headers[1].second = "2023-11-14T22:13:20.5";
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::malformed_timestamp);
  expect_round_trip(*v, R"({"e":2})", at_unix(1700000000), "msg-9");
}

TEST(GenericHmac, HexSecretAndBase64Signature) {
  // Adyen Balance Platform style: HmacSignature = base64(HMAC-SHA256(hex-decoded key, body)).
  HmacSpec spec{.envelope = {.header = "HmacSignature",
                             .encoding = Encoding::base64},
                .secret_encoding = SecretEncoding::hex};
  auto v = build_ok(generic(spec, {"00112233445566778899AABBCCDDEEFF"}));
  OwnedRequest r;
  r.with_body(R"({"a":"b"})").with("HmacSignature", "Ro5nKvmLwC3/DE9jcZNTAkueCrKn3hk+o8J5uDmSktc=");
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::ok);
}

TEST(GenericHmac, RoundTripsAcrossAlgorithmsEncodingsAndSeparators) {
  for (Algorithm algorithm : {Algorithm::sha1, Algorithm::sha256, Algorithm::sha512}) {
    for (Encoding encoding : {Encoding::hex, Encoding::base64}) {
      for (const char* separator : {"", ",", ";", " "}) {
        HmacSpec spec{.envelope = {.header = "X-Sig",
                                   .encoding = encoding,
                                   .prefix = "v1=",
                                   .separator = separator,
                                   .signed_template = "{id}.{timestamp}.{body}",
                                   .timestamp = testing::header_timestamp("X-Ts", TimestampFormat::unix_seconds),
                                   .id_header = "X-Id"},
                      .algorithm = algorithm,
                      .secret_encoding = SecretEncoding::base64};
        SCOPED_TRACE(std::string("separator '") + separator + "' encoding " +
                     std::to_string(static_cast<int>(encoding)) + " algorithm " +
                     std::to_string(static_cast<int>(algorithm)));
        auto v = build_ok(generic(spec, {"c2VjcmV0LWtleS1ieXRlcw=="}));
        ASSERT_NE(v, nullptr);
        expect_round_trip(*v, R"({"n":1})", at_unix(1700000000), "id-1");
      }
    }
  }
}

TEST(GenericHmac, SignatureKeyTimestampRoundTripsWithSpaceSeparator) {
  HmacSpec spec{.envelope = {.header = "X-Sig",
                             .encoding = Encoding::base64,
                             .prefix = "v1=",
                             .separator = " ",
                             .signed_template = "{timestamp}.{body}",
                             .timestamp = testing::keyed_timestamp("t", TimestampFormat::unix_millis)},
                .algorithm = Algorithm::sha512};
  auto v = build_ok(generic(spec, {"k"}));
  SignedHeaders out;
  ASSERT_TRUE(v->sign("b", at_unix(1700000000) + 5ms, "", out));
  EXPECT_EQ(header_of(out, "X-Sig").rfind("t=1700000000005 v1=", 0), 0u) << header_of(out, "X-Sig");
  expect_round_trip(*v, "body", at_unix(1700000000) + 5ms, "");
}

TEST(GenericHmac, EventTypeHeaderIsWrittenBySign) {
  HmacSpec spec{.envelope = {.header = "X-Sig"}};
  VerifySpec vs = generic(spec, {"k"});
  vs.event_type = FieldRef{FieldRef::Kind::header, "X-Event"};
  vs.event_id = FieldRef{FieldRef::Kind::header, "X-Delivery"};
  auto v = build_ok(vs);
  SignedHeaders out;
  ASSERT_TRUE(v->sign("b", at_unix(0), "d-1", out));
  EXPECT_EQ(header_of(out, "X-Event"), "test");
  EXPECT_EQ(header_of(out, "X-Delivery"), "d-1");
}

}  // namespace
}  // namespace hookgate::verify
