// Handshakes and challenges, answered exactly as each vendor's protocol asks: the reply, the
// signature check where the vendor signs the handshake, and denials.
#include <gtest/gtest.h>
#include <sodium.h>

#include "test_request.h"
#include "verify/encoding.h"
#include "verify/hmac_key.h"
#include "verify/learned_secret.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

std::optional<HandshakeOutcome> handshake(const Verifier& v, const OwnedRequest& r, std::int64_t now = 0) {
  return v.handshake(r.view(), at_unix(now));
}

// The query part of a request; OwnedRequest has none, so these tests set it on the view.
struct QueryRequest {
  OwnedRequest owned;
  std::string query;
  Request view() const {
    Request r = owned.view();
    r.query = query;
    return r;
  }
};

QueryRequest get(std::string query) {
  QueryRequest r;
  r.owned.method = "GET";
  r.query = std::move(query);
  return r;
}

TEST(Handshakes, SlackUrlVerificationIsSignedAndEchoesTheChallenge) {
  auto v = build_ok(preset("slack", {"slack-secret"}));
  const std::string body = R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
  SignedHeaders signed_headers;
  ASSERT_TRUE(v->sign(body, at_unix(1700000000), "", signed_headers));
  OwnedRequest r;
  r.with_body(body).with(signed_headers);
  const auto outcome = handshake(*v, r, 1700000000);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->verdict, Verdict::ok);
  EXPECT_EQ(outcome->reply.status, 200);
  EXPECT_EQ(outcome->reply.content_type, "application/json");
  EXPECT_EQ(outcome->reply.body, R"({"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})");

  OwnedRequest unsigned_request;
  unsigned_request.with_body(body);
  const auto denied = handshake(*v, unsigned_request, 1700000000);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->verdict, Verdict::missing_signature);
  EXPECT_EQ(handshake(*v, r, 1700000000 + 301)->verdict, Verdict::timestamp_too_old);

  OwnedRequest event;
  event.with_body(R"({"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"}})");
  EXPECT_FALSE(handshake(*v, event));
}

TEST(Handshakes, SlackSslCheckIsAnsweredEmptyWithoutSignature) {
  auto v = build_ok(preset("slack", {"slack-secret"}));
  OwnedRequest r;
  r.with_body("ssl_check=1&token=abc");
  const auto outcome = handshake(*v, r);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->verdict, Verdict::ok);
  EXPECT_EQ(outcome->reply.status, 200);
  EXPECT_EQ(outcome->reply.body, "");
}

TEST(Handshakes, ZoomUrlValidationComputesTheEncryptedToken) {
  auto v = build_ok(preset("zoom", {"zoom-secret"}));
  OwnedRequest r;
  // Values from node:crypto per Zoom's sample (see provider_vectors_test.cc).
  r.with_body(R"({"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1700000000000})")
      .with("x-zm-request-timestamp", "1700000000")
      .with("x-zm-signature", "v0=27389d9bf99eeb74149568b7c96593531eaaf5c682aeb96417bd672eedf7b3bf");
  const auto outcome = handshake(*v, r, 1700000000);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->verdict, Verdict::ok);
  EXPECT_EQ(outcome->reply.content_type, "application/json");
  EXPECT_EQ(outcome->reply.body,
            R"({"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"b17f0320a1322a509340a1a835b3d9edbc491f0b0790ed2d20d0604d39dfe922"})");
  r.headers.back().second = "v0=" + std::string(64, '0');
  EXPECT_EQ(handshake(*v, r, 1700000000)->verdict, Verdict::bad_signature);
}

// Fuzz regression (verify_presets, zoom): a validly signed url_validation whose plainToken is
// not token-shaped is refused, by design: the encryptedToken would otherwise sign any text
// under the event key. Zoom's own plainTokens are base64url and are answered.
TEST(Handshakes, ZoomSignedUrlValidationAnswersOnlyTokenShapedPlainTokens) {
  auto v = build_ok(preset("zoom", {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}));
  const auto validation = [&](const std::string& plain) {
    const std::string body = R"({"event":"endpoint.url_validation","payload":{"plainToken":")" + plain +
                             R"("},"event_ts":1654503849680})";
    SignedHeaders signed_headers;
    EXPECT_TRUE(v->sign(body, at_unix(1704067200), "", signed_headers));
    OwnedRequest r;
    r.with_body(body).with(signed_headers);
    return handshake(*v, r, 1704067200);
  };
  const auto fuzz_found = validation("qgg8vlvZRS6U;ooatFL8Aw");
  ASSERT_TRUE(fuzz_found);
  EXPECT_EQ(fuzz_found->verdict, Verdict::malformed_signature);
  EXPECT_EQ(fuzz_found->reply.body, "");
  const auto zoom_shaped = validation("qgg8vlvZRS6UYooatFL8Aw");
  ASSERT_TRUE(zoom_shaped);
  EXPECT_EQ(zoom_shaped->verdict, Verdict::ok);
  EXPECT_NE(zoom_shaped->reply.body.find("encryptedToken"), std::string::npos);
}

