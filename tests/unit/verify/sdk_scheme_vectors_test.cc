// The four schemes of issue 19 that need code of their own (Braintree, Plivo V3, Contentful,
// Dropbox Sign), against vectors made once by each vendor's npm SDK, pinned in
// tests/conformance/package.json, plus the refusals: a changed byte, another key, a stale
// timestamp, a malformed header and oversize input. Regenerate a vector with the command
// beside it (run in tests/conformance; each prints the values used below).
#include <gtest/gtest.h>

#include <string>

#include "test_request.h"
#include "verify/contentful_scheme.h"
#include "verify/dropbox_sign_scheme.h"
#include "verify/form.h"
#include "verify/multipart.h"
#include "verify/plivo_scheme.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

// One character of `text` at `at` changed (stays in the same alphabet for hex and base64).
std::string flipped(std::string text, std::size_t at) {
  text[at] = text[at] == 'a' ? 'b' : 'a';
  return text;
}

// ---- Braintree ----

// node -e "const b=require('braintree');const g=new b.BraintreeGateway({environment:b.Environment.Sandbox,
//   merchantId:'merchant',publicKey:'pub_test',privateKey:'priv_test'});
//   g.webhookTesting.sampleNotification(b.WebhookNotification.Kind.Check,'evt_1').then(n=>console.log(JSON.stringify(n)))"
// (webhookNotification.parse() of the same pair answers kind "check").
constexpr const char* kBraintreeSignature = "pub_test|9ab02f31f8fa95e2ede7da5106219ee6fcbfdafa";
constexpr const char* kBraintreePayload =
    "PG5vdGlmaWNhdGlvbj4KICAgIDx0aW1lc3RhbXAgdHlwZT0iZGF0ZXRpbWUiPjIwMjYtMTItMDdUMDk6MTg6MzRaPC90aW1lc3RhbXA+"
    "CiAgICA8a2luZD5jaGVjazwva2luZD4KICAgIAogICAgPHN1YmplY3Q+PGNoZWNrIHR5cGU9ImJvb2xlYW4iPnRydWU8L2NoZWNrPjwv"
    "c3ViamVjdD4KPC9ub3RpZmljYXRpb24+\n";

OwnedRequest braintree_request(const std::string& signature, const std::string& payload) {
  OwnedRequest r;
  r.with("Content-Type", "application/x-www-form-urlencoded");
  r.with_body("bt_signature=" + percent_encode(signature) + "&bt_payload=" + percent_encode(payload));
  return r;
}

TEST(BraintreeSdkVector, SampleNotificationVerifies) {
  auto v = build_ok(preset("braintree", {"pub_test:priv_test"}));
  EXPECT_EQ(v->verify(braintree_request(kBraintreeSignature, kBraintreePayload).view(), at_unix(0)), Verdict::ok);
  // The SDK also accepts the payload without its trailing newline.
  std::string bare = kBraintreePayload;
  bare.pop_back();
  EXPECT_EQ(v->verify(braintree_request(kBraintreeSignature, bare).view(), at_unix(0)), Verdict::ok);
  // Another pair first, for another public key: the pair for ours is found.
  EXPECT_EQ(v->verify(braintree_request(std::string("other|00&") + kBraintreeSignature, kBraintreePayload).view(),
                      at_unix(0)),
            Verdict::ok);
  // Key rotation: a second configured pair.
  auto two = build_ok(preset("braintree", {"pub_new:priv_new", "pub_test:priv_test"}));
  EXPECT_EQ(two->verify(braintree_request(kBraintreeSignature, kBraintreePayload).view(), at_unix(0)), Verdict::ok);
}

