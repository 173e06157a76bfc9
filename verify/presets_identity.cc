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
}

}  // namespace hookgate::verify::preset_builders
