#include "verify/registry.h"

#include <algorithm>

#include "verify/body_signed_schemes.h"
#include "verify/braintree_scheme.h"
#include "verify/contentful_scheme.h"
#include "verify/dropbox_sign_scheme.h"
#include "verify/certificate_schemes.h"
#include "verify/credential_schemes.h"
#include "verify/encoding.h"
#include "verify/header_families.h"
#include "verify/hmac_key.h"
#include "verify/hmac_scheme.h"
#include "verify/hubspot_schemes.h"
#include "verify/ip_allowlist.h"
#include "verify/plivo_scheme.h"
#include "verify/jwt_scheme.h"
#include "verify/key_set.h"
#include "verify/learned_secret.h"
#include "verify/none_verifier.h"
#include "verify/preset_verifier.h"
#include "verify/presets.h"
#include "verify/public_key_scheme.h"
#include "verify/query_signature.h"
#include "verify/twilio_scheme.h"

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;

BuildResult failure(std::string message) { return BuildResult{nullptr, std::move(message)}; }

std::string joined_preset_names() {
  std::string out;
  for (const std::string& name : preset_names()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// An override of the event id / type location must be usable by extract_field.
bool check_field(const std::optional<FieldRef>& field, std::string_view what, std::string& error) {
  if (!field) return true;
  switch (field->kind) {
    case FieldRef::Kind::none:
      return true;
    case FieldRef::Kind::header:
      if (field->name.empty()) {
        error = std::string(what) + ": header name is empty";
        return false;
      }
      return true;
    case FieldRef::Kind::json:
      if (!field->name.empty() && field->name.front() != '/') {
        error = std::string(what) + ": a JSON pointer starts with '/' (RFC 6901), got '" +
                field->name + "'";
        return false;
      }
      return true;
  }
  return true;
}

// What presets and generic blocks reduce to.
struct Plan {
  std::string what;  // "provider 'stripe'" or "the hmac block", for messages
  Scheme scheme = Scheme::none;
  std::vector<HmacSpec> families;
  std::size_t sign_family = 0;
  std::vector<PublicKeySpec> key_families;
  TokenSpec token;
  JwtSpec jwt;
  std::chrono::seconds tolerance{0};
  FieldRef event_id;
  FieldRef event_type;
  std::string sample_event_type = "test";
  HandshakeKind handshake = HandshakeKind::none;
  int success_status = 200;
  std::string success_body;
};

bool uses_secrets(const Plan& plan) {
  if (plan.scheme == Scheme::jwt) return plan.jwt.hs256 || !plan.jwt.secrets_claim.empty();
  return plan.scheme != Scheme::none && plan.scheme != Scheme::public_key;
}
bool uses_public_key(const Plan& plan) {
  if (plan.scheme == Scheme::jwt) return plan.jwt.asymmetric;
  return plan.scheme == Scheme::public_key || plan.scheme == Scheme::standard_webhooks ||
         plan.scheme == Scheme::sns || plan.scheme == Scheme::paypal;
}

// HS256 keys from secrets, RS256/ES256 keys from public_key, or both (a vendor may move from
// one to the other); with secrets_claim the secrets are the accepted claim values instead.
BuildResult build_jwt(const Plan& plan, const VerifySpec& spec) {
  JwtSchemeOptions options{.spec = plan.jwt,
                           .hmac_keys = nullptr,
                           .keys = nullptr,
                           .claim_values = {},
                           .tolerance = plan.tolerance,
                           .event_id = plan.event_id,
                           .event_type = plan.event_type};
  std::string error;
  // A vendor that signs with either (FusionAuth: an HMAC key or an RSA/EC key pair per
  // webhook) needs only the key material of the kind the operator chose.
  const bool either = plan.jwt.asymmetric && plan.jwt.hs256 && plan.jwt.secrets_claim.empty();
  const bool use_public_key = plan.jwt.asymmetric && (!either || !spec.public_key.empty());
  const bool use_secrets = plan.jwt.hs256 && (!either || !spec.secrets.empty());
  if (either && !use_public_key && !use_secrets) {
    return failure("no key: " + plan.what + " verifies HS256 tokens with secrets and RS256/ES256 tokens "
                   "with public_key (a JWKS, a JWK or PEM): give either or both");
  }
  if (use_public_key) {
    if (spec.public_key.empty()) {
      return failure("no public_key: " + plan.what + " verifies tokens with the vendor's public keys "
                     "(a JWKS, a JWK or PEM), configured locally");
    }
    options.keys = KeySet::parse(spec.public_key, error);
    if (!options.keys) return failure(std::move(error));
  }
  if (!plan.jwt.secrets_claim.empty()) {
    if (spec.secrets.empty()) {
      return failure("no secrets: " + plan.what + " accepts only the " + plan.jwt.secrets_claim +
                     " values listed in secrets");
    }
    options.claim_values = spec.secrets;
  } else if (use_secrets) {
    if (spec.secrets.empty()) return failure("no secrets: this scheme signs with a shared secret, give at least one");
    options.hmac_keys = KeyRing::create(Algorithm::sha256, SecretEncoding::raw, spec.secrets, error);
    if (!options.hmac_keys) return failure(std::move(error));
  }
  return BuildResult{std::make_shared<JwtScheme>(std::move(options)), {}};
}

BuildResult build_hmac(const Plan& plan, const std::vector<std::string>& secrets) {
  if (secrets.empty()) {
    return failure("no secrets: this scheme signs with a shared secret, give at least one");
  }

  // Families that decode secrets the same way for the same algorithm share one KeyRing.
  std::vector<std::shared_ptr<const KeyRing>> rings;
  std::vector<std::unique_ptr<HeaderScheme>> schemes;
  for (const HmacSpec& spec : plan.families) {
    std::shared_ptr<const KeyRing> keys;
    for (const auto& ring : rings) {
      if (ring->algorithm() == spec.algorithm && ring->encoding() == spec.secret_encoding) {
        keys = ring;
      }
    }
    if (!keys) {
      std::string error;
      keys = KeyRing::create(spec.algorithm, spec.secret_encoding, secrets, error);
      if (!keys) return failure(std::move(error));
      rings.push_back(keys);
    }
    const bool has_timestamp = spec.envelope.timestamp.kind != TimestampSource::Kind::none;
    HmacSchemeOptions options{
        .spec = spec,
        .keys = std::move(keys),
        .tolerance = has_timestamp ? plan.tolerance : 0s,
        .event_id = plan.event_id,
        .event_type = plan.event_type,
        .sample_event_type = plan.sample_event_type,
    };
    std::string error;
    std::unique_ptr<HmacScheme> scheme = HmacScheme::create(std::move(options), error);
    if (!scheme) return failure(std::move(error));
    schemes.push_back(std::move(scheme));
  }
  if (schemes.size() == 1) return BuildResult{std::move(schemes.front()), {}};
  return BuildResult{std::make_shared<HeaderFamilies>(std::move(schemes), plan.sign_family,
                                                      plan.event_id, plan.event_type),
                     {}};
}

BuildResult build_public_key(const Plan& plan, const std::string& public_key) {
  if (public_key.empty()) {
    return failure("no public_key: " + plan.what + " verifies with the vendor's public key");
  }
  std::string error;
  std::shared_ptr<const PublicKey> key =
      PublicKey::parse(plan.key_families.front().algorithm, public_key, error);
  if (!key) return failure(std::move(error));
  std::vector<std::unique_ptr<HeaderScheme>> schemes;
  for (const PublicKeySpec& spec : plan.key_families) {
    const bool has_timestamp = spec.envelope.timestamp.kind != TimestampSource::Kind::none;
    PublicKeySchemeOptions options{
        .spec = spec,
        .key = key,
        .tolerance = has_timestamp ? plan.tolerance : 0s,
        .event_id = plan.event_id,
        .event_type = plan.event_type,
    };
    std::unique_ptr<PublicKeyScheme> scheme = PublicKeyScheme::create(std::move(options), error);
    if (!scheme) return failure(std::move(error));
    schemes.push_back(std::move(scheme));
  }
  if (schemes.size() == 1) return BuildResult{std::move(schemes.front()), {}};
  return BuildResult{std::make_shared<HeaderFamilies>(std::move(schemes), 0, plan.event_id,
                                                      plan.event_type),
                     {}};
}

// Standard Webhooks' one signature list may carry v1 (HMAC) and v1a (Ed25519) entries: the
// request is accepted when either scheme accepts it.
class EitherVerifier final : public Verifier {
 public:
  EitherVerifier(std::shared_ptr<const Verifier> first, std::shared_ptr<const Verifier> second)
      : first_(std::move(first)), second_(std::move(second)) {}

  [[nodiscard]] Verdict verify(const Request& request, TimePoint now) const override {
    const Verdict a = first_->verify(request, now);
    if (a == Verdict::ok) return a;
    const Verdict b = second_->verify(request, now);
    if (b == Verdict::ok) return b;
    // A signature of either scheme that did not match is the more telling reason.
    if (a == Verdict::bad_signature || b == Verdict::bad_signature) return Verdict::bad_signature;
    return a;
  }
  using Verifier::sign;
  [[nodiscard]] bool sign(const SignInput& input, SignedHeaders& out) const override {
    return first_->sign(input, out);
  }
  [[nodiscard]] const FieldRef& event_id_field() const override { return first_->event_id_field(); }
  [[nodiscard]] const FieldRef& event_type_field() const override { return first_->event_type_field(); }

 private:
  std::shared_ptr<const Verifier> first_;
  std::shared_ptr<const Verifier> second_;
};

// The scheme itself, before preset behaviour and the allowlist. `plan` is validated
// (build_verifier: tolerance not negative, event fields usable).
BuildResult build_core(const Plan& plan, const VerifySpec& spec,
                       std::shared_ptr<LearnedSecret>& learned) {
  const std::vector<std::string>& secrets = spec.secrets;
  const CredentialOptions credentials{secrets, plan.event_id, plan.event_type, plan.sample_event_type};
  std::string error;
  switch (plan.scheme) {
    case Scheme::none:
      return BuildResult{std::make_shared<NoneVerifier>(plan.event_id, plan.event_type), {}};
    case Scheme::hmac:
      return build_hmac(plan, secrets);
    case Scheme::public_key:
      return build_public_key(plan, spec.public_key);
    case Scheme::jwt:
      return build_jwt(plan, spec);
    case Scheme::standard_webhooks: {
      if (secrets.empty() && spec.public_key.empty()) {
        return failure("give secrets (v1, whsec_…) and/or public_key (v1a, whpk_…)");
      }
      BuildResult v1, v1a;
      if (!secrets.empty()) {
        v1 = build_hmac(plan, secrets);
        if (!v1.verifier) return v1;
      }
      if (!spec.public_key.empty()) {
        v1a = build_public_key(plan, spec.public_key);
        if (!v1a.verifier) return v1a;
      }
      if (!v1.verifier) return v1a;
      if (!v1a.verifier) return v1;
      return BuildResult{std::make_shared<EitherVerifier>(v1.verifier, v1a.verifier), {}};
    }
    case Scheme::learned_hmac: {
      // Build once now, so that a bad configured secret or spec is a config error.
      if (!secrets.empty()) {
        BuildResult check = build_hmac(plan, secrets);
        if (!check.verifier) return check;
      } else {
        BuildResult check = build_hmac(plan, {"probe"});
        if (!check.verifier) return check;
      }
      learned = std::make_shared<LearnedSecret>(
          secrets, [plan](std::span<const std::string> all) {
            return build_hmac(plan, std::vector<std::string>(all.begin(), all.end())).verifier;
          });
      return BuildResult{
          std::make_shared<LearnedSecretVerifier>(learned, plan.event_id, plan.event_type), {}};
    }
    default:
      break;
  }

  if (secrets.empty()) {
    return failure("no secrets: this scheme signs with a shared secret, give at least one");
  }
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    if (secrets[i].empty()) return failure("secrets[" + std::to_string(i) + "] is empty");
  }
  switch (plan.scheme) {
    case Scheme::token:
      return BuildResult{std::make_shared<TokenScheme>(plan.token, credentials), {}};
    case Scheme::basic_auth:
      for (std::size_t i = 0; i < secrets.size(); ++i) {
        if (secrets[i].find(':') == std::string::npos) {
          return failure("secrets[" + std::to_string(i) + "] must be user:password");
        }
      }
      return BuildResult{std::make_shared<BasicAuthScheme>(credentials), {}};
    case Scheme::client_state:
      return BuildResult{std::make_shared<ClientStateScheme>(credentials), {}};
    case Scheme::twilio: {
      auto keys = KeyRing::create(Algorithm::sha1, SecretEncoding::raw, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{std::make_shared<TwilioScheme>(keys, plan.event_id, plan.event_type), {}};
    }
    case Scheme::mandrill: {
      auto keys = KeyRing::create(Algorithm::sha1, SecretEncoding::raw, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{std::make_shared<TwilioScheme>(keys, plan.event_id, plan.event_type,
                                                        "X-Mandrill-Signature"),
                         {}};
    }
    case Scheme::sns:
    case Scheme::paypal: {
      if (spec.public_key.empty()) {
        return failure("no public_key: " + plan.what + " verifies with the vendor's signing certificate(s) "
                       "(PEM), configured locally");
      }
      std::shared_ptr<const KeySet> keys = KeySet::parse(spec.public_key, error);
      if (!keys) return failure(std::move(error));
      if (plan.scheme == Scheme::sns) {
        return BuildResult{std::make_shared<SnsScheme>(keys, secrets, plan.event_id, plan.event_type), {}};
      }
      return BuildResult{std::make_shared<PaypalScheme>(keys, secrets, plan.tolerance, plan.event_id,
                                                        plan.event_type),
                         {}};
    }
    case Scheme::query_hmac: {
      BuildResult inner = build_hmac(plan, secrets);
      if (!inner.verifier) return inner;
      return BuildResult{std::make_shared<QuerySignatureVerifier>(inner.verifier, plan.families.front().envelope.header), {}};
    }
    case Scheme::hubspot_v3: {
      BuildResult inner = build_hmac(plan, secrets);
      if (!inner.verifier) return inner;
      return BuildResult{std::make_shared<HubspotUriVerifier>(inner.verifier), {}};
    }
    case Scheme::hubspot_v1:
    case Scheme::hubspot_v2:
      return BuildResult{std::make_shared<HubspotLegacyScheme>(plan.scheme == Scheme::hubspot_v1 ? 1 : 2,
                                                               secrets, plan.event_id, plan.event_type),
                         {}};
    case Scheme::mailgun: {
      auto keys = KeyRing::create(Algorithm::sha256, SecretEncoding::raw, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{
          std::make_shared<MailgunScheme>(keys, plan.tolerance, plan.event_id, plan.event_type), {}};
    }
    case Scheme::braintree: {
      std::shared_ptr<const BraintreeScheme> scheme =
          BraintreeScheme::create(secrets, plan.event_id, plan.event_type, error);
      if (!scheme) return failure(std::move(error));
      return BuildResult{std::move(scheme), {}};
    }
    case Scheme::plivo_v3: {
      auto keys = KeyRing::create(Algorithm::sha256, SecretEncoding::raw, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{std::make_shared<PlivoScheme>(keys, plan.event_id, plan.event_type), {}};
    }
    case Scheme::contentful: {
      auto keys = KeyRing::create(Algorithm::sha256, SecretEncoding::raw, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{
          std::make_shared<ContentfulScheme>(keys, plan.tolerance, plan.event_id, plan.event_type), {}};
    }
    case Scheme::dropbox_sign: {
      auto keys = KeyRing::create(Algorithm::sha256, SecretEncoding::raw, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{std::make_shared<DropboxSignScheme>(keys, plan.tolerance, plan.event_id,
                                                             plan.event_type), {}};
    }
    case Scheme::adyen_notification: {
      auto keys = KeyRing::create(Algorithm::sha256, SecretEncoding::hex, secrets, error);
      if (!keys) return failure(std::move(error));
      return BuildResult{
          std::make_shared<AdyenNotificationScheme>(keys, plan.event_id, plan.event_type), {}};
    }
    default:
      break;
  }
  return failure("internal: unknown scheme");
}

// Which generic blocks (or provider) a spec gives.
std::vector<std::string_view> given_kinds(const VerifySpec& spec) {
  std::vector<std::string_view> kinds;
  if (!spec.provider.empty()) kinds.push_back("provider");
  if (spec.hmac) kinds.push_back("hmac");
  if (spec.signature) {
    kinds.push_back(spec.signature->algorithm == PublicKeyAlgorithm::ed25519 ? "ed25519" : "ecdsa_p256");
  }
  if (spec.token) kinds.push_back("token");
  if (spec.basic_auth) kinds.push_back("basic_auth");
  return kinds;
}

BuildResult wrap_allowlist(std::shared_ptr<const Verifier> inner, const IpAllowlistSpec& spec) {
  std::string error;
  if (spec.allow.empty()) return failure("ip_allowlist.allow is empty: nothing could reach this source");
  std::optional<IpNetworks> allow = IpNetworks::parse(spec.allow, error);
  if (!allow) return failure("ip_allowlist.allow: " + error);
  if (spec.proxy_header.empty() != spec.trusted_proxies.empty()) {
    return failure("ip_allowlist: proxy_header and trusted_proxies go together (the header is "
                   "believed only from those proxies)");
  }
  std::optional<IpNetworks> trusted = IpNetworks::parse(spec.trusted_proxies, error);
  if (!trusted) return failure("ip_allowlist.trusted_proxies: " + error);
  return BuildResult{std::make_shared<IpAllowlistVerifier>(std::move(inner), std::move(*allow),
                                                           spec.proxy_header, std::move(*trusted)),
                     {}};
}

}  // namespace

BuildResult build_verifier(const VerifySpec& spec) {
  const std::vector<std::string_view> kinds = given_kinds(spec);
  if (kinds.size() > 1) {
    std::string got;
    for (std::string_view kind : kinds) got += (got.empty() ? "" : " and ") + std::string(kind);
    return failure("give only one of provider, hmac, ed25519, ecdsa_p256, token, basic_auth (got " +
                   got + ")");
  }
  if (kinds.empty()) {
    return failure("give a provider (one of: " + joined_preset_names() +
                   ") or a generic block (hmac, ed25519, ecdsa_p256, token, basic_auth)");
  }
  std::string error;
  if (!check_field(spec.event_id, "event_id", error) ||
      !check_field(spec.event_type, "event_type", error)) {
    return failure(std::move(error));
  }

  Plan plan;
  if (spec.hmac) {
    plan.what = "the hmac block";
    plan.scheme = Scheme::hmac;
    plan.families = {*spec.hmac};
    const bool has_timestamp = spec.hmac->envelope.timestamp.kind != TimestampSource::Kind::none;
    plan.tolerance = spec.tolerance.value_or(has_timestamp ? kDefaultTolerance : 0s);
  } else if (spec.signature) {
    plan.what = "the " + std::string(kinds.front()) + " block";
    plan.scheme = Scheme::public_key;
    plan.key_families = {*spec.signature};
    const bool has_timestamp = spec.signature->envelope.timestamp.kind != TimestampSource::Kind::none;
    plan.tolerance = spec.tolerance.value_or(has_timestamp ? kDefaultTolerance : 0s);
  } else if (spec.token) {
    plan.what = "the token block";
    plan.scheme = Scheme::token;
    plan.token = *spec.token;
    if (plan.token.header.empty() && plan.token.query.empty() && plan.token.body_member.empty()) {
      return failure("token.header is empty");
    }
  } else if (spec.basic_auth) {
    plan.what = "basic_auth";
    plan.scheme = Scheme::basic_auth;
  } else {
    const Preset* preset = find_preset(spec.provider);
    if (!preset) {
      return failure("unknown provider '" + spec.provider + "' (valid: " + joined_preset_names() +
                     ")");
    }
    plan.what = "provider '" + preset->name + "'";
    plan.scheme = preset->scheme;
    plan.families = preset->families;
    plan.sign_family = preset->sign_family;
    plan.key_families = preset->key_families;
    plan.token = preset->token;
    plan.jwt = preset->jwt;
    plan.tolerance = spec.tolerance.value_or(preset->default_tolerance);
    plan.event_id = preset->event_id;
    plan.event_type = preset->event_type;
    plan.sample_event_type = preset->sample_event_type;
    plan.handshake = preset->handshake;
    plan.success_status = preset->success_status;
    plan.success_body = preset->success_body;
  }
  if (spec.event_id) plan.event_id = *spec.event_id;
  if (spec.event_type) plan.event_type = *spec.event_type;
  if (plan.tolerance.count() < 0) return failure("tolerance must not be negative");

  // Keys that this scheme would silently ignore are mistakes worth reporting.
  if (!spec.secrets.empty() && !uses_secrets(plan)) {
    return failure(plan.scheme == Scheme::none
                       ? "secrets are not used by provider 'none'"
                       : "secrets are not used by " + plan.what + " (it verifies with public_key)");
  }
  if (!spec.public_key.empty() && !uses_public_key(plan)) {
    return failure("public_key is not used by " + plan.what + " (it verifies with secrets)");
  }
  if (!spec.verify_token.empty() && plan.handshake != HandshakeKind::meta) {
    return failure("verify_token is only used by Meta's GET handshake (provider meta, facebook, "
                   "instagram, whatsapp)");
  }

  std::shared_ptr<LearnedSecret> learned;
  BuildResult core = build_core(plan, spec, learned);
  if (!core.verifier) return core;
  std::shared_ptr<const Verifier> verifier = std::move(core.verifier);

  const bool has_behaviour = plan.handshake != HandshakeKind::none || plan.success_status != 200 ||
                             !plan.success_body.empty() || learned;
  if (has_behaviour) {
    PresetBehaviour behaviour;
    behaviour.handshake = plan.handshake;
    behaviour.success_status = plan.success_status;
    behaviour.success_body = plan.success_body;
    behaviour.verify_token = spec.verify_token;
    behaviour.learned = learned;
    if ((plan.handshake == HandshakeKind::zoom || plan.handshake == HandshakeKind::twitter_crc) &&
        !spec.secrets.empty()) {
      const std::string& secret = spec.secrets.front();
      behaviour.challenge_key = HmacKey::create(
          Algorithm::sha256, {reinterpret_cast<const unsigned char*>(secret.data()), secret.size()});
      if (!behaviour.challenge_key) return failure("OpenSSL could not set up HMAC-SHA256");
    }
    verifier = std::make_shared<PresetVerifier>(std::move(verifier), std::move(behaviour));
  }
  if (spec.ip_allowlist) return wrap_allowlist(std::move(verifier), *spec.ip_allowlist);
  return BuildResult{std::move(verifier), {}};
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const Preset& preset : presets()) names.push_back(preset.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hookgate::verify