TEST(BraintreeSdkVector, RefusesTamperingOtherKeysAndMalformedInput) {
  auto v = build_ok(preset("braintree", {"pub_test:priv_test"}));
  const auto check = [&](const std::string& signature, const std::string& payload) {
    return v->verify(braintree_request(signature, payload).view(), at_unix(0));
  };
  EXPECT_EQ(check(kBraintreeSignature, flipped(kBraintreePayload, 10)), Verdict::bad_signature);
  EXPECT_EQ(check(flipped(kBraintreeSignature, 12), kBraintreePayload), Verdict::bad_signature);
  auto other = build_ok(preset("braintree", {"pub_test:another_private_key"}));
  EXPECT_EQ(other->verify(braintree_request(kBraintreeSignature, kBraintreePayload).view(), at_unix(0)),
            Verdict::bad_signature);
  auto other_public = build_ok(preset("braintree", {"pub_other:priv_test"}));
  EXPECT_EQ(other_public->verify(braintree_request(kBraintreeSignature, kBraintreePayload).view(), at_unix(0)),
            Verdict::bad_signature);
  EXPECT_EQ(check("pub_test|9ab02f", kBraintreePayload), Verdict::malformed_signature);
  EXPECT_EQ(check(kBraintreeSignature, std::string(kBraintreePayload) + "<xml>"), Verdict::malformed_signature);
  EXPECT_EQ(check(std::string(3000, 'a') + "|" + kBraintreeSignature, kBraintreePayload),
            Verdict::malformed_signature);
  std::string many;
  for (int i = 0; i < 20; ++i) many += "p" + std::to_string(i) + "|00&";
  EXPECT_EQ(check(many + kBraintreeSignature, kBraintreePayload), Verdict::malformed_signature);
  OwnedRequest no_payload;
  no_payload.with_body("bt_signature=" + percent_encode(kBraintreeSignature));
  EXPECT_EQ(v->verify(no_payload.view(), at_unix(0)), Verdict::missing_signature);
  EXPECT_EQ(v->verify(OwnedRequest{}.with_body("{}").view(), at_unix(0)), Verdict::missing_signature);
}

TEST(BraintreeSdkVector, SecretsMustBePublicColonPrivate) {
  for (const char* bad : {"no-colon", ":priv", "pub:", "a|b:c"}) {
    EXPECT_NE(build_verifier(preset("braintree", {bad})).error, "") << bad;
  }
}

