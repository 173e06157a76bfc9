// The JWT scheme (jwt_scheme.h) through its presets: HS256 tokens with a body hash (Netlify's
// documented shape, a vector computed with node:crypto HS256), RS256 OIDC tokens against a
// local JWKS (Google Pub/Sub push), tokens that are the whole body (Kinde), ES256, the
// algorithm allow-list and every claim check. Tokens were made with node:crypto from
// the private keys of test_request.h's kTestJwks and the EC key below.
#include <gtest/gtest.h>

#include <array>

#include "test_request.h"
#include "verify/encoding.h"
#include "verify/event_fields.h"
#include "verify/key_set.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

constexpr const char* kNetlifyBody = R"({"id":"5ef0b6b0","state":"ready"})";
// HS256("netlify-jws-secret"), claims {"iss":"netlify","sha256":hex(sha256(kNetlifyBody))}.
constexpr const char* kNetlifyToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJuZXRsaWZ5Iiwic2hhMjU2IjoiZGQyN2I2OTFlNzY4NzFjYjkxZWU3ZjMwMTAzZjRjNThl"
    "ZDljNWVhNjA4YmU4Y2ViMjc2YmNjNTBiMDQ1MDYxNyJ9.GqxlMQMTj_1HL_COuZsGhuzJZntFI3UvvNEJ4mjOt10";
// The same claims with alg "none" and no signature.
constexpr const char* kNetlifyNone =
    "eyJhbGciOiJub25lIn0.eyJpc3MiOiJuZXRsaWZ5Iiwic2hhMjU2IjoiZGQyN2I2OTFlNzY4NzFjYjkxZWU3ZjMwMTAzZjRjNThlZDljNWVhNjA4YmU4"
    "Y2ViMjc2YmNjNTBiMDQ1MDYxNyJ9.";
// RS256 (kid test-rsa-1): iss https://accounts.google.com, aud https://hooks.example.com/in/pubsub,
// email push@proj.iam.gserviceaccount.com, iat 1700000000, exp 1700003600.
constexpr const char* kGoogleToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QtcnNhLTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20iLCJhdWQiOiJodHRwczovL2hvb2tzLmV4YW1wbGUuY29tL2luL3B1YnN1YiIsImVtYWlsIjoicHVzaEBwcm9qLmlhbS5nc2VydmljZWFjY291bnQuY29tIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwLCJzdWIiOiIxIn0.EywBj0ekMP8-q5F9Nf80EGmkVp4lFF2NHehKz_o0kSB8_ubiSSL7jDGvyQR7cF4avdkkPR2AkRXeHxomrCJ1B2XgKa_6rkMC-RDiRRx4qGHrh1Ugrii3eJ0XauPQN59gFTQeOPgp2hqoOKqxUkN37AOIezCVMt84XjjALi6jeekeDKYM5W4HWwGkm0qwn2AR1EQ01t5F_SyDyAXN1bGcmLmhY9lYmtO705v2jPiSHBzEyz3IRlZ-RsaCbmqbGCZU8RST_6EiteTjBM-S5px83aAMWJg0AL-BFnok4TRZ9bDRFv39A9nrRG-MpMV0NLJZhXUQGWeMCr4pMfP9wX9vxw";
// RS256 (kid test-rsa-1), the body Kinde posts: {"type":"user.created",…,"iat":1700000000}.
constexpr const char* kKindeToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QtcnNhLTEiLCJ0eXAiOiJKV1QifQ.eyJ0eXBlIjoidXNlci5jcmVhdGVkIiwiZXZlbnRfaWQiOiJldmVudF8xIiwiZGF0YSI6eyJ1c2VyIjp7ImlkIjoia3BfMSJ9fSwiaWF0IjoxNzAwMDAwMDAwfQ.lz2nWoeVtlyNT23w0lUgEQTqZVKChtVVVn4tbKyhwP0IVjja-y0nfdsvxvz2Rjp2iyK7qA8KBt5KuWm4FiuyWxFg9ZEGt2Up9HxLLfFh0Ik5VrKThDiMXUFGlcVgAYJZEBHu1uFaAZjxsm12kh6HK3W7HGTrXvIXwsXa_5zoWfrSmuQxlkPx6C63fp7EP9zCcBPkKMi90efThm0r4By-dUWHw9QTL-NApaKuNhow-0h__1LE8kT-mtEKKFFFDn-J9LdGisSVgY3VL6JzFcBPD2uG4wDbja17iPuf-I-1iGIX7BJvSSCOr928bBfqLqwjEZvFrlpsTcTRlmb8EXK3GA";
// ES256 (kid ec-1) over {"type":"x","iat":1700000000}, and that key as a JWK.
constexpr const char* kEs256Token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjLTEifQ.eyJ0eXBlIjoieCIsImlhdCI6MTcwMDAwMDAwMH0.haXso4EtesVHgy3TV0vkQabVb-pfQDw1PM9XvoNOmEcuayWgjiDXO7PsOfUGO6_B0TFCULhQ6Swy3E98Qs_psg";
constexpr const char* kEcJwk = R"({"kty":"EC","x":"EgEg0CzwKSn7qATIpCJI6BHjUkEXWyHABFe_Rpd6Ba4","y":"OvK6v1OK03p4kEVDQamjSuVhFZ4rRLc8EekoO8JBqUI","crv":"P-256","kid":"ec-1"})";

