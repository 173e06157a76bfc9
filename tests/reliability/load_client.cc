#include "load_client.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "config/config.h"
#include "verify/verifier.h"

namespace hookgate::reliability {

std::shared_ptr<const verify::Verifier> verifier_for(const std::string& config_path, const std::string& source) {
  const auto loaded = config::load_config(config_path);
  if (!loaded.config) {
    ADD_FAILURE() << "config does not load: " << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    return nullptr;
  }
  const auto* found = loaded.config->source_by_name(source);
  if (!found) {
    ADD_FAILURE() << "no source " << source;
    return nullptr;
  }
  return found->verifier;
}

std::string stripe_body(const std::string& id, const std::string& type, size_t pad) {
  return R"({"id":")" + id + R"(","object":"event","type":")" + type + R"(","data":")" + std::string(pad, 'p') + R"("})";
}

Headers signed_headers(const verify::Verifier& verifier, const std::string& body) {
  verify::SignedHeaders out;
  if (!verifier.sign(body, std::chrono::system_clock::now(), "", out)) ADD_FAILURE() << "cannot sign";
  Headers headers(out.headers.begin(), out.headers.end());
  headers.emplace_back("Content-Type", "application/json");
  return headers;
}

std::string public_id_in(const std::string& body) {
  static const std::regex ack(R"re(\{"id":"(evt_[0-9A-Z]{26})"\})re");
  std::smatch match;
  return std::regex_match(body, match, ack) ? match[1].str() : std::string();
}

Ack to_ack(const testing::HttpResponse& response) {
  Ack ack;
  ack.status = response.status;
  ack.body = response.body;
  ack.retry_after = response.header("Retry-After");
  if (response.status >= 200 && response.status < 300) ack.public_id = public_id_in(response.body);
  return ack;
}

int64_t rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

int64_t env_int(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  return end && *end == '\0' ? value : fallback;
}

}  // namespace hookgate::reliability
