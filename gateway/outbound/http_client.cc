#include "gateway/outbound/http_client.h"

#include <event2/buffer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <list>

#include "gateway/loop/event_loop.h"
#include "gateway/outbound/connection.h"
#include "gateway/outbound/request_writer.h"
#include "gateway/outbound/response_parser.h"
#include "gateway/outbound/tls_context.h"

namespace hookgate::gateway::outbound {

using Error = OutboundResult::Error;
using SteadyClock = std::chrono::steady_clock;

namespace {

timeval to_timeval(std::chrono::milliseconds d) {
  const auto ms = d.count() < 0 ? 0 : d.count();
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

Error error_of(ConnectFailure failure) {
  switch (failure) {
    case ConnectFailure::dns: return Error::dns_failed;
    case ConnectFailure::connect: return Error::connect_failed;
    case ConnectFailure::timeout: return Error::connect_timeout;
    case ConnectFailure::tls: return Error::tls_failed;
  }
  return Error::connect_failed;
}

ResponseLimits response_limits(const PoolOptions& options) {
  ResponseLimits limits;
  // One head can never be larger than the whole response cap.
  limits.max_header_bytes = static_cast<std::uint32_t>(
      std::min<size_t>(options.max_response_bytes, std::numeric_limits<std::uint32_t>::max()));
  limits.excerpt_bytes = options.excerpt_bytes;
  return limits;
}

}  // namespace

std::string_view to_string(OutboundResult::Error error) {
  switch (error) {
    case Error::none: return "none";
    case Error::dns_failed: return "dns_failed";
    case Error::connect_failed: return "connect_failed";
    case Error::connect_timeout: return "connect_timeout";
    case Error::tls_failed: return "tls_failed";
    case Error::timeout: return "timeout";
    case Error::connection_closed: return "connection_closed";
    case Error::malformed_response: return "malformed_response";
    case Error::response_too_large: return "response_too_large";
    case Error::invalid_request: return "invalid_request";
  }
  return "unknown";
}

// The pool. It owns every connection: parked ones in idle_, busy ones through the Exchange
// they serve. Objects whose callbacks may be on the stack are never freed in place: closed
// connections go to graveyard_ and finished exchanges to completed_, both emptied by one
// deferred event that also runs the `done` callbacks, so no callback ever runs inside send()
// or inside a connection's own callback.
class ClientPool::Impl final : public ConnectionOwner {
 public:
  Impl(event_base* base, evdns_base* dns, const loop::Clock& clock, config::Endpoint endpoint, PoolOptions options);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void send(OutboundRequest request, std::function<void(OutboundResult)> done);
  [[nodiscard]] size_t idle_connections() const { return idle_.size(); }
  [[nodiscard]] size_t active_connections() const;
  [[nodiscard]] const Stats& stats() const { return stats_; }
  [[nodiscard]] const std::string& setup_error() const { return setup_error_; }

  // ConnectionOwner for parked connections: anything but silence ends them.
  void on_connected(Connection&) override {}
  void on_connect_failed(Connection&, ConnectFailure, std::string) override {}
  void on_readable(Connection& connection) override { discard_idle(connection, "unexpected bytes while idle"); }
  void on_lost(Connection& connection, bool, std::string detail) override { discard_idle(connection, detail); }
  void on_idle_timeout(Connection& connection) override { discard_idle(connection, "idle timeout"); }

 private:
  class Exchange;

  void dispatch(Exchange& exchange);
  void open_connection(Exchange& exchange);
  void read_response(Exchange& exchange);
  void succeed(Exchange& exchange, bool reusable, std::string detail);
  void fail(Exchange& exchange, Error error, std::string detail);
  void finish(Exchange& exchange, Error error, std::string detail);
  void discard(std::unique_ptr<Connection> connection);
  void discard_idle(Connection& connection, std::string_view reason);
  static void on_deferred(evutil_socket_t, short, void* self);

  ConnectionTarget target_;  // before every connection: they refer to it
  PoolOptions options_;
  const loop::Clock& clock_;  // times each request: clock_.monotonic()
  SslCtxPtr tls_;
  std::string setup_error_;
  Stats stats_;
  std::uint64_t next_connection_id_ = 1;
  std::shared_ptr<char> alive_ = std::make_shared<char>(0);  // expires with the pool
  loop::EventPtr deferred_;