TEST(Handshakes, MetaGetChecksTheVerifyTokenAndEchoesTheChallenge) {
  VerifySpec spec = preset("meta", {"app-secret"});
  spec.verify_token = "my-verify-token";
  auto v = build_ok(spec);
  EXPECT_TRUE(v->answers_get());
  const QueryRequest ok = get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=my-verify-token");
  const auto outcome = v->handshake(ok.view(), at_unix(0));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->verdict, Verdict::ok);
  EXPECT_EQ(outcome->reply.status, 200);
  EXPECT_EQ(outcome->reply.body, "1158201444");
  EXPECT_EQ(outcome->reply.content_type.rfind("text/plain", 0), 0u);

  const QueryRequest wrong = get("hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess");
  EXPECT_EQ(v->handshake(wrong.view(), at_unix(0))->verdict, Verdict::bad_verify_token);
  const QueryRequest missing = get("hub.mode=subscribe&hub.challenge=1");
  EXPECT_EQ(v->handshake(missing.view(), at_unix(0))->verdict, Verdict::bad_verify_token);
  // Not a subscribe request: not a handshake (the gateway answers 405).
  EXPECT_FALSE(v->handshake(get("foo=bar").view(), at_unix(0)));
  // Percent-encoded token and challenge are decoded.
  const QueryRequest encoded = get("hub.mode=subscribe&hub.challenge=a%20b&hub.verify_token=my%2Dverify%2Dtoken");
  EXPECT_EQ(v->handshake(encoded.view(), at_unix(0))->reply.body, "a b");

  // Without a configured verify_token every GET handshake is refused.
  auto no_token = build_ok(preset("meta", {"app-secret"}));
  EXPECT_EQ(no_token->handshake(ok.view(), at_unix(0))->verdict, Verdict::bad_verify_token);
}

TEST(Handshakes, TwitterCrcAnswersTheHmacOfTheToken) {
  auto v = build_ok(preset("x", {"consumer-secret"}));
  EXPECT_TRUE(v->answers_get());
  const auto outcome = v->handshake(get("crc_token=crc-token-123&nonce=1").view(), at_unix(0));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->reply.content_type, "application/json");
  // node:crypto: 'sha256=' + base64(HMAC-SHA256('consumer-secret', 'crc-token-123')).
  EXPECT_EQ(outcome->reply.body, R"({"response_token":"sha256=pqNVCku98klY+uShlb3Xa/LIgd2B2xq7EveP37yRYOI="})");
  EXPECT_FALSE(v->handshake(get("").view(), at_unix(0)));
}

TEST(Handshakes, TwitterCrcIsNotASigningOracleForEventBodies) {
  // The CRC answer has the event signature's exact format: a token that is a JSON body would
  // get that body signed. Only token-shaped values are answered.
  auto v = build_ok(preset("twitter", {"consumer-secret"}));
  const auto forged = v->handshake(get("crc_token=%7B%22for_user_id%22%3A%221%22%7D").view(), at_unix(0));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->verdict, Verdict::malformed_signature);
  EXPECT_EQ(forged->reply.body, "");
}

TEST(Handshakes, TwitchCallbackVerificationIsSignedAndEchoedAsText) {
  auto v = build_ok(preset("twitch", {"twitch-secret-123"}));
  const std::string body = R"({"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"type":"channel.follow"}})";
  SignedHeaders signed_headers;
  ASSERT_TRUE(v->sign(body, at_unix(1700000000), "msg-1", signed_headers));
  OwnedRequest r;
  r.with_body(body).with(signed_headers).with("Twitch-Eventsub-Message-Type", "webhook_callback_verification");
  const auto outcome = handshake(*v, r, 1700000000);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->verdict, Verdict::ok);
  EXPECT_EQ(outcome->reply.body, "pogchamp-kappa-360noscope-vohiyo");
  EXPECT_EQ(outcome->reply.content_type.rfind("text/plain", 0), 0u);
  r.body += " ";
  EXPECT_EQ(handshake(*v, r, 1700000000)->verdict, Verdict::bad_signature);
  // Notifications and revocations are events.
  OwnedRequest notification;
  notification.with_body(body).with(signed_headers).with("Twitch-Eventsub-Message-Type", "notification");
  EXPECT_FALSE(handshake(*v, notification, 1700000000));
}

