// Authentication and identity vendors of the catalogue (issue 19). Each preset cites the
// vendor's documentation of its scheme (also its `docs` URL).
#include "verify/preset_builders.h"

namespace hookgate::verify::preset_builders {

void add_identity_presets(std::vector<Preset>& table) {
  {
    // https://auth0.com/docs/customize/log-streams/custom-log-streams
    // Custom webhook log streams sign nothing: the "Authorization Token" configured on the
    // stream is sent as the Authorization header's value, as is.
    Preset p = token_preset("auth0", "Auth0 (log streams, custom webhook)", "Authorization");
    p.event_id = json("/0/log_id");
    p.event_type = json("/0/data/type");
    p.docs = "https://auth0.com/docs/customize/log-streams/custom-log-streams";
    p.signature = "no signature: the stream's Authorization Token comes back as the Authorization header";
    p.proof = "Auth0 docs (Authorization value compared in constant time)";
    p.notes = "secrets: the Authorization Token exactly as configured (e.g. \"Bearer abc\")";
    table.push_back(std::move(p));
  }
  {
    // https://workos.com/docs/events/data-syncing/webhooks
    // WorkOS-Signature: "t=<ms>, v1=<hex HMAC-SHA256 of t.body>"; the SDK allows 3 minutes.
    Preset p;
    p.name = "workos";
    p.vendor = "WorkOS";
    p.scheme = Scheme::hmac;
    p.families = {t_v1_hmac("WorkOS-Signature", "t", "v1=", TimestampFormat::unix_millis)};
    p.default_tolerance = 180s;
    p.event_id = json("/id");
    p.event_type = json("/event");
    p.docs = "https://workos.com/docs/events/data-syncing/webhooks";
    p.proof = "@workos-inc/node 8.13.0 webhooks.constructEvent";
    p.proof_kind = ProofKind::sdk;
    p.notes = "WorkOS signs its compact JSON serialisation, which is the body it sends";
    table.push_back(std::move(p));
  }
  table.push_back(svix_delivered("stytch", "Stytch (via Svix)",
                                 "svix 1.99.1 signs and verifies (Svix delivers Stytch's webhooks)",
                                 "https://stytch.com/docs/guides/webhooks/getting-started"));
  {
    // https://supabase.com/docs/guides/auth/auth-hooks
    // HTTP auth hooks are signed by the Standard Webhooks specification; the secret is shown
    // as "v1,whsec_<base64>" (the v1, tag is skipped).
    Preset p = standard_webhooks_sender("supabase", "Supabase (auth HTTP hooks)");
    p.event_type = json("/type");
    p.docs = "https://supabase.com/docs/guides/auth/auth-hooks";
    p.proof = "standardwebhooks 1.1.1, as Supabase's docs use it";
    p.notes = "secrets: the hook secret as shown (v1,whsec_…); database webhooks sign nothing: "
              "give them a token header and use a token block";
    table.push_back(std::move(p));
  }
  {
    // https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
    // Authenticated push: Authorization "Bearer <Google-signed OIDC token>" (RS256), iss
    // accounts.google.com, aud = the audience set on the subscription (the push endpoint by
    // default), email = the subscription's service account. Google's keys are published at
    // https://www.googleapis.com/oauth2/v3/certs; hookgate reads them from public_key and
    // fetches nothing.
    Preset p;
    p.name = "google-pubsub";
    p.vendor = "Google Cloud Pub/Sub push (OIDC)";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "Authorization", .prefix = "Bearer ", .asymmetric = true,
                    .issuers = {"https://accounts.google.com", "accounts.google.com"},
                    .audience_is_url = true, .secrets_claim = "email"};
    p.event_id = json("/message/messageId");
    p.event_type = json("/subscription");
    p.docs = "https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions";
    p.proof = "node:crypto RS256 tokens against a local JWKS, per Google's docs (unit and conformance)";
    p.notes = "public_key: Google's JWKS kept locally (e.g. a cron job fetching "
              "https://www.googleapis.com/oauth2/v3/certs into a file, then SIGHUP: Google "
              "rotates these keys); secrets: the service account email(s); public_url: the "
              "subscription's audience. The token authenticates Google, not the body";
    table.push_back(std::move(p));
    table.push_back(alias(table.back(), "firebase"));
  }
  {
    // https://docs.kinde.com/integrate/webhooks/about-webhooks/
    // The request body is a JWT (RS256) signed with the business's key, published at
    // https://<subdomain>.kinde.com/.well-known/jwks; its claims are the event.
    Preset p;
    p.name = "kinde";
    p.vendor = "Kinde";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.asymmetric = true};
    p.docs = "https://docs.kinde.com/integrate/webhooks/about-webhooks/";
    p.proof = "node:crypto RS256 tokens against a local JWKS, per Kinde's docs";
    p.notes = "public_key: the business's JWKS (https://<subdomain>.kinde.com/.well-known/jwks) "
              "kept locally; the whole body is the signed token, so the event's id and type are "
              "inside it (not extracted)";
    table.push_back(std::move(p));
  }
  {
    // https://fusionauth.io/docs/extend/events-and-webhooks/signing
    // X-FusionAuth-Signature-JWT: a JWT signed with the webhook's key (HMAC, RSA or EC) whose
    // request_body_sha256 claim is the base64 SHA-256 of the body.
    Preset p;
    p.name = "fusionauth";
    p.vendor = "FusionAuth";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "X-FusionAuth-Signature-JWT", .hs256 = true, .asymmetric = true,
                    .body_sha256_claim = "request_body_sha256", .hash_base64 = true};
    p.event_id = json("/event/id");
    p.event_type = json("/event/type");
    p.docs = "https://fusionauth.io/docs/extend/events-and-webhooks/signing";
    p.proof = "jose 6 verifies hookgate sign; node:crypto HS256/RS256 per FusionAuth's docs";
    p.notes = "secrets: an HMAC signing key, and/or public_key: the RSA/EC key (PEM or JWKS)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.withpersona.com/docs/webhooks-best-practices#checking-signatures
    // Persona-Signature: "t=<unix>,v1=<hex HMAC-SHA256 of t.body>" (several v1 while a secret
    // rotates).
    Preset p;
    p.name = "persona";
    p.vendor = "Persona";
    p.scheme = Scheme::hmac;
    p.families = {t_v1_hmac("Persona-Signature")};
    undocumented_window(p);
    p.event_id = json("/data/id");
    p.event_type = json("/data/attributes/name");
    p.docs = "https://docs.withpersona.com/docs/webhooks-best-practices#checking-signatures";
    p.proof = "node:crypto per Persona's docs";
    table.push_back(std::move(p));
  }
  {
    // https://documentation.onfido.com/api/latest/#webhooks
    // X-SHA2-Signature: hex HMAC-SHA256 of the body with the webhook's token.
    Preset p;
    p.name = "onfido";
    p.vendor = "Onfido (Entrust)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-SHA2-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/payload/action");
    p.docs = "https://documentation.onfido.com/api/latest/#webhooks";
    p.proof = "onfido-node's published vector (unit); @onfido/api 6.2.0 WebhookEventVerifier checks";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the webhook's token";
    table.push_back(std::move(p));
  }
  {
    // https://docs.descope.com/connectors/connector-hmac-usage
    // With an HMAC secret on the connector, x-descope-webhook-s256 carries the base64
    // HMAC-SHA256 of the JSON payload Descope sends (its body).
    Preset p;
    p.name = "descope";
    p.vendor = "Descope (HTTP and audit connectors)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-descope-webhook-s256", Algorithm::sha256, Encoding::base64)};
    p.event_type = json("/action");
    p.docs = "https://docs.descope.com/connectors/connector-hmac-usage";
    p.proof = "node:crypto per Descope's docs";
    p.notes = "secrets: the connector's HMAC secret";
    table.push_back(std::move(p));
  }
  {
    // https://docs.frontegg.com/docs/webhooks-authentication
    // x-webhook-secret: a JWT (HS256) signed with the hook's secret; it authenticates
    // Frontegg, not the body.
    Preset p;
    p.name = "frontegg";
    p.vendor = "Frontegg";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "x-webhook-secret", .hs256 = true};
    p.event_type = json("/eventKey");
    p.docs = "https://docs.frontegg.com/docs/webhooks-authentication";
    p.proof = "jose 6 verifies hookgate sign; node:crypto HS256 per Frontegg's docs";
    p.notes = "secrets: the hook's secret (Settings tab); the JWT does not cover the body: "
              "combine with ip_allowlist for Frontegg's published addresses";
    table.push_back(std::move(p));
  }
}

}  // namespace hookgate::verify::preset_builders
