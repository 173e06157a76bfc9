#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "config/config.h"
#include "gateway/commands.h"
#include "gateway/public_id.h"

namespace hookgate::gateway {
namespace {

bool read_body(const std::string& path, std::string& body) {
  if (path.empty() || path == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  body.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int run_sign(const SignOptions& options) {
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
  if (!read_body(options.body_path, body)) {
    std::fprintf(stderr, "cannot read body from %s\n", options.body_path.c_str());
    return 1;
  }
  if (sodium_init() < 0) return 1;

  const auto now = options.timestamp
                       ? std::chrono::system_clock::time_point(std::chrono::seconds(*options.timestamp))
                       : std::chrono::system_clock::now();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::string id = options.id.value_or("msg_" + make_public_id(now_ms).substr(4));

  verify::SignedHeaders signed_headers;
  if (!source->verifier->sign(body, now, id, signed_headers)) {
    std::fprintf(stderr, "source '%s' uses a scheme hookgate cannot sign (asymmetric or none)\n",
                 options.source.c_str());
    return 1;
  }
  for (const auto& [name, value] : signed_headers.headers) std::printf("%s: %s\n", name.c_str(), value.c_str());
  return 0;
}

}  // namespace hookgate::gateway
