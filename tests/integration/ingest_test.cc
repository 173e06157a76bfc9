// The ingest slice end to end: the built binary, a real HTTP client, rows asserted in SQLite.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kConfig = R"(
server:
  listen: ["127.0.0.1:0"]
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

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(gateway_.start()); }

  TempDir dir_;
  Gateway gateway_{dir_, kConfig};
};

TEST_F(IngestTest, SignedStripeEventIsStoredByteExactAndAcked) {
  HttpClient client(gateway_.port());
  const std::string body = stripe_body("evt_stripe_1");
  Headers headers = sign_for(gateway_.config_path(), "stripe", body, system_clock::now());
  headers.emplace_back("Content-Type", "application/json");
  const HttpResponse response = client.request("POST", "/in/stripe", headers, body);
  ASSERT_EQ(response.status, 200) << response.body;
  std::smatch match;
  ASSERT_TRUE(std::regex_match(response.body, match, std::regex(R"re(\{"id":"(evt_[0-9A-Z]{26})"\})re"))) << response.body;

  Database db(gateway_.db_path());
  const auto rows = db.rows("SELECT public_id, source, vendor_event_id, event_type, method, path, body, headers FROM events");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], match[1].str());
  EXPECT_EQ(rows[0][1], "stripe");
  EXPECT_EQ(rows[0][2], "evt_stripe_1");
  EXPECT_EQ(rows[0][3], "invoice.paid");
  EXPECT_EQ(rows[0][4], "POST");
  EXPECT_EQ(rows[0][5], "/in/stripe");
  EXPECT_EQ(rows[0][6], body);
  EXPECT_NE(rows[0][7].find("Stripe-Signature: t="), std::string::npos);
  // Both routes match an invoice event; one pending delivery per destination.
  EXPECT_EQ(db.joined("SELECT destination FROM deliveries ORDER BY destination"),
            "audit,billing");
  // Nothing listens on the destinations: the deliveries stay to do (pending, or inflight mid-attempt).
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries WHERE state IN ('pending', 'inflight')"), 2);
}

TEST_F(IngestTest, RouteFilterOnEventTypeSelectsDestinations) {
  HttpClient client(gateway_.port());
  Headers headers = sign_for(gateway_.config_path(), "stripe", stripe_body("evt_c", "customer.created"), system_clock::now());
  ASSERT_EQ(client.request("POST", "/in/stripe", headers, stripe_body("evt_c", "customer.created")).status, 200);
  Database db(gateway_.db_path());
  EXPECT_EQ(db.joined("SELECT destination FROM deliveries"), "audit");
}

TEST_F(IngestTest, VendorRetryGetsTheOriginalIdAndIsNotStoredTwice) {
  HttpClient client(gateway_.port());
  const std::string body = stripe_body("evt_retry");
  const HttpResponse first = client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now()), body);
  ASSERT_EQ(first.status, 200);
  const HttpResponse second = client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now() + seconds(30)), body);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 1);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries"), 2);
}

TEST_F(IngestTest, ForgedOrStaleRequestsAre401AndNotStored) {
  HttpClient client(gateway_.port());
  const std::string body = stripe_body("evt_forged");
  Headers good = sign_for(gateway_.config_path(), "stripe", body, system_clock::now());

  HttpResponse tampered = client.request("POST", "/in/stripe", good, stripe_body("evt_forged", "invoice.voided"));
  EXPECT_EQ(tampered.status, 401);
  EXPECT_EQ(tampered.body, R"({"error":"bad_signature"})");

  HttpResponse missing = client.request("POST", "/in/stripe", {{"Content-Type", "application/json"}}, body);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body, R"({"error":"missing_signature"})");

  HttpResponse stale = client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now() - minutes(10)), body);
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.body, R"({"error":"timestamp_too_old"})");

  HttpResponse future = client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now() + minutes(10)), body);
  EXPECT_EQ(future.status, 401);
  EXPECT_EQ(future.body, R"({"error":"timestamp_in_future"})");

  // A signature for another source's secret.
  HttpResponse wrong_source = client.request("POST", "/in/github", sign_for(gateway_.config_path(), "stripe", body, system_clock::now()), body);
  EXPECT_EQ(wrong_source.status, 401);

  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 0);
}

