#include "curl_client.h"

#include <strings.h>

#include <atomic>
#include <sstream>

namespace hookgate::testing {

std::string to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::http1: return "http1";
    case Protocol::h2c: return "h2c";
    case Protocol::h2_tls: return "h2_tls";
  }
  return "?";
}

std::optional<std::string> CurlResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return std::nullopt;
}

CurlResponse curl_request(Protocol protocol, const CurlTarget& target, const TempDir& dir, const std::string& method,
                          const std::string& path, const Headers& headers, const std::string& body) {
  static std::atomic<int> counter{0};
  const std::string stem = dir.file("curl-" + std::to_string(counter++));
  const std::string body_in = stem + ".req", body_out = stem + ".body", head_out = stem + ".head";
  std::vector<std::string> argv = {"curl", "-sS", "--max-time", "30", "-o", body_out, "-D", head_out,
                                   "-w", "%{http_code} %{http_version}", "-X", method};
  std::string url;
  switch (protocol) {
    case Protocol::http1:
      argv.push_back("--http1.1");
      url = "http://127.0.0.1:" + std::to_string(target.port);
      break;
    case Protocol::h2c:
      argv.push_back("--http2-prior-knowledge");
      url = "http://127.0.0.1:" + std::to_string(target.port);
      break;
    case Protocol::h2_tls:
      argv.insert(argv.end(), {"--http2", "--cacert", target.ca_cert});
      url = "https://127.0.0.1:" + std::to_string(target.tls_port);
      break;
  }
  for (const auto& [name, value] : headers) {
    argv.push_back("-H");
    argv.push_back(name + ": " + value);
  }
  if (!body.empty() || method != "GET") {
    write_file(body_in, body);
    argv.push_back("--data-binary");
    argv.push_back("@" + body_in);
  }
  argv.push_back(url + path);

  const CommandResult result = run_command(argv);
  CurlResponse response;
  response.error = result.err;
  std::istringstream written(result.out);
  written >> response.status >> response.http_version;
  response.body = read_file(body_out);
  std::istringstream head(read_file(head_out));
  for (std::string line; std::getline(head, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos || line.rfind("HTTP/", 0) == 0) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    response.headers.emplace_back(line.substr(0, colon), value);
  }
  return response;
}

}  // namespace hookgate::testing
