// The ingest slice over each protocol a listener speaks — HTTP/1.1, h2c with prior knowledge
// and h2 over TLS (ALPN) — driven by the real curl: the same statuses, and the same rows in
// SQLite, byte-exact, whichever protocol carried the request.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "curl_client.h"
#include "harness.h"
#include "test_pki.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kConfig = R"(
server:
  listen:
    - 127.0.0.1:0
    - address: 127.0.0.1:0
      tls: {cert: server.crt, key: server.key}
  io_threads: 2
  max_body: 64KiB
  max_header_bytes: 4KiB
storage:
  path: events.db
sources:
  stripe:
    path: /in/stripe
    verify: {provider: stripe, secrets: ["whsec_old_rotated_out", "whsec_test"]}
  github:
    path: /in/github
    verify: {provider: github, secrets: ["It's a Secret to Everybody"]}
  acme:
    path: /in/acme
    verify: {provider: standard-webhooks, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}
  open:
    path: /in/open
    verify: none
destinations:
  billing: {url: "http://127.0.0.1:9/billing"}
  audit: {url: "http://127.0.0.1:9/audit"}
routes:
  - {from: stripe, to: [billing], filter: {event_type: ["invoice.*"]}}
  - {from: stripe, to: [audit]}
  - {from: github, to: audit}
)";

std::string stripe_body(const std::string& id, const std::string& type = "invoice.paid") {
  return R"({"id":")" + id + R"(","object":"event","type":")" + type + R"(","data":{"object":{"amount":4200}}})";
}

bool icontains(std::string haystack, std::string needle) {
  for (auto* s : {&haystack, &needle}) {
    for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return haystack.find(needle) != std::string::npos;
}

class ProtocolsTest : public ::testing::TestWithParam<Protocol> {
 protected:
  void SetUp() override {
    const CertificateFiles files = ca_.issue("server", {"hooks.test"});
    ASSERT_EQ(files.cert, dir_.file("server.crt"));
    ASSERT_TRUE(gateway_.start());
    ASSERT_NE(gateway_.port(), 0);
    ASSERT_NE(gateway_.tls_port(), 0);
    target_ = {gateway_.port(), gateway_.tls_port(), ca_.cert()};
  }

  CurlResponse post(const std::string& path, const Headers& headers, const std::string& body) {
    CurlResponse response = curl_request(GetParam(), target_, dir_, "POST", path, headers, body);
    // The protocol under test is the one that carried the request.
    if (response.status != 0) {
      EXPECT_EQ(response.http_version, GetParam() == Protocol::http1 ? "1.1" : "2");
    }
    return response;
  }
  Headers signed_for(const std::string& source, const std::string& body, system_clock::time_point when = system_clock::now(),
                     const std::string& id = "msg_test") {
    return sign_for(gateway_.config_path(), source, body, when, id);
  }

  TempDir dir_;
  TestCa ca_{dir_};
  Gateway gateway_{dir_, kConfig};
  CurlTarget target_;
};

TEST_P(ProtocolsTest, SignedStripeEventIsStoredByteExactAndAcked) {
  const std::string body = stripe_body("evt_stripe_1");
  Headers headers = signed_for("stripe", body);
  headers.emplace_back("Content-Type", "application/json");
  const CurlResponse response = post("/in/stripe?attempt=1", headers, body);
  ASSERT_EQ(response.status, 200) << response.body << response.error;
  EXPECT_EQ(response.header("content-type").value_or(""), "application/json");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(response.body, match, std::regex(R"re(\{"id":"(evt_[0-9A-Z]{26})"\})re"))) << response.body;

  Database db(gateway_.db_path());
  const auto rows = db.rows("SELECT public_id, source, vendor_event_id, event_type, method, path, query, body, headers FROM events");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], match[1].str());
  EXPECT_EQ(rows[0][1], "stripe");
  EXPECT_EQ(rows[0][2], "evt_stripe_1");
  EXPECT_EQ(rows[0][3], "invoice.paid");
  EXPECT_EQ(rows[0][4], "POST");
  EXPECT_EQ(rows[0][5], "/in/stripe");
  EXPECT_EQ(rows[0][6], "attempt=1");
  EXPECT_EQ(rows[0][7], body);
  EXPECT_TRUE(icontains(rows[0][8], "Stripe-Signature: t=")) << rows[0][8];
  EXPECT_EQ(db.joined("SELECT destination FROM deliveries ORDER BY destination"),
            "audit,billing");
}

