// The web console's side of the admin listener, end to end through the binary: login, the
// session cookie, CSRF and origin checks, the security headers, the live tail's long poll,
// bulk retry and cancel, keyset paging, masked credentials, and the per-source and
// per-destination figures. The pages themselves are driven in a real browser by
// tests/console.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <regex>
#include <set>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

constexpr const char* kToken = "console-test-token-77d2";

std::string config_for(const std::string& destination_url) {
  return R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
admin: {listen: "127.0.0.1:0", token: ")" + std::string(kToken) + R"("}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_console"]}}
destinations:
  billing: {url: ")" + destination_url + R"(", retry: {schedule: [50ms], jitter: 0},
            circuit_breaker: {failures: 100, failure_rate: 100%}}
routes:
  - {from: stripe, to: [billing]}
)";
}

std::string stripe_body(const std::string& id) {
  return R"({"id":")" + id + R"(","object":"event","type":"invoice.paid"})";
}

HttpResponse post_stripe(Gateway& gateway, const std::string& body) {
  HttpClient client(gateway.port());
  return client.request("POST", "/in/stripe", sign_for(gateway.config_path(), "stripe", body, system_clock::now()), body);
}

HttpResponse call(Gateway& gateway, const std::string& method, const std::string& target, const Headers& headers,
                  const std::string& body = "") {
  HttpClient client(gateway.admin_port(), seconds(40));
  return client.request(method, target, headers, body);
}

Headers bearer() { return {{"Authorization", std::string("Bearer ") + kToken}}; }

std::string json_text(const std::string& body, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex("\"" + key + "\":\"([^\"]*)\""))) return "";
  return match[1];
}

int64_t json_int(const std::string& body, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(body, match, std::regex("\"" + key + "\":(-?[0-9]+)"))) return -1;
  return std::stoll(match[1]);
}

// Logs in; the session cookie's value and the session's CSRF token.
struct Session {
  std::string cookie;
  std::string csrf;
  Headers headers(bool with_csrf = true) const {
    Headers out{{"Cookie", "theme=dark; hookgate_session=" + cookie}};
    if (with_csrf) out.emplace_back("X-CSRF-Token", csrf);
    return out;
  }
};

Session log_in(Gateway& gateway) {
  const HttpResponse login = call(gateway, "POST", "/console/login",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}}, std::string("token=") + kToken);
  EXPECT_EQ(login.status, 303) << login.body;
  const std::string set_cookie = login.header("Set-Cookie").value_or("");
  std::smatch match;
  Session session;
  if (std::regex_search(set_cookie, match, std::regex("hookgate_session=([A-Za-z0-9_-]+)"))) session.cookie = match[1];
  const HttpResponse info = call(gateway, "GET", "/api/session", session.headers(false));
  EXPECT_EQ(info.status, 200) << info.body;
  session.csrf = json_text(info.body, "csrf_token");
  return session;
}

