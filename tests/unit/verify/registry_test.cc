// build_verifier(): preset lookup, generic schemes, overrides and every build error.
#include "verify/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "test_request.h"
#include "verify/event_fields.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using testing::at_unix;
using testing::build_ok;
using testing::generic;
using testing::OwnedRequest;
using testing::preset;

std::string error_of(const VerifySpec& spec) {
  const BuildResult result = build_verifier(spec);
  EXPECT_EQ(result.verifier, nullptr) << "expected a build error";
  return result.error;
}

HmacSpec timestamped() {
  return HmacSpec{.envelope = {.header = "X-Sig",
                               .prefix = "v1=",
                               .separator = ",",
                               .signed_template = "{timestamp}.{body}",
                               .timestamp = testing::keyed_timestamp("t", TimestampFormat::unix_seconds)}};
}

TEST(PresetNames, SortedWithAliasesAndTheIssueCatalogue) {
  const std::vector<std::string> names = preset_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  // Every provider of the catalogue (issue 4), by the name an operator writes.
  for (const char* name :
       {"stripe", "github", "gitlab", "gitlab-signing", "bitbucket", "shopify", "slack", "twilio",
        "sendgrid", "mailgun", "postmark", "standard-webhooks", "svix", "clerk", "resend",
        "discord", "paddle", "linear", "square", "zoom", "meta", "facebook", "instagram",
        "whatsapp", "twitter", "x", "twitch", "hubspot", "hubspot-v1", "hubspot-v2", "intercom",
        "zendesk", "pagerduty", "sentry", "vercel", "typeform", "calendly", "asana", "dropbox",
        "microsoft-graph", "okta", "coinbase-commerce", "mux", "lemonsqueezy", "jira", "adyen",
        "adyen-hmac", "none"}) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), name) != names.end()) << name;
  }
  EXPECT_GE(names.size(), 40u);
}

TEST(BuildVerifier, EveryPresetBuilds) {
  for (const std::string& name : preset_names()) {
    const BuildResult r = build_verifier(testing::sample_spec(name));
    EXPECT_EQ(r.error, "") << name;
    EXPECT_NE(r.verifier, nullptr) << name;
  }
}

TEST(BuildVerifier, EveryPresetHasDocsAndAProof) {
  for (const Preset& p : presets()) {
    const PresetDescription d = describe(p);
    EXPECT_FALSE(d.vendor.empty()) << p.name;
    EXPECT_FALSE(d.scheme.empty()) << p.name;
    EXPECT_FALSE(d.headers.empty()) << p.name;
    if (p.name != "none") {
      EXPECT_FALSE(d.proof.empty()) << p.name;
    }
  }
}

TEST(BuildVerifier, UnknownProviderListsValidNames) {
  const std::string error = error_of(preset("strpe", {"s"}));
  EXPECT_EQ(error.rfind("unknown provider 'strpe' (valid: adyen, adyen-hmac, ", 0), 0u) << error;
  EXPECT_NE(error.find(", stripe, "), std::string::npos);
  EXPECT_NE(error.find(", svix, "), std::string::npos);
  // Names are exact: no case folding.
  EXPECT_EQ(error_of(preset("Stripe", {"s"})).rfind("unknown provider 'Stripe'", 0), 0u);
}

TEST(BuildVerifier, ProviderAndGenericBlocksAreExclusive) {
  VerifySpec both = preset("stripe", {"s"});
  both.hmac = HmacSpec{.envelope = {.header = "X-Sig"}};
  EXPECT_EQ(error_of(both),
            "give only one of provider, hmac, ed25519, ecdsa_p256, token, basic_auth (got provider "
            "and hmac)");
  VerifySpec token_and_basic;
  token_and_basic.token = TokenSpec{.header = "X-Token"};
  token_and_basic.basic_auth = true;
  token_and_basic.secrets = {"a:b"};
  EXPECT_EQ(error_of(token_and_basic),
            "give only one of provider, hmac, ed25519, ecdsa_p256, token, basic_auth (got token "
            "and basic_auth)");
  const std::string none_given = error_of(VerifySpec{.secrets = {"s"}});
  EXPECT_EQ(none_given.rfind("give a provider (one of: adyen, ", 0), 0u);
  EXPECT_NE(none_given.find(") or a generic block (hmac, ed25519, ecdsa_p256, token, basic_auth)"),
            std::string::npos);
}

