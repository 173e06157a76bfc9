// The HTTP/2 connection adapter over a socketpair: a real bufferevent and loop, the sans-I/O
// session behind it (tests/unit/gateway/http2_session_test.cc), an nghttp2 client on the other
// end. What the adapter adds: streams handed to the handler side by side and answered in
// whatever order the answers come, the incomplete-stream deadline on the injected clock, and
// drain (GOAWAY, the open stream still answered, then close).
#include "gateway/connections/http2_connection.h"

#include <event2/bufferevent.h>
#include <event2/thread.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "h2_test_client.h"
#include "socketpair_connection.h"

namespace hookgate::gateway::connections {
namespace {

using namespace std::chrono_literals;
using testing::Client;

// Records every request; answers each with its path as the body, at once or, while `defer`
// is set, when answer() names it.
class RecordingHandler final : public RequestHandler {
 public:
  void handle(InboundRequest request, loop::EventLoop& loop, Respond respond) override {
    Response response;
    response.status = 200;
    response.content_type = "text/plain";
    response.body = "answer to " + request.path;
    const std::lock_guard lock(mutex_);
    paths_.push_back(request.path);
    loop_ = &loop;
    if (defer_) {
      deferred_.emplace(request.path, std::make_pair(std::move(respond), std::move(response)));
      return;
    }
    respond(std::move(response));
  }
  void defer() {
    const std::lock_guard lock(mutex_);
    defer_ = true;
  }
  void answer(const std::string& path) {
    const std::lock_guard lock(mutex_);
    auto node = deferred_.extract(path);
    ASSERT_FALSE(node.empty()) << path;
    loop_->post([entry = std::move(node.mapped())] { entry.first(entry.second); });
  }
  std::vector<std::string> paths() {
    const std::lock_guard lock(mutex_);
    return paths_;
  }

 private:
  std::mutex mutex_;
  bool defer_ = false;
  loop::EventLoop* loop_ = nullptr;
  std::vector<std::string> paths_;
  std::map<std::string, std::pair<Respond, Response>> deferred_;
};

class Http2ConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(evthread_use_pthreads(), 0); }

  void start(config::ServerConfig limits = {}) {
    bench_ = std::make_unique<testing::SocketpairConnection<Http2Connection>>(handler_, std::move(limits));
    socket_ = bench_->client();
  }

  // Moves bytes both ways until `done()` or 5 s; false on timeout. `closed` is set at EOF.
  bool exchange(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string up = client_.output();
      if (!up.empty()) {
        EXPECT_EQ(::write(socket_, up.data(), up.size()), static_cast<ssize_t>(up.size()));
      }
      if (done()) return true;
      pollfd p{socket_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      char buffer[16384];
      const ssize_t n = ::read(socket_, buffer, sizeof buffer);
      if (n == 0) {
        closed_ = true;
        return done();
      }
      if (n > 0) client_.input(std::string(buffer, static_cast<size_t>(n)));
    }
    return false;
  }

  RecordingHandler handler_;
  std::unique_ptr<testing::SocketpairConnection<Http2Connection>> bench_;
  int socket_ = -1;
  Client client_;
  bool closed_ = false;
};

TEST_F(Http2ConnectionTest, StreamsReachTheHandlerSideBySideAndAreAnsweredInTheOrderTheAnswersCome) {
  start();
  handler_.defer();
  const int32_t a = client_.request("/a", "1");
  const int32_t b = client_.request("/b", "2");
  // Unlike HTTP/1.1, the second is handled while the first still waits for its answer.
  ASSERT_TRUE(exchange([&] { return handler_.paths().size() == 2; }));
  handler_.answer("/b");
  ASSERT_TRUE(exchange([&] { return client_.stream(b).closed; }));
  EXPECT_EQ(client_.stream(b).status, 200);
  EXPECT_EQ(client_.stream(b).body, "answer to /b");
  EXPECT_FALSE(client_.stream(a).closed);  // still waiting, on the same connection
  handler_.answer("/a");
  ASSERT_TRUE(exchange([&] { return client_.stream(a).closed; }));
  EXPECT_EQ(client_.stream(a).status, 200);
  EXPECT_EQ(client_.stream(a).body, "answer to /a");
  EXPECT_EQ(bench_->open.load(), 1u);
}

TEST_F(Http2ConnectionTest, AStreamWhoseBodyNeverEndsIsAnswered408AtTheDeadlineAndCounted) {
  config::ServerConfig limits;
  limits.header_timeout = config::Duration{100};
  limits.body_timeout = config::Duration{100};
  start(limits);
  const int32_t stalled = client_.request("/stalled", "never sent", {}, true, /*hold_body=*/true);
  ASSERT_TRUE(exchange([&] { return client_.stream(stalled).closed; }));
  EXPECT_EQ(client_.stream(stalled).status, 408);
  EXPECT_TRUE(handler_.paths().empty());
  EXPECT_EQ(bench_->refusals.of(408), 1u);
  // The connection itself goes on.
  const int32_t next = client_.request("/next", "x");
  ASSERT_TRUE(exchange([&] { return client_.stream(next).closed; }));
  EXPECT_EQ(client_.stream(next).status, 200);
}

TEST_F(Http2ConnectionTest, DrainSendsGoawayAnswersTheOpenStreamThenCloses) {
  start();
  handler_.defer();
  const int32_t open_stream = client_.request("/slow", "x");
  ASSERT_TRUE(exchange([&] { return handler_.paths().size() == 1; }));
  bench_->drain();
  ASSERT_TRUE(exchange([&] { return client_.goaway_error.has_value(); }));
  EXPECT_EQ(*client_.goaway_error, 0u);  // NO_ERROR: a graceful shutdown
  handler_.answer("/slow");
  ASSERT_TRUE(exchange([&] { return closed_; }));
  EXPECT_EQ(client_.stream(open_stream).status, 200);
  EXPECT_EQ(client_.stream(open_stream).body, "answer to /slow");
  for (int i = 0; i < 100 && bench_->open.load() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(bench_->open.load(), 0u);
}

}  // namespace
}  // namespace hookgate::gateway::connections
