// The outbound HTTP/1.1 (+TLS) client the delivery engine POSTs stored webhooks with: one
// ClientPool per destination endpoint, keeping connections alive between requests.
//
// Threading: a pool belongs to the thread that runs its event_base. Construct it, call send(),
// read its counters and destroy it on that thread only. `done` callbacks run on that thread
// too, never synchronously inside send(), exactly once per send() — unless the pool is
// destroyed first: pending callbacks are then dropped, not called. A callback may call send()
// again, or destroy the pool.
//
// The process must ignore SIGPIPE (hookgate serve does): a peer that resets a connection while
// a request is being written would otherwise kill it.
#pragma once

#include <event2/dns.h>
#include <event2/event.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "gateway/loop/clock.h"

namespace hookgate::gateway::outbound {

struct OutboundRequest {
  std::string method;  // "POST"
  // The caller's header fields, in order. The client adds Host and Content-Length and nothing
  // else; a field it owns (Host, Content-Length, Transfer-Encoding, Connection, Upgrade), a name
  // that is not a token or a value holding CR, LF or another control byte fails the request
  // with Error::invalid_request before anything is sent.
  std::vector<std::pair<std::string, std::string>> headers;
  // Shared: retries and fan-out do not copy bodies. The client holds a reference until the
  // bytes are written. Null = empty body.
  std::shared_ptr<const std::string> body;
  // Origin-form "/path?query" to send instead of the endpoint's (a transform's); empty: the
  // endpoint's. Checked like the rest of the head (Error::invalid_request).
  std::string target;
};

struct OutboundResult {
  enum class Error {
    none,
    dns_failed,          // the host name did not resolve (or no resolver was given)
    connect_failed,      // every address refused or was unreachable
    connect_timeout,     // DNS + TCP + TLS handshake took longer than connect_timeout
    tls_failed,          // handshake failed: certificate chain or name refused, protocol error;
                         // also a CA file that cannot be loaded (see ClientPool::setup_error())
    timeout,             // total_timeout passed before the response was complete
    connection_closed,   // the peer closed or reset the connection before the response was complete
    malformed_response,  // not a valid HTTP/1.1 response, or ambiguous framing
    response_too_large,  // the response head alone is over max_response_bytes
    invalid_request,     // (addition) the request cannot be sent as given; see OutboundRequest
  };
  Error error = Error::none;  // none => status is valid
  int status = 0;             // the final status (1xx interim responses are skipped); 0 on error
  std::optional<std::string> retry_after;  // raw Retry-After value (first field), if any
  std::string body_excerpt;  // first PoolOptions::excerpt_bytes of the (decoded) response body
  // From the moment the request was written to the connection to the response being complete
  // (or the failure); from send() when it failed before anything was written. On a transparent
  // retry, from the retry's write.
  std::chrono::microseconds duration{0};
  // Short human text for logs and attempt rows ("connection refused (10.0.0.5:8000)",
  // "certificate verify failed: hostname mismatch"). Never holds bodies or header values.
  std::string detail;
};

// The enumerator's name, snake_case ("connect_timeout").
[[nodiscard]] std::string_view to_string(OutboundResult::Error error);

struct PoolOptions {
  std::chrono::milliseconds connect_timeout{5000};  // DNS + TCP connect + TLS handshake
  std::chrono::milliseconds total_timeout{15000};   // from send() until the response is complete
  size_t max_idle_connections = 16;                 // kept-alive connections parked per pool
  std::chrono::milliseconds idle_timeout{30000};    // parked connections closed after this
  // Read cap for one response: interim heads, head and body bytes as received. A head (status
  // line and fields) that does not fit is Error::response_too_large. Once the head fits, a
  // longer body is not an error: the result has the status, error none and the excerpt, and the
  // connection is closed instead of reused.
  size_t max_response_bytes = 64 * 1024;
  size_t excerpt_bytes = 1024;
  std::string ca_file;     // https: PEM CA bundle; empty = system default paths
  bool verify_tls = true;  // https: verify chain and host name (or IP address)
};

// One pool per destination (one endpoint). Concurrency is the caller's business: every send()
// uses a parked kept-alive connection if there is one, else opens a new one; one request per
// connection at a time (no pipelining). A request that fails on a reused connection before any
// response byte arrives (the server had closed it while it was parked) is retried once on a new
// connection, transparently.
class ClientPool {
 public:
  // `base`, `dns` and `clock` must outlive the pool. `dns` may be null when the endpoint's host is
  // an IP literal (IP literals never go through DNS). `clock.monotonic()` times each request
  // (OutboundResult::duration). Never throws on a bad CA file: see setup_error().
  ClientPool(event_base* base, evdns_base* dns, const loop::Clock& clock, config::Endpoint endpoint,
             PoolOptions options);
  ~ClientPool();  // closes every connection; pending callbacks are NOT called after destruction
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  void send(OutboundRequest request, std::function<void(OutboundResult)> done);

  [[nodiscard]] size_t idle_connections() const;    // parked
  [[nodiscard]] size_t active_connections() const;  // connecting or carrying a request

  struct Stats {
    uint64_t connections_opened = 0;  // new connections attempted (DNS + connect started)
    uint64_t connections_reused = 0;  // sends that took a parked connection
    uint64_t requests = 0;            // send() calls
    uint64_t failures = 0;            // results with error != none
    uint64_t stale_retries = 0;       // (addition) transparent retries after a parked connection failed
  };
  [[nodiscard]] const Stats& stats() const;

  // (addition) Why this pool cannot send at all (an https CA file that cannot be loaded); empty
  // when it can. Every send() then fails with Error::tls_failed and this text.
  [[nodiscard]] const std::string& setup_error() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookgate::gateway::outbound