TEST(Handshakes, DropboxAndGraphEchoAndOktaAnswersJson) {
  auto dropbox = build_ok(preset("dropbox", {"app-secret"}));
  const auto d = dropbox->handshake(get("challenge=abc123").view(), at_unix(0));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reply.body, "abc123");
  EXPECT_EQ(d->reply.content_type.rfind("text/plain", 0), 0u);
  EXPECT_EQ(testing::header_of(SignedHeaders{d->reply.headers, {}, {}}, "X-Content-Type-Options"), "nosniff");

  auto graph = build_ok(preset("microsoft-graph", {"client-state"}));
  EXPECT_FALSE(graph->answers_get()) << "Graph validates with a POST";
  QueryRequest validation = get("validationToken=Validation%3A+Testing+client+application+reachability");
  validation.owned.method = "POST";
  const auto g = graph->handshake(validation.view(), at_unix(0));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->reply.body, "Validation: Testing client application reachability");
  EXPECT_EQ(graph->success_status(), 202);

  auto okta = build_ok(preset("okta", {"Bearer okta-secret"}));
  QueryRequest challenge = get("");
  challenge.owned.with("X-Okta-Verification-Challenge", "c0ffee\"<x>");
  const auto o = okta->handshake(challenge.view(), at_unix(0));
  ASSERT_TRUE(o);
  EXPECT_EQ(o->reply.content_type, "application/json");
  EXPECT_EQ(o->reply.body, R"({"verification":"c0ffee\"\u003cx\u003e"})");
}

TEST(Handshakes, DiscordPingsAreSignedAndInvalidProbesAreDenied) {
  ASSERT_GE(sodium_init(), 0);
  VerifySpec spec = preset("discord", {});
  spec.public_key = testing::kEd25519Whpk;
  auto v = build_ok(spec);
  const std::vector<unsigned char> secret =
      decode_secret(SecretEncoding::base64, testing::kEd25519KeypairB64).value();
  const auto sign = [&](const std::string& ts, const std::string& body) {
    std::vector<unsigned char> sig(crypto_sign_BYTES);
    const std::string message = ts + body;
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret.data());
    return hex_encode(sig);
  };
  OwnedRequest ping;
  ping.with_body(R"({"type":1,"id":"1","application_id":"2","token":"t","version":1})")
      .with("X-Signature-Timestamp", "1700000000");
  ping.with("X-Signature-Ed25519", sign("1700000000", ping.body));
  const auto pong = handshake(*v, ping, 1700000000);
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->verdict, Verdict::ok);
  EXPECT_EQ(pong->reply.body, R"({"type":1})");
  EXPECT_EQ(pong->reply.content_type, "application/json");

  OwnedRequest events_ping;
  events_ping.with_body(R"({"version":1,"application_id":"2","type":0})").with("X-Signature-Timestamp", "1700000000");
  events_ping.with("X-Signature-Ed25519", sign("1700000000", events_ping.body));
  const auto no_content = handshake(*v, events_ping, 1700000000);
  ASSERT_TRUE(no_content);
  EXPECT_EQ(no_content->reply.status, 204);
  EXPECT_EQ(no_content->reply.body, "");

  // Discord's deliberate probe: a PING with an invalid signature must get 401.
  OwnedRequest probe = ping;
  probe.headers.back().second = sign("1700000000", "something else");
  EXPECT_EQ(handshake(*v, probe, 1700000000)->verdict, Verdict::bad_signature);
  // A captured PING replayed long after is refused too.
  EXPECT_EQ(handshake(*v, ping, 1700000000 + 3600)->verdict, Verdict::timestamp_too_old);
}

