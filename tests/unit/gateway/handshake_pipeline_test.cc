// The ingest pipeline and the provider catalogue: GET handshakes (and 405 for other GETs),
// handshake replies never stored, preset-specific acknowledgements (Discord 204, Graph 202,
// Adyen "[accepted]"), the peer address for IP allowlists, and Asana's X-Hook-Secret kept
// across a restart.
#include <event2/thread.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "gateway/ingest/ingest_pipeline.h"
#include "storage/sqlite/sqlite_handle.h"
#include "verify/encoding.h"

namespace hookgate::gateway::ingest {
namespace {

using namespace std::chrono;

class FixedClock final : public loop::Clock {
 public:
  [[nodiscard]] system_clock::time_point now() const override { return system_clock::time_point{seconds(1700000000)}; }
};

// The svix-server Ed25519 test keypair (seed || public key); the public half is the whpk_ key.
constexpr const char* kKeypair =
    "6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==";

constexpr const char* kConfig = R"(
storage: {path: events.db}
sources:
  meta: {path: /in/meta, verify: {provider: meta, secrets: [app-secret], verify_token: vt-123}}
  github: {path: /in/github, verify: {provider: github, secrets: ["It's a Secret to Everybody"]}}
  asana: {path: /in/asana, verify: {provider: asana}}
  discord: {path: /in/discord, verify: {provider: discord, public_key: "whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4="}}
  graph: {path: /in/graph, verify: {provider: microsoft-graph, secrets: [graph-state]}}
  adyen: {path: /in/adyen, verify: {provider: adyen, secrets: [DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00]}}
  office:
    path: /in/office
    verify: {provider: none, ip_allowlist: {allow: [10.0.0.0/8, "2001:db8::/32"]}}
)";

class HandshakePipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_GE(sodium_init(), 0);
    ASSERT_EQ(evthread_use_pthreads(), 0);
  }

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hookgate-handshake-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    start();
    loop_thread_ = std::thread([this] { loop_.run(); });
  }

  // Loads the config afresh (new verifiers: nothing learned in memory) and opens the store.
  void start() {
    const auto loaded = config::load_config_text(kConfig, "test.yaml", dir_.string());
    ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    config_ = loaded.config;
    storage::StoreOptions options;
    options.path = config_->storage.path;
    std::string error;
    store_ = storage::EventStore::open(options, error);
    ASSERT_TRUE(store_) << error;
    pipeline_ = std::make_unique<IngestPipeline>(config_, *store_, clock_);
  }

  void restart() {
    store_->close();
    pipeline_.reset();
    store_.reset();
    start();
  }

  void TearDown() override {
    store_->close();
    loop_.stop();
    loop_thread_.join();
    std::filesystem::remove_all(dir_);
  }

  connections::Response handle(connections::InboundRequest request) {
    std::promise<connections::Response> answer;
    loop_.post([&] {
      pipeline_->handle(std::move(request), loop_,
                        [&answer](connections::Response r) { answer.set_value(std::move(r)); });
    });
    return answer.get_future().get();
  }

  static connections::InboundRequest request(std::string method, std::string path, std::string query = {},
                                std::vector<connections::HeaderField> headers = {}, std::string body = {}) {
    connections::InboundRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    r.headers = std::move(headers);
    r.body = std::move(body);
    r.peer = "127.0.0.1:5555";
    return r;
  }

  int64_t events() const {
    storage::DatabaseHandle db;
    std::string error;
    db = storage::open_database(config_->storage.path, SQLITE_OPEN_READONLY, error);
    storage::Statement count(db.get(), "SELECT count(*) FROM events");
    return count.step() == SQLITE_ROW ? count.column_int(0) : -1;
  }

  static std::string discord_signature(const std::string& ts, const std::string& body) {
    const std::vector<unsigned char> secret = verify::decode_secret(verify::SecretEncoding::base64, kKeypair).value();
    std::vector<unsigned char> sig(crypto_sign_BYTES);
    const std::string message = ts + body;
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret.data());
    return verify::hex_encode(sig);
  }

  std::filesystem::path dir_;
  std::shared_ptr<const config::Config> config_;
  FixedClock clock_;
  std::unique_ptr<storage::EventStore> store_;
  std::unique_ptr<IngestPipeline> pipeline_;
  loop::EventLoop loop_;
  std::thread loop_thread_;
};

