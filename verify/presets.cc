#include "verify/presets.h"

#include <algorithm>

#include "verify/duration_text.h"
#include "verify/preset_builders.h"

// Sources for every row: the vendor's documentation (each preset's `docs` URL) and the
// vendor's SDKs named in its proof. Tolerances are what each vendor documents (or its SDK
// enforces). Where the vendor signs a timestamp but documents no window (Zoom, Discord,
// SendGrid, Zendesk, Mailgun) the preset uses kDefaultTolerance and says so in the docs: a
// signed timestamp nobody checks would let a captured request be replayed forever. Presets
// that sign no timestamp have 0 (nothing to check).

namespace hookgate::verify {
namespace {

using namespace std::chrono_literals;
using Kind = FieldRef::Kind;
using namespace preset_builders;

std::vector<Preset> make_presets() {
  const FieldRef type = json("/type");
  const FieldRef id = json("/id");

  std::vector<Preset> table;
  table.reserve(256);  // references returned by add() stay valid while the table is built
  auto add = [&table](Preset preset) -> const Preset& {
    table.push_back(std::move(preset));
    return table.back();
  };

  {
    Preset p;
    p.name = "adyen";
    p.docs = "https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Adyen (standard notifications)";
    p.scheme = Scheme::adyen_notification;
    p.event_id = json("/notificationItems/0/NotificationRequestItem/pspReference");
    p.event_id.more_json = {"/notificationItems/0/NotificationRequestItem/eventCode"};
    p.event_type = json("/notificationItems/0/NotificationRequestItem/eventCode");
    p.success_body = "[accepted]";
    p.signature =
        "in the body: each NotificationRequestItem's additionalData.hmacSignature = base64 "
        "HMAC-SHA256(hex-decoded key, pspReference:originalReference:merchantAccountCode:"
        "merchantReference:value:currency:eventCode:success); every item must verify";
    p.proof = "Adyen SDK vectors (unit); @adyen/api-library 32.1.0 HmacValidator signs and checks";
    p.notes = "event id is pspReference:eventCode; answered `[accepted]`";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "adyen-hmac";
    dedupe_body(p, 24h, "hookgate's choice: the notification has no id");
    p.docs = "https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Adyen (Balance Platform / Management webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("HmacSignature", Algorithm::sha256, Encoding::base64, "", SecretEncoding::hex)};
    p.event_type = type;
    p.proof = "@adyen/api-library 32.1.0 validateHMACSignature";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "asana";
    dedupe_body(p, 24h, "hookgate's choice");
    p.docs = "https://developers.asana.com/docs/webhooks-guide";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Asana";
    p.scheme = Scheme::learned_hmac;
    p.families = {body_hmac("X-Hook-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/events/0/action");
    p.handshake = HandshakeKind::asana;
    p.proof = "node:crypto per Asana's docs (no SDK signer); handshake and restart tested";
    p.notes = "secrets optional: the X-Hook-Secret of the first handshake is stored and used; "
              "delete it from handshake_secrets to accept a new webhook";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "bitbucket";
    p.docs = "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Bitbucket (Cloud and Data Center)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Hub-Signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_id = header("X-Request-UUID");
    p.event_type = header("X-Event-Key");
    p.sample_event_type = "repo:push";
    p.proof = "node:crypto per Bitbucket's docs";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "calendly";
    dedupe_body(p, 24h, "Calendly retries for 24 hours");
    p.docs = "https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Calendly";
    p.scheme = Scheme::hmac;
    p.families = {t_v1_hmac("Calendly-Webhook-Signature")};
    p.default_tolerance = 180s;
    p.event_type = json("/event");
    p.proof = "node:crypto per Calendly's docs";
    add(std::move(p));
  }
  add(svix_delivered("clerk", "Clerk (via Svix)",
                     "Svix vector (unit); svix 1.99.1 signs, @clerk/backend 3.25.0 verifyWebhook checks",
                     "https://clerk.com/docs/webhooks/overview"));
  {
    Preset p;
    p.name = "coinbase-commerce";
    p.docs = "https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Coinbase Commerce";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-CC-Webhook-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/event/id");
    p.event_type = json("/event/type");
    p.proof = "node:crypto per coinbase-commerce-node's computeSignature";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "discord";
    p.docs = "https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Discord (interactions and webhook events)";
    p.scheme = Scheme::public_key;
    PublicKeySpec key;
    key.algorithm = PublicKeyAlgorithm::ed25519;
    key.envelope.header = "X-Signature-Ed25519";
    key.envelope.encoding = Encoding::hex;
    key.envelope.signed_template = "{timestamp}{body}";
    key.envelope.timestamp = header_ts("X-Signature-Timestamp");
    p.key_families = {key};
    undocumented_window(p);
    p.event_id = id;
    p.event_type = json("/event/type");
    p.handshake = HandshakeKind::discord;
    p.success_status = 204;
    p.proof = "node:crypto Ed25519 signs, discord-interactions 4.4.0 verifyKey agrees";
    p.notes = "public_key: the application's hex public key";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "dropbox";
    p.dedupe_basis = "Dropbox does not retry, and equal bodies are distinct \"fetch changes\" signals";
    p.docs = "https://www.dropbox.com/developers/reference/webhooks";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Dropbox";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Dropbox-Signature", Algorithm::sha256, Encoding::hex)};
    p.handshake = HandshakeKind::dropbox;
    p.proof = "node:crypto per Dropbox's docs";
    add(std::move(p));
  }
  {
    HmacSpec github = body_hmac("X-Hub-Signature-256", Algorithm::sha256, Encoding::hex, "sha256=");
    // GitHub still sends the SHA-1 header "for compatibility"; used only when the SHA-256
    // one is absent (older GitHub Enterprise Server releases).
    HmacSpec legacy = body_hmac("X-Hub-Signature", Algorithm::sha1, Encoding::hex, "sha1=");
    Preset p;
    p.name = "github";
    p.docs = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "GitHub";
    p.scheme = Scheme::hmac;
    p.families = {github, legacy};
    p.event_id = header("X-GitHub-Delivery");
    p.event_type = header("X-GitHub-Event");
    p.sample_event_type = "ping";
    p.proof = "GitHub docs vector (unit); @octokit/webhooks-methods 6.0.0 sign and verify";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "gitlab";
    p.docs = "https://docs.gitlab.com/user/project/integrations/webhooks/";
    p.proof_kind = ProofKind::documented;
    p.vendor = "GitLab (secret token)";
    p.scheme = Scheme::token;
    p.token = TokenSpec{.header = "X-Gitlab-Token", .prefix = ""};
    p.event_id = header("Idempotency-Key", "X-Gitlab-Event-UUID");
    p.event_type = header("X-Gitlab-Event");
    p.sample_event_type = "Push Hook";
    p.proof = "GitLab docs: X-Gitlab-Token compared in constant time";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "gitlab-signing";
    p.docs = "https://gitlab.com/gitlab-org/gitlab/-/merge_requests/230944";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "GitLab (signing token, Standard Webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {standard_webhooks_family("webhook")};
    p.default_tolerance = 300s;
    p.event_id = header("webhook-id");
    p.event_type = header("X-Gitlab-Event");
    p.sample_event_type = "Push Hook";
    p.proof = "standardwebhooks 1.1.1 signs and verifies (the scheme GitLab's MR implements)";
    add(std::move(p));
  }
  {
    HmacSpec v3;
    v3.envelope.header = "X-HubSpot-Signature-v3";
    v3.algorithm = Algorithm::sha256;
    v3.envelope.encoding = Encoding::base64;
    v3.envelope.signed_template = "{method}{url}{body}{timestamp}";
    v3.envelope.timestamp = header_ts("X-HubSpot-Request-Timestamp", TimestampFormat::unix_millis);
    Preset p;
    p.name = "hubspot";
    p.docs = "https://developers.hubspot.com/docs/api/webhooks/validating-requests";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "HubSpot (v3 signature)";
    p.scheme = Scheme::hubspot_v3;
    p.families = {v3};
    p.default_tolerance = 300s;
    p.event_id = json("/0/eventId");
    p.event_type = json("/0/subscriptionType");
    p.signature = "X-HubSpot-Signature-v3 = base64 HMAC-SHA256(client secret, method + URI + body "
                  "+ timestamp), URI with HubSpot's listed %XX decoded (as received also accepted); "
                  "timestamp in ms";
    p.proof = "@hubspot/api-client 13.5.0 Signature.getSignature / isValid";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "hubspot-v1";
    p.docs = "https://developers.hubspot.com/docs/api/webhooks/validating-requests";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "HubSpot (v1 signature)";
    p.scheme = Scheme::hubspot_v1;
    p.event_id = json("/0/eventId");
    p.event_type = json("/0/subscriptionType");
    p.signature = "X-HubSpot-Signature = hex SHA-256(client secret + body) (a hash, not an HMAC)";
    p.proof = "@hubspot/api-client 13.5.0 Signature.getSignature / isValid";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "hubspot-v2";
    p.docs = "https://developers.hubspot.com/docs/api/webhooks/validating-requests";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "HubSpot (v2 signature)";
    p.scheme = Scheme::hubspot_v2;
    p.event_id = json("/0/eventId");
    p.event_type = json("/0/subscriptionType");
    p.signature = "X-HubSpot-Signature = hex SHA-256(client secret + method + URI + body)";
    p.proof = "@hubspot/api-client 13.5.0 Signature.getSignature / isValid";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "intercom";
    p.docs = "https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Intercom";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Hub-Signature", Algorithm::sha1, Encoding::hex, "sha1=")};
    p.event_id = id;
    p.event_type = json("/topic");
    p.proof = "node:crypto per Intercom's docs";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "jira";
    p.docs = "https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Jira Cloud (admin webhooks with a secret)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Hub-Signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_id = header("X-Atlassian-Webhook-Identifier");
    p.event_type = json("/webhookEvent");
    p.proof = "node:crypto per Atlassian's docs";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "lemonsqueezy";
    dedupe_body(p, 24h, "hookgate's choice: longer than Lemon Squeezy's retries");
    p.docs = "https://docs.lemonsqueezy.com/help/webhooks/signing-requests";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Lemon Squeezy";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = header("X-Event-Name");
    p.sample_event_type = "order_created";
    p.proof = "node:crypto per Lemon Squeezy's docs";
    add(std::move(p));
  }
  {
    HmacSpec linear = body_hmac("Linear-Signature", Algorithm::sha256, Encoding::hex);
    linear.envelope.timestamp = json_ts("/webhookTimestamp", TimestampFormat::unix_millis);
    Preset p;
    p.name = "linear";
    p.docs = "https://linear.app/developers/webhooks#securing-webhooks";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Linear";
    p.scheme = Scheme::hmac;
    p.families = {linear};
    p.default_tolerance = 60s;
    p.event_id = header("Linear-Delivery");
    p.event_type = type;
    p.proof = "@linear/sdk 98.0.0 LinearWebhookClient.verify";
    p.notes = "the timestamp is the signed body's webhookTimestamp (ms)";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "mailgun";
    p.docs = "https://documentation.mailgun.com/docs/mailgun/user-manual/tracking-messages/#securing-webhooks";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Mailgun";
    p.scheme = Scheme::mailgun;
    undocumented_window(p);
    p.event_id = json("/signature/token");
    p.event_type = json("/event-data/event");
    p.signature = "in the body: signature.signature = hex HMAC-SHA256(signing key, "
                  "signature.timestamp + signature.token) (JSON, or legacy form fields)";
    p.proof = "node:crypto per Mailgun's docs";
    p.notes = "the signature does not cover event-data: events dedupe on the token, so a "
              "captured signature cannot carry a second event";
    add(std::move(p));
  }
  const Preset& meta = [&]() -> const Preset& {
    Preset p;
    p.name = "meta";
    dedupe_body(p, 36h, "Meta retries with decreasing frequency for 36 hours");
    p.docs = "https://developers.facebook.com/docs/graph-api/webhooks/getting-started";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Meta (Facebook, Instagram, WhatsApp, Messenger)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Hub-Signature-256", Algorithm::sha256, Encoding::hex, "sha256="),
                  body_hmac("X-Hub-Signature", Algorithm::sha1, Encoding::hex, "sha1=")};
    p.event_type = json("/object");
    p.handshake = HandshakeKind::meta;
    p.proof = "node:crypto per Meta's docs";
    p.notes = "verify_token: the Verify Token set on the subscription";
    return add(std::move(p));
  }();
  add(alias(meta, "facebook"));
  add(alias(table[table.size() - 2], "instagram"));
  add(alias(table[table.size() - 3], "whatsapp"));
  {
    Preset p;
    p.name = "microsoft-graph";
    dedupe_body(p, 4h, "Graph retries for up to 4 hours");
    p.docs = "https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Microsoft Graph change notifications";
    p.scheme = Scheme::client_state;
    p.event_type = json("/value/0/changeType");
    p.handshake = HandshakeKind::microsoft_graph;
    p.success_status = 202;
    p.signature = "no signature: every notification's clientState must equal a secret";
    p.proof = "Microsoft Graph docs (validation and clientState)";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "mux";
    p.docs = "https://docs.mux.com/core/verify-webhook-signatures";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Mux";
    p.scheme = Scheme::hmac;
    p.families = {t_v1_hmac("Mux-Signature")};
    p.default_tolerance = 300s;
    p.event_id = id;
    p.event_type = type;
    p.proof = "@mux/mux-node 15.3.0 webhooks.verifySignature";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "none";
    p.vendor = "(no verification)";
    p.scheme = Scheme::none;
    p.signature = "nothing is checked: an explicit opt-out";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "okta";
    p.docs = "https://developer.okta.com/docs/concepts/event-hooks/";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Okta event hooks";
    p.scheme = Scheme::token;
    p.token = TokenSpec{.header = "Authorization", .prefix = ""};
    p.event_id = json("/eventId");
    p.event_type = json("/data/events/0/eventType");
    p.handshake = HandshakeKind::okta;
    p.proof = "Okta docs (static authorization header and verification challenge)";
    p.notes = "secrets: the authorization header value configured on the hook";
    add(std::move(p));
  }
  {
    HmacSpec paddle = body_hmac("Paddle-Signature", Algorithm::sha256, Encoding::hex, "h1=");
    paddle.envelope.separator = ";";
    paddle.envelope.signed_template = "{timestamp}:{body}";
    paddle.envelope.timestamp = keyed_ts("ts");
    Preset p;
    p.name = "paddle";
    p.docs = "https://developer.paddle.com/webhooks/signature-verification";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Paddle Billing";
    p.scheme = Scheme::hmac;
    p.families = {paddle};
    p.default_tolerance = 5s;
    p.event_id = json("/event_id");
    p.event_type = json("/event_type");
    p.proof = "@paddle/paddle-node-sdk 3.10.0 webhooks.isSignatureValid";
    p.notes = "Paddle's SDKs allow 5 s: keep clocks in sync, or raise tolerance";
    add(std::move(p));
  }
  {
    HmacSpec pagerduty = body_hmac("X-PagerDuty-Signature", Algorithm::sha256, Encoding::hex, "v1=");
    pagerduty.envelope.separator = ",";
    Preset p;
    p.name = "pagerduty";
    p.docs = "https://developer.pagerduty.com/docs/webhooks/webhook-signatures/";
    p.proof_kind = ProofKind::documented;
    p.vendor = "PagerDuty (webhooks v3)";
    p.scheme = Scheme::hmac;
    p.families = {pagerduty};
    p.event_id = json("/event/id");
    p.event_type = json("/event/event_type");
    p.proof = "node:crypto per go-pagerduty webhookv3";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "postmark";
    dedupe_body(p, 24h, "hookgate's choice: longer than Postmark's retries");
    p.docs = "https://postmarkapp.com/developer/webhooks/webhooks-overview";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Postmark";
    p.scheme = Scheme::basic_auth;
    p.event_type = json("/RecordType");
    p.signature = "no signature: HTTP Basic credentials from the webhook URL";
    p.proof = "Postmark docs (Basic auth in the URL); combine with ip_allowlist";
    p.notes = "secrets: \"user:password\"";
    add(std::move(p));
  }
  add(svix_delivered("resend", "Resend (via Svix)", "svix 1.99.1 signs, resend 6.38.0 webhooks.verify checks",
                     "https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests"));
  {
    Preset p;
    p.name = "sendgrid";
    p.docs = "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Twilio SendGrid Event Webhook";
    p.scheme = Scheme::public_key;
    PublicKeySpec key;
    key.algorithm = PublicKeyAlgorithm::ecdsa_p256;
    key.envelope.header = "X-Twilio-Email-Event-Webhook-Signature";
    key.envelope.encoding = Encoding::base64;
    key.envelope.signed_template = "{timestamp}{body}";
    key.envelope.timestamp = header_ts("X-Twilio-Email-Event-Webhook-Timestamp");
    p.key_families = {key};
    undocumented_window(p);
    p.event_id = json("/0/sg_event_id");
    p.event_type = json("/0/event");
    p.proof = "node:crypto ECDSA P-256 signs, @sendgrid/eventwebhook 8.0.0 verifySignature agrees";
    p.notes = "public_key: the verification key (base64 DER) from the dashboard";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "sentry";
    p.docs = "https://docs.sentry.io/organization/integrations/integration-platform/webhooks/";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Sentry (integration platform)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Sentry-Hook-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = header("Request-ID");
    p.event_type = header("Sentry-Hook-Resource");
    p.sample_event_type = "issue";
    p.proof = "node:crypto per Sentry's docs";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "shopify";
    p.docs = "https://shopify.dev/docs/apps/build/webhooks/subscribe/https";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Shopify";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Shopify-Hmac-Sha256", Algorithm::sha256, Encoding::base64),
                  body_hmac("shopify-hmac-sha256", Algorithm::sha256, Encoding::base64)};
    p.event_id = header("X-Shopify-Webhook-Id", "shopify-webhook-id");
    p.event_type = header("X-Shopify-Topic", "shopify-topic");
    p.sample_event_type = "orders/create";
    p.proof = "@shopify/shopify-api 13.1.0 getHmac signs, webhooks.validate checks";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "slack";
    p.docs = "https://api.slack.com/authentication/verifying-requests-from-slack";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Slack";
    p.scheme = Scheme::hmac;
    p.families = {v0_hmac("X-Slack-Signature", "X-Slack-Request-Timestamp")};
    p.default_tolerance = 300s;
    p.event_id = json("/event_id");
    p.event_type = json("/event/type");
    p.handshake = HandshakeKind::slack;
    p.proof = "Slack docs vector (unit); @slack/bolt 5.1.0 isValidSlackRequest";
    add(std::move(p));
  }
  {
    HmacSpec square = body_hmac("x-square-hmacsha256-signature", Algorithm::sha256, Encoding::base64);
    square.envelope.signed_template = "{url}{body}";
    Preset p;
    p.name = "square";
    p.docs = "https://developer.squareup.com/docs/webhooks/step3validate";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Square";
    p.scheme = Scheme::hmac;
    p.families = {square};
    p.event_id = json("/event_id");
    p.event_type = type;
    p.proof = "square 46.0.0 WebhooksHelper.verifySignature";
    p.notes = "public_url must be the notification URL exactly as subscribed";
    add(std::move(p));
  }
  const Preset& standard_webhooks = [&]() -> const Preset& {
    Preset p;
    p.name = "standard-webhooks";
    p.docs = "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Standard Webhooks (v1 HMAC, v1a Ed25519)";
    p.scheme = Scheme::standard_webhooks;
    p.families = svix_families();
    p.key_families = {v1a_family("webhook"), v1a_family("svix")};
    p.default_tolerance = 300s;
    p.event_id = svix_event_id();
    p.event_type = type;
    p.proof = "svix-server vectors v1 and v1a (unit); standardwebhooks 1.1.1 and svix 1.99.1 sign "
              "and verify v1; node:crypto Ed25519 signs v1a";
    p.notes = "secrets (whsec_…) for v1, public_key (whpk_…) for v1a, or both";
    return add(std::move(p));
  }();
  {
    Preset p = alias(standard_webhooks, "svix");
    p.vendor = "Svix";
    p.sign_family = 1;  // verifies the same (webhook-* preferred), signs with Svix's header names
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "stripe";
    p.docs = "https://docs.stripe.com/webhooks#verify-manually";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Stripe";
    p.scheme = Scheme::hmac;
    HmacSpec stripe = t_v1_hmac("Stripe-Signature");  // v0= (test mode) entries are ignored
    p.families = {stripe};
    p.default_tolerance = 300s;
    p.event_id = id;
    p.event_type = type;
    p.proof = "stripe SDK vector (unit); stripe 23.1.0 generateTestHeaderString / constructEvent";
    p.notes = "the whsec_ secret is the HMAC key as is (unlike Svix)";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "twilio";
    p.docs = "https://www.twilio.com/docs/usage/webhooks/webhooks-security";
    p.proof_kind = ProofKind::sdk;
    p.vendor = "Twilio";
    p.scheme = Scheme::twilio;
    p.event_id = header("I-Twilio-Idempotency-Token");
    p.signature = "X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + sorted form params), "
                  "or URL alone with bodySHA256 in the query (JSON); URL tried with and "
                  "without the default port";
    p.proof = "Twilio vectors, form and JSON (unit); twilio 6.2.0 getExpectedTwilioSignature / "
              "validateRequest / validateRequestWithBody";
    add(std::move(p));
  }
  {
    HmacSpec twitch = body_hmac("Twitch-Eventsub-Message-Signature", Algorithm::sha256, Encoding::hex, "sha256=");
    twitch.envelope.signed_template = "{id}{timestamp}{body}";
    twitch.envelope.timestamp = header_ts("Twitch-Eventsub-Message-Timestamp", TimestampFormat::rfc3339);
    twitch.envelope.id_header = "Twitch-Eventsub-Message-Id";
    Preset p;
    p.name = "twitch";
    p.docs = "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Twitch EventSub";
    p.scheme = Scheme::hmac;
    p.families = {twitch};
    p.default_tolerance = 600s;
    p.event_id = header("Twitch-Eventsub-Message-Id");
    p.event_type = header("Twitch-Eventsub-Subscription-Type");
    p.sample_event_type = "channel.follow";
    p.handshake = HandshakeKind::twitch;
    p.proof = "node:crypto per twitch-cli's signer";
    add(std::move(p));
  }
  const Preset& twitter = [&]() -> const Preset& {
    Preset p;
    p.name = "twitter";
    dedupe_body(p, 24h, "hookgate's choice: longer than X's retries");
    p.docs = "https://docs.x.com/x-api/webhooks/introduction";
    p.proof_kind = ProofKind::documented;
    p.vendor = "X / Twitter (Account Activity, v2 webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-twitter-webhooks-signature", Algorithm::sha256, Encoding::base64, "sha256=")};
    p.handshake = HandshakeKind::twitter_crc;
    p.proof = "node:crypto per X's docs (events and CRC)";
    p.notes = "secrets: the app's consumer secret";
    return add(std::move(p));
  }();
  add(alias(twitter, "x"));
  {
    Preset p;
    p.name = "typeform";
    p.docs = "https://www.typeform.com/developers/webhooks/secure-your-webhooks/";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Typeform";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Typeform-Signature", Algorithm::sha256, Encoding::base64, "sha256=")};
    p.event_id = json("/event_id");
    p.event_type = json("/event_type");
    p.proof = "node:crypto per Typeform's docs";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "vercel";
    p.docs = "https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Vercel";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-vercel-signature", Algorithm::sha1, Encoding::hex)};
    p.event_id = id;
    p.event_type = type;
    p.proof = "node:crypto per Vercel's docs";
    add(std::move(p));
  }
  {
    HmacSpec zendesk = body_hmac("X-Zendesk-Webhook-Signature", Algorithm::sha256, Encoding::base64);
    zendesk.envelope.signed_template = "{timestamp}{body}";
    zendesk.envelope.timestamp = header_ts("X-Zendesk-Webhook-Signature-Timestamp", TimestampFormat::rfc3339);
    Preset p;
    p.name = "zendesk";
    p.docs = "https://developer.zendesk.com/documentation/webhooks/verifying/";
    p.proof_kind = ProofKind::vector;
    p.vendor = "Zendesk";
    p.scheme = Scheme::hmac;
    p.families = {zendesk};
    undocumented_window(p);
    p.event_id = id;
    p.event_type = type;
    p.proof = "Zendesk docs vector through a generic hmac block (unit, body+timestamp page); "
              "node:crypto per the current page (timestamp+body)";
    p.notes = "an older Zendesk page signs body+timestamp: use an hmac block with "
              "signed: \"{body}{timestamp}\" for such senders";
    add(std::move(p));
  }
  {
    Preset p;
    p.name = "zoom";
    dedupe_body(p, 3h, "Zoom retries 5, 25 and 85 minutes after the first attempt");
    p.docs = "https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events";
    p.proof_kind = ProofKind::documented;
    p.vendor = "Zoom";
    p.scheme = Scheme::hmac;
    p.families = {v0_hmac("x-zm-signature", "x-zm-request-timestamp")};
    undocumented_window(p);
    p.event_type = json("/event");
    p.handshake = HandshakeKind::zoom;
    p.proof = "node:crypto per Zoom's webhook sample";
    add(std::move(p));
  }

  add_commerce_presets(table);
  add_developer_presets(table);
  add_messaging_presets(table);
  add_business_presets(table);
  add_identity_presets(table);

  std::sort(table.begin(), table.end(), [](const Preset& a, const Preset& b) { return a.name < b.name; });
  return table;
}