TEST(BuildVerifier, KeysTheSchemeWouldIgnoreAreErrors) {
  VerifySpec stripe_with_key = preset("stripe", {"s"});
  stripe_with_key.public_key = testing::kEd25519Whpk;
  EXPECT_EQ(error_of(stripe_with_key),
            "public_key is not used by provider 'stripe' (it verifies with secrets)");
  VerifySpec discord = testing::sample_spec("discord");
  discord.secrets = {"s"};
  EXPECT_EQ(error_of(discord),
            "secrets are not used by provider 'discord' (it verifies with public_key)");
  VerifySpec github_token = preset("github", {"s"});
  github_token.verify_token = "t";
  EXPECT_EQ(error_of(github_token).rfind("verify_token is only used by Meta's GET handshake", 0), 0u);
  EXPECT_EQ(error_of(preset("none", {"s"})), "secrets are not used by provider 'none'");
  EXPECT_EQ(error_of(preset("discord", {})),
            "no public_key: provider 'discord' verifies with the vendor's public key");
  EXPECT_EQ(error_of(preset("standard-webhooks", {})),
            "give secrets (v1, whsec_…) and/or public_key (v1a, whpk_…)");
}

TEST(BuildVerifier, PublicKeysMustParse) {
  VerifySpec discord = preset("discord", {});
  discord.public_key = "not-a-key";
  EXPECT_EQ(error_of(discord).rfind("public_key is not an Ed25519 public key", 0), 0u);
  VerifySpec sendgrid = preset("sendgrid", {});
  sendgrid.public_key = testing::kEd25519Whpk;
  EXPECT_EQ(error_of(sendgrid).rfind("public_key is not", 0), 0u);
  // A P-256 key is not an Ed25519 key and vice versa.
  discord.public_key = testing::kP256PublicB64;
  EXPECT_EQ(error_of(discord).rfind("public_key is not an Ed25519 public key", 0), 0u);
}

TEST(BuildVerifier, SecretsAreRequiredExceptForNone) {
  EXPECT_EQ(error_of(preset("stripe", {})),
            "no secrets: this scheme signs with a shared secret, give at least one");
  EXPECT_EQ(error_of(generic(HmacSpec{.envelope = {.header = "X-Sig"}}, {})),
            "no secrets: this scheme signs with a shared secret, give at least one");
  EXPECT_NE(build_ok(preset("none", {})), nullptr);
}

