// Throwaway certificates for TLS tests, made at test time with the `openssl` CLI in a test's
// temp dir: one CA, and server certificates it signs for chosen DNS names (plus 127.0.0.1).
#pragma once

#include <string>
#include <vector>

#include "harness.h"

namespace hookgate::testing {

struct CertificateFiles {
  std::string cert;  // PEM: leaf then the CA (a chain, as deployments have)
  std::string key;
};

class TestCa {
 public:
  // Creates the CA in `dir` (files named after `name`). Fails the test when openssl fails.
  explicit TestCa(const TempDir& dir, std::string name = "ca");

  [[nodiscard]] const std::string& cert() const { return cert_; }  // pass to curl --cacert

  // A server certificate with CN = dns_names[0] and every name as a subjectAltName, written
  // to <file_stem>.crt / .key (overwritten if present).
  [[nodiscard]] CertificateFiles issue(const std::string& file_stem, const std::vector<std::string>& dns_names) const;

 private:
  const TempDir& dir_;
  std::string cert_;
  std::string key_;
};

// The subject CN of the certificate a TLS server at 127.0.0.1:port presents for
// `server_name` (no SNI when empty), as `openssl s_client` reports it; empty on failure.
[[nodiscard]] std::string served_certificate_cn(uint16_t port, const std::string& server_name);

}  // namespace hookgate::testing