  std::vector<std::unique_ptr<Connection>> idle_;  // most recently parked last
  std::list<std::unique_ptr<Exchange>> inflight_;
  std::vector<std::unique_ptr<Exchange>> completed_;  // awaiting their `done` call
  std::vector<std::unique_ptr<Connection>> graveyard_;
};

// One send(): the request, its callback and deadline, and the connection serving it.
class ClientPool::Impl::Exchange final : public ConnectionOwner {
 public:
  Exchange(Impl& pool, OutboundRequest req, std::function<void(OutboundResult)> callback)
      : pool_(pool),
        request(std::move(req)),
        done(std::move(callback)),
        sent_at(pool.clock_.monotonic()),
        total_timer(event_new(pool.target_.base, -1, 0, &Exchange::on_total_timeout, this)),
        parser(response_limits(pool.options_)) {}

  void attach(std::unique_ptr<Connection> c, bool reused) {
    connection = std::move(c);
    connection->set_owner(this);
    on_reused_connection = reused;
  }

  void write_request() {
    parser.reset(request.method == "HEAD");
    response_bytes = 0;
    written_at = pool_.clock_.monotonic();
    connection->write(head, request.body);
  }

  void on_connected(Connection&) override { write_request(); }

  void on_connect_failed(Connection&, ConnectFailure failure, std::string detail) override {
    spdlog::debug("outbound {}: connect failed: {}", pool_.target_.endpoint.authority, detail);
    pool_.fail(*this, error_of(failure), std::move(detail));
  }

  void on_readable(Connection&) override { pool_.read_response(*this); }

  void on_lost(Connection&, bool eof, std::string detail) override {
    pool_.read_response(*this);  // what arrived before the close
    if (finished) return;
    if (on_reused_connection && !parser.started() && !retried) {
      // The server closed the parked connection while our request was on its way. Nothing of
      // a response arrived, so the request cannot have been answered: once, on a new connection.
      retried = true;
      ++pool_.stats_.stale_retries;
      spdlog::debug("outbound {}: parked connection lost ({}), retrying on a new one",
                    pool_.target_.endpoint.authority, detail);
      pool_.discard(std::move(connection));
      pool_.open_connection(*this);
      return;
    }
    if (eof) {
      parser.finish();
      if (parser.state() == ResponseParser::State::complete) {  // a body read until close
        pool_.succeed(*this, false, {});
        return;
      }
      detail = std::string(parser.error_detail());
    }
    pool_.fail(*this, Error::connection_closed, std::move(detail));
  }

  void on_idle_timeout(Connection&) override {}  // only parked connections have one

  static void on_total_timeout(evutil_socket_t, short, void* self) {
    auto* exchange = static_cast<Exchange*>(self);
    std::string detail = "no complete response within " + std::to_string(exchange->pool_.options_.total_timeout.count()) + "ms";
    if (!exchange->connection || exchange->connection->phase() != Connection::Phase::established) {
      detail += " (still connecting)";
    } else if (exchange->parser.started()) {
      detail += " (response incomplete)";
    }
    exchange->pool_.fail(*exchange, Error::timeout, std::move(detail));
  }