TEST(BraintreeSdkVector, SignWritesTheFormTheSdkWouldPost) {
  auto v = build_ok(preset("braintree", {"pub_test:priv_test"}));
  SignedHeaders out;
  ASSERT_TRUE(v->sign(SignInput{.body = "<notification/>", .now = at_unix(0), .id = "x"}, out));
  ASSERT_TRUE(out.body.has_value());
  EXPECT_EQ(header_of(out, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(form_value(*out.body, "bt_payload"), "PG5vdGlmaWNhdGlvbi8+\n");
  EXPECT_TRUE(form_value(*out.body, "bt_signature")->starts_with("pub_test|"));
  EXPECT_EQ(v->verify(OwnedRequest{}.with_body(*out.body).view(), at_unix(0)), Verdict::ok);
}

// ---- Plivo V3 ----

// base = the SDK's construct_post_url(url, params) (dist/utils/v3Security.js):
// node -e "const c=require('crypto'),p=require('plivo');const url='https://hooks.example.com/in/plivo?b=2&a=1';
//   const base='https://hooks.example.com/in/plivo?a=1&b=2.CallUUIDevt_1From15557654To15551234';
//   const s=c.createHmac('sha256','plivo_token').update(base+'.nonce123').digest('base64');
//   console.log(s,p.validateV3Signature('POST',url,'nonce123','plivo_token',s,{To:'15551234',From:'15557654',CallUUID:'evt_1'}))"
constexpr const char* kPlivoUrl = "https://hooks.example.com/in/plivo?b=2&a=1";
constexpr const char* kPlivoBody = "To=15551234&From=15557654&CallUUID=evt_1";
constexpr const char* kPlivoSignature = "0LR6yBzYkcWTEsi6cf1D5SgcHSg4kQAx2T82NKZjJRc=";

OwnedRequest plivo_request(std::string body, std::string signature, std::string nonce = "nonce123") {
  OwnedRequest r;
  r.public_url = kPlivoUrl;
  r.with_body(std::move(body)).with("X-Plivo-Signature-V3", std::move(signature));
  r.with("X-Plivo-Signature-V3-Nonce", std::move(nonce));
  return r;
}

TEST(PlivoSdkVector, ValidateV3SignatureVectorVerifies) {
  EXPECT_EQ(PlivoScheme::post_base(kPlivoUrl, kPlivoBody),
            "https://hooks.example.com/in/plivo?a=1&b=2.CallUUIDevt_1From15557654To15551234");
  EXPECT_EQ(PlivoScheme::post_base("https://h.example.com/in/plivo", ""), "https://h.example.com/in/plivo");
  EXPECT_EQ(PlivoScheme::post_base("https://h.example.com/in/plivo", "To=1&From=b&From=a"),
            "https://h.example.com/in/plivo?FromaFrombTo1");
  EXPECT_EQ(PlivoScheme::post_base("https://h.example.com:8443/p?b=2&a=1%20x", ""),
            "https://h.example.com:8443/p?a=1 x&b=2");
  auto v = build_ok(preset("plivo", {"plivo_token"}));
  EXPECT_EQ(v->verify(plivo_request(kPlivoBody, kPlivoSignature).view(), at_unix(0)), Verdict::ok);
  // Several signatures, comma-separated (Plivo signs with each active token).
  EXPECT_EQ(v->verify(plivo_request(kPlivoBody, std::string(44, 'A').replace(43, 1, "=") + "," + kPlivoSignature).view(),
                      at_unix(0)),
            Verdict::ok);
}

TEST(PlivoSdkVector, RefusesTamperingOtherKeysAndMalformedInput) {
  auto v = build_ok(preset("plivo", {"plivo_token"}));
  const auto check = [&](const OwnedRequest& r) { return v->verify(r.view(), at_unix(0)); };
  EXPECT_EQ(check(plivo_request("To=15551234&From=15557654&CallUUID=evt_2", kPlivoSignature)), Verdict::bad_signature);
  EXPECT_EQ(check(plivo_request(kPlivoBody, kPlivoSignature, "nonce124")), Verdict::bad_signature);
  EXPECT_EQ(check(plivo_request(kPlivoBody, flipped(kPlivoSignature, 5))), Verdict::bad_signature);
  auto other = build_ok(preset("plivo", {"other_token"}));
  EXPECT_EQ(other->verify(plivo_request(kPlivoBody, kPlivoSignature).view(), at_unix(0)), Verdict::bad_signature);
  OwnedRequest moved = plivo_request(kPlivoBody, kPlivoSignature);
  moved.public_url = "https://hooks.example.com/in/plivo?b=2&a=2";
  EXPECT_EQ(check(moved), Verdict::bad_signature);
  EXPECT_EQ(check(plivo_request(kPlivoBody, "not base64")), Verdict::malformed_signature);
  EXPECT_EQ(check(plivo_request(kPlivoBody, kPlivoSignature, std::string(300, 'n'))), Verdict::malformed_signature);
  std::string many;
  for (int i = 0; i < 9; ++i) many += std::string(kPlivoSignature) + ",";
  EXPECT_EQ(check(plivo_request(kPlivoBody, many + kPlivoSignature)), Verdict::malformed_signature);
  EXPECT_EQ(check(plivo_request(kPlivoBody, kPlivoSignature).without("X-Plivo-Signature-V3-Nonce")),
            Verdict::missing_signature);
  EXPECT_EQ(check(plivo_request(kPlivoBody, kPlivoSignature).with("X-Plivo-Signature-V3", kPlivoSignature)),
            Verdict::malformed_signature);
}

TEST(PlivoSdkVector, SignReproducesTheVector) {
  auto v = build_ok(preset("plivo", {"plivo_token"}));
  SignedHeaders out;
  EXPECT_FALSE(v->sign(SignInput{.body = kPlivoBody, .now = at_unix(0), .id = "nonce123"}, out));  // no URL
  ASSERT_TRUE(v->sign(SignInput{.body = kPlivoBody, .now = at_unix(0), .id = "nonce123", .url = kPlivoUrl}, out));
  EXPECT_EQ(header_of(out, "X-Plivo-Signature-V3"), kPlivoSignature);
  EXPECT_EQ(header_of(out, "X-Plivo-Signature-V3-Nonce"), "nonce123");
}

// ---- Contentful ----

// node -e "const {signRequest}=require('@contentful/node-apps-toolkit');console.log(signRequest('a'.repeat(64),
//   {method:'POST',path:'/in/contentful?x=1 y',headers:{'X-Contentful-Topic':'ContentManagement.Entry.publish',
//   'Content-Type':'application/json'},body:'{\"sys\":{\"id\":\"evt_1\"}}'},1700000000000))"
// (verifyRequest() of the request with those headers answers true).
constexpr const char* kContentfulSignature = "27a8888dce1896cfe2baa87014cf1995cd0a08b2d790a164c478a476af352616";
constexpr const char* kContentfulSignedHeaders =
    "content-type,x-contentful-signed-headers,x-contentful-timestamp,x-contentful-topic";
constexpr const char* kContentfulBody = R"({"sys":{"id":"evt_1"}})";

OwnedRequest contentful_request(std::string signature = kContentfulSignature,
                                std::string timestamp = "1700000000000") {
  OwnedRequest r;
  r.path = "/in/contentful";
  r.query = "x=1 y";
  r.public_url = "https://hooks.example.com/in/contentful?x=1 y";
  r.with_body(kContentfulBody);
  r.with("Content-Type", "application/json").with("X-Contentful-Topic", "ContentManagement.Entry.publish");
  r.with("X-Contentful-Signature", std::move(signature)).with("X-Contentful-Signed-Headers", kContentfulSignedHeaders);
  r.with("X-Contentful-Timestamp", std::move(timestamp));
  return r;
}

const std::string kContentfulSecret(64, 'a');

TEST(ContentfulSdkVector, SignRequestVectorVerifies) {
  EXPECT_EQ(ContentfulScheme::encoded_path("https://h.example.com/in/contentful?x=1 y"), "/in/contentful?x%253D1%2520y");
  EXPECT_EQ(ContentfulScheme::encoded_path("/a b/ü"), "/a%20b/%C3%BC");
  EXPECT_EQ(ContentfulScheme::encoded_path("https://h.example.com"), "/");
  auto v = build_ok(preset("contentful", {kContentfulSecret}));
  EXPECT_EQ(v->verify(contentful_request().view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_EQ(v->verify(contentful_request().view(), at_unix(1700000030)), Verdict::ok);
}

TEST(ContentfulSdkVector, RefusesTamperingOtherKeysStaleTimestampsAndMalformedInput) {
  auto v = build_ok(preset("contentful", {kContentfulSecret}));
  const auto check = [&](const OwnedRequest& r) { return v->verify(r.view(), at_unix(1700000000)); };
  OwnedRequest body = contentful_request();
  body.body = R"({"sys":{"id":"evt_2"}})";
  EXPECT_EQ(check(body), Verdict::bad_signature);
  OwnedRequest topic = contentful_request().without("X-Contentful-Topic");
  topic.with("X-Contentful-Topic", "ContentManagement.Entry.delete");
  EXPECT_EQ(check(topic), Verdict::bad_signature);
  OwnedRequest path = contentful_request();
  path.public_url = "https://hooks.example.com/in/contentful?x=1";
  EXPECT_EQ(check(path), Verdict::bad_signature);
  EXPECT_EQ(check(contentful_request(flipped(kContentfulSignature, 3))), Verdict::bad_signature);
  auto other = build_ok(preset("contentful", {std::string(64, 'b')}));
  EXPECT_EQ(other->verify(contentful_request().view(), at_unix(1700000000)), Verdict::bad_signature);
  EXPECT_EQ(v->verify(contentful_request().view(), at_unix(1700000031)), Verdict::timestamp_too_old);
  EXPECT_EQ(v->verify(contentful_request().view(), at_unix(1699999969)), Verdict::timestamp_in_future);
  EXPECT_EQ(check(contentful_request(kContentfulSignature, "17e11")), Verdict::malformed_timestamp);
  EXPECT_EQ(check(contentful_request("abc")), Verdict::malformed_signature);
  EXPECT_EQ(check(contentful_request().without("X-Contentful-Timestamp")), Verdict::missing_timestamp);
  EXPECT_EQ(check(contentful_request().without("X-Contentful-Signature")), Verdict::missing_signature);
  OwnedRequest repeated = contentful_request().with("Content-Type", "text/plain");
  EXPECT_EQ(check(repeated), Verdict::malformed_signature);
  OwnedRequest long_list = contentful_request().without("X-Contentful-Signed-Headers");
  long_list.with("X-Contentful-Signed-Headers", std::string(2000, 'x'));
  EXPECT_EQ(check(long_list), Verdict::malformed_signature);
}

TEST(ContentfulSdkVector, SignedByHookgateVerifies) {
  auto v = build_ok(preset("contentful", {kContentfulSecret}));
  SignedHeaders out;
  const std::string url = "https://hooks.example.com/in/contentful";
  ASSERT_TRUE(v->sign(SignInput{.body = kContentfulBody, .now = at_unix(1700000000), .id = "x", .url = url}, out));
  EXPECT_EQ(header_of(out, "x-contentful-signed-headers"), "x-contentful-signed-headers,x-contentful-timestamp");
  EXPECT_EQ(header_of(out, "x-contentful-timestamp"), "1700000000000");
  OwnedRequest r;
  r.public_url = url;
  r.with_body(kContentfulBody).with(out);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
}

// ---- Dropbox Sign ----

// node -e "const c=require('crypto'),s=require('@dropbox/sign');const ev={event:{event_time:'1700000000',
//   event_type:'signature_request_sent',event_hash:c.createHmac('sha256','dbx_key').update('1700000000signature_request_sent').digest('hex'),
//   event_metadata:{}}};console.log(JSON.stringify(ev),s.EventCallbackHelper.isValid('dbx_key',s.EventCallbackRequest.init(ev)))"
constexpr const char* kDropboxEvent =
    R"({"event":{"event_time":"1700000000","event_type":"signature_request_sent","event_hash":"eba1e795ee0ec221bd2f3407df9f7b1967dd634efe142d2203cc4f1f515a4ef4","event_metadata":{}}})";

OwnedRequest dropbox_request(const std::string& json) {
  OwnedRequest r;
  r.with("Content-Type", "multipart/form-data; boundary=X-BOUNDARY");
  r.with_body(multipart_body("X-BOUNDARY", "json", json));
  return r;
}

std::string with_hash(std::string json, const std::string& hash) {
  const std::size_t at = json.find("eba1e7");
  return json.replace(at, 64, hash);
}

TEST(DropboxSignSdkVector, IsValidVectorVerifiesInEveryBodyShape) {
  auto v = build_ok(preset("dropbox-sign", {"dbx_key"}));
  EXPECT_EQ(v->verify(dropbox_request(kDropboxEvent).view(), at_unix(1700000000)), Verdict::ok);
  OwnedRequest form;
  form.with("Content-Type", "application/x-www-form-urlencoded").with_body("json=" + percent_encode(kDropboxEvent));
  EXPECT_EQ(v->verify(form.view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_EQ(v->verify(OwnedRequest{}.with_body(kDropboxEvent).view(), at_unix(1700000000)), Verdict::ok);
  auto alias = build_ok(preset("hellosign", {"dbx_key"}));
  EXPECT_EQ(alias->verify(dropbox_request(kDropboxEvent).view(), at_unix(1700000000)), Verdict::ok);
}

TEST(DropboxSignSdkVector, RefusesTamperingOtherKeysStaleTimestampsAndMalformedInput) {
  auto v = build_ok(preset("dropbox-sign", {"dbx_key"}));
  const auto check = [&](const std::string& json) { return v->verify(dropbox_request(json).view(), at_unix(1700000000)); };
  std::string type = kDropboxEvent;
  type.replace(type.find("request_sent"), 12, "request_sens");
  EXPECT_EQ(check(type), Verdict::bad_signature);
  EXPECT_EQ(check(with_hash(kDropboxEvent, std::string(64, '0'))), Verdict::bad_signature);
  auto other = build_ok(preset("dropbox-sign", {"another_key"}));
  EXPECT_EQ(other->verify(dropbox_request(kDropboxEvent).view(), at_unix(1700000000)), Verdict::bad_signature);
  EXPECT_EQ(v->verify(dropbox_request(kDropboxEvent).view(), at_unix(1700000301)), Verdict::timestamp_too_old);
  EXPECT_EQ(v->verify(dropbox_request(kDropboxEvent).view(), at_unix(1699999699)), Verdict::timestamp_in_future);
  EXPECT_EQ(check(with_hash(kDropboxEvent, "zz")), Verdict::malformed_signature);
  EXPECT_EQ(check(R"({"event":{"event_time":"1700000000"}})"), Verdict::missing_signature);
  EXPECT_EQ(check("not json"), Verdict::missing_signature);
  OwnedRequest other_field;
  other_field.with("Content-Type", "multipart/form-data; boundary=B").with_body(multipart_body("B", "other", kDropboxEvent));
  EXPECT_EQ(v->verify(other_field.view(), at_unix(1700000000)), Verdict::missing_signature);
}

TEST(DropboxSignSdkVector, SignSetsTheHashAndAnswersTheExpectedText) {
  const Preset* p = find_preset("dropbox-sign");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->success_body, "Hello API Event Received");
  auto v = build_ok(preset("dropbox-sign", {"dbx_key"}));
  EXPECT_EQ(v->success_body(), "Hello API Event Received");
  SignedHeaders out;
  const std::string unsigned_event = R"({"event":{"event_time":"1700000000","event_type":"signature_request_sent","event_metadata":{}}})";
  ASSERT_TRUE(v->sign(SignInput{.body = unsigned_event, .now = at_unix(1700000000), .id = "x"}, out));
  ASSERT_TRUE(out.body.has_value());
  EXPECT_NE(out.body->find("eba1e795ee0ec221bd2f3407df9f7b1967dd634efe142d2203cc4f1f515a4ef4"), std::string::npos);
  OwnedRequest r;
  r.with_body(*out.body).with(out);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_FALSE(v->sign(SignInput{.body = R"({"type":"t"})", .now = at_unix(0), .id = "x"}, out));
}

// ---- multipart/form-data ----

TEST(Multipart, FindsANamedFieldAndRefusesHostileBodies) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(multipart_boundary("application/json; boundary=abc"), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'b')), std::nullopt);
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"unterminated"), std::nullopt);

  const std::string body = "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
                           "--B\r\ncontent-disposition: form-data; name=json\r\nContent-Type: application/json\r\n\r\n"
                           "{\"x\":\"--B\"}\r\n--B--\r\n";
  EXPECT_EQ(multipart_field(body, "B", "a"), "one");
  EXPECT_EQ(multipart_field(body, "B", "json"), "{\"x\":\"--B\"}");
  EXPECT_EQ(multipart_field(body, "B", "missing"), std::nullopt);
  EXPECT_EQ(multipart_field(body, "C", "a"), std::nullopt);
  // Truncated: no closing delimiter after the content; headers without an end.
  EXPECT_EQ(multipart_field("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none", "B", "a"), std::nullopt);
  EXPECT_EQ(multipart_field("--B\r\nContent-Disposition: form-data; name=\"a\"", "B", "a"), std::nullopt);
  EXPECT_EQ(multipart_field("--Bjunk", "B", "a"), std::nullopt);
  // Oversize part headers and too many parts are refused, not scanned without end.
  const std::string big = "--B\r\nX: " + std::string(kMaxPartHeaderBytes, 'x') +
                          "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B--";
  EXPECT_EQ(multipart_field(big, "B", "a"), std::nullopt);
  std::string many;
  for (std::size_t i = 0; i < kMaxMultipartParts; ++i) many += "--B\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nv\r\n";
  many += "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B--";
  EXPECT_EQ(multipart_field(many, "B", "a"), std::nullopt);
  // A part without headers, and the round trip of multipart_body().
  EXPECT_EQ(multipart_field("--B\r\n\r\nx\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--B--", "B", "a"), "");
  EXPECT_EQ(multipart_field(multipart_body("zz", "json", "{}"), "zz", "json"), "{}");
}

}  // namespace
}  // namespace hookgate::verify