TEST_P(ProtocolsTest, VendorRetryGetsTheOriginalIdAndIsNotStoredTwice) {
  const std::string body = stripe_body("evt_retry");
  const CurlResponse first = post("/in/stripe", signed_for("stripe", body), body);
  ASSERT_EQ(first.status, 200) << first.error;
  const CurlResponse second = post("/in/stripe", signed_for("stripe", body, system_clock::now() + seconds(30)), body);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 1);
}

TEST_P(ProtocolsTest, ForgedOrStaleRequestsAre401AndNotStored) {
  const std::string body = stripe_body("evt_forged");
  const CurlResponse tampered = post("/in/stripe", signed_for("stripe", body), stripe_body("evt_forged", "invoice.voided"));
  EXPECT_EQ(tampered.status, 401);
  EXPECT_EQ(tampered.body, R"({"error":"bad_signature"})");
  const CurlResponse missing = post("/in/stripe", {{"Content-Type", "application/json"}}, body);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body, R"({"error":"missing_signature"})");
  const CurlResponse stale = post("/in/stripe", signed_for("stripe", body, system_clock::now() - minutes(10)), body);
  EXPECT_EQ(stale.body, R"({"error":"timestamp_too_old"})");
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 0);
}

TEST_P(ProtocolsTest, GithubAndStandardWebhooksEventsCarryTheirIdsAndTypes) {
  const std::string gh_body = R"({"zen":"Keep it logically awesome.","hook_id":1})";
  ASSERT_EQ(post("/in/github", signed_for("github", gh_body, system_clock::now(), "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                 gh_body).status, 200);
  const std::string sw_body = R"({"type":"user.created","data":{"id":7}})";
  const CurlResponse acme = post("/in/acme", signed_for("acme", sw_body, system_clock::now(), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"), sw_body);
  ASSERT_EQ(acme.status, 200) << acme.body;
  Database db(gateway_.db_path());
  EXPECT_EQ(db.text("SELECT vendor_event_id || ' ' || event_type FROM events WHERE source = 'github'"),
            "72d3162e-cc78-11e3-81ab-4c9367dc0958 ping");
  EXPECT_EQ(db.text("SELECT vendor_event_id || ' ' || event_type FROM events WHERE source = 'acme'"),
            "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W user.created");
}

TEST_P(ProtocolsTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(post("/in/nope", {}, "{}").status, 404);
  const CurlResponse get = curl_request(GetParam(), target_, dir_, "GET", "/in/stripe", {}, "");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("Allow").value_or(""), "POST");
}

TEST_P(ProtocolsTest, EveryByteValueOfALargeBodyIsStoredExactly) {
  std::string body;
  for (int i = 0; i < 60 * 1024; ++i) body.push_back(static_cast<char>((i * 7 + i / 256) & 0xff));  // several DATA frames
  const CurlResponse response = post("/in/open", {{"Content-Type", "application/octet-stream"}}, body);
  ASSERT_EQ(response.status, 200) << response.error;
  Database db(gateway_.db_path());
  EXPECT_TRUE(db.text("SELECT body FROM events") == body) << "stored body differs";
}

TEST_P(ProtocolsTest, OversizedBodyIs413AndOversizedHeadIs431AndServingGoesOn) {
  const CurlResponse big = post("/in/stripe", {}, std::string(65 * 1024, 'x'));
  EXPECT_EQ(big.status, 413) << big.error;
  EXPECT_EQ(big.body, R"({"error":"payload_too_large"})");
  const CurlResponse head = post("/in/stripe", {{"X-Filler", std::string(5000, 'a')}}, "{}");
  EXPECT_EQ(head.status, 431) << head.error;
  EXPECT_EQ(head.body, R"({"error":"header_fields_too_large"})");
  const std::string body = stripe_body("evt_after_limits");
  EXPECT_EQ(post("/in/stripe", signed_for("stripe", body), body).status, 200);
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 1);
}

INSTANTIATE_TEST_SUITE_P(Protocols, ProtocolsTest, ::testing::Values(Protocol::http1, Protocol::h2c, Protocol::h2_tls),
                         [](const ::testing::TestParamInfo<Protocol>& param) { return to_string(param.param); });

}  // namespace
}  // namespace hookgate::testing