TEST_F(IngestTest, GithubAndStandardWebhooksEventsCarryTheirIdsAndTypes) {
  HttpClient client(gateway_.port());
  const std::string gh_body = R"({"zen":"Keep it logically awesome.","hook_id":1})";
  Headers gh = sign_for(gateway_.config_path(), "github", gh_body, system_clock::now(), "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  ASSERT_EQ(client.request("POST", "/in/github", gh, gh_body).status, 200);

  const std::string sw_body = R"({"type":"user.created","data":{"id":7}})";
  Headers sw = sign_for(gateway_.config_path(), "acme", sw_body, system_clock::now(), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  const HttpResponse acme = client.request("POST", "/in/acme", sw, sw_body);
  ASSERT_EQ(acme.status, 200) << acme.body;

  Database db(gateway_.db_path());
  EXPECT_EQ(db.text("SELECT vendor_event_id || ' ' || event_type FROM events WHERE source = 'github'"),
            "72d3162e-cc78-11e3-81ab-4c9367dc0958 ping");
  EXPECT_EQ(db.text("SELECT vendor_event_id || ' ' || event_type FROM events WHERE source = 'acme'"),
            "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W user.created");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.source = 'acme'"), 0);
}

TEST_F(IngestTest, UnknownPathIs404AndWrongMethodIs405) {
  HttpClient client(gateway_.port());
  const HttpResponse unknown = client.request("POST", "/in/nope", {}, "{}");
  EXPECT_EQ(unknown.status, 404);
  const HttpResponse get = client.request("GET", "/in/stripe", {}, "");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("Allow").value_or(""), "POST");
}

TEST_F(IngestTest, OversizedBodyIs413AndOversizedHeadIs431) {
  {
    HttpClient client(gateway_.port());
    const std::string big(65 * 1024, 'x');
    EXPECT_EQ(client.request("POST", "/in/stripe", {}, big).status, 413);
  }
  {
    HttpClient client(gateway_.port());
    const HttpResponse response = client.request("POST", "/in/stripe", {{"X-Filler", std::string(5000, 'a')}}, "{}");
    EXPECT_EQ(response.status, 431);
  }
  {
    HttpClient client(gateway_.port());  // the server keeps serving after both
    const std::string body = stripe_body("evt_after_limits");
    EXPECT_EQ(client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now()), body).status, 200);
  }
}

TEST_F(IngestTest, SmugglingShapesAre400AndCloseTheConnection) {
  HttpClient client(gateway_.port());
  const HttpResponse response = client.raw(
      "POST /in/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.header("Connection").value_or(""), "close");
}

TEST_F(IngestTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  HttpClient client(gateway_.port());
  std::string pipelined;
  std::vector<std::string> bodies;
  for (int i = 0; i < 5; ++i) {
    bodies.push_back(stripe_body("evt_pipe_" + std::to_string(i)));
    std::string request = "POST /in/stripe HTTP/1.1\r\nHost: x\r\n";
    for (const auto& [name, value] : sign_for(gateway_.config_path(), "stripe", bodies.back(), system_clock::now())) {
      request += name + ": " + value + "\r\n";
    }
    request += "Content-Length: " + std::to_string(bodies.back().size()) + "\r\n\r\n" + bodies.back();
    pipelined += request;
  }
  HttpResponse first = client.raw(pipelined);
  ASSERT_EQ(first.status, 200);
  for (int i = 1; i < 5; ++i) {
    HttpResponse next = client.raw("");
    EXPECT_EQ(next.status, 200) << i;
  }
  Database db(gateway_.db_path());
  EXPECT_EQ(db.joined("SELECT vendor_event_id FROM events ORDER BY id"),
            "evt_pipe_0,evt_pipe_1,evt_pipe_2,evt_pipe_3,evt_pipe_4");
}

// Reading goes on while a request is being stored, so the server sees a half-close
// (shutdown(SHUT_WR)) before it answers: every request sent before it is still answered, then
// the connection closes.
TEST_F(IngestTest, RequestsSentBeforeAHalfCloseAreAllAnswered) {
  HttpClient client(gateway_.port());
  std::string pipelined;
  for (int i = 0; i < 2; ++i) {
    const std::string body = stripe_body("evt_half_" + std::to_string(i));
    pipelined += "POST /in/stripe HTTP/1.1\r\nHost: x\r\n";
    for (const auto& [name, value] : sign_for(gateway_.config_path(), "stripe", body, system_clock::now())) {
      pipelined += name + ": " + value + "\r\n";
    }
    pipelined += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  client.send_only(pipelined);
  client.half_close();
  EXPECT_EQ(client.raw("").status, 200);
  EXPECT_EQ(client.raw("").status, 200);
  EXPECT_EQ(client.raw("").status, 0);  // closed by the server
  Database db(gateway_.db_path());
  EXPECT_EQ(db.joined("SELECT vendor_event_id FROM events ORDER BY id"),
            "evt_half_0,evt_half_1");
}

// Log lines are buffered and written by a thread of their own: none may be lost at exit.
TEST_F(IngestTest, EveryAnswerIsInTheLogOnceTheProcessHasExited) {
  HttpClient client(gateway_.port());
  for (int i = 0; i < 50; ++i) {
    const std::string body = stripe_body("evt_logged_" + std::to_string(i));
    ASSERT_EQ(client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now()), body).status, 200);
  }
  ASSERT_EQ(gateway_.stop(), 0);
  const std::string log = gateway_.log();
  EXPECT_EQ(gateway_.occurrences_in_log("result=stored"), 50u) << log;
  const size_t stopped = log.find("stopped: 50 events stored");
  ASSERT_NE(stopped, std::string::npos) << log;
  EXPECT_LT(log.rfind("result=stored"), stopped);
}