TEST(Handshakes, AsanaHandsOverASecretOnceAndEventsVerifyWithIt) {
  auto v = build_ok(preset("asana", {}));
  LearnedSecret* cell = v->learned_secret();
  ASSERT_NE(cell, nullptr);
  OwnedRequest event;
  event.with_body(R"({"events":[{"action":"changed"}]})")
      .with("X-Hook-Signature", "5e602c9dd09fc0ff0b10b18ebf9850143ff59003f03d2a90a968dd2e0e6f5047");
  EXPECT_EQ(v->verify(event.view(), at_unix(0)), Verdict::secret_not_established);

  OwnedRequest hello;
  hello.with("X-Hook-Secret", "asana-secret");
  const auto first = handshake(*v, hello);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->verdict, Verdict::ok);
  EXPECT_EQ(first->reply.status, 200);
  EXPECT_EQ(first->reply.learned_secret, "asana-secret");
  EXPECT_EQ(header_of(SignedHeaders{first->reply.headers, {}, {}}, "X-Hook-Secret"), "asana-secret");

  // The gateway stores it, then sets it.
  ASSERT_TRUE(cell->set(first->reply.learned_secret));
  EXPECT_EQ(v->verify(event.view(), at_unix(0)), Verdict::ok);
  SignedHeaders out;
  ASSERT_TRUE(v->sign(event.body, at_unix(0), "", out));
  EXPECT_EQ(header_of(out, "X-Hook-Signature"), "5e602c9dd09fc0ff0b10b18ebf9850143ff59003f03d2a90a968dd2e0e6f5047");

  // The same secret again is answered (nothing to store); another one is refused.
  const auto again = handshake(*v, hello);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->verdict, Verdict::ok);
  EXPECT_EQ(again->reply.learned_secret, "");
  OwnedRequest takeover;
  takeover.with("X-Hook-Secret", "attacker-secret");
  EXPECT_EQ(handshake(*v, takeover)->verdict, Verdict::secret_already_established);
  OwnedRequest garbage;
  garbage.with("X-Hook-Secret", "has space");
  EXPECT_EQ(handshake(*v, garbage)->verdict, Verdict::malformed_signature);
}

TEST(Handshakes, AsanaWithConfiguredSecretVerifiesBeforeAnyHandshake) {
  auto v = build_ok(preset("asana", {"asana-secret"}));
  OwnedRequest event;
  event.with_body(R"({"events":[{"action":"changed"}]})")
      .with("X-Hook-Signature", "5e602c9dd09fc0ff0b10b18ebf9850143ff59003f03d2a90a968dd2e0e6f5047");
  EXPECT_EQ(v->verify(event.view(), at_unix(0)), Verdict::ok);
}

// Notion posts {"verification_token":"secret_…"} once, unsigned, when a subscription is created;
// that token then keys X-Notion-Signature ("sha256=" + hex HMAC-SHA256 of the body). Notion's
// docs: https://developers.notion.com/reference/webhooks (the signature value computed with
// node:crypto).
TEST(Handshakes, NotionVerificationTokenIsLearnedAndKeysLaterEvents) {
  auto v = build_ok(preset("notion", {}));
  LearnedSecret* cell = v->learned_secret();
  ASSERT_NE(cell, nullptr);
  OwnedRequest event;
  event.with_body(R"({"id":"ev-notion-1","type":"page.created","entity":{"id":"p1","type":"page"}})")
      .with("X-Notion-Signature", "sha256=7deb736037d86aa2f0b78d0a9876a14d2da33dcff5f81e65a7fd2a207770d207");
  EXPECT_EQ(v->verify(event.view(), at_unix(0)), Verdict::secret_not_established);
  // A signed request is no verification request, even if it names the member.
  EXPECT_FALSE(handshake(*v, event));

  OwnedRequest hello;
  hello.with_body(R"({"verification_token":"secret_notion_verification_token"})");
  const auto first = handshake(*v, hello);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->verdict, Verdict::ok);
  EXPECT_EQ(first->reply.status, 200);
  EXPECT_EQ(first->reply.body, "");
  EXPECT_EQ(first->reply.learned_secret, "secret_notion_verification_token");
  ASSERT_TRUE(cell->set(first->reply.learned_secret));
  EXPECT_EQ(v->verify(event.view(), at_unix(0)), Verdict::ok);
  event.body[12] ^= 0x01;
  EXPECT_EQ(v->verify(event.view(), at_unix(0)), Verdict::bad_signature);

  // The same token again is answered; another is refused; other shapes are no handshake.
  EXPECT_EQ(handshake(*v, hello)->verdict, Verdict::ok);
  OwnedRequest takeover;
  takeover.with_body(R"({"verification_token":"secret_attacker"})");
  EXPECT_EQ(handshake(*v, takeover)->verdict, Verdict::secret_already_established);
  OwnedRequest extra;
  extra.with_body(R"({"verification_token":"secret_x","type":"page.created"})");
  EXPECT_FALSE(handshake(*v, extra));
  OwnedRequest not_string;
  not_string.with_body(R"({"verification_token":1})");
  EXPECT_FALSE(handshake(*v, not_string));
}

TEST(Handshakes, PresetsWithoutHandshakeNeverAnswerOne) {
  auto v = build_ok(preset("github", {"s"}));
  EXPECT_FALSE(v->answers_get());
  EXPECT_FALSE(v->handshake(get("hub.mode=subscribe&hub.challenge=1").view(), at_unix(0)));
  EXPECT_EQ(v->success_status(), 200);
  EXPECT_EQ(v->success_body(), "");
}

}  // namespace
}  // namespace hookgate::verify
