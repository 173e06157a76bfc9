// Static tokens, Basic auth, Microsoft Graph clientState, IP allowlists (with trusted
// proxies), and the helpers under them (form decoding, JSON body edits). Plus a sweep over
// every preset: what hookgate signs, it verifies, and a changed body is refused.
#include <gtest/gtest.h>

#include "test_request.h"
#include "verify/event_fields.h"
#include "verify/form.h"
#include "verify/ip_allowlist.h"
#include "verify/json_edit.h"
#include "verify/presets.h"

namespace hookgate::verify {
namespace {

using testing::at_unix;
using testing::build_ok;
using testing::header_of;
using testing::OwnedRequest;
using testing::preset;

Verdict check(const Verifier& v, const OwnedRequest& r) { return v.verify(r.view(), at_unix(1700000000)); }

TEST(Token, GitlabSecretTokenInConstantTime) {
  auto v = build_ok(preset("gitlab", {"old-token", "new-token"}));
  OwnedRequest r;
  r.with_body("{}").with("X-Gitlab-Token", "new-token").with("X-Gitlab-Event", "Push Hook").with("Idempotency-Key", "k1");
  EXPECT_EQ(check(*v, r), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "Push Hook");
  EXPECT_EQ(extract_field(v->event_id_field(), r.view()), "k1");
  r.headers[0].second = "new-token ";  // exact match: no trailing bytes accepted
  EXPECT_EQ(check(*v, r), Verdict::bad_credentials);
  r.headers[0].second = "new-tokem";
  EXPECT_EQ(check(*v, r), Verdict::bad_credentials);
  OwnedRequest none;
  EXPECT_EQ(check(*v, none), Verdict::missing_credentials);
  OwnedRequest twice;
  twice.with("X-Gitlab-Token", "new-token").with("x-gitlab-token", "new-token");
  EXPECT_EQ(check(*v, twice), Verdict::bad_credentials);

  SignedHeaders out;
  ASSERT_TRUE(v->sign("{}", at_unix(0), "k2", out));
  EXPECT_EQ(header_of(out, "X-Gitlab-Token"), "old-token");
  EXPECT_EQ(header_of(out, "X-Gitlab-Event"), "Push Hook");
  EXPECT_EQ(header_of(out, "Idempotency-Key"), "k2");
}

TEST(Token, GenericBlockWithPrefixAndOktaAuthorization) {
  VerifySpec spec;
  spec.token = TokenSpec{.header = "Authorization", .prefix = "Bearer "};
  spec.secrets = {"s3cret"};
  auto v = build_ok(spec);
  OwnedRequest r;
  r.with("Authorization", "Bearer s3cret");
  EXPECT_EQ(check(*v, r), Verdict::ok);
  r.headers[0].second = "s3cret";
  EXPECT_EQ(check(*v, r), Verdict::bad_credentials);

  auto okta = build_ok(preset("okta", {"Basic b2t0YTpzZWNyZXQ="}));
  OwnedRequest o;
  o.with_body(R"({"eventId":"e1","data":{"events":[{"eventType":"user.session.start"}]}})")
      .with("Authorization", "Basic b2t0YTpzZWNyZXQ=");
  EXPECT_EQ(check(*okta, o), Verdict::ok);
  EXPECT_EQ(extract_field(okta->event_id_field(), o.view()), "e1");
  EXPECT_EQ(extract_field(okta->event_type_field(), o.view()), "user.session.start");
}

TEST(BasicAuth, PostmarkCredentials) {
  auto v = build_ok(preset("postmark", {"hook:p@ss:word"}));
  OwnedRequest r;
  r.with_body(R"({"RecordType":"Bounce"})").with("Authorization", "Basic aG9vazpwQHNzOndvcmQ=");
  EXPECT_EQ(check(*v, r), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "Bounce");
  r.headers[0].second = "basic aG9vazpwQHNzOndvcmQ=";  // the scheme name is case-insensitive
  EXPECT_EQ(check(*v, r), Verdict::ok);
  r.headers[0].second = "Basic aG9vazpwYXNz";  // hook:pass
  EXPECT_EQ(check(*v, r), Verdict::bad_credentials);
  r.headers[0].second = "Basic !!!";
  EXPECT_EQ(check(*v, r), Verdict::bad_credentials);
  r.headers[0].second = "Bearer aG9vazpwQHNzOndvcmQ=";
  EXPECT_EQ(check(*v, r), Verdict::missing_credentials);
  SignedHeaders out;
  ASSERT_TRUE(v->sign("{}", at_unix(0), "", out));
  EXPECT_EQ(header_of(out, "Authorization"), "Basic aG9vazpwQHNzOndvcmQ=");
}

TEST(ClientState, EveryGraphNotificationMustCarryTheSecret) {
  auto v = build_ok(preset("microsoft-graph", {"graph-state"}));
  OwnedRequest r;
  r.with_body(R"({"value":[{"subscriptionId":"s1","clientState":"graph-state","changeType":"created"},)"
              R"({"subscriptionId":"s1","clientState":"graph-state","changeType":"updated"}]})");
  EXPECT_EQ(check(*v, r), Verdict::ok);
  EXPECT_EQ(extract_field(v->event_type_field(), r.view()), "created");
  OwnedRequest one_bad;
  one_bad.with_body(R"({"value":[{"clientState":"graph-state"},{"clientState":"guess"}]})");
  EXPECT_EQ(check(*v, one_bad), Verdict::bad_credentials);
  OwnedRequest missing;
  missing.with_body(R"({"value":[{"subscriptionId":"s1"}]})");
  EXPECT_EQ(check(*v, missing), Verdict::missing_credentials);
  OwnedRequest empty;
  empty.with_body(R"({"value":[]})");
  EXPECT_EQ(check(*v, empty), Verdict::missing_credentials);

  SignedHeaders out;
  ASSERT_TRUE(v->sign(R"({"value":[{"changeType":"created"},{"clientState":"x","changeType":"deleted"}]})",
                      at_unix(0), "", out));
  ASSERT_TRUE(out.body);
  EXPECT_EQ(*out.body,
            R"({"value":[{"clientState":"graph-state","changeType":"created"},{"clientState":"graph-state","changeType":"deleted"}]})");
}

// Fuzz regression (verify_presets, microsoft-graph at b0239ae): sign() of {"value":[]} gave back
// the body unchanged, which verify() refuses (no notification, so no clientState). A body with
// no notification to carry the secret cannot be signed.
TEST(ClientState, NothingToCarryTheSecretIsNotSigned) {
  auto v = build_ok(preset("microsoft-graph", {"graph-state"}));
  for (const char* body : {R"({"value":[]})", R"({"value":{}})", R"({"values":[{}]})", "[]", "not json"}) {
    SignedHeaders out;
    EXPECT_FALSE(v->sign(body, at_unix(0), "", out)) << body;
  }
  SignedHeaders out;
  ASSERT_TRUE(v->sign(R"({"value":[{}]})", at_unix(0), "", out));
  OwnedRequest r;
  r.with_body(*out.body);
  EXPECT_EQ(check(*v, r), Verdict::ok);
}

TEST(IpAllowlist, NetworksV4V6AndMapped) {
  std::string error;
  const std::vector<std::string> entries{"203.0.113.0/24", "2001:db8::/32", "198.51.100.7"};
  const std::optional<IpNetworks> set = IpNetworks::parse(entries, error);
  ASSERT_TRUE(set) << error;
  EXPECT_TRUE(set->contains("203.0.113.200"));
  EXPECT_FALSE(set->contains("203.0.114.1"));
  EXPECT_TRUE(set->contains("198.51.100.7"));
  EXPECT_FALSE(set->contains("198.51.100.8"));
  EXPECT_TRUE(set->contains("2001:db8:1::5"));
  EXPECT_TRUE(set->contains("[2001:db8::1]"));
  EXPECT_FALSE(set->contains("2001:db9::1"));
  EXPECT_TRUE(set->contains("::ffff:203.0.113.9"));
  EXPECT_FALSE(set->contains("not-an-ip"));
  EXPECT_FALSE(set->contains(""));
  for (const char* bad : {"10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "10.0.0.0/", "x", "10.0.0.0/8a"}) {
    EXPECT_FALSE(IpNetworks::parse(std::vector<std::string>{bad}, error)) << bad;
  }
  const std::optional<IpNetworks> everything = IpNetworks::parse(std::vector<std::string>{"0.0.0.0/0", "::/0"}, error);
  EXPECT_TRUE(everything->contains("8.8.8.8"));
  EXPECT_TRUE(everything->contains("::1"));
}

VerifySpec allowlisted(std::string proxy_header = {}, std::vector<std::string> trusted = {}) {
  VerifySpec spec = preset("github", {"It's a Secret to Everybody"});
  spec.ip_allowlist = IpAllowlistSpec{.allow = {"192.30.252.0/22", "2606:50c0::/32"},
                                      .proxy_header = std::move(proxy_header),
                                      .trusted_proxies = std::move(trusted)};
  return spec;
}

Request with_peer(const OwnedRequest& r, std::string_view peer) {
  Request view = r.view();
  view.peer_ip = peer;
  return view;
}

TEST(IpAllowlist, CheckedBeforeTheSignature) {
  auto v = build_ok(allowlisted());
  OwnedRequest r;
  r.with_body("Hello, World!")
      .with("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  EXPECT_EQ(v->verify(with_peer(r, "192.30.252.10"), at_unix(0)), Verdict::ok);
  EXPECT_EQ(v->verify(with_peer(r, "2606:50c0:8000::1"), at_unix(0)), Verdict::ok);
  EXPECT_EQ(v->verify(with_peer(r, "203.0.113.1"), at_unix(0)), Verdict::ip_not_allowed);
  EXPECT_EQ(v->verify(with_peer(r, ""), at_unix(0)), Verdict::ip_not_allowed);
  OwnedRequest forged = r;
  forged.body += "!";
  EXPECT_EQ(v->verify(with_peer(forged, "192.30.252.10"), at_unix(0)), Verdict::bad_signature);
  // A forwarded-for header means nothing without trusted proxies.
  r.with("X-Forwarded-For", "192.30.252.10");
  EXPECT_EQ(v->verify(with_peer(r, "203.0.113.1"), at_unix(0)), Verdict::ip_not_allowed);
  // Handshakes are behind the allowlist too.
  EXPECT_EQ(v->handshake(with_peer(r, "203.0.113.1"), at_unix(0))->verdict, Verdict::ip_not_allowed);
  EXPECT_FALSE(v->handshake(with_peer(r, "192.30.252.10"), at_unix(0)));
}

TEST(IpAllowlist, TrustedProxyHeaderIsReadFromTheRight) {
  auto v = build_ok(allowlisted("X-Forwarded-For", {"10.0.0.0/8", "127.0.0.1"}));
  const auto* guard = dynamic_cast<const IpAllowlistVerifier*>(v.get());
  ASSERT_NE(guard, nullptr);
  OwnedRequest r;
  r.with_body("Hello, World!")
      .with("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
      .with("X-Forwarded-For", "6.6.6.6, 192.30.252.10, 10.1.1.1");
  // peer 10.0.0.5 (trusted) → 10.1.1.1 (trusted) → 192.30.252.10: the client.
  EXPECT_EQ(guard->client_address(with_peer(r, "10.0.0.5")), "192.30.252.10");
  EXPECT_EQ(v->verify(with_peer(r, "10.0.0.5"), at_unix(0)), Verdict::ok);
  // The leftmost entry was written by the client: it proves nothing.
  OwnedRequest spoof = r;
  spoof.headers.back().second = "192.30.252.10, 6.6.6.6";
  EXPECT_EQ(v->verify(with_peer(spoof, "10.0.0.5"), at_unix(0)), Verdict::ip_not_allowed);
  // An untrusted peer's header is ignored.
  EXPECT_EQ(guard->client_address(with_peer(r, "6.6.6.6")), "6.6.6.6");
  // Several header fields are one list, in order.
  OwnedRequest split;
  split.with("X-Forwarded-For", "192.30.252.10").with("x-forwarded-for", "10.2.2.2");
  EXPECT_EQ(guard->client_address(with_peer(split, "127.0.0.1")), "192.30.252.10");
  // No header: the proxy itself is the client.
  OwnedRequest direct;
  EXPECT_EQ(guard->client_address(with_peer(direct, "10.0.0.5")), "10.0.0.5");
}

TEST(Form, DecodingAndLookup) {
  EXPECT_EQ(percent_decode("a%20b+c%2", true), "a b c%2");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(parse_form("a=1&&b=x+y&c&d=%3D"),
            (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"d", "="}}));
  EXPECT_EQ(form_value("hub.mode=subscribe&hub%2Echallenge=9", "hub.challenge"), "9");
  EXPECT_EQ(form_value("a=1", "b"), std::nullopt);
}

TEST(JsonEdit, SetsReplacesAndInsertsPreservingOtherBytes) {
  constexpr std::string_view path[] = {"signature"};
  const std::string value[] = {R"({"t":1})"};
  EXPECT_EQ(set_json_member(R"({ "a" : 1 })", "", {}, path, value), R"({"signature":{"t":1}, "a" : 1 })");
  EXPECT_EQ(set_json_member(R"({"signature": "old" , "a":1})", "", {}, path, value), R"({"signature": {"t":1} , "a":1})");
  EXPECT_EQ(set_json_member(R"({"signature":{"x":[1,2]},"a":1})", "", {}, path, value), R"({"signature":{"t":1},"a":1})");
  EXPECT_EQ(set_json_member("{}", "", {}, path, value), R"({"signature":{"t":1}})");
  constexpr std::string_view nested[] = {"additionalData", "hmacSignature"};
  const std::string sig[] = {"\"S\""};
  constexpr std::string_view inner[] = {"Item"};
  EXPECT_EQ(set_json_member(R"({"items":[{"Item":{"a":1}},{"Item":{"additionalData":{"x":1}}}]})", "/items", inner,
                            nested, sig),
            R"({"items":[{"Item":{"additionalData":{"hmacSignature":"S"},"a":1}},{"Item":{"additionalData":{"hmacSignature":"S","x":1}}}]})");
  EXPECT_EQ(set_json_member("not json", "", {}, path, value), std::nullopt);
  EXPECT_EQ(set_json_member("[1]", "", {}, path, value), std::nullopt);
}

// Every preset hookgate can sign: the signature it writes verifies, and a changed body does
// not. Catches a preset whose sign() and verify() disagree about its own scheme.
TEST(EveryPreset, SignedRequestsVerifyAndTamperingIsRefused) {
  for (const Preset& p : presets()) {
    const PresetDescription d = describe(p);
    auto v = build_ok(testing::sample_spec(p.name));
    ASSERT_NE(v, nullptr) << p.name;
    if (!d.can_sign) continue;
    std::string body = R"({"id":"evt_1","type":"t","value":[{"changeType":"created"}],)"
                       R"("notificationItems":[{"NotificationRequestItem":{"pspReference":"p","eventCode":"E","success":"true"}}],)"
                       R"("webhookTimestamp":1700000000000,"timestamp":1700000000})";
    const std::string url = "https://hooks.example.com/in/" + p.name;
    body = testing::sample_body(p, body);
    if (p.scheme == Scheme::learned_hmac) {
      ASSERT_TRUE(v->learned_secret()->set("learned"));
    }
    SignedHeaders out;
    ASSERT_TRUE(v->sign(SignInput{.body = body, .now = at_unix(1700000000), .id = "msg_1", .url = url}, out)) << p.name;
    OwnedRequest r;
    r.public_url = url;
    r.with_body(out.body.value_or(body)).with(out);
    EXPECT_EQ(v->verify(r.view(), at_unix(1700000000)), Verdict::ok) << p.name;
    if (p.scheme == Scheme::mailgun) continue;  // Mailgun's signature does not cover the body
    // Change a byte the signature covers (for credential schemes nothing is covered).
    if (p.scheme == Scheme::token || p.scheme == Scheme::basic_auth || p.scheme == Scheme::client_state) continue;
    // A JWT without a body hash claim authenticates the sender, not the body (monday.com).
    if (p.scheme == Scheme::jwt && p.jwt.body_sha256_claim.empty()) continue;
    if (p.scheme == Scheme::adyen_notification) {
      r.body.replace(r.body.find("\"p\""), 3, "\"q\"");
    } else if (p.scheme == Scheme::braintree) {  // the body is the form: change the payload
      const std::size_t at = r.body.find("bt_payload=") + 11;
      r.body[at] = r.body[at] == 'A' ? 'B' : 'A';
    } else {
      r.body.replace(r.body.find("evt_1") != std::string::npos ? r.body.find("evt_1") : r.body.find("CA1"), 3, "XYZ");
    }
    const Verdict tampered = v->verify(r.view(), at_unix(1700000000));
    EXPECT_TRUE(tampered == Verdict::bad_signature || tampered == Verdict::bad_body_hash) << p.name << " " << to_string(tampered);
  }
}

}  // namespace
}  // namespace hookgate::verify