constexpr const char* kPubsubUrl = "https://hooks.example.com/in/pubsub";
constexpr const char* kPushAccount = "push@proj.iam.gserviceaccount.com";

Verdict check(const Verifier& v, const OwnedRequest& r, std::int64_t now) { return v.verify(r.view(), at_unix(now)); }

OwnedRequest netlify_request(std::string token, std::string body = kNetlifyBody) {
  OwnedRequest r;
  r.with_body(std::move(body)).with("X-Webhook-Signature", std::move(token));
  return r;
}

TEST(JwtNetlify, DocumentedHs256TokenWithBodyHash) {
  auto v = build_ok(preset("netlify", {"netlify-jws-secret"}));
  EXPECT_EQ(check(*v, netlify_request(kNetlifyToken), 1700000000), Verdict::ok);
  // The body is covered through the sha256 claim.
  EXPECT_EQ(check(*v, netlify_request(kNetlifyToken, R"({"id":"5ef0b6b0","state":"error"})"), 1700000000),
            Verdict::bad_body_hash);
  auto wrong = build_ok(preset("netlify", {"another-secret"}));
  EXPECT_EQ(check(*wrong, netlify_request(kNetlifyToken), 1700000000), Verdict::bad_signature);
  std::string flipped = kNetlifyToken;
  flipped[flipped.size() - 3] = flipped[flipped.size() - 3] == 'a' ? 'b' : 'a';
  EXPECT_EQ(check(*v, netlify_request(flipped), 1700000000), Verdict::bad_signature);
  // alg "none" and malformed tokens are never accepted.
  EXPECT_EQ(check(*v, netlify_request(kNetlifyNone), 1700000000), Verdict::malformed_signature);
  for (const char* bad : {"", "a.b", "a.b.c.d", "!!.??.**", "eyJhbGciOiJIUzI1NiJ9..sig"}) {
    EXPECT_EQ(check(*v, netlify_request(bad), 1700000000), Verdict::malformed_signature) << bad;
  }
  OwnedRequest none;
  none.with_body(kNetlifyBody);
  EXPECT_EQ(check(*v, none, 1700000000), Verdict::missing_signature);
}

