// The HTTP/1.1 connection adapter over a socketpair: a real bufferevent on a real loop, the
// parser behind it, and a handler that records requests and answers when told. What the
// adapter adds to the parser (tests/unit/http1): one request at a time with pipelined ones
// answered in order, however late the first answer; a request split into single bytes; the
// answer it gives itself to a malformed request, counted; and drain.
#include "gateway/connections/http1_connection.h"

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

#include "socketpair_connection.h"

namespace hookgate::gateway::connections {
namespace {

using namespace std::chrono_literals;

// Records every request; answers each with "<method> <path> <body>" at once, or, while
// `defer` is set, when answer_deferred() is called.
class RecordingHandler final : public RequestHandler {
 public:
  void handle(InboundRequest request, loop::EventLoop& loop, Respond respond) override {
    Response response;
    response.status = 200;
    response.content_type = "text/plain";
    response.body = request.method + " " + request.path + " " + request.body;
    const std::lock_guard lock(mutex_);
    requests_.push_back(request.method + " " + request.path);
    if (defer_) {
      deferred_.emplace_back(std::move(respond), std::move(response));
      loop_ = &loop;
      return;
    }
    respond(std::move(response));
  }
  void defer(bool on) {
    const std::lock_guard lock(mutex_);
    defer_ = on;
  }
  // Answers what waits, from the loop (as the store's completion would).
  void answer_deferred() {
    const std::lock_guard lock(mutex_);
    for (auto& [respond, response] : deferred_) {
      loop_->post([respond = std::move(respond), response = std::move(response)] { respond(response); });
    }
    deferred_.clear();
  }
  std::vector<std::string> requests() {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  bool defer_ = false;
  loop::EventLoop* loop_ = nullptr;
  std::vector<std::string> requests_;
  std::vector<std::pair<Respond, Response>> deferred_;
};

class Http1ConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(evthread_use_pthreads(), 0); }

  void send(std::string_view bytes) { ASSERT_EQ(::write(bench_.client(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size())); }

  // Everything the server sends until `responses` complete answers arrived (by Content-Length)
  // or 5 s passed; with `until_close`, until EOF instead.
  std::string read_responses(int responses, bool until_close = false) {
    std::string in;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!until_close && complete_responses(in) >= responses) break;
      pollfd p{bench_.client(), POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(bench_.client(), buffer, sizeof buffer);
      if (n <= 0) break;  // EOF: the server closed
      in.append(buffer, static_cast<size_t>(n));
    }
    return in;
  }

  static int complete_responses(const std::string& in) {
    int count = 0;
    size_t at = 0;
    while (true) {
      const size_t head_end = in.find("\r\n\r\n", at);
      if (head_end == std::string::npos) return count;
      const size_t length_at = in.find("Content-Length: ", at);
      size_t length = 0;
      if (length_at != std::string::npos && length_at < head_end) length = std::stoul(in.substr(length_at + 16));
      if (in.size() < head_end + 4 + length) return count;
      ++count;
      at = head_end + 4 + length;
    }
  }

  bool peer_closed() {
    pollfd p{bench_.client(), POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return false;
    char byte;
    return ::read(bench_.client(), &byte, 1) == 0;
  }

  RecordingHandler handler_;
  testing::SocketpairConnection<Http1Connection> bench_{handler_, config::ServerConfig{}};
};

TEST_F(Http1ConnectionTest, PipelinedRequestsAreHandledOneAtATimeAndAnsweredInOrder) {
  handler_.defer(true);
  send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n1"
       "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n2");
  // The second waits in the input until the first is answered.
  for (int i = 0; i < 100 && handler_.requests().empty(); ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(handler_.requests(), (std::vector<std::string>{"POST /a"}));
  handler_.defer(false);
  handler_.answer_deferred();
  const std::string answers = read_responses(2);
  const size_t first = answers.find("POST /a 1"), second = answers.find("POST /b 2");
  ASSERT_NE(first, std::string::npos) << answers;
  ASSERT_NE(second, std::string::npos) << answers;
  EXPECT_LT(first, second);
  EXPECT_EQ(handler_.requests(), (std::vector<std::string>{"POST /a", "POST /b"}));
  EXPECT_EQ(bench_.open.load(), 1u);  // kept alive
}

TEST_F(Http1ConnectionTest, ARequestArrivingOneByteAtATimeIsOneRequest) {
  const std::string request = "POST /split HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  for (const char c : request) send(std::string_view(&c, 1));
  const std::string answer = read_responses(1);
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("POST /split hello"), std::string::npos) << answer;
  EXPECT_EQ(handler_.requests(), (std::vector<std::string>{"POST /split"}));
}

TEST_F(Http1ConnectionTest, AMalformedRequestIsAnswered400CountedAndTheConnectionClosed) {
  send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n12");
  const std::string answer = read_responses(0, /*until_close=*/true);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_TRUE(handler_.requests().empty());  // never reached the handler
  EXPECT_EQ(bench_.refusals.of(400), 1u);
  for (int i = 0; i < 100 && bench_.open.load() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(bench_.open.load(), 0u);
}

TEST_F(Http1ConnectionTest, DrainLetsTheRequestBeingHandledFinishThenCloses) {
  handler_.defer(true);
  send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  for (int i = 0; i < 100 && handler_.requests().empty(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(handler_.requests().size(), 1u);
  bench_.drain();
  handler_.answer_deferred();
  const std::string answer = read_responses(0, /*until_close=*/true);
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  for (int i = 0; i < 100 && bench_.open.load() != 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(bench_.open.load(), 0u);
}

TEST_F(Http1ConnectionTest, AnIdleConnectionIsClosedByDrainAtOnce) {
  send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(complete_responses(read_responses(1)), 1);
  bench_.drain();
  EXPECT_TRUE(peer_closed());
}

}  // namespace
}  // namespace hookgate::gateway::connections