TEST_F(HandshakePipelineTest, MetaGetHandshakeIsAnsweredAndNeverStored) {
  const connections::Response ok =
      handle(request("GET", "/in/meta", "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vt-123"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_EQ(ok.content_type.rfind("text/plain", 0), 0u);

  const connections::Response wrong =
      handle(request("GET", "/in/meta", "hub.mode=subscribe&hub.challenge=1&hub.verify_token=x"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body, R"({"error":"bad_verify_token"})");

  // A GET that is not the handshake is still 405, and says GET is allowed.
  const connections::Response other = handle(request("GET", "/in/meta", "foo=bar"));
  EXPECT_EQ(other.status, 405);
  ASSERT_EQ(other.headers.size(), 1u);
  EXPECT_EQ(other.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, POST"}));
  EXPECT_EQ(handle(request("PUT", "/in/meta")).status, 405);
  // A source without GET handshakes keeps answering 405 to every GET.
  EXPECT_EQ(handle(request("GET", "/in/github", "hub.mode=subscribe&hub.challenge=1")).status, 405);

  EXPECT_EQ(events(), 0);
  EXPECT_EQ(pipeline_->source_stats("meta")->handshakes.load(), 1u);
  EXPECT_EQ(pipeline_->source_stats("meta")->rejected[static_cast<size_t>(verify::Verdict::bad_verify_token)].load(), 1u);
}

TEST_F(HandshakePipelineTest, DiscordPingIsAnsweredEventsAre204AndProbesAre401) {
  const std::string ping = R"({"type":1,"id":"1","application_id":"2","token":"t","version":1})";
  const connections::Response pong = handle(request("POST", "/in/discord", "",
                                       {{"X-Signature-Ed25519", discord_signature("1700000000", ping)},
                                        {"X-Signature-Timestamp", "1700000000"}},
                                       ping));
  EXPECT_EQ(pong.status, 200);
  EXPECT_EQ(pong.body, R"({"type":1})");
  EXPECT_EQ(pong.content_type, "application/json");

  const connections::Response probe = handle(request("POST", "/in/discord", "",
                                        {{"X-Signature-Ed25519", discord_signature("1700000000", "other")},
                                         {"X-Signature-Timestamp", "1700000000"}},
                                        ping));
  EXPECT_EQ(probe.status, 401);

  const std::string event = R"({"version":1,"application_id":"2","type":1,"event":{"type":"APPLICATION_AUTHORIZED"}})";
  const connections::Response stored = handle(request("POST", "/in/discord", "",
                                         {{"X-Signature-Ed25519", discord_signature("1700000000", event)},
                                          {"X-Signature-Timestamp", "1700000000"}},
                                         event));
  EXPECT_EQ(stored.status, 204);
  EXPECT_EQ(stored.body, "");
  EXPECT_EQ(events(), 1);
}

TEST_F(HandshakePipelineTest, GraphValidationAndClientStateAndAdyenAck) {
  const connections::Response validation =
      handle(request("POST", "/in/graph", "validationToken=Validation%3A%20Testing", {}, ""));
  EXPECT_EQ(validation.status, 200);
  EXPECT_EQ(validation.body, "Validation: Testing");
  const connections::Response notification =
      handle(request("POST", "/in/graph", "", {}, R"({"value":[{"clientState":"graph-state","changeType":"created"}]})"));
  EXPECT_EQ(notification.status, 202);
  EXPECT_EQ(handle(request("POST", "/in/graph", "", {}, R"({"value":[{"clientState":"x"}]})")).status, 401);

  const std::string adyen =
      R"({"live":"false","notificationItems":[{"NotificationRequestItem":{"pspReference":"7914073381342284",)"
      R"("merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704",)"
      R"("amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true",)"
      R"("additionalData":{"hmacSignature":"Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I="}}}]})";
  const connections::Response accepted = handle(request("POST", "/in/adyen", "", {}, adyen));
  EXPECT_EQ(accepted.status, 200);
  EXPECT_EQ(accepted.body, "[accepted]");
  EXPECT_EQ(events(), 2);
}

TEST_F(HandshakePipelineTest, IpAllowlistReadsThePeerAddress) {
  connections::InboundRequest inside = request("POST", "/in/office", "", {}, "{}");
  inside.peer = "10.1.2.3:40000";
  EXPECT_EQ(handle(std::move(inside)).status, 200);
  connections::InboundRequest v6 = request("POST", "/in/office", "", {}, "{}");
  v6.peer = "[2001:db8::7]:40000";
  EXPECT_EQ(handle(std::move(v6)).status, 200);
  connections::InboundRequest outside = request("POST", "/in/office", "", {}, "{}");
  outside.peer = "192.0.2.1:40000";
  const connections::Response denied = handle(std::move(outside));
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.body, R"({"error":"ip_not_allowed"})");
}

TEST_F(HandshakePipelineTest, AsanaSecretIsStoredBeforeTheAnswerAndSurvivesARestart) {
  const std::string body = R"({"events":[{"action":"changed"}]})";
  const std::vector<connections::HeaderField> signed_event = {
      {"X-Hook-Signature", "5e602c9dd09fc0ff0b10b18ebf9850143ff59003f03d2a90a968dd2e0e6f5047"}};
  const connections::Response early = handle(request("POST", "/in/asana", "", signed_event, body));
  EXPECT_EQ(early.status, 401);
  EXPECT_EQ(early.body, R"({"error":"secret_not_established"})");

  const connections::Response hello = handle(request("POST", "/in/asana", "", {{"X-Hook-Secret", "asana-secret"}}, ""));
  EXPECT_EQ(hello.status, 200);
  ASSERT_EQ(hello.headers.size(), 1u);
  EXPECT_EQ(hello.headers[0], (std::pair<std::string, std::string>{"X-Hook-Secret", "asana-secret"}));
  EXPECT_EQ(events(), 0);

  EXPECT_EQ(handle(request("POST", "/in/asana", "", signed_event, body)).status, 200);
  // Someone else offering a new secret does not replace it.
  EXPECT_EQ(handle(request("POST", "/in/asana", "", {{"X-Hook-Secret", "attacker"}}, "")).status, 401);

  restart();
  EXPECT_EQ(store_->handshake_secret("asana"), "asana-secret");
  const connections::Response after = handle(request("POST", "/in/asana", "", signed_event, body + " "));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.body, R"({"error":"bad_signature"})") << "verified with the stored secret, not 'not established'";
  EXPECT_EQ(handle(request("POST", "/in/asana", "", signed_event, body)).status, 200);
  EXPECT_EQ(handle(request("POST", "/in/asana", "", {{"X-Hook-Secret", "attacker"}}, "")).status, 401);
}

}  // namespace
}  // namespace hookgate::gateway::ingest