TEST(JwtNetlify, SignWritesATokenThatVerifies) {
  auto v = build_ok(preset("netlify", {"netlify-jws-secret"}));
  SignedHeaders out;
  ASSERT_TRUE(v->sign(kNetlifyBody, at_unix(1700000000), "id-1", out));
  const std::string token = header_of(out, "X-Webhook-Signature");
  EXPECT_EQ(token.rfind("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 0), 0u) << token;
  EXPECT_EQ(check(*v, netlify_request(token), 1700000000), Verdict::ok);
}

TEST(JwtVonage, SignedTokensCarryIatAndTheWindowAppliesToIt) {
  // sign() writes no exp (vendors' own exp is enforced: see JwtGooglePubsub); the window
  // alone bounds a token hookgate signed.
  auto v = build_ok(preset("vonage", {"k"}));
  SignedHeaders out;
  ASSERT_TRUE(v->sign("{}", at_unix(1700000000), "", out));
  OwnedRequest r;
  r.with_body("{}").with("Authorization", header_of(out, "Authorization"));
  EXPECT_EQ(check(*v, r, 1700000000 + 300), Verdict::ok);
  EXPECT_EQ(check(*v, r, 1700000000 + 301), Verdict::timestamp_too_old);  // the iat window
}

TEST(JwtVonage, BearerPrefixAndIatWindow) {
  auto v = build_ok(preset("vonage", {"vonage-signature-secret"}));
  SignedHeaders out;
  ASSERT_TRUE(v->sign(R"({"status":"delivered"})", at_unix(1700000000), "", out));
  const std::string authorization = header_of(out, "Authorization");
  ASSERT_EQ(authorization.rfind("Bearer ", 0), 0u);
  OwnedRequest r;
  r.with_body(R"({"status":"delivered"})").with("Authorization", authorization);
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  EXPECT_EQ(check(*v, r, 1700000000 - 301), Verdict::timestamp_in_future);
  r.body = R"({"status":"rejected"})";
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::bad_body_hash);
}

TEST(JwtMessageBird, UrlHashCoversThePublicUrl) {
  auto v = build_ok(preset("messagebird", {"mb-signing-key"}));
  SignedHeaders out;
  const std::string url = "https://hooks.example.com/in/messagebird?x=1";
  ASSERT_TRUE(v->sign(SignInput{.body = "{}", .now = at_unix(1700000000), .id = "", .url = url}, out));
  OwnedRequest r;
  r.public_url = url;
  r.with_body("{}").with("MessageBird-Signature-JWT", header_of(out, "MessageBird-Signature-JWT"));
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  r.public_url = "https://hooks.example.com/in/messagebird?x=2";
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::bad_body_hash);
  SignedHeaders no_url;
  EXPECT_FALSE(v->sign("{}", at_unix(1700000000), "", no_url));
}

VerifySpec pubsub_spec(std::vector<std::string> accounts = {kPushAccount}) {
  VerifySpec spec = preset("google-pubsub", std::move(accounts));
  spec.public_key = testing::kTestJwks;
  return spec;
}

OwnedRequest pubsub_request(std::string token, std::string url = kPubsubUrl) {
  OwnedRequest r;
  r.public_url = std::move(url);
  r.with_body(R"({"message":{"data":"e30=","messageId":"136969346945"},"subscription":"projects/p/subscriptions/s"})")
      .with("Authorization", "Bearer " + std::move(token));
  return r;
}

TEST(JwtGooglePubsub, OidcTokenAgainstALocalJwks) {
  auto v = build_ok(pubsub_spec());
  EXPECT_EQ(check(*v, pubsub_request(kGoogleToken), 1700000100), Verdict::ok);
  EXPECT_EQ(check(*v, pubsub_request(kGoogleToken), 1700003600), Verdict::timestamp_too_old);  // exp
  // A token minted for another endpoint, or another service account, is not for this source.
  EXPECT_EQ(check(*v, pubsub_request(kGoogleToken, "https://elsewhere.example/in/pubsub"), 1700000100),
            Verdict::bad_signature);
  auto other_account = build_ok(pubsub_spec({"someone@else.iam.gserviceaccount.com"}));
  EXPECT_EQ(check(*other_account, pubsub_request(kGoogleToken), 1700000100), Verdict::bad_signature);
  std::string flipped = kGoogleToken;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'a' ? 'b' : 'a';
  EXPECT_EQ(check(*v, pubsub_request(flipped), 1700000100), Verdict::bad_signature);
  // hookgate holds no private key: it cannot sign Google's tokens.
  SignedHeaders out;
  EXPECT_FALSE(v->sign(SignInput{.body = "{}", .now = at_unix(1700000000), .id = "", .url = kPubsubUrl}, out));
  EXPECT_TRUE(v->signs_url());
}

TEST(JwtGooglePubsub, KeyMaterialIsRequiredAndChecked) {
  VerifySpec no_key = preset("google-pubsub", {kPushAccount});
  EXPECT_NE(build_verifier(no_key).error.find("no public_key"), std::string::npos);
  VerifySpec no_accounts = pubsub_spec({});
  EXPECT_NE(build_verifier(no_accounts).error.find("email"), std::string::npos);
  VerifySpec bad_key = pubsub_spec();
  bad_key.public_key = "not a key";
  EXPECT_NE(build_verifier(bad_key).error, "");
  bad_key.public_key = R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})";  // symmetric keys are not public keys
  EXPECT_NE(build_verifier(bad_key).error.find("no usable key"), std::string::npos);
}

