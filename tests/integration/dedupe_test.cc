// Content dedupe, end to end: the presets whose vendor sends no event id recognise a retry by
// its body (re-signed later, as vendors do), ack it with the first event's id and store it
// once; other content is another event; Dropbox, which never retries and whose equal bodies
// are distinct notifications, stores each; and a source's own `dedupe:` on named fields.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

#include "harness.h"

namespace hookgate::testing {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

constexpr const char* kConfig = R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  adyen-hmac: {path: /in/adyen-hmac, verify: {provider: adyen-hmac, secrets: ["00112233445566778899aabbccddeeff"]}}
  asana: {path: /in/asana, verify: {provider: asana, secrets: ["asana-secret"]}}
  calendly: {path: /in/calendly, verify: {provider: calendly, secrets: ["calendly-key"]}}
  dropbox: {path: /in/dropbox, verify: {provider: dropbox, secrets: ["dropbox-secret"]}}
  lemonsqueezy: {path: /in/lemonsqueezy, verify: {provider: lemonsqueezy, secrets: ["ls-secret"]}}
  meta: {path: /in/meta, verify: {provider: meta, secrets: ["meta-secret"], verify_token: "vt"}}
  microsoft-graph: {path: /in/microsoft-graph, verify: {provider: microsoft-graph, secrets: ["graph-state"]}}
  postmark: {path: /in/postmark, verify: {provider: postmark, secrets: ["user:pass"]}}
  twitter: {path: /in/twitter, verify: {provider: twitter, secrets: ["twitter-secret"]}}
  zoom: {path: /in/zoom, verify: {provider: zoom, secrets: ["zoom-secret"]}}
  calendly-off: {path: /in/calendly-off, verify: {provider: calendly, secrets: ["calendly-key"]}, dedupe: none}
  shop: {path: /in/shop, verify: none, dedupe: {fields: [{json: /order/id}, {header: X-Shop}], window: 1h}}
)";

// A body each preset accepts; `n` makes different content.
std::string body_for(const std::string& source, int n) {
  const std::string tag = std::to_string(n);
  if (source == "microsoft-graph") {
    return R"({"value":[{"clientState":"graph-state","changeType":"updated","resource":"me/messages/)" + tag + R"("}]})";
  }
  return R"({"event":"thing.changed","events":[{"action":"changed"}],"n":)" + tag + "}";
}

class ContentDedupe : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(gateway_.start()); }

  // Signed at `when` as the vendor would; Graph authenticates by the clientState in the body.
  HttpResponse post(const std::string& source, const std::string& body, system_clock::time_point when,
                    Headers extra = {}) {
    Headers headers = source == "microsoft-graph" || source == "shop" ? Headers{}
                                                                      : sign_for(gateway_.config_path(), source, body, when);
    headers.push_back({"Content-Type", "application/json"});
    for (auto& header : extra) headers.push_back(std::move(header));
    HttpClient client(gateway_.port());
    return client.request("POST", "/in/" + source, headers, body);
  }

  int64_t stored(const std::string& source) {
    Database db(gateway_.db_path());
    return db.scalar("SELECT count(*) FROM events WHERE source = '" + source + "'");
  }

  TempDir dir_;
  Gateway gateway_{dir_, kConfig};
};

TEST_F(ContentDedupe, EachIdlessPresetStoresAVendorRetryOnceAndOtherContentAgain) {
  const auto now = system_clock::now();
  for (const std::string source : {"adyen-hmac", "asana", "calendly", "lemonsqueezy", "meta", "microsoft-graph",
                                   "postmark", "twitter", "zoom"}) {
    SCOPED_TRACE(source);
    const HttpResponse first = post(source, body_for(source, 1), now);
    ASSERT_GE(first.status, 200);
    ASSERT_LT(first.status, 300) << first.body;
    // The vendor did not see the ack and sends the same event again, signed anew.
    const HttpResponse retry = post(source, body_for(source, 1), now + seconds(2));
    EXPECT_EQ(retry.status, first.status) << retry.body;
    EXPECT_EQ(retry.body, first.body) << "the retry is acked like the first (the same event id where the ack has one)";
    EXPECT_EQ(stored(source), 1);
    EXPECT_EQ(post(source, body_for(source, 2), now).status, first.status);
    EXPECT_EQ(stored(source), 2);
  }
  // One event per content, and nothing else stored.
  Database db(gateway_.db_path());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events"), 18);
}

TEST_F(ContentDedupe, DropboxAndDedupeNoneStoreEveryRequestAndNamedFieldsMakeTheKey) {
  const auto now = system_clock::now();
  for (const std::string source : {"dropbox", "calendly-off"}) {
    SCOPED_TRACE(source);
    EXPECT_EQ(post(source, body_for(source, 1), now).status, 200);
    EXPECT_EQ(post(source, body_for(source, 1), now + seconds(1)).status, 200);
    EXPECT_EQ(stored(source), 2);
  }

  // shop: the order id and the X-Shop header identify an event; the rest of the body does not.
  const HttpResponse first = post("shop", R"({"order":{"id":42},"at":"10:00"})", now, {{"X-Shop", "eu"}});
  ASSERT_EQ(first.status, 200);
  std::smatch id;
  ASSERT_TRUE(std::regex_search(first.body, id, std::regex(R"re("id":"(evt_[0-9A-Z]{26})")re"))) << first.body;
  const HttpResponse same = post("shop", R"({"order":{"id":42},"at":"10:05"})", now, {{"X-Shop", "eu"}});
  EXPECT_EQ(same.status, 200);
  EXPECT_NE(same.body.find(id[1].str()), std::string::npos) << "acked with the first event's id: " << same.body;
  EXPECT_EQ(post("shop", R"({"order":{"id":42},"at":"10:00"})", now, {{"X-Shop", "us"}}).status, 200);
  EXPECT_EQ(post("shop", R"({"order":{"id":43},"at":"10:00"})", now, {{"X-Shop", "eu"}}).status, 200);
  EXPECT_EQ(stored("shop"), 3);
}

}  // namespace
}  // namespace hookgate::testing