std::string field_text(const FieldRef& field) {
  switch (field.kind) {
    case Kind::none:
      return "none";
    case Kind::header:
      return "header " + field.name + (field.fallback_header.empty() ? "" : " (or " + field.fallback_header + ")");
    case Kind::json: {
      std::string text = "json " + field.name;
      for (const std::string& more : field.more_json) text += " + " + more;
      return text;
    }
  }
  return "none";
}

std::string algorithm_text(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::sha1:
      return "HMAC-SHA1";
    case Algorithm::sha256:
      return "HMAC-SHA256";
    case Algorithm::sha512:
      return "HMAC-SHA512";
  }
  return "HMAC";
}

std::string encoding_text(Encoding encoding) {
  switch (encoding) {
    case Encoding::hex:
      return "hex";
    case Encoding::base64:
      return "base64";
    case Encoding::base64url:
      return "base64url";
  }
  return "hex";
}

// "HMAC-SHA256 hex, prefix sha256=, list sep ','" for one family.
std::string envelope_text(const std::string& algorithm, const SignatureEnvelope& spec) {
  std::string text = algorithm + " " + encoding_text(spec.encoding);
  if (!spec.prefix.empty()) text += ", prefix '" + spec.prefix + "'";
  if (!spec.separator.empty()) {
    text += spec.separator == " " ? ", space-separated list" : ", list separated by '" + spec.separator + "'";
  }
  return text;
}

