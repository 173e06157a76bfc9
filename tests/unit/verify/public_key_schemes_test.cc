// Public-key presets and blocks: Discord (Ed25519, hex), SendGrid (ECDSA P-256, base64 DER) and
// the generic `ed25519:` / `ecdsa_p256:` blocks. Requests are signed here with the private
// halves of the test keys (libsodium / OpenSSL), the way the vendors' docs describe.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "test_request.h"
#include "verify/encoding.h"
#include "verify/event_fields.h"
#include "verify/public_key.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::OwnedRequest;
using testing::preset;

std::vector<unsigned char> b64(std::string_view text) {
  return decode_secret(SecretEncoding::base64, text).value_or(std::vector<unsigned char>{});
}

// Ed25519 with the svix-server test keypair (seed || public key, libsodium's secret key form).
std::vector<unsigned char> ed25519_sign(std::string_view message) {
  const std::vector<unsigned char> secret = b64(testing::kEd25519KeypairB64);
  std::vector<unsigned char> signature(crypto_sign_BYTES);
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret.data());
  return signature;
}

// ECDSA P-256 / SHA-256, DER signature, with the test PKCS#8 key.
std::vector<unsigned char> p256_sign(std::string_view message) {
  const std::vector<unsigned char> der = b64(testing::kP256PrivatePkcs8B64);
  const unsigned char* cursor = der.data();
  EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &cursor, static_cast<long>(der.size()));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::vector<unsigned char> signature(80);
  std::size_t size = signature.size();
  const bool ok = key && ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestSign(ctx, signature.data(), &size, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  signature.resize(ok ? size : 0);
  return signature;
}

class Discord : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }

  OwnedRequest signed_request(const std::string& body, const std::string& ts = "1700000000") {
    OwnedRequest r;
    r.with_body(body)
        .with("X-Signature-Ed25519", hex_encode(ed25519_sign(ts + body)))
        .with("X-Signature-Timestamp", ts);
    return r;
  }

  std::shared_ptr<const Verifier> v = [] {
    VerifySpec spec = preset("discord", {});
    // Discord hands out the application public key as hex.
    spec.public_key = "d52880e28f61caa4c2a48a82e55f4751a92289a78009ea9f6532270c16ce8abe";
    return build_ok(spec);
  }();
};

TEST_F(Discord, SignedEventVerifiesAndIsAcknowledgedWith204) {
  const std::string body = R"({"version":1,"application_id":"1","type":1,"event":{"type":"APPLICATION_AUTHORIZED"}})";
  OwnedRequest r = signed_request(body);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_EQ(v->success_status(), 204);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "APPLICATION_AUTHORIZED");
  EXPECT_FALSE(v->handshake(r.view(), at_unix(1700000000))) << "a webhook event is not a PING";
  r.body[r.body.size() - 3] = 'X';
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::bad_signature);
}

TEST_F(Discord, TimestampIsSignedAndHeadersAreChecked) {
  OwnedRequest r = signed_request(R"({"type":2})");
  r.headers.back().second = "1700000001";
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::bad_signature);
  OwnedRequest none;
  none.with_body("{}");
  EXPECT_EQ(v->verify(none.view(), at_unix(1700000000)), Verdict::missing_signature);
  OwnedRequest short_sig = signed_request("{}");
  short_sig.headers.front().second = "abcd";
  EXPECT_EQ(v->verify(short_sig.view(), at_unix(1700000000)), Verdict::malformed_signature);
}

// Discord documents no window, but the timestamp is signed: hookgate's default applies, so a
// captured request (a PING included) cannot be replayed forever.
TEST_F(Discord, SignedTimestampIsHeldToTheDefaultWindowInBothDirections) {
  OwnedRequest r = signed_request(R"({"type":2})");
  const std::int64_t window = kDefaultTolerance.count();
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000 + window)), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000 + window + 1)), Verdict::timestamp_too_old);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000 - window - 1)), Verdict::timestamp_in_future);
}

TEST_F(Discord, CannotSign) {
  SignedHeaders out;
  EXPECT_FALSE(v->sign("{}", at_unix(0), "", out));
}