TEST(JwtKinde, TheBodyIsTheToken) {
  VerifySpec spec;
  spec.provider = "kinde";
  spec.public_key = testing::kTestJwks;
  auto v = build_ok(spec);
  OwnedRequest r;
  r.with_body(kKindeToken);
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  r.body += "\r\n";  // a trailing line break is not part of the token
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  r.body = std::string(kKindeToken).substr(0, std::string(kKindeToken).size() - 4) + "AAAA";
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::bad_signature);
  OwnedRequest empty;
  EXPECT_EQ(check(*v, empty, 1700000000), Verdict::missing_signature);
}

TEST(JwtKinde, Es256TokensWithAnEcJwk) {
  VerifySpec spec;
  spec.provider = "kinde";
  spec.public_key = kEcJwk;
  auto v = build_ok(spec);
  OwnedRequest r;
  r.with_body(kEs256Token);
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  // The RSA token does not verify with the EC key, nor the EC token with the RSA keys.
  r.body = kKindeToken;
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::bad_signature);
  spec.public_key = testing::kTestJwks;
  auto rsa = build_ok(spec);
  r.body = kEs256Token;
  EXPECT_EQ(check(*rsa, r, 1700000000), Verdict::bad_signature);
}

// Plaid (https://plaid.com/docs/api/webhooks/webhook-verification/): Plaid-Verification is an
// ES256 JWT whose kid names a key from /webhook_verification_key/get; request_body_sha256 is
// the hex SHA-256 of the body; tokens older than 5 minutes are refused. Made with node:crypto
// (a P-256 key of the test's own, as that JWK) over Plaid's documented claims, iat 1700000000.
constexpr const char* kPlaidJwk = R"({"kty":"EC","x":"2YGKowFshQb7y_92j76REMmrGHExB7aDfpyceKP9zIs","y":"FhonSd4W-l1KkB8N3l3wO__UF_eQVx0E5um2ZcJMfCU","crv":"P-256","kid":"plaid-kid-1","alg":"ES256","use":"sig"})";
constexpr const char* kPlaidBody = R"({"webhook_type":"TRANSACTIONS","webhook_code":"SYNC_UPDATES_AVAILABLE","item_id":"wz666MBjYWTp2PDzzggYhM6oWWmBb"})";
constexpr const char* kPlaidToken = "eyJhbGciOiJFUzI1NiIsImtpZCI6InBsYWlkLWtpZC0xIiwidHlwIjoiSldUIn0.eyJpYXQiOjE3MDAwMDAwMDAsInJlcXVlc3RfYm9keV9zaGEyNTYiOiJkNmI1YmE3OWNkM2JhNjcyZjhjZTRjMDgyMjRhMmVmNzc2ZTY2M2E5NjQyNTAyNWU0OTJkYzk5ZTFhYTMwYjY2In0.Iu51LppmXMmQ-ct_EJdEqE89ts7LRGf2hRFDjQfC6LE6MWBQ8PQ41LfNDiRhSSpIHdhEREy8r4YVHDR0_TmGUw";

TEST(JwtPlaid, Es256TokenWithBodyHashAndFiveMinuteWindow) {
  VerifySpec spec;
  spec.provider = "plaid";
  spec.public_key = kPlaidJwk;
  auto v = build_ok(spec);
  OwnedRequest r;
  r.with_body(kPlaidBody).with("Plaid-Verification", kPlaidToken);
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "SYNC_UPDATES_AVAILABLE");
  EXPECT_EQ(check(*v, r, 1700000000 + 300), Verdict::ok);
  EXPECT_EQ(check(*v, r, 1700000000 + 301), Verdict::timestamp_too_old);
  OwnedRequest changed = r;
  changed.body[20] ^= 0x01;
  EXPECT_EQ(check(*v, changed, 1700000000), Verdict::bad_body_hash);
  // Another key (the RSA JWKS) does not verify it; Plaid's keys are public: nothing to sign with.
  spec.public_key = testing::kTestJwks;
  EXPECT_EQ(check(*build_ok(spec), r, 1700000000), Verdict::bad_signature);
  SignedHeaders out;
  EXPECT_FALSE(v->sign(kPlaidBody, at_unix(1700000000), "", out));
}

// FusionAuth (https://fusionauth.io/docs/extend/events-and-webhooks/signing): an HMAC-keyed
// webhook signs X-FusionAuth-Signature-JWT with HS256, its request_body_sha256 claim being the
// base64 (not hex) SHA-256 of the body. Made with node:crypto, key "fusionauth-hmac-key".
constexpr const char* kFusionAuthBody = R"({"event":{"id":"e5a5a7c6-0000-4c3b-9a1e-000000000001","type":"user.create","user":{"email":"a@b.c"}}})";
constexpr const char* kFusionAuthToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDAsInJlcXVlc3RfYm9keV9zaGEyNTYiOiI0UklzZjV3VDdUQUhRTndMMzdmMWQ4SFhFQmRlMDFMWkFEUW84bWorRWEwPSJ9.B1YeeMO1uKeATRSipn76DiZ-KmNfKB3cp7bPBT8ruEY";

