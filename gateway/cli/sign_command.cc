#include <sodium.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "config/config.h"
#include "gateway/cli/body_input.h"
#include "gateway/cli/commands.h"
#include "gateway/ingest/public_id.h"
#include "gateway/loop/clock.h"
#include "gateway/store/store_options.h"
#include "storage/event_queries.h"
#include "verify/learned_secret.h"

namespace hookgate::gateway::cli {
namespace {

// A secret the source learned in a handshake (Asana) lives in the database, not the config:
// read it (read-only; the server may be running) so that sign() can use it.
void load_learned_secret(const config::Config& config, const config::SourceConfig& source) {
  verify::LearnedSecret* cell = source.verifier->learned_secret();
  if (!cell || cell->has_learned()) return;
  std::string error;
  auto queries = storage::EventQueries::open(store::store_location(config.storage), /*read_only=*/true, error);
  if (!queries) return;
  if (auto secret = queries->handshake_secret(source.name)) (void)cell->set(*secret);
}

// --timestamp: unix seconds, 0 up to the last second system_clock can hold (2262-04-11). A
// larger value would wrap when converted to the clock's nanoseconds and sign another time.
std::optional<std::chrono::system_clock::time_point> parse_timestamp_flag(const std::string& text, std::string& error) {
  using Clock = std::chrono::system_clock;
  constexpr int64_t kMax = std::chrono::duration_cast<std::chrono::seconds>(Clock::time_point::max().time_since_epoch()).count();
  int64_t seconds = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
  if (text.empty() || ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    error = "--timestamp: '" + text + "' is not a number of unix seconds";
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range || seconds < 0 || seconds > kMax) {
    error = "--timestamp: " + text + " is out of range (0 to " + std::to_string(kMax) + " unix seconds)";
    return std::nullopt;
  }
  return Clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace

int run_sign(const SignOptions& options) {
  auto now = loop::SystemClock().now();  // the command chooses the clock; --timestamp overrides it
  if (options.timestamp) {
    std::string error;
    const auto given = parse_timestamp_flag(*options.timestamp, error);
    if (!given) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    now = *given;
  }
  const config::LoadResult loaded = config::load_config(options.config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
    return 1;
  }
  const config::SourceConfig* source = loaded.config->source_by_name(options.source);
  if (!source) {
    std::fprintf(stderr, "no source named '%s' in %s\n", options.source.c_str(), options.config_path.c_str());
    return 1;
  }
  std::string body;
  if (!read_body_input(options.body_path, body)) {
    std::fprintf(stderr, "cannot read body from %s\n", options.body_path.c_str());
    return 1;
  }
  if (sodium_init() < 0) return 1;

  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::string id = options.id.value_or("msg_" + ingest::make_public_id(now_ms).substr(4));

  load_learned_secret(*loaded.config, *source);
  const std::string url = options.url.value_or(source->public_url);
  if (source->verifier->signs_url() && url.empty()) {
    std::fprintf(stderr, "source '%s' signs the URL the vendor calls: give --url or set its public_url\n",
                 options.source.c_str());
    return 1;
  }
  verify::SignedHeaders signed_headers;
  const verify::SignInput input{.body = body, .now = now, .id = id, .url = url, .method = "POST"};
  if (!source->verifier->sign(input, signed_headers)) {
    std::fprintf(stderr,
                 "source '%s' uses a scheme hookgate cannot sign (asymmetric, none, a secret not "
                 "learned yet, or a body it cannot sign)\n",
                 options.source.c_str());
    return 1;
  }
  if (signed_headers.body && options.signed_body_path.empty()) {
    // The signature lives in the body: stdout stays headers only, the body goes to a file.
    std::fprintf(stderr, "source '%s' signs inside the body: give --signed-body FILE\n", options.source.c_str());
    return 1;
  }
  if (!options.signed_body_path.empty()) {
    // The body to post: signed where the scheme signs inside it, else as given.
    const std::string& to_post = signed_headers.body ? *signed_headers.body : body;
    std::ofstream out(options.signed_body_path, std::ios::binary | std::ios::trunc);
    out.write(to_post.data(), static_cast<std::streamsize>(to_post.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", options.signed_body_path.c_str());
      return 1;
    }
  }
  if (signed_headers.url && options.signed_url_path.empty()) {
    std::fprintf(stderr, "source '%s' carries its credential in the URL: give --signed-url FILE\n",
                 options.source.c_str());
    return 1;
  }
  if (!options.signed_url_path.empty()) {
    const std::string to_call = signed_headers.url.value_or(url);
    std::ofstream out(options.signed_url_path, std::ios::binary | std::ios::trunc);
    out.write(to_call.data(), static_cast<std::streamsize>(to_call.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", options.signed_url_path.c_str());
      return 1;
    }
  }
  for (const auto& [name, value] : signed_headers.headers) std::printf("%s: %s\n", name.c_str(), value.c_str());
  return 0;
}

}  // namespace hookgate::gateway::cli
