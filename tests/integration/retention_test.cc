// storage.retention: finished events older than the retention are purged with their
// deliveries and attempts; events with a delivery still to make are kept whatever their age.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fake_destination.h"
#include "harness.h"

namespace hookgate::testing {
namespace {

using namespace std::chrono;

TEST(Retention, PurgesFinishedEventsAndKeepsUndelivered) {
  FakeDestination up;
  TempDir dir;
  Gateway gateway(dir, R"(
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db, retention: 1s}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["whsec_retention"]}}
destinations:
  up: {url: ")" + up.url() + R"("}
  down: {url: "http://127.0.0.1:1/never", retry: {schedule: [1h]}}
routes:
  - {from: stripe, to: [up], filter: {event_type: ["delivered.*"]}}
  - {from: stripe, to: [down], filter: {event_type: ["stuck.*"]}}
)");
  ASSERT_TRUE(gateway.start());
  HttpClient client(gateway.port());
  for (const std::string type : {"delivered.a", "delivered.b", "stuck.c"}) {
    const std::string body = R"({"id":"evt_ret_)" + type + R"(","type":")" + type + R"("})";
    ASSERT_EQ(client.request("POST", "/in/stripe", sign_for(gateway.config_path(), "stripe", body, system_clock::now()), body).status, 200);
  }
  ASSERT_TRUE(up.wait_for(2));
  // The sweep runs every second; the retention is one second.
  const auto deadline = steady_clock::now() + seconds(20);
  int64_t events = -1;
  while (steady_clock::now() < deadline) {
    events = Database(gateway.db_path()).scalar("SELECT count(*) FROM events");
    if (events == 1) break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  Database db(gateway.db_path());
  EXPECT_EQ(events, 1);
  EXPECT_EQ(db.text("SELECT event_type FROM events"), "stuck.c");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM deliveries"), 1);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.destination = 'up'"), 0);
  if (db.is_sqlite()) EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace hookgate::testing
