// `hookgate receive`: a small destination service for trying hookgate out and for checking a
// destination's outbound signature. Blocking sockets and a thread per connection: it is a
// tool, not part of the gateway's data path.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include "config/address.h"
#include "gateway/cli/commands.h"
#include "gateway/http1/request_parser.h"
#include "gateway/http1/response_writer.h"
#include "gateway/loop/clock.h"
#include "gateway/loop/socket_address.h"
#include "verify/registry.h"

namespace hookgate::gateway::cli {
namespace {

std::mutex output_mutex;

std::string_view header_of(const http::Request& request, std::string_view name) {
  for (const auto& h : request.headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0) return h.value;
  }
  return {};
}

void serve_connection(int fd, const ReceiveOptions& options, const verify::Verifier* verifier,
                      const loop::Clock& clock) {
  http1::RequestParser parser;
  char buffer[16384];
  std::string pending;
  for (;;) {
    size_t used = parser.feed(pending);
    pending.erase(0, used);
    while (parser.state() == http1::RequestParser::State::reading_head ||
           parser.state() == http1::RequestParser::State::reading_body) {
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        close(fd);
        return;
      }
      pending.append(buffer, static_cast<size_t>(n));
      used = parser.feed(pending);
      pending.erase(0, used);
    }
    if (parser.state() == http1::RequestParser::State::error) {
      std::string out;
      (void)http1::write_response(out, http1::status_of(parser.error()), {}, "", false);
      (void)send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      close(fd);
      return;
    }
    const http::Request request = parser.take_request();
    parser.reset();

    std::string_view signature = "unsigned";
    if (verifier) {
      std::vector<verify::HeaderView> views;
      for (const auto& h : request.headers) views.push_back({h.name, h.value});
      verify::Request view;
      view.method = request.method;
      view.path = request.path;
      view.headers = views;
      view.body = request.body;
      const verify::Verdict verdict = verifier->verify(view, clock.now());
      signature = verdict == verify::Verdict::ok ? "ok" : verify::to_string(verdict);
    }
    {
      std::lock_guard lock(output_mutex);
      std::printf("%s %s webhook-id=%.*s attempt=%.*s bytes=%zu signature=%.*s\n", request.method.c_str(),
                  request.target.c_str(), static_cast<int>(header_of(request, "webhook-id").size()),
                  header_of(request, "webhook-id").data(),
                  static_cast<int>(header_of(request, "hookgate-attempt").size()),
                  header_of(request, "hookgate-attempt").data(), request.body.size(),
                  static_cast<int>(signature.size()), signature.data());
      std::fflush(stdout);
    }
    const int status = verifier && signature != "ok" ? 401 : options.status;
    std::string out;
    (void)http1::write_response(out, status, {}, "", request.keep_alive);
    if (send(fd, out.data(), out.size(), MSG_NOSIGNAL) < 0 || !request.keep_alive) {
      close(fd);
      return;
    }
  }
}

}  // namespace

int run_receive(const ReceiveOptions& options) {
  // The same grammar as a listener in the config: IPv4 as is, IPv6 in brackets ([::1]:9000).
  const auto parsed = config::detail::parse_listen_address(options.listen);
  sockaddr_storage address{};
  int length = 0;
  if (!parsed.value || !loop::make_address(parsed.value->host, parsed.value->port, address, length)) {
    std::fprintf(stderr, "--listen %s: %s\n", options.listen.c_str(),
                 parsed.value ? "not an IP address" : parsed.error.c_str());
    return 2;
  }

  std::shared_ptr<const verify::Verifier> verifier;
  if (!options.secret.empty()) {
    if (sodium_init() < 0) return 1;
    verify::VerifySpec spec;
    spec.provider = "standard-webhooks";
    spec.secrets = {options.secret};
    auto built = verify::build_verifier(spec);
    if (!built.verifier) {
      std::fprintf(stderr, "--secret: %s\n", built.error.c_str());
      return 1;
    }
    verifier = built.verifier;
  }
  signal(SIGPIPE, SIG_IGN);
  const int listener = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&address), static_cast<socklen_t>(length)) != 0 ||
      listen(listener, 128) != 0) {
    std::fprintf(stderr, "cannot listen on %s: %s\n", options.listen.c_str(), std::strerror(errno));
    return 1;
  }
  // The bound address, so that port 0 (any free port) tells which one it got.
  socklen_t bound_length = sizeof address;
  if (getsockname(listener, reinterpret_cast<sockaddr*>(&address), &bound_length) != 0) {
    std::fprintf(stderr, "cannot read the bound address: %s\n", std::strerror(errno));
    return 1;
  }
  std::fprintf(stderr, "receiving webhooks on http://%s (answering %d%s)\n",
               loop::format_address(reinterpret_cast<const sockaddr*>(&address)).c_str(), options.status,
               verifier ? ", checking Standard Webhooks signatures" : "");
  const loop::SystemClock clock;  // the signatures' timestamp tolerance
  for (;;) {
    const int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::thread(serve_connection, fd, options, verifier.get(), std::cref(clock)).detach();
  }
}

}  // namespace hookgate::gateway::cli