  Impl& pool_;
  OutboundRequest request;
  std::function<void(OutboundResult)> done;
  std::string head;  // serialized once; written again as is on a retry
  SteadyClock::time_point sent_at;
  std::optional<SteadyClock::time_point> written_at;
  loop::EventPtr total_timer;
  std::unique_ptr<Connection> connection;
  bool on_reused_connection = false;
  bool retried = false;
  bool finished = false;
  ResponseParser parser;
  std::uint64_t response_bytes = 0;  // fed to the parser for the current attempt
  OutboundResult result;
  std::list<std::unique_ptr<Exchange>>::iterator position;  // in inflight_
};

ClientPool::Impl::Impl(event_base* base, evdns_base* dns, const loop::Clock& clock, config::Endpoint endpoint,
                       PoolOptions options)
    : options_(std::move(options)), clock_(clock), deferred_(event_new(base, -1, 0, &Impl::on_deferred, this)) {
  target_.base = base;
  target_.dns = dns;
  target_.endpoint = std::move(endpoint);
  target_.verify_tls = options_.verify_tls;
  target_.connect_timeout = options_.connect_timeout;
  if (target_.endpoint.tls) {
    ClientTlsContext tls = make_client_tls_context(options_.ca_file, options_.verify_tls);
    tls_ = std::move(tls.ctx);
    setup_error_ = std::move(tls.error);
    target_.tls = tls_.get();
  }
}

ClientPool::Impl::~Impl() {
  // Connections close in their destructors (sockets, TLS sessions, DNS lookups, timers);
  // exchanges are dropped without their callbacks.
  alive_.reset();
}

size_t ClientPool::Impl::active_connections() const {
  return static_cast<size_t>(std::count_if(inflight_.begin(), inflight_.end(),
                                           [](const auto& exchange) { return exchange->connection != nullptr; }));
}

void ClientPool::Impl::send(OutboundRequest request, std::function<void(OutboundResult)> done) {
  ++stats_.requests;
  inflight_.push_back(std::make_unique<Exchange>(*this, std::move(request), std::move(done)));
  Exchange& exchange = *inflight_.back();
  exchange.position = std::prev(inflight_.end());

  if (!setup_error_.empty()) {
    finish(exchange, Error::tls_failed, setup_error_);
    return;
  }
  const RequestHead head{.method = exchange.request.method,
                         .target = exchange.request.target.empty() ? std::string_view(target_.endpoint.target)
                                                                   : std::string_view(exchange.request.target),
                         .authority = target_.endpoint.authority,
                         .headers = &exchange.request.headers,
                         .body_size = exchange.request.body ? exchange.request.body->size() : 0};
  if (const auto problem = write_request_head(exchange.head, head)) {
    finish(exchange, Error::invalid_request, std::string(*problem));
    return;
  }
  const timeval total = to_timeval(options_.total_timeout);
  event_add(exchange.total_timer.get(), &total);
  dispatch(exchange);
}

void ClientPool::Impl::dispatch(Exchange& exchange) {
  if (idle_.empty()) {
    open_connection(exchange);
    return;
  }
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  connection->unpark();
  ++stats_.connections_reused;
  exchange.attach(std::move(connection), true);
  exchange.write_request();
}

void ClientPool::Impl::open_connection(Exchange& exchange) {
  ++stats_.connections_opened;
  auto connection = std::make_unique<Connection>(target_, &exchange, next_connection_id_++);
  Connection& opening = *connection;
  exchange.attach(std::move(connection), false);
  opening.open();
}

void ClientPool::Impl::read_response(Exchange& exchange) {
  if (exchange.finished || !exchange.connection) return;
  evbuffer* input = exchange.connection->input();
  if (!input) return;
  const std::uint64_t cap = options_.max_response_bytes;
  while (evbuffer_get_length(input) > 0) {
    if (exchange.response_bytes >= cap) {
      // More bytes than the cap allows: the rest of this response is never read.
      if (exchange.parser.headers_complete()) {
        succeed(exchange, false, "response over " + std::to_string(cap) + " bytes: truncated, connection closed");
      } else {
        fail(exchange, Error::response_too_large, "response head over " + std::to_string(cap) + " bytes");
      }
      return;
    }
    evbuffer_iovec chunk;
    if (evbuffer_peek(input, -1, nullptr, &chunk, 1) < 1) return;
    const size_t take = static_cast<size_t>(std::min<std::uint64_t>(chunk.iov_len, cap - exchange.response_bytes));
    const size_t used = exchange.parser.feed(std::string_view(static_cast<const char*>(chunk.iov_base), take));
    evbuffer_drain(input, used);
    exchange.response_bytes += used;

    switch (exchange.parser.state()) {
      case ResponseParser::State::error:
        fail(exchange,
             exchange.parser.error() == ResponseParser::Error::head_too_large ? Error::response_too_large
                                                                              : Error::malformed_response,
             std::string(exchange.parser.error_detail()));
        return;
      case ResponseParser::State::complete: {
        // Bytes after the response, or a request body the server did not wait for, leave the
        // stream in an unknown state: such a connection is not reused.
        const bool reusable = exchange.parser.response().keep_alive && evbuffer_get_length(input) == 0 &&
                              !exchange.connection->output_pending();
        succeed(exchange, reusable, {});
        return;
      }
      case ResponseParser::State::reading_head:
      case ResponseParser::State::reading_body:
        if (used < take) {  // the parser's contract says it cannot happen; never spin on it
          fail(exchange, Error::malformed_response, "response parser stalled");
          return;
        }
        break;
    }
  }
}

void ClientPool::Impl::succeed(Exchange& exchange, bool reusable, std::string detail) {
  const Response& response = exchange.parser.response();
  exchange.result.status = response.status;
  if (const auto retry_after = response.header("retry-after")) exchange.result.retry_after = std::string(*retry_after);
  exchange.result.body_excerpt = response.body_excerpt;

  std::unique_ptr<Connection> connection = std::move(exchange.connection);
  if (reusable && connection->phase() == Connection::Phase::established &&
      idle_.size() < options_.max_idle_connections) {
    connection->set_owner(this);
    connection->park(options_.idle_timeout);
    idle_.push_back(std::move(connection));
  } else {
    discard(std::move(connection));
  }
  finish(exchange, Error::none, std::move(detail));
}

void ClientPool::Impl::fail(Exchange& exchange, Error error, std::string detail) {
  if (exchange.connection) discard(std::move(exchange.connection));
  finish(exchange, error, std::move(detail));
}

void ClientPool::Impl::finish(Exchange& exchange, Error error, std::string detail) {
  exchange.finished = true;
  event_del(exchange.total_timer.get());
  OutboundResult& result = exchange.result;
  result.error = error;
  result.detail = std::move(detail);
  if (error != Error::none) {
    ++stats_.failures;
    result.status = 0;
    result.retry_after.reset();
    result.body_excerpt.clear();
  }
  result.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      clock_.monotonic() - exchange.written_at.value_or(exchange.sent_at));
  completed_.push_back(std::move(*exchange.position));
  inflight_.erase(exchange.position);
  event_active(deferred_.get(), 0, 0);
}

void ClientPool::Impl::discard(std::unique_ptr<Connection> connection) {
  if (!connection) return;
  connection->close();
  graveyard_.push_back(std::move(connection));
  event_active(deferred_.get(), 0, 0);
}

void ClientPool::Impl::discard_idle(Connection& connection, std::string_view reason) {
  const auto it = std::find_if(idle_.begin(), idle_.end(), [&](const auto& c) { return c.get() == &connection; });
  if (it == idle_.end()) return;
  spdlog::debug("outbound {}: parked connection closed: {}", target_.endpoint.authority, reason);
  std::unique_ptr<Connection> closing = std::move(*it);
  idle_.erase(it);
  discard(std::move(closing));
}

void ClientPool::Impl::on_deferred(evutil_socket_t, short, void* self) {
  auto* pool = static_cast<Impl*>(self);
  pool->graveyard_.clear();  // none of their callbacks is on the stack now
  std::vector<std::unique_ptr<Exchange>> batch;
  batch.swap(pool->completed_);
  const std::weak_ptr<char> alive = pool->alive_;
  for (auto& exchange : batch) {
    // A callback may destroy the pool: the ones after it are then dropped, as promised.
    if (alive.expired()) return;
    std::function<void(OutboundResult)> done = std::move(exchange->done);
    if (done) done(std::move(exchange->result));
  }
}

ClientPool::ClientPool(event_base* base, evdns_base* dns, const loop::Clock& clock, config::Endpoint endpoint,
                       PoolOptions options)
    : impl_(std::make_unique<Impl>(base, dns, clock, std::move(endpoint), std::move(options))) {}

ClientPool::~ClientPool() = default;

void ClientPool::send(OutboundRequest request, std::function<void(OutboundResult)> done) {
  impl_->send(std::move(request), std::move(done));
}

size_t ClientPool::idle_connections() const { return impl_->idle_connections(); }
size_t ClientPool::active_connections() const { return impl_->active_connections(); }
const ClientPool::Stats& ClientPool::stats() const { return impl_->stats(); }
const std::string& ClientPool::setup_error() const { return impl_->setup_error(); }

}  // namespace hookgate::gateway::outbound