std::string headers_text(const SignatureEnvelope& spec) {
  std::string text = spec.header;
  if (spec.timestamp.kind == TimestampSource::Kind::signature_key) {
    text += " (" + spec.timestamp.name + "=…)";
  } else if (spec.timestamp.kind == TimestampSource::Kind::first_entry) {
    text += " (timestamp first)";
  } else if (spec.timestamp.kind == TimestampSource::Kind::header) {
    text += ", " + spec.timestamp.name;
  }
  if (!spec.id_header.empty()) text += ", " + spec.id_header;
  return text;
}

std::string key_text(const Preset& preset) {
  switch (preset.scheme) {
    case Scheme::none:
      return "none";
    case Scheme::public_key:
      return "public_key";
    case Scheme::standard_webhooks:
      return "secrets (whsec_) and/or public_key (whpk_)";
    case Scheme::learned_hmac:
      return "learned in the handshake (secrets optional)";
    case Scheme::basic_auth:
      return "secrets: user:password";
    case Scheme::adyen_notification:
      return "secrets: hex HMAC key";
    case Scheme::braintree:
      return "secrets: public_key:private_key";
    case Scheme::sns:
      return "public_key: AWS's SNS signing certificate(s), PEM, kept locally; secrets: the accepted TopicArns";
    case Scheme::paypal:
      return "public_key: PayPal's signing certificate(s), PEM, kept locally; secrets: the webhook ID(s)";
    case Scheme::jwt:
      if (!preset.jwt.secrets_claim.empty()) {
        return "public_key (JWKS, JWK or PEM) and secrets: the accepted " + preset.jwt.secrets_claim + " values";
      }
      if (preset.jwt.asymmetric && preset.jwt.hs256) return "secrets (HS256) and/or public_key: JWKS, JWK or PEM";
      if (preset.jwt.asymmetric) return "public_key: JWKS, JWK or PEM (kept locally)";
      return "secrets (HS256 key)";
    default:
      break;
  }
  if (!preset.families.empty()) {
    switch (preset.families.front().secret_encoding) {
      case SecretEncoding::raw:
        return "secrets";
      case SecretEncoding::base64:
        return "secrets: base64";
      case SecretEncoding::hex:
        return "secrets: hex HMAC key";
      case SecretEncoding::whsec:
        return "secrets: whsec_ + base64";
    }
  }
  return "secrets";
}

}  // namespace

