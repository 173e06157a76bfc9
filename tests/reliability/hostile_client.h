// Clients for the hostile-input catalogue: a raw HTTP/1.1 connection that sends exactly the
// bytes a case gives (at once, trickled, or followed by a half-close) and reads the server's
// answers with hookgate's own strict response parser, and an HPACK decoder for the answers to
// raw HTTP/2 frames (tests/integration/h2_client.h reads frames but not their header blocks).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/outbound/response_parser.h"
#include "h2_client.h"

struct nghttp2_hd_inflater;

namespace hookgate::reliability {

// One TCP connection to 127.0.0.1:port. Blocking with explicit deadlines; never throws.
class RawHttpConnection {
 public:
  explicit RawHttpConnection(uint16_t port);
  ~RawHttpConnection();
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;

  [[nodiscard]] bool connected() const { return fd_ >= 0; }

  // Sends all of `bytes`; false when the server closed or reset the connection first.
  bool send(std::string_view bytes);
  // Sends `bytes` one byte per `gap`, stopping early as soon as the server answers or closes.
  // Returns how many bytes went out.
  size_t trickle(std::string_view bytes, std::chrono::milliseconds gap, std::chrono::milliseconds limit);
  // No more bytes from us (FIN): the server sees end of stream.
  void shutdown_write();

  // The next final response (1xx interim responses are skipped but kept in received()), or
  // nullopt when the server closed, reset or did not finish one within `timeout`.
  [[nodiscard]] std::optional<gateway::outbound::Response> read_response(std::chrono::milliseconds timeout);
  // True once received() holds `needle`, reading for at most `timeout`.
  [[nodiscard]] bool wait_for(std::string_view needle, std::chrono::milliseconds timeout);
  // True when the server closes (EOF or reset) within `timeout`; bytes arriving meanwhile are
  // kept in received().
  [[nodiscard]] bool closed_within(std::chrono::milliseconds timeout);
  // Everything the server sent so far.
  [[nodiscard]] const std::string& received() const { return received_; }
  // Bytes received that no read_response() has consumed (say, an unexpected extra answer).
  [[nodiscard]] size_t unread() const { return received_.size() - parsed_; }
  // True once read_response() met bytes that are not a well-formed HTTP/1.1 response.
  [[nodiscard]] bool malformed() const { return malformed_; }

 private:
  // Reads once within the deadline; false on EOF, reset or timeout (eof_ tells which).
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  bool malformed_ = false;
  std::string received_;
  size_t parsed_ = 0;  // bytes of received_ already consumed by read_response()
};

// Decodes the HEADERS frames a server sent on one connection, in order (HPACK state is per
// connection), and returns each stream's :status.
class H2StatusReader {
 public:
  H2StatusReader();
  ~H2StatusReader();
  H2StatusReader(const H2StatusReader&) = delete;
  H2StatusReader& operator=(const H2StatusReader&) = delete;

  // Feeds frames as read; HEADERS frames (END_HEADERS set) are decoded.
  void add(const std::vector<testing::H2Frame>& frames);
  [[nodiscard]] std::optional<int> status(uint32_t stream_id) const;

 private:
  nghttp2_hd_inflater* inflater_ = nullptr;
  std::map<uint32_t, int> statuses_;
};

}  // namespace hookgate::reliability