TEST(JwtFusionAuth, Hs256TokenWithABase64BodyHash) {
  auto v = build_ok(preset("fusionauth", {"fusionauth-hmac-key"}));
  OwnedRequest r;
  r.with_body(kFusionAuthBody).with("X-FusionAuth-Signature-JWT", kFusionAuthToken);
  EXPECT_EQ(check(*v, r, 1700000000), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "e5a5a7c6-0000-4c3b-9a1e-000000000001");
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "user.create");
  OwnedRequest changed = r;
  changed.body[30] ^= 0x01;
  EXPECT_EQ(check(*v, changed, 1700000000), Verdict::bad_body_hash);
  EXPECT_EQ(check(*build_ok(preset("fusionauth", {"another-key"})), r, 1700000000), Verdict::bad_signature);
  // An RSA/EC-signed webhook needs only public_key; a source with neither is a config error.
  VerifySpec keys_only;
  keys_only.provider = "fusionauth";
  keys_only.public_key = testing::kTestJwks;
  // An HS256 token where no HS256 key is configured: an algorithm this source does not accept.
  EXPECT_EQ(check(*build_ok(keys_only), r, 1700000000), Verdict::malformed_signature);
  keys_only.public_key.clear();
  EXPECT_NE(build_verifier(keys_only).error.find("no key"), std::string::npos);
  // sign() writes the hash as FusionAuth does: base64, so its token verifies, and a hex hash
  // (Plaid's and Netlify's form) is not FusionAuth's.
  SignedHeaders out;
  ASSERT_TRUE(v->sign(kFusionAuthBody, at_unix(1700000000), "", out));
  OwnedRequest resent;
  resent.with_body(kFusionAuthBody).with(out);
  EXPECT_EQ(check(*v, resent, 1700000000), Verdict::ok);
  const std::string token = header_of(out, "X-FusionAuth-Signature-JWT");
  const std::string claims = token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  std::array<unsigned char, 256> bytes{};
  const std::optional<std::size_t> size = base64url_decode(claims, bytes);
  ASSERT_TRUE(size) << claims;
  const std::string decoded(reinterpret_cast<const char*>(bytes.data()), *size);
  EXPECT_NE(decoded.find(R"("request_body_sha256":"4RIsf5wT7TAHQNwL37f1d8HXEBde01LZADQo8mj+Ea0=")"), std::string::npos) << decoded;
}

TEST(KeySet, FormsAndKeyIds) {
  std::string error;
  EXPECT_NE(KeySet::parse(testing::kTestJwks, error), nullptr) << error;
  EXPECT_NE(KeySet::parse(kEcJwk, error), nullptr) << error;
  EXPECT_EQ(KeySet::parse("", error), nullptr);
  EXPECT_EQ(KeySet::parse("{", error), nullptr);
  EXPECT_EQ(KeySet::parse(R"({"keys":[]})", error), nullptr);
  EXPECT_EQ(KeySet::parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", error), nullptr);
  // An encryption key ("use":"enc") is not used for signatures.
  std::string enc = testing::kTestJwks;
  enc.replace(enc.find("\"use\":\"sig\""), 11, "\"use\":\"enc\"");
  EXPECT_EQ(KeySet::parse(enc, error), nullptr);
}

TEST(ChallengeEcho, MondayCreationChallenge) {
  auto v = build_ok(preset("monday", {"monday-signing-secret"}));
  OwnedRequest r;
  r.with_body(R"({"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})");
  const auto answered = v->handshake(r.view(), at_unix(1700000000));
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->reply.body, R"({"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})");
  OwnedRequest event;
  event.with_body(R"({"event":{"type":"create_item"},"challenge":"x"})");
  EXPECT_FALSE(v->handshake(event.view(), at_unix(1700000000)).has_value());
  OwnedRequest odd;
  odd.with_body(R"({"challenge":"<script>"})");
  const auto refused = v->handshake(odd.view(), at_unix(1700000000));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->verdict, Verdict::malformed_signature);
}

}  // namespace
}  // namespace hookgate::verify