TEST(SendGrid, EcdsaP256OverTimestampAndBody) {
  VerifySpec spec = preset("sendgrid", {});
  spec.public_key = testing::kP256PublicB64;
  auto v = build_ok(spec);
  const std::string body = "[{\"email\":\"a@b.c\",\"event\":\"processed\",\"sg_event_id\":\"sg1\"}]\r\n";
  const std::string ts = "1700000000";
  OwnedRequest r;
  r.with_body(body)
      .with("X-Twilio-Email-Event-Webhook-Signature", base64_encode(p256_sign(ts + body)))
      .with("X-Twilio-Email-Event-Webhook-Timestamp", ts);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "sg1");
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "processed");
  OwnedRequest tampered = r;
  tampered.body.pop_back();  // the trailing \r\n is part of the signed bytes
  EXPECT_EQ(v->verify(tampered.view(), at_unix(1700000000)), Verdict::bad_signature);
  OwnedRequest other_ts = r;
  other_ts.headers.back().second = "1700000001";
  EXPECT_EQ(v->verify(other_ts.view(), at_unix(1700000000)), Verdict::bad_signature);
  // SendGrid documents no window; the signed timestamp is held to hookgate's default.
  const std::int64_t window = kDefaultTolerance.count();
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000 + window + 1)), Verdict::timestamp_too_old);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000 - window - 1)), Verdict::timestamp_in_future);

  // The same key as PEM (what `openssl ec -pubout` writes) also works.
  VerifySpec pem = spec;
  pem.public_key = std::string("-----BEGIN PUBLIC KEY-----\n") + std::string(testing::kP256PublicB64).substr(0, 64) +
                   "\n" + std::string(testing::kP256PublicB64).substr(64) + "\n-----END PUBLIC KEY-----\n";
  EXPECT_EQ(build_ok(pem)->verify(r.view(), at_unix(1700000000)), Verdict::ok);
}

TEST(GenericPublicKey, Ed25519BlockWithItsOwnEnvelope) {
  PublicKeySpec spec;
  spec.algorithm = PublicKeyAlgorithm::ed25519;
  spec.envelope.header = "X-Sig";
  spec.envelope.encoding = Encoding::base64;
  spec.envelope.prefix = "ed25519=";
  spec.envelope.signed_template = "{timestamp}.{body}";
  spec.envelope.timestamp = testing::header_timestamp("X-Ts", TimestampFormat::unix_seconds);
  VerifySpec vs;
  vs.signature = spec;
  vs.public_key = testing::kEd25519Whpk;
  auto v = build_ok(vs);
  OwnedRequest r;
  r.with_body("hello").with("X-Ts", "1700000000").with("X-Sig", "ed25519=" + base64_encode(ed25519_sign("1700000000.hello")));
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000301)), Verdict::timestamp_too_old);  // default 5 min
}

TEST(GenericPublicKey, EcdsaBlockRejectsGarbageSignatures) {
  PublicKeySpec spec;
  spec.algorithm = PublicKeyAlgorithm::ecdsa_p256;
  spec.envelope.header = "X-Sig";
  VerifySpec vs;
  vs.signature = spec;
  vs.public_key = testing::kP256PublicB64;
  auto v = build_ok(vs);
  OwnedRequest r;
  r.with_body("x").with("X-Sig", base64_encode(std::vector<unsigned char>(70, 0x30)));
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::bad_signature);
  r.headers.back().second = base64_encode(p256_sign("x"));
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::ok);
}

TEST(PublicKeyParse, RejectsOtherCurvesAndJunkWithoutEchoingTheKey) {
  std::string error;
  EXPECT_FALSE(PublicKey::parse(PublicKeyAlgorithm::ecdsa_p256, "bm90IGEga2V5", error));
  EXPECT_EQ(error.find("bm90IGEga2V5"), std::string::npos);
  // An Ed25519 SPKI is not a P-256 key.
  EXPECT_FALSE(PublicKey::parse(PublicKeyAlgorithm::ecdsa_p256, "MCowBQYDK2VwAyEA1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=", error));
  EXPECT_FALSE(PublicKey::parse(PublicKeyAlgorithm::ed25519, "whpk_AAAA", error));
  EXPECT_TRUE(PublicKey::parse(PublicKeyAlgorithm::ed25519, testing::kEd25519Whpk, error));
}

}  // namespace
}  // namespace hookgate::verify