TEST(ConsoleApi, LoginGivesAStrictCookieAndTheSessionStandsForTheTokenWithCsrfOnWrites) {
  FakeDestination destination;
  TempDir dir;
  Gateway gateway(dir, config_for(destination.url()));
  ASSERT_TRUE(gateway.start());

  // Without a session: the login form, 401, under a strict CSP; the script and the API refuse.
  const HttpResponse page = call(gateway, "GET", "/console", {});
  EXPECT_EQ(page.status, 401);
  EXPECT_NE(page.body.find("data-testid=\"login-token\""), std::string::npos);
  EXPECT_NE(page.header("Content-Security-Policy").value_or("").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(page.header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(page.header("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(call(gateway, "GET", "/console/console.js", {}).status, 401);
  EXPECT_EQ(call(gateway, "GET", "/console/console.css", {}).status, 200);
  EXPECT_EQ(call(gateway, "GET", "/api/events", {}).status, 401);

  // A wrong token: the form again with the error, and no cookie.
  const HttpResponse wrong = call(gateway, "POST", "/console/login",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}}, "token=not-it");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_FALSE(wrong.header("Set-Cookie").has_value());
  EXPECT_NE(wrong.body.find("data-testid=\"login-error\""), std::string::npos);

  const HttpResponse login = call(gateway, "POST", "/console/login",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}}, std::string("token=") + kToken);
  ASSERT_EQ(login.status, 303);
  EXPECT_EQ(login.header("Location").value_or(""), "/console");
  const std::string cookie = login.header("Set-Cookie").value_or("");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find(kToken), std::string::npos);

  const Session session = log_in(gateway);
  ASSERT_EQ(session.csrf.size(), 43u);
  const HttpResponse app = call(gateway, "GET", "/console", session.headers(false));
  EXPECT_EQ(app.status, 200);
  EXPECT_EQ(app.body.find("login-token"), std::string::npos);
  EXPECT_EQ(call(gateway, "GET", "/console/console.js", session.headers(false)).status, 200);
  EXPECT_EQ(call(gateway, "GET", "/api/events", session.headers(false)).status, 200);
  EXPECT_EQ(call(gateway, "GET", "/api/session", bearer()).status, 404);  // the token has no session

  // Writes with the cookie need the session's CSRF token and, when an Origin is sent, this one.
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_c1")).status, 200);
  const std::string retry = "/api/events/evt_c1/retry";
  EXPECT_EQ(call(gateway, "POST", retry, session.headers(false)).status, 403);
  Headers forged = session.headers(false);
  forged.emplace_back("X-CSRF-Token", std::string(43, 'A'));
  EXPECT_EQ(call(gateway, "POST", retry, forged).status, 403);
  Headers other_origin = session.headers();
  other_origin.emplace_back("Origin", "http://evil.example");
  const HttpResponse cross = call(gateway, "POST", retry, other_origin);
  EXPECT_EQ(cross.status, 403);
  EXPECT_NE(cross.body.find("cross_origin"), std::string::npos);
  Headers null_origin = session.headers();  // what a browser sends under Referrer-Policy: no-referrer
  null_origin.emplace_back("Origin", "null");
  EXPECT_EQ(call(gateway, "POST", retry, null_origin).status, 403);
  EXPECT_EQ(page.header("Referrer-Policy").value_or(""), "same-origin");
  Headers same_origin = session.headers();
  same_origin.emplace_back("Origin", "http://127.0.0.1");  // the test client's Host header
  EXPECT_EQ(call(gateway, "POST", retry, same_origin).status, 200);
  EXPECT_EQ(call(gateway, "POST", retry, bearer()).status, 200);  // the bearer token needs neither

  // Logout ends the session: the cookie is worth nothing after it.
  const HttpResponse logout = call(gateway, "POST", "/console/logout", session.headers());
  EXPECT_EQ(logout.status, 303);
  EXPECT_NE(logout.header("Set-Cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(call(gateway, "GET", "/api/events", session.headers(false)).status, 401);
  EXPECT_EQ(call(gateway, "GET", "/console", session.headers(false)).status, 401);

  // Ten wrong tokens in a minute: logins are refused, even with the right token.
  for (int i = 0; i < 9; ++i) {
    (void)call(gateway, "POST", "/console/login", {{"Content-Type", "application/x-www-form-urlencoded"}}, "token=guess");
  }
  const HttpResponse throttled = call(gateway, "POST", "/console/login",
                                      {{"Content-Type", "application/x-www-form-urlencoded"}}, std::string("token=") + kToken);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_FALSE(throttled.header("Set-Cookie").has_value());
  EXPECT_EQ(throttled.header("Retry-After").value_or(""), "60");
}

TEST(ConsoleApi, TailWaitsForTheNextEventAndBulkRetryCountsThenRedelivers) {
  std::atomic<bool> healthy{false};
  FakeDestination destination([&](const ReceivedRequest&, size_t) {
    return healthy ? ScriptedResponse{} : ScriptedResponse{500, {}, "down"};
  });
  TempDir dir;
  Gateway gateway(dir, config_for(destination.url()));
  ASSERT_TRUE(gateway.start());

  // The tail: a cursor first, then a long poll that returns with the event posted meanwhile.
  const HttpResponse start = call(gateway, "GET", "/api/tail", bearer());
  ASSERT_EQ(start.status, 200);
  const std::string cursor = json_text(start.body, "cursor");
  ASSERT_EQ(cursor, "0.0");
  auto waiting = std::async(std::launch::async, [&] { return call(gateway, "GET", "/api/tail?after=" + cursor + "&wait=30", bearer()); });
  ASSERT_EQ(waiting.wait_for(milliseconds(300)), std::future_status::timeout);  // nothing yet: it waits
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_t1")).status, 200);
  const HttpResponse tailed = waiting.get();
  ASSERT_EQ(tailed.status, 200);
  EXPECT_NE(tailed.body.find("\"vendor_event_id\":\"evt_t1\""), std::string::npos) << tailed.body;
  EXPECT_NE(json_text(tailed.body, "cursor"), cursor);
  EXPECT_EQ(call(gateway, "GET", "/api/tail?after=nonsense", bearer()).status, 400);
  EXPECT_EQ(call(gateway, "GET", "/api/tail?after=0.0&wait=31", bearer()).status, 400);

  for (const char* id : {"evt_t2", "evt_t3"}) ASSERT_EQ(post_stripe(gateway, stripe_body(id)).status, 200);
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'dead'", 3));

  // Bulk retry: the count first, nothing changed by it; then the retry, delivered.
  const HttpResponse counted = call(gateway, "POST", "/api/deliveries/retry?status=dead&since=1h&dry_run=true", bearer());
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(json_int(counted.body, "matched"), 3);
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM deliveries WHERE state = 'dead'"), 3);
  EXPECT_EQ(call(gateway, "POST", "/api/deliveries/retry?status=dead&colour=red", bearer()).status, 400);
  healthy = true;
  const size_t before = destination.received().size();
  const HttpResponse retried = call(gateway, "POST", "/api/deliveries/retry?status=dead&source=stripe", bearer());
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(json_int(retried.body, "rescheduled"), 3);
  ASSERT_TRUE(destination.wait_for(before + 3));
  ASSERT_TRUE(eventually(gateway.db_path(), "SELECT count(*) FROM deliveries WHERE state = 'delivered'", 3));

  // Keyset paging: pages of 2, newest first, every event once.
  std::set<std::string> seen;
  std::string target = "/api/events?limit=2";
  for (int page = 0; page < 3 && !target.empty(); ++page) {
    const HttpResponse listed = call(gateway, "GET", target, bearer());
    ASSERT_EQ(listed.status, 200);
    const std::regex vendor_id("\"vendor_event_id\":\"([^\"]+)\"");
    for (std::sregex_iterator it(listed.body.begin(), listed.body.end(), vendor_id), end; it != end; ++it) {
      EXPECT_TRUE(seen.insert((*it)[1]).second) << (*it)[1];
    }
    const std::string next = json_text(listed.body, "next_before");
    target = next.empty() ? "" : "/api/events?limit=2&before=" + next;
  }
  EXPECT_EQ(seen, (std::set<std::string>{"evt_t1", "evt_t2", "evt_t3"}));

  // Credentials never leave through the API: the signature header shows as ***.
  const HttpResponse shown = call(gateway, "GET", "/api/events/evt_t1", bearer());
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("Stripe-Signature: ***"), std::string::npos) << shown.body;
  EXPECT_EQ(shown.body.find("v1="), std::string::npos);

  // Bulk cancel takes only what is still to be delivered.
  ASSERT_EQ(call(gateway, "POST", "/api/destinations/billing/pause", bearer()).status, 200);
  ASSERT_EQ(post_stripe(gateway, stripe_body("evt_t4")).status, 200);
  const HttpResponse cancel_count = call(gateway, "POST", "/api/deliveries/cancel?dry_run=true", bearer());
  EXPECT_EQ(json_int(cancel_count.body, "matched"), 1) << cancel_count.body;
  const HttpResponse cancelled = call(gateway, "POST", "/api/deliveries/cancel", bearer());
  EXPECT_EQ(json_int(cancelled.body, "cancelled"), 1) << cancelled.body;
  EXPECT_EQ(Database(gateway.db_path()).scalar("SELECT count(*) FROM deliveries WHERE state = 'cancelled'"), 1);

  // The figures of the last hour: stored and refused per source, attempts per destination.
  HttpClient vendor(gateway.port());
  Headers forged = sign_for(gateway.config_path(), "stripe", stripe_body("evt_bad"), system_clock::now());
  for (auto& [name, value] : forged) {
    if (name.size() == 16 && std::tolower(name[0]) == 's' && name.find("ignature") != std::string::npos) {
      value.back() = value.back() == '0' ? '1' : '0';  // still well formed, no longer the signature
    }
  }
  ASSERT_EQ(vendor.request("POST", "/in/stripe", forged, stripe_body("evt_bad")).status, 401);
  const HttpResponse sources = call(gateway, "GET", "/api/sources", bearer());
  ASSERT_EQ(sources.status, 200);
  EXPECT_EQ(json_int(sources.body, "accepted"), 4) << sources.body;
  EXPECT_EQ(json_int(sources.body, "rejected"), 1) << sources.body;
  EXPECT_EQ(json_int(sources.body, "bad_signature"), 1) << sources.body;
  const HttpResponse destinations = call(gateway, "GET", "/api/destinations", bearer());
  ASSERT_EQ(destinations.status, 200);
  EXPECT_EQ(json_int(destinations.body, "delivered"), 3) << destinations.body;
  EXPECT_EQ(json_int(destinations.body, "failed"), 6) << destinations.body;  // 3 events × (first try + one retry)
  EXPECT_NE(destinations.body.find("\"paused\":true"), std::string::npos);
  EXPECT_NE(destinations.body.find("\"success_rate\":0.333"), std::string::npos) << destinations.body;
}

}  // namespace
}  // namespace hookgate::testing
