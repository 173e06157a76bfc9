#include "test_request.h"

namespace hookgate::verify::testing {

VerifySpec sample_spec(const std::string& name) {
  VerifySpec spec;
  spec.provider = name;
  const Preset* p = find_preset(name);
  if (!p) return spec;
  switch (p->scheme) {
    case Scheme::none:
      break;
    case Scheme::public_key:
      spec.public_key = p->key_families.front().algorithm == PublicKeyAlgorithm::ed25519
                            ? kEd25519Whpk
                            : kP256PublicB64;
      break;
    case Scheme::sns:
      spec.public_key = kRsaCertificatePem;
      spec.secrets = {"arn:aws:sns:us-east-1:123456789012:t"};
      break;
    case Scheme::paypal:
      spec.public_key = kRsaCertificatePem;
      spec.secrets = {"WEBHOOK1"};
      break;
    case Scheme::basic_auth:
      spec.secrets = {"user:password"};
      break;
    case Scheme::braintree:
      spec.secrets = {"pub_test:priv_test"};
      break;
    case Scheme::adyen_notification:
      spec.secrets = {"DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"};
      break;
    case Scheme::jwt:
      if (p->jwt.asymmetric) spec.public_key = kTestJwks;
      if (!p->jwt.secrets_claim.empty()) {
        spec.secrets = {"push@proj.iam.gserviceaccount.com"};
      } else if (p->jwt.hs256) {
        spec.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
      }
      break;
    default:
      if (!p->families.empty() && p->families.front().secret_encoding == SecretEncoding::hex) {
        spec.secrets = {"DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"};
      } else if (!p->families.empty() && p->families.front().secret_encoding == SecretEncoding::base64) {
        spec.secrets = {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
      } else {
        spec.secrets = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
      }
  }
  if (p->handshake == HandshakeKind::meta) spec.verify_token = "meta-verify-token";
  return spec;
}

}  // namespace hookgate::verify::testing