TEST_F(IngestTest, SignCommandOutputWorksAsCurlHeaders) {
  const std::string body_path = dir_.file("event.json");
  const std::string body = stripe_body("evt_from_curl");
  write_file(body_path, body);
  const CommandResult signed_headers =
      run_command({binary_path(), "sign", "-c", gateway_.config_path(), "--source", "stripe", "--body", body_path});
  ASSERT_EQ(signed_headers.exit_code, 0) << signed_headers.err;
  ASSERT_TRUE(std::regex_match(signed_headers.out, std::regex("Stripe-Signature: t=[0-9]+,v1=[0-9a-f]{64}\n")))
      << signed_headers.out;

  std::vector<std::string> curl = {"curl", "-sS", "--http1.1", "-o", "-", "-w", "\n%{http_code}",
                                   "-H", "Content-Type: application/json", "--data-binary", "@" + body_path};
  std::istringstream lines(signed_headers.out);
  for (std::string line; std::getline(lines, line);) {
    curl.push_back("-H");
    curl.push_back(line);
  }
  curl.push_back("http://127.0.0.1:" + std::to_string(gateway_.port()) + "/in/stripe");
  const CommandResult posted = run_command(curl);
  ASSERT_EQ(posted.exit_code, 0) << posted.err;
  EXPECT_TRUE(std::regex_search(posted.out, std::regex(R"(^\{"id":"evt_[0-9A-Z]{26}"\}\n200$)"))) << posted.out;
  Database db(gateway_.db_path());
  EXPECT_EQ(db.text("SELECT body FROM events"), body);
}

TEST_F(IngestTest, CurlChunkedAndExpectContinueBodiesAreStoredByteExact) {
  const std::string body = stripe_body("evt_chunked") + std::string(3000, ' ');  // > 1 KiB: curl sends Expect
  const std::string body_path = dir_.file("chunked.json");
  write_file(body_path, body);
  std::vector<std::string> curl = {"curl", "-sS", "--http1.1", "-o", "/dev/null", "-w", "%{http_code}",
                                   "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body_path};
  for (const auto& [name, value] : sign_for(gateway_.config_path(), "stripe", body, system_clock::now())) {
    curl.push_back("-H");
    curl.push_back(name + ": " + value);
  }
  curl.push_back("http://127.0.0.1:" + std::to_string(gateway_.port()) + "/in/stripe");
  const CommandResult posted = run_command(curl);
  EXPECT_EQ(posted.out, "200") << posted.err;
  Database db(gateway_.db_path());
  EXPECT_EQ(db.text("SELECT body FROM events"), body);
}

TEST_F(IngestTest, SigtermFinishesGracefullyAndKeepsEverything) {
  {
    HttpClient client(gateway_.port());
    for (int i = 0; i < 20; ++i) {
      const std::string body = stripe_body("evt_term_" + std::to_string(i));
      ASSERT_EQ(client.request("POST", "/in/stripe", sign_for(gateway_.config_path(), "stripe", body, system_clock::now()), body).status, 200);
    }
  }
  EXPECT_EQ(gateway_.stop(), 0) << gateway_.log();
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 20);
  if (db.is_sqlite()) EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
}

TEST(CheckConfig, PrintsOkForTheExampleConfig) {
  const CommandResult result = run_command({binary_path(), "check-config", "-c", source_dir() + "/examples/hookgate.yaml"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out, "ok\n");
}

TEST(CheckConfig, PrintsEveryErrorWithFileAndLine) {
  TempDir dir;
  const std::string path = dir.file("bad.yaml");
  write_file(path, "storage:\n  path: x.db\nsources:\n  s1:\n    path: /a\n  s2:\n    path: /b\n    verify: {provider: nope, secrets: [x]}\n");
  const CommandResult result = run_command({binary_path(), "check-config", "-c", path});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find(path + ":5:5: sources.s1: no verify block"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(path + ":8:24: sources.s2.verify.provider: unknown provider 'nope'"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace hookgate::testing