TEST(BuildVerifier, UndecodableSecretNamesItsIndexNotItsValue) {
  const std::string error = error_of(
      preset("standard-webhooks", {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not*base64!"}));
  EXPECT_EQ(error, "secrets[1] is not valid base64");
  EXPECT_EQ(error.find("not*base64"), std::string::npos);

  HmacSpec hex{.envelope = {.header = "X-Sig"}, .secret_encoding = SecretEncoding::hex};
  EXPECT_EQ(error_of(generic(hex, {"zz-secret-zz"})), "secrets[0] is not valid hex");
  EXPECT_EQ(error_of(preset("stripe", {"whsec_a", ""})), "secrets[1] is empty");
}

TEST(BuildVerifier, HmacSpecErrors) {
  EXPECT_EQ(error_of(generic(HmacSpec{.envelope = {.header = ""}}, {"k"})), "hmac.header is empty");
  EXPECT_EQ(error_of(generic(HmacSpec{.envelope = {.header = "X-Sig", .signed_template = "{ts}.{body}"}},
                             {"k"})),
            "hmac.signed: unknown variable {ts} (known: {body} {timestamp} {id} {method} "
            "{url})");
  EXPECT_EQ(error_of(generic(HmacSpec{.envelope = {.header = "X-Sig", .signed_template = "static"}},
                             {"k"}))
                .rfind("hmac.signed must include {body}", 0),
            0u);
  EXPECT_EQ(error_of(generic(
                HmacSpec{.envelope = {.header = "X-Sig", .signed_template = "{timestamp}.{body}"}}, {"k"})),
            "hmac.signed uses {timestamp} but hmac.timestamp is not set");
  EXPECT_EQ(error_of(generic(HmacSpec{.envelope = {.header = "X-Sig", .signed_template = "{id}.{body}"}},
                             {"k"})),
            "hmac.signed uses {id} but hmac.id_header is not set");
  EXPECT_EQ(error_of(generic(HmacSpec{.envelope = {.header = "X-Sig", .separator = ", "}}, {"k"})),
            "hmac.separator must be empty or one character (\",\", \";\" or \" \")");
  HmacSpec no_sep = timestamped();
  no_sep.envelope.separator = "";
  EXPECT_EQ(error_of(generic(no_sep, {"k"})),
            "hmac.timestamp in the signature header needs hmac.separator");
  HmacSpec no_name = timestamped();
  no_name.envelope.timestamp.name = "";
  EXPECT_EQ(error_of(generic(no_name, {"k"})),
            "hmac.timestamp needs a name (a header, or the key inside the signature header)");
  HmacSpec body_ts = timestamped();
  body_ts.envelope.timestamp.kind = TimestampSource::Kind::json;
  body_ts.envelope.timestamp.name = "webhookTimestamp";
  EXPECT_EQ(error_of(generic(body_ts, {"k"})),
            "hmac.timestamp.json must be a JSON pointer such as /webhookTimestamp");
}

// The public-key blocks obey the same envelope rules, reported under their own YAML key.
TEST(BuildVerifier, PublicKeySpecErrorsNameTheirBlock) {
  VerifySpec spec;
  spec.public_key = testing::kEd25519Whpk;
  // Setting `envelope` replaces its defaults: the public-key encoding is given again.
  spec.signature = PublicKeySpec{.envelope = {.header = "X-Sig",
                                              .encoding = Encoding::base64,
                                              .signed_template = "{timestamp}{body}"}};
  EXPECT_EQ(error_of(spec), "ed25519.signed uses {timestamp} but ed25519.timestamp is not set");
  spec.public_key = testing::kP256PublicB64;
  spec.signature = PublicKeySpec{.algorithm = PublicKeyAlgorithm::ecdsa_p256,
                                 .envelope = {.header = "X-Sig",
                                              .encoding = Encoding::base64,
                                              .signed_template = "{timestamp}"}};
  EXPECT_EQ(error_of(spec).rfind("ecdsa_p256.signed must include {body}", 0), 0u);
  spec.signature = PublicKeySpec{.algorithm = PublicKeyAlgorithm::ecdsa_p256,
                                 .envelope = {.header = "", .encoding = Encoding::base64}};
  EXPECT_EQ(error_of(spec), "ecdsa_p256.header is empty");
}

TEST(BuildVerifier, NegativeToleranceIsAnError) {
  VerifySpec spec = preset("stripe", {"k"});
  spec.tolerance = -1s;
  EXPECT_EQ(error_of(spec), "tolerance must not be negative");
}

TEST(BuildVerifier, BadEventFieldOverrides) {
  VerifySpec spec = preset("stripe", {"k"});
  spec.event_id = FieldRef{FieldRef::Kind::json, "id"};
  EXPECT_EQ(error_of(spec), "event_id: a JSON pointer starts with '/' (RFC 6901), got 'id'");
  spec.event_id.reset();
  spec.event_type = FieldRef{FieldRef::Kind::header, ""};
  EXPECT_EQ(error_of(spec), "event_type: header name is empty");
}

TEST(BuildVerifier, GenericSchemeWithTimestampDefaultsToFiveMinutes) {
  auto v = build_ok(generic(timestamped(), {"k"}));
  SignedHeaders out;
  ASSERT_TRUE(v->sign("b", at_unix(1700000000), "", out));
  OwnedRequest r;
  r.with_body("b").with(out);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000300)), Verdict::ok);
  EXPECT_EQ(v->verify(r.view(), at_unix(1700000301)), Verdict::timestamp_too_old);
  EXPECT_EQ(v->verify(r.view(), at_unix(1699999699)), Verdict::timestamp_in_future);
}

