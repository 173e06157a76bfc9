// The HTTP/2 input path: gateway/connections/http2_session.* (nghttp2 server session, sans I/O) fed peer
// bytes piece by piece, as Http2Connection does, with a handler that answers every request.
//
// Input: fuzz_input.h's stream framing. Flags:
//   bit 0  the client preface and an empty SETTINGS frame are sent first (so that mutations
//          spend their effort on the frames after it)
//   bit 1  tight limits: 64-byte bodies, 256-byte heads, 4 fields, 4 concurrent streams
//   bit 2  requests are answered at the next piece instead of at once
//   bit 3  the server shuts down (GOAWAY NO_ERROR) after the first piece
//   bit 4  answers carry a 100 KB body (more than the peer's initial window)
// Each piece arrives one second after the previous one; streams older than three seconds are
// expired (408) after each piece, as the adapter's deadline does.
//
// Properties: every request handed out respects the limits, carries the body padding and a
// path that split_request_target accepts; every session-made answer has a documented status;
// each stream is handed out at most once and closed at most once, never used after closing;
// answering a stream that is gone is refused, not a crash; the output always drains.
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "gateway/connections/http2_session.h"
#include "gateway/connections/protocol_sniffer.h"
#include "gateway/http/request_target.h"

namespace hookgate::fuzz {
namespace {

using gateway::connections::Http2Session;

constexpr std::size_t kPadding = 64;

class Handler final : public Http2Session::Handler {
 public:
  Handler(const gateway::connections::Http2Limits& limits, bool answer_at_once, bool big_answers)
      : limits_(limits), answer_at_once_(answer_at_once), big_answers_(big_answers) {}

  void attach(Http2Session* session) { session_ = session; }

  void on_request(int32_t stream_id, gateway::connections::InboundRequest request) override {
    HOOKGATE_FUZZ_CHECK(stream_id > 0 && stream_id % 2 == 1);
    HOOKGATE_FUZZ_CHECK(closed_all_.count(stream_id) == 0);
    HOOKGATE_FUZZ_CHECK(requested_.insert(stream_id).second);  // once per stream
    HOOKGATE_FUZZ_CHECK(request.body.size() <= limits_.max_body);
    HOOKGATE_FUZZ_CHECK(request.headers.size() <= limits_.max_headers);
    HOOKGATE_FUZZ_CHECK(request.body.capacity() >= request.body.size() + kPadding);
    const char* padding = request.body.data() + request.body.size();
    for (std::size_t i = 0; i < kPadding; ++i) HOOKGATE_FUZZ_CHECK(padding[i] == '\0');
    std::string target = request.path;
    if (!request.query.empty()) target += "?" + request.query;
    HOOKGATE_FUZZ_CHECK(gateway::http::split_request_target(request.method, target).ok || request.path == "*");
    if (answer_at_once_) {
      answer(stream_id);
    } else {
      waiting_.push_back(stream_id);
    }
  }

  void on_stream_rejected(int32_t stream_id, int status, std::string_view reason) override {
    HOOKGATE_FUZZ_CHECK(closed_all_.count(stream_id) == 0);
    HOOKGATE_FUZZ_CHECK(status == 400 || status == 408 || status == 413 || status == 431);
    HOOKGATE_FUZZ_CHECK(!reason.empty());
  }

  void on_stream_closed(int32_t stream_id) override {
    HOOKGATE_FUZZ_CHECK(closed_all_.insert(stream_id).second);  // closed once
    closed_.push_back(stream_id);
  }

  void answer_waiting() {
    std::vector<int32_t> waiting;
    waiting.swap(waiting_);
    for (const int32_t id : waiting) answer(id);
    // A stream that is gone cannot be answered.
    for (const int32_t id : closed_) HOOKGATE_FUZZ_CHECK(!session_->respond(id, gateway::connections::Response{}));
    closed_.clear();
  }

 private:
  void answer(int32_t stream_id) {
    gateway::connections::Response response;
    response.status = 200;
    response.body = big_answers_ ? std::string(100 * 1024, 'x') : std::string(R"({"id":"evt_fuzz"})");
    response.headers.emplace_back("Retry-After", "5");
    (void)session_->respond(stream_id, std::move(response));
  }

  const gateway::connections::Http2Limits limits_;
  const bool answer_at_once_;
  const bool big_answers_;
  Http2Session* session_ = nullptr;
  std::set<int32_t> requested_;
  std::set<int32_t> closed_all_;
  std::vector<int32_t> waiting_;
  std::vector<int32_t> closed_;
};

// Sends what the session has to send; false once it reports a fatal error.
bool drain(Http2Session& session) {
  for (int i = 0; i < 10000; ++i) {
    const std::optional<std::string_view> out = session.next_output();
    if (!out) return false;
    if (out->empty()) return true;
  }
  HOOKGATE_FUZZ_CHECK(false && "output never drains");
  return false;
}

}  // namespace
}  // namespace hookgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hookgate;
  using namespace hookgate::fuzz;
  const StreamInput in = read_stream_input(data, size);

  gateway::connections::Http2Limits limits;
  if (in.flags & 2) {
    limits.max_body = 64;
    limits.max_header_bytes = 256;
    limits.max_headers = 4;
    limits.max_concurrent_streams = 4;
    limits.max_header_list_size = 256 + 32 * 4;
  }
  Handler handler(limits, (in.flags & 4) == 0, (in.flags & 16) != 0);
  std::unique_ptr<Http2Session> session = Http2Session::create(limits, handler);
  HOOKGATE_FUZZ_CHECK(session != nullptr);
  handler.attach(session.get());

  std::string payload;
  if (in.flags & 1) {
    payload.append(gateway::connections::kHttp2Preface);
    payload.append(std::string_view("\x00\x00\x00\x04\x00\x00\x00\x00\x00", 9));  // SETTINGS, empty
  }
  payload.append(in.payload);

  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  bool alive = drain(*session);
  bool first = true;
  for_each_piece(payload, in.pieces, [&](std::string_view piece) {
    if (!alive) return;
    if (!session->receive(piece, now)) {
      HOOKGATE_FUZZ_CHECK(!session->error().empty());
      alive = false;
    }
    handler.answer_waiting();
    if (first && (in.flags & 8)) session->shutdown();
    first = false;
    (void)session->expire_incomplete(now - std::chrono::seconds(3));
    if (const auto oldest = session->oldest_incomplete()) HOOKGATE_FUZZ_CHECK(*oldest >= now - std::chrono::seconds(3));
    if (!drain(*session)) alive = false;
    now += std::chrono::seconds(1);
  });
  handler.answer_waiting();
  (void)drain(*session);
  session->terminate(0);
  (void)drain(*session);
  return 0;
}