std::string_view to_string(ProofKind kind) {
  switch (kind) {
    case ProofKind::sdk:
      return "sdk";
    case ProofKind::vector:
      return "vector";
    case ProofKind::documented:
      return "documented";
  }
  return "documented";
}

const std::vector<Preset>& presets() {
  static const std::vector<Preset> table = make_presets();
  return table;
}

const Preset* find_preset(std::string_view name) {
  const std::vector<Preset>& table = presets();
  const auto it =
      std::find_if(table.begin(), table.end(), [&](const Preset& p) { return p.name == name; });
  return it == table.end() ? nullptr : &*it;
}

PresetDescription describe(const Preset& preset) {
  PresetDescription d;
  d.name = preset.name;
  d.vendor = preset.vendor;
  d.alias_of = preset.alias_of;
  d.tolerance = duration_text(preset.default_tolerance);
  if (!preset.tolerance_documented) d.tolerance += " (hookgate default)";
  d.event_id = field_text(preset.event_id);
  d.event_type = field_text(preset.event_type);
  if (preset.event_id.kind == FieldRef::Kind::none) {
    d.dedupe = preset.dedupe.describe();
    if (!preset.dedupe_basis.empty()) d.dedupe += " (" + preset.dedupe_basis + ")";
  }
  d.handshake = std::string(describe(preset.handshake));
  d.get_handshake = handshake_uses_get(preset.handshake);
  d.success = std::to_string(preset.success_status);
  if (!preset.success_body.empty()) d.success += " " + preset.success_body;
  d.key = key_text(preset);
  d.proof = preset.proof;
  d.proof_kind = std::string(to_string(preset.proof_kind));
  d.docs = preset.docs;
  d.notes = preset.notes;

  std::vector<std::string> headers;
  if (!preset.families.empty()) {
    const HmacSpec& first = preset.families.front();
    d.scheme = envelope_text(algorithm_text(first.algorithm), first.envelope);
    d.signed_bytes = first.envelope.signed_template;
    for (const HmacSpec& family : preset.families) headers.push_back(headers_text(family.envelope));
    d.signs_url = first.envelope.signed_template.find("{url}") != std::string::npos;
    if (first.envelope.timestamp.kind == TimestampSource::Kind::json) {
      d.signed_bytes += " (timestamp: body " + first.envelope.timestamp.name + ")";
    }
  }
  if (!preset.key_families.empty()) {
    const PublicKeySpec& first = preset.key_families.front();
    const std::string algorithm = first.algorithm == PublicKeyAlgorithm::ed25519 ? "Ed25519" : "ECDSA P-256";
    const std::string text = envelope_text(algorithm, first.envelope);
    d.scheme = d.scheme.empty() ? text : d.scheme + "; " + text;
    if (d.signed_bytes.empty()) d.signed_bytes = first.envelope.signed_template;
    if (preset.families.empty()) {
      for (const PublicKeySpec& family : preset.key_families) headers.push_back(headers_text(family.envelope));
    }
  }
  switch (preset.scheme) {
    case Scheme::token:
      if (!preset.token.body_member.empty()) {
        d.scheme = "token in the body";
        headers.push_back("(body) " + preset.token.body_member);
        d.signed_bytes = "none (the token in the body; the body is not authenticated)";
        break;
      }
      if (!preset.token.query.empty()) {
        d.scheme = "URL token";
        headers.push_back("(query) " + preset.token.query + "=");
        d.signed_bytes = "none (the token in the URL)";
        d.signs_url = true;
        break;
      }
      d.scheme = "static token";
      headers.push_back(preset.token.header);
      d.signed_bytes = "none (the token itself)";
      break;
    case Scheme::basic_auth:
      d.scheme = "HTTP Basic";
      headers.push_back("Authorization");
      d.signed_bytes = "none (credentials)";
      break;
    case Scheme::client_state:
      d.scheme = "clientState";
      d.signed_bytes = "none (clientState in the body)";
      break;
    case Scheme::twilio:
      d.scheme = "HMAC-SHA1 base64";
      headers.push_back("X-Twilio-Signature");
      d.signed_bytes = "{url} + sorted form params, or {url} with bodySHA256";
      d.signs_url = true;
      break;
    case Scheme::mandrill:
      d.scheme = "HMAC-SHA1 base64";
      headers.push_back("X-Mandrill-Signature");
      d.signed_bytes = "{url} + sorted form params (name + value)";
      d.signs_url = true;
      break;
    case Scheme::query_hmac:
      headers = {"(query) " + preset.families.front().envelope.header + "="};
      d.signs_url = true;
      break;
    case Scheme::sns:
      d.scheme = "RSA-SHA1 / RSA-SHA256 base64, in the body (certificate)";
      headers.push_back("(body) Signature, SignatureVersion, SigningCertURL");
      d.signed_bytes = "\"Key\\nValue\\n\" for the message's signed keys";
      break;
    case Scheme::paypal:
      d.scheme = "RSA-SHA256 base64 (certificate)";
      headers.push_back("PAYPAL-TRANSMISSION-SIG, PAYPAL-TRANSMISSION-ID, PAYPAL-TRANSMISSION-TIME, PAYPAL-AUTH-ALGO");
      d.signed_bytes = "{id}|{timestamp}|{webhook id}|crc32({body})";
      break;
    case Scheme::hubspot_v3:
      d.signs_url = true;
      break;
    case Scheme::hubspot_v2:
    case Scheme::hubspot_v1:
      d.scheme = "SHA-256 hex (secret prefixed)";
      headers.push_back("X-HubSpot-Signature, X-HubSpot-Signature-Version");
      d.signed_bytes = preset.scheme == Scheme::hubspot_v1 ? "{secret}{body}" : "{secret}{method}{url}{body}";
      d.signs_url = preset.scheme == Scheme::hubspot_v2;
      break;
    case Scheme::mailgun:
      d.scheme = "HMAC-SHA256 hex, in the body";
      headers.push_back("(body) signature.{timestamp,token,signature}");
      d.signed_bytes = "{timestamp}{token}";
      break;
    case Scheme::adyen_notification:
      d.scheme = "HMAC-SHA256 base64, in the body";
      headers.push_back("(body) additionalData.hmacSignature");
      d.signed_bytes = "psp:orig:merchant:ref:value:currency:eventCode:success";
      break;
    case Scheme::braintree:
      d.scheme = "HMAC-SHA1 hex, in the body (form)";
      headers.push_back("(body) bt_signature, bt_payload");
      d.signed_bytes = "{bt_payload} (base64 XML; with or without a trailing newline)";
      break;
    case Scheme::plivo_v3:
      d.scheme = "HMAC-SHA256 base64";
      headers.push_back("X-Plivo-Signature-V3, X-Plivo-Signature-V3-Nonce");
      d.signed_bytes = "{url}?{sorted query}.{sorted form params (name + value)}.{nonce}";
      d.signs_url = true;
      break;
    case Scheme::contentful:
      d.scheme = "HMAC-SHA256 hex";
      headers.push_back("x-contentful-signature, x-contentful-signed-headers, x-contentful-timestamp");
      d.signed_bytes = "{method}\\n{encoded path}\\n{signed headers name:value;…}\\n{body}";
      d.signs_url = true;
      break;
    case Scheme::dropbox_sign:
      d.scheme = "HMAC-SHA256 hex, in the body (multipart json field)";
      headers.push_back("(body) json: event.event_hash");
      d.signed_bytes = "{event.event_time}{event.event_type}";
      break;
    case Scheme::none:
      d.scheme = "none";
      d.signed_bytes = "none";
      break;
    case Scheme::jwt: {
      const JwtSpec& jwt = preset.jwt;
      d.scheme = std::string("JWT ") + (jwt.hs256 && jwt.asymmetric ? "HS256 or RS256/ES256"
                                        : jwt.hs256                   ? "HS256"
                                                                      : "RS256/ES256");
      headers.push_back(jwt.header.empty() ? "(body: the token)" : jwt.header);
      std::string claims = "token over its claims";
      if (!jwt.issuers.empty()) claims += "; iss " + jwt.issuers.front();
      if (jwt.audience_is_url) claims += "; aud = {url}";
      if (!jwt.secrets_claim.empty()) claims += "; " + jwt.secrets_claim + " in secrets";
      if (!jwt.body_sha256_claim.empty()) claims += "; " + jwt.body_sha256_claim + " = sha256({body})";
      if (!jwt.url_sha256_claim.empty()) claims += "; " + jwt.url_sha256_claim + " = sha256({url})";
      if (jwt.body_sha256_claim.empty() && !jwt.header.empty()) claims += " (the body is not covered)";
      d.signed_bytes = claims;
      d.signs_url = jwt.audience_is_url || !jwt.url_sha256_claim.empty();
      break;
    }
    default:
      break;
  }
  for (const std::string& h : headers) d.headers += (d.headers.empty() ? "" : " | ") + h;
  if (preset.scheme == Scheme::none || preset.scheme == Scheme::client_state) d.headers = d.headers.empty() ? "none" : d.headers;
  d.can_sign = preset.scheme != Scheme::none && preset.scheme != Scheme::public_key &&
               preset.scheme != Scheme::sns && preset.scheme != Scheme::paypal &&
               !(preset.scheme == Scheme::jwt && (!preset.jwt.hs256 || preset.jwt.header.empty()));
  if (!preset.signature.empty()) d.signed_bytes = preset.signature;
  return d;
}

}  // namespace hookgate::verify
