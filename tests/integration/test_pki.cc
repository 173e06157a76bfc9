#include "test_pki.h"

#include <gtest/gtest.h>

#include <regex>

namespace hookgate::testing {

TestCa::TestCa(const TempDir& dir, std::string name)
    : dir_(dir), cert_(dir.file(name + ".crt")), key_(dir.file(name + ".key")) {
  const CommandResult result = run_command({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                            "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                                            "/CN=hookgate test CA " + name, "-keyout", key_, "-out", cert_});
  if (result.exit_code != 0) ADD_FAILURE() << "openssl req (CA) failed: " << result.err;
}

CertificateFiles TestCa::issue(const std::string& file_stem, const std::vector<std::string>& dns_names) const {
  CertificateFiles files{dir_.file(file_stem + ".crt"), dir_.file(file_stem + ".key")};
  const std::string csr = dir_.file(file_stem + ".csr");
  const std::string leaf = dir_.file(file_stem + ".leaf.pem");
  const std::string extensions = dir_.file(file_stem + ".ext");
  std::string san = "subjectAltName=IP:127.0.0.1";
  for (const auto& name : dns_names) san += ",DNS:" + name;
  write_file(extensions, san + "\n");
  CommandResult result = run_command({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                      "-nodes", "-subj", "/CN=" + dns_names.at(0), "-keyout", files.key, "-out", csr});
  if (result.exit_code != 0) ADD_FAILURE() << "openssl req failed: " << result.err;
  result = run_command({"openssl", "x509", "-req", "-in", csr, "-CA", cert_, "-CAkey", key_, "-CAcreateserial",
                        "-days", "2", "-extfile", extensions, "-out", leaf});
  if (result.exit_code != 0) ADD_FAILURE() << "openssl x509 failed: " << result.err;
  write_file(files.cert, read_file(leaf) + read_file(cert_));
  return files;
}

std::string served_certificate_cn(uint16_t port, const std::string& server_name) {
  std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port)};
  if (server_name.empty()) {
    argv.push_back("-noservername");
  } else {
    argv.push_back("-servername");
    argv.push_back(server_name);
  }
  const CommandResult result = run_command(argv, "");  // stdin at EOF: handshake, then quit
  std::smatch match;
  static const std::regex subject(R"(subject=.*CN ?= ?([^,\n/]+))");
  if (!std::regex_search(result.out, match, subject)) return "";
  return match[1].str();
}

}  // namespace hookgate::testing
