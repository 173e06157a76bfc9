// The verify keys of the provider catalogue: public keys, Meta's verify token, the generic
// public-key / token / basic-auth blocks, IP allowlists, body timestamps and public_url.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_support.h"

namespace hookgate::config {
namespace {

using ::testing::HasSubstr;
using testing::error_lines;
using testing::load;

constexpr const char* kEd25519Hex = "d52880e28f61caa4c2a48a82e55f4751a92289a78009ea9f6532270c16ce8abe";
constexpr const char* kP256 =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEx4dn8Y09pZievPzLdGQ7/N/yE3lcgs0WLMuG0U//MLU1DEFufOc4CfG2"
    "FH3X7kppfHavq2ZG0lntxPjcicU4VA==";

std::string config(const std::string& sources) {
  return std::string(testing::kMinimal) + "sources:\n" + sources;
}

std::string only_error(const LoadResult& result) {
  EXPECT_EQ(result.config, nullptr);
  EXPECT_EQ(result.errors.size(), 1u) << ::testing::PrintToString(error_lines(result));
  return result.errors.empty() ? std::string() : result.errors.front().to_string();
}

const SourceConfig& only_source(const LoadResult& result) {
  static const SourceConfig empty;
  EXPECT_TRUE(result.errors.empty()) << ::testing::PrintToString(error_lines(result));
  if (!result.config || result.config->sources.empty()) return empty;
  return result.config->sources.front();
}

TEST(ProviderKeys, PublicKeyAndVerifyTokenReachTheirPresets) {
  const auto discord = load(config("  d: {path: /d, verify: {provider: discord, public_key: " +
                                   std::string(kEd25519Hex) + "}}\n"));
  EXPECT_EQ(only_source(discord).verify.public_key, kEd25519Hex);
  EXPECT_NE(only_source(discord).verifier, nullptr);

  const auto meta = load(config("  m: {path: /m, verify: {provider: meta, secrets: [app-secret], "
                                "verify_token: my-token}}\n"));
  EXPECT_EQ(only_source(meta).verify.verify_token, "my-token");
  EXPECT_TRUE(only_source(meta).verifier->answers_get());

  const auto sendgrid = load(config("  s: {path: /s, verify: {provider: sendgrid, public_key: \"" +
                                    std::string(kP256) + "\"}}\n"));
  EXPECT_NE(only_source(sendgrid).verifier, nullptr);
}

TEST(ProviderKeys, KeysAPresetDoesNotUseAreErrors) {
  EXPECT_EQ(only_error(load(config("  d: {path: /d, verify: {provider: discord, secrets: [x], public_key: " +
                                   std::string(kEd25519Hex) + "}}\n"))),
            "hookgate.yaml:3:25: sources.d.verify: secrets are not used by provider 'discord' (it "
            "verifies with public_key)");
  EXPECT_THAT(only_error(load(config("  g: {path: /g, verify: {provider: github, secrets: [x], verify_token: t}}\n"))),
              HasSubstr("verify_token is only used by Meta's GET handshake"));
  EXPECT_THAT(only_error(load(config("  d: {path: /d, verify: {provider: discord, public_key: nothex}}\n"))),
              HasSubstr("public_key is not an Ed25519 public key"));
}

TEST(ProviderKeys, GenericPublicKeyBlocks) {
  const auto ed = load(config("  e:\n"
                              "    path: /e\n"
                              "    verify:\n"
                              "      ed25519: {header: X-Sig, encoding: hex, signed: \"{timestamp}{body}\", "
                              "timestamp: {header: X-Ts}}\n"
                              "      public_key: " + std::string(kEd25519Hex) + "\n"));
  const SourceConfig& e = only_source(ed);
  ASSERT_TRUE(e.verify.signature);
  EXPECT_EQ(e.verify.signature->algorithm, verify::PublicKeyAlgorithm::ed25519);
  EXPECT_EQ(e.verify.signature->envelope.header, "X-Sig");
  EXPECT_EQ(e.verify.signature->envelope.encoding, verify::Encoding::hex);
  EXPECT_EQ(e.verify.signature->envelope.signed_template, "{timestamp}{body}");
  EXPECT_EQ(e.verify.signature->envelope.timestamp.name, "X-Ts");

  const auto ec = load(config("  c: {path: /c, verify: {ecdsa_p256: {header: X-Sig}, public_key: \"" +
                              std::string(kP256) + "\"}}\n"));
  ASSERT_TRUE(only_source(ec).verify.signature);
  EXPECT_EQ(only_source(ec).verify.signature->algorithm, verify::PublicKeyAlgorithm::ecdsa_p256);
  EXPECT_EQ(only_source(ec).verify.signature->envelope.encoding, verify::Encoding::base64);

  EXPECT_EQ(only_error(load(config("  c: {path: /c, verify: {ecdsa_p256: {header: X-Sig}, "
                                   "ed25519: {header: X-Sig}, public_key: k}}\n"))),
            "hookgate.yaml:3:38: sources.c.verify.ecdsa_p256: give either ed25519 or ecdsa_p256, not both");
  EXPECT_EQ(only_error(load(config("  c: {path: /c, verify: {ed25519: {header: X-Sig, algorithm: sha1}, public_key: k}}\n"))),
            "hookgate.yaml:3:51: sources.c.verify.ed25519: unknown key 'algorithm'");
}

TEST(ProviderKeys, TokenBasicAuthAndTheirErrors) {
  const auto token = load(config("  t: {path: /t, verify: {token: {header: X-Token, prefix: \"Bearer \"}, secrets: [s3cret]}}\n"));
  ASSERT_TRUE(only_source(token).verify.token);
  EXPECT_EQ(only_source(token).verify.token->header, "X-Token");
  EXPECT_EQ(only_source(token).verify.token->prefix, "Bearer ");

  const auto basic = load(config("  b: {path: /b, verify: {basic_auth: true, secrets: [\"user:pw\"]}}\n"));
  EXPECT_TRUE(only_source(basic).verify.basic_auth);
  const auto basic_map = load(config("  b: {path: /b, verify: {basic_auth: {}, secrets: [\"user:pw\"]}}\n"));
  EXPECT_TRUE(only_source(basic_map).verify.basic_auth);

  EXPECT_EQ(only_error(load(config("  b: {path: /b, verify: {basic_auth: true, secrets: [nocolon]}}\n"))),
            "hookgate.yaml:3:25: sources.b.verify: secrets[0] must be user:password");
  EXPECT_EQ(only_error(load(config("  t: {path: /t, verify: {token: {prefix: x}, secrets: [s]}}\n"))),
            "hookgate.yaml:3:33: sources.t.verify.token: missing required key 'header'");
  EXPECT_THAT(only_error(load(config("  t: {path: /t, verify: {token: {header: X-T}, basic_auth: true, secrets: [\"a:b\"]}}\n"))),
              HasSubstr("give only one of provider, hmac, ed25519, ecdsa_p256, token, basic_auth (got token and basic_auth)"));
}

TEST(ProviderKeys, IpAllowlistCombinesWithAnyScheme) {
  const auto result = load(config("  p:\n"
                                  "    path: /p\n"
                                  "    verify:\n"
                                  "      provider: postmark\n"
                                  "      secrets: [\"u:p\"]\n"
                                  "      ip_allowlist:\n"
                                  "        allow: [3.134.147.250, 50.31.156.6/32, \"2001:db8::/32\"]\n"
                                  "        proxy_header: X-Forwarded-For\n"
                                  "        trusted_proxies: [10.0.0.0/8]\n"));
  const SourceConfig& p = only_source(result);
  ASSERT_TRUE(p.verify.ip_allowlist);
  EXPECT_EQ(p.verify.ip_allowlist->allow.size(), 3u);
  EXPECT_EQ(p.verify.ip_allowlist->proxy_header, "X-Forwarded-For");
  EXPECT_EQ(p.verify.ip_allowlist->trusted_proxies, (std::vector<std::string>{"10.0.0.0/8"}));

  const auto single = load(config("  n: {path: /n, verify: {provider: none, ip_allowlist: {allow: 127.0.0.1}}}\n"));
  EXPECT_EQ(only_source(single).verify.ip_allowlist->allow, (std::vector<std::string>{"127.0.0.1"}));

  EXPECT_EQ(only_error(load(config("  n: {path: /n, verify: {provider: none, ip_allowlist: {allow: [10.0.0.0/33]}}}\n"))),
            "hookgate.yaml:3:65: sources.n.verify.ip_allowlist.allow[0]: invalid IP address or CIDR network "
            "'10.0.0.0/33'");
  EXPECT_EQ(only_error(load(config("  n: {path: /n, verify: {provider: none, ip_allowlist: {allow: [1.2.3.4], "
                                   "proxy_header: X-Forwarded-For, trusted_proxies: proxy.local}}}\n"))),
            "hookgate.yaml:3:123: sources.n.verify.ip_allowlist.trusted_proxies: invalid IP address or CIDR network "
            "'proxy.local'");
  EXPECT_THAT(only_error(load(config("  n: {path: /n, verify: {provider: none, ip_allowlist: {allow: [1.2.3.4], proxy_header: X-Forwarded-For}}}\n"))),
              HasSubstr("ip_allowlist: proxy_header and trusted_proxies go together"));
}

// Found by the config_load fuzzer: a ${NAME} where an address is expected had its value (here a
// secret) quoted back in the error. Both names of a value that is not an address, and an
// unknown provider, quote the reference as written instead.
TEST(ProviderKeys, EnvironmentValuesNeverQuotedInAllowlistOrProviderErrors) {
  const std::string allow_error =
      only_error(load(config("  n: {path: /n, verify: {provider: none, ip_allowlist: {allow: ['${GITHUB_SECRET}']}}}\n")));
  EXPECT_EQ(allow_error, "hookgate.yaml:3:65: sources.n.verify.ip_allowlist.allow[0]: invalid IP address or CIDR network "
                         "'${GITHUB_SECRET}' (after substitution)");
  const std::string single_error =
      only_error(load(config("  n: {path: /n, verify: {provider: none, ip_allowlist: {allow: '${GITHUB_SECRET}'}}}\n")));
  EXPECT_THAT(single_error, HasSubstr("'${GITHUB_SECRET}' (after substitution)"));
  const std::string provider_error = only_error(load(config("  n: {path: /n, verify: {provider: '${STRIPE_SECRET}', secrets: [x]}}\n")));
  EXPECT_EQ(provider_error, "hookgate.yaml:3:36: sources.n.verify.provider: unknown provider '${STRIPE_SECRET}' "
                            "(after substitution) (`hookgate providers` lists them)");
  for (const std::string& error : {allow_error, single_error, provider_error}) {
    EXPECT_EQ(error.find(testing::kGithubSecret), std::string::npos) << error;
    EXPECT_EQ(error.find(testing::kStripeSecret), std::string::npos) << error;
  }
}

TEST(ProviderKeys, UnknownProviderSuggestsTheClosestName) {
  EXPECT_EQ(only_error(load(config("  n: {path: /n, verify: {provider: strpe, secrets: [x]}}\n"))),
            "hookgate.yaml:3:36: sources.n.verify.provider: unknown provider 'strpe' (did you mean 'stripe'?)");
}

TEST(ProviderKeys, JsonTimestampInAnHmacBlock) {
  const auto result = load(config("  l: {path: /l, verify: {hmac: {header: Linear-Signature, timestamp: {json: /webhookTimestamp, "
                                  "format: unix_ms}}, secrets: [s]}}\n"));
  const SourceConfig& l = only_source(result);
  ASSERT_TRUE(l.verify.hmac);
  EXPECT_EQ(l.verify.hmac->envelope.timestamp.kind, verify::TimestampSource::Kind::json);
  EXPECT_EQ(l.verify.hmac->envelope.timestamp.name, "/webhookTimestamp");
  EXPECT_THAT(only_error(load(config("  l: {path: /l, verify: {hmac: {header: S, timestamp: {json: ts}}, secrets: [s]}}\n"))),
              HasSubstr("expected a JSON pointer such as /webhookTimestamp"));
}

TEST(ProviderKeys, SchemesThatSignTheUrlNeedPublicUrl) {
  EXPECT_EQ(only_error(load(config("  twilio: {path: /in/twilio, verify: {provider: twilio, secrets: [t]}}\n"))),
            "hookgate.yaml:3:38: sources.twilio.verify: this scheme signs the URL the vendor calls: "
            "set sources.twilio.public_url (e.g. https://hooks.example.com/in/twilio)");
  for (const char* provider : {"square", "hubspot", "hubspot-v2", "twilio"}) {
    const auto ok = load(config(std::string("  s: {path: /in/s, public_url: \"https://hooks.example.com/in/s\", "
                                            "verify: {provider: ") + provider + ", secrets: [t]}}\n"));
    EXPECT_TRUE(ok.errors.empty()) << provider << ": " << ::testing::PrintToString(error_lines(ok));
  }
  EXPECT_TRUE(load(config("  h: {path: /h, verify: {provider: hubspot-v1, secrets: [t]}}\n")).errors.empty());
}

}  // namespace
}  // namespace hookgate::config