TEST(BuildVerifier, GenericSchemeHasNoEventFieldsUnlessConfigured) {
  auto v = build_ok(generic(HmacSpec{.envelope = {.header = "X-Sig"}}, {"k"}));
  EXPECT_EQ(v->event_id_field().kind, FieldRef::Kind::none);
  EXPECT_EQ(v->event_type_field().kind, FieldRef::Kind::none);
}

TEST(BuildVerifier, EventFieldOverridesReplacePresetDefaults) {
  VerifySpec spec = preset("stripe", {"whsec_test"});
  spec.event_id = FieldRef{FieldRef::Kind::json, "/data/object/id"};
  spec.event_type = FieldRef{FieldRef::Kind::header, "X-Type"};
  auto v = build_ok(spec);
  EXPECT_EQ(v->event_id_field().kind, FieldRef::Kind::json);
  EXPECT_EQ(v->event_id_field().name, "/data/object/id");
  EXPECT_EQ(v->event_type_field().kind, FieldRef::Kind::header);
  EXPECT_EQ(v->event_type_field().name, "X-Type");

  VerifySpec gh = preset("github", {"k"});
  gh.event_type = FieldRef{FieldRef::Kind::json, "/action"};
  auto g = build_ok(gh);
  EXPECT_EQ(g->event_type_field().name, "/action");
  EXPECT_EQ(g->event_id_field().name, "X-GitHub-Delivery");  // not overridden
}

TEST(NoneProvider, AcceptsEverythingAndCannotSign) {
  auto v = build_ok(preset("none", {}));
  OwnedRequest r;
  r.with_body("anything").with("Stripe-Signature", "garbage");
  EXPECT_EQ(v->verify(r.view(), at_unix(0)), Verdict::ok);
  EXPECT_EQ(v->verify(OwnedRequest{}.view(), at_unix(0)), Verdict::ok);
  SignedHeaders out;
  out.headers.emplace_back("stale", "value");
  EXPECT_FALSE(v->sign("b", at_unix(0), "id", out));
  EXPECT_TRUE(out.headers.empty());
  EXPECT_EQ(v->event_id_field().kind, FieldRef::Kind::none);
  EXPECT_EQ(v->event_type_field().kind, FieldRef::Kind::none);
}

TEST(NoneProvider, EventFieldsFromOverrides) {
  VerifySpec spec = preset("none", {});
  spec.event_id = FieldRef{FieldRef::Kind::header, "X-Request-Id"};
  spec.event_type = FieldRef{FieldRef::Kind::json, "/kind"};
  auto v = build_ok(spec);
  OwnedRequest r;
  r.with_body(R"({"kind":"order.created"})").with("x-request-id", "r-1");
  EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "r-1");
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "order.created");
}

TEST(BuildVerifier, VerifierIsUsableFromManyThreads) {
  auto v = build_ok(preset("stripe", {"whsec_test"}));
  OwnedRequest r;
  r.with_body(R"({"id":"evt_1","object":"event"})")
      .with("Stripe-Signature",
            "t=1700000000,v1=4c15fb2a43f93ef61eaa3e0893866d57cad9cad4223242cfb96f362480cb4021");
  const Request view = r.view();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (v->verify(view, at_unix(1700000000)) == Verdict::ok) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 2000);
}

}  // namespace
}  // namespace hookgate::verify
