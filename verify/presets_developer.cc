// Developer-tool vendors of the catalogue (issue 19), as data over the existing schemes.
// Each preset cites the vendor's documentation of its scheme (also its `docs` URL).
#include "verify/preset_builders.h"

namespace hookgate::verify::preset_builders {

void add_developer_presets(std::vector<Preset>& table) {
  {
    // https://circleci.com/docs/outbound-webhooks/
    // circleci-signature: "v1=<hex HMAC-SHA256 of the body>", comma-separated versions.
    HmacSpec circleci = body_hmac("circleci-signature", Algorithm::sha256, Encoding::hex, "v1=");
    circleci.envelope.separator = ",";
    Preset p;
    p.name = "circleci";
    p.vendor = "CircleCI";
    p.scheme = Scheme::hmac;
    p.families = {circleci};
    p.event_id = json("/id");
    p.event_type = header("Circleci-Event-Type");
    p.sample_event_type = "workflow-completed";
    p.docs = "https://circleci.com/docs/outbound-webhooks/";
    p.proof = "node:crypto per CircleCI's docs";
    table.push_back(std::move(p));
  }
  {
    // https://buildkite.com/docs/apis/webhooks#webhook-signature
    // X-Buildkite-Signature: "timestamp=<unix>,signature=<hex HMAC-SHA256 of timestamp.body>".
    HmacSpec buildkite = t_v1_hmac("X-Buildkite-Signature", "timestamp", "signature=");
    Preset p;
    p.name = "buildkite";
    p.vendor = "Buildkite (signature)";
    p.scheme = Scheme::hmac;
    p.families = {buildkite};
    undocumented_window(p);
    p.event_type = header("X-Buildkite-Event");
    p.sample_event_type = "build.finished";
    p.docs = "https://buildkite.com/docs/apis/webhooks#webhook-signature";
    p.proof = "node:crypto per Buildkite's docs";
    table.push_back(std::move(p));
  }
  {
    // https://buildkite.com/docs/apis/webhooks#webhook-token
    // The other mode Buildkite offers: the webhook's token sent as is in X-Buildkite-Token.
    Preset p = token_preset("buildkite-token", "Buildkite (token)", "X-Buildkite-Token");
    p.event_type = header("X-Buildkite-Event");
    p.sample_event_type = "build.finished";
    p.docs = "https://buildkite.com/docs/apis/webhooks#webhook-token";
    p.signature = "no signature: X-Buildkite-Token carries the webhook's token";
    p.proof = "Buildkite docs (X-Buildkite-Token compared in constant time)";
    table.push_back(std::move(p));
  }
  {
    // https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests
    // Heroku-Webhook-Hmac-SHA256: base64 HMAC-SHA256 of the body with the webhook's secret.
    Preset p;
    p.name = "heroku";
    p.vendor = "Heroku (app webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Heroku-Webhook-Hmac-SHA256", Algorithm::sha256, Encoding::base64)};
    p.event_id = header("Heroku-Webhook-Id");
    p.event_type = json("/webhook_metadata/event/include");
    p.docs = "https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests";
    p.proof = "node:crypto per Heroku's docs";
    table.push_back(std::move(p));
  }
  {
    // https://github.com/npm/npm-hook-receiver#readme (npm hooks)
    // x-npm-signature: "sha256=<hex HMAC-SHA256 of the body>" with the hook's secret.
    Preset p;
    p.name = "npm";
    p.vendor = "npm (registry hooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-npm-signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_type = json("/event");
    p.docs = "https://github.com/npm/npm-hook-receiver#readme";
    p.proof = "node:crypto per npm-hook-receiver";
    table.push_back(std::move(p));
  }
  {
    // https://docs.snyk.io/snyk-api/how-to-use-snyk-webhooks-to-integrate-with-external-tools
    // X-Hub-Signature: "sha256=<hex HMAC-SHA256 of the body>" with the webhook's secret.
    Preset p;
    p.name = "snyk";
    p.vendor = "Snyk";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Hub-Signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_type = header("X-Snyk-Event");
    p.sample_event_type = "project_snapshot/v0";
    p.docs = "https://docs.snyk.io/snyk-api/how-to-use-snyk-webhooks-to-integrate-with-external-tools";
    p.proof = "node:crypto per Snyk's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developer.clickup.com/docs/webhooksignature
    // X-Signature: hex HMAC-SHA256 of the body with the webhook's secret.
    Preset p;
    p.name = "clickup";
    p.vendor = "ClickUp";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/event");
    p.docs = "https://developer.clickup.com/docs/webhooksignature";
    p.proof = "node:crypto per ClickUp's docs";
    table.push_back(std::move(p));
  }
  {
    // https://airtable.com/developers/web/api/webhooks-overview
    // X-Airtable-Content-MAC: "hmac-sha256=<hex>" of the body, keyed with the base64-decoded
    // macSecretBase64 returned when the webhook is created.
    Preset p;
    p.name = "airtable";
    p.vendor = "Airtable";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Airtable-Content-MAC", Algorithm::sha256, Encoding::hex, "hmac-sha256=",
                            SecretEncoding::base64)};
    p.docs = "https://airtable.com/developers/web/api/webhooks-overview";
    p.proof = "node:crypto per Airtable's docs (base64-decoded macSecretBase64)";
    p.notes = "secrets: the webhook's macSecretBase64; Airtable only pings, the payloads are "
              "fetched from its API";
    table.push_back(std::move(p));
  }
  {
    // https://developers.cloudflare.com/notifications/get-started/configure-webhooks/
    // No signature: the secret configured on the webhook is sent as is in cf-webhook-auth.
    Preset p = token_preset("cloudflare", "Cloudflare (notification webhooks)", "cf-webhook-auth");
    p.docs = "https://developers.cloudflare.com/notifications/get-started/configure-webhooks/";
    p.signature = "no signature: cf-webhook-auth carries the webhook's secret";
    p.proof = "Cloudflare docs (cf-webhook-auth compared in constant time)";
    table.push_back(std::move(p));
  }
  {
    // https://platform.openai.com/docs/guides/webhooks
    // Standard Webhooks: webhook-id / webhook-timestamp / webhook-signature, whsec_ secret.
    Preset p = standard_webhooks_sender("openai", "OpenAI");
    p.docs = "https://platform.openai.com/docs/guides/webhooks";
    p.proof = "openai 6.49.0 webhooks.verifySignature / unwrap";
    p.proof_kind = ProofKind::sdk;
    table.push_back(std::move(p));
  }
  {
    // https://replicate.com/docs/topics/webhooks/verify-webhook
    // Standard Webhooks headers and scheme; the secret (whsec_…) from webhooks.default.secret.
    Preset p = standard_webhooks_sender("replicate", "Replicate");
    p.event_id = header("webhook-id");
    p.event_type = json("/status");
    p.docs = "https://replicate.com/docs/topics/webhooks/verify-webhook";
    p.proof = "replicate 1.4.0 validateWebhook";
    p.proof_kind = ProofKind::sdk;
    table.push_back(std::move(p));
  }
  {
    // https://render.com/docs/webhooks
    // Render signs by the Standard Webhooks specification (whsec_ secret).
    Preset p = standard_webhooks_sender("render", "Render");
    p.docs = "https://render.com/docs/webhooks";
    p.proof = "standardwebhooks 1.1.1 (the specification's reference library) per Render's docs";
    table.push_back(std::move(p));
  }
  {
    // https://trigger.dev/docs/troubleshooting-alerts (alert webhooks); the signer is
    // @trigger.dev/sdk's webhooks.constructEvent: x-trigger-signature-hmacsha256 = hex
    // HMAC-SHA256 of the body with the webhook's secret.
    Preset p;
    p.name = "trigger-dev";
    p.vendor = "Trigger.dev (alert webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-trigger-signature-hmacsha256", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://trigger.dev/docs/troubleshooting-alerts";
    p.proof = "node:crypto per @trigger.dev/sdk 4.8.3 webhooks.verifySignature (source read)";
    table.push_back(std::move(p));
  }
  {
    // https://www.inngest.com/docs/platform/signing-keys; inngest-js helpers/net.ts
    // signDataWithKey: X-Inngest-Signature "t=<unix>&s=<hex HMAC-SHA256(key, body + t)>", key =
    // the signing key's text without its "signkey-<env>-" prefix; the SDK allows ±5 minutes.
    HmacSpec inngest = body_hmac("X-Inngest-Signature", Algorithm::sha256, Encoding::hex, "s=");
    inngest.envelope.separator = "&";
    inngest.envelope.signed_template = "{body}{timestamp}";
    inngest.envelope.timestamp = keyed_ts("t");
    Preset p;
    p.name = "inngest";
    p.vendor = "Inngest (signed requests)";
    p.scheme = Scheme::hmac;
    p.families = {inngest};
    p.default_tolerance = 300s;
    p.event_type = json("/event/name");
    p.docs = "https://www.inngest.com/docs/platform/signing-keys";
    p.proof = "node:crypto per inngest 4.24.0 signDataWithKey (source read)";
    p.notes = "secrets: the signing key without its signkey-<env>- prefix (the SDK strips it)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.netlify.com/site-deploys/deploy-notifications/#payload-signature
    // X-Webhook-Signature: a JWS (HS256, the notification's JWS secret) whose claims are
    // iss "netlify" and sha256 = hex SHA-256 of the body.
    Preset p;
    p.name = "netlify";
    p.vendor = "Netlify (deploy notifications)";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "X-Webhook-Signature", .hs256 = true, .issuers = {"netlify"},
                    .body_sha256_claim = "sha256"};
    p.event_id = json("/id");
    p.event_type = json("/state");
    p.docs = "https://docs.netlify.com/site-deploys/deploy-notifications/#payload-signature";
    p.proof = "jose 6 (RFC 7515 JWS) verifies hookgate sign; node:crypto HS256 per Netlify's docs";
    p.notes = "secrets: the notification's JWS secret token";
    table.push_back(std::move(p));
  }
  {
    // https://developer.monday.com/apps/docs/integration-authorization#authorization-header
    // https://developer.monday.com/api-reference/reference/webhooks
    // Integration webhooks carry a JWT (HS256, the app's signing secret) in Authorization,
    // with or without "Bearer "; it does not cover the body. A new webhook is first sent
    // {"challenge": …}, to be echoed.
    Preset p;
    p.name = "monday";
    p.vendor = "monday.com";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "Authorization", .prefix = "Bearer ", .hs256 = true};
    p.event_id = json("/event/triggerUuid");
    p.event_type = json("/event/type");
    p.handshake = HandshakeKind::challenge_echo;
    p.docs = "https://developer.monday.com/apps/docs/integration-authorization#authorization-header";
    p.proof = "jose 6 verifies hookgate sign; node:crypto HS256 per monday.com's docs";
    p.notes = "secrets: the app's signing secret; the JWT authenticates monday.com, not the body "
              "(refetch the item with its shortLivedToken before trusting it); webhooks made "
              "with a personal token carry no JWT: use a path secret or a token block";
    table.push_back(std::move(p));
  }
  {
    // https://docs.docker.com/docker-hub/repos/manage/webhooks/
    // Docker Hub's webhooks carry no signature and no credential: a token in the URL only.
    Preset p = query_token_preset("docker-hub", "Docker Hub");
    p.docs = "https://docs.docker.com/docker-hub/repos/manage/webhooks/";
    p.signature = "no signature: a token of your own in the webhook URL's query (?token=)";
    p.proof = "Docker Hub docs (no signature; the URL token compared in constant time)";
    table.push_back(std::move(p));
  }
  {
    // https://github.com/basecamp/bc3-api/blob/master/sections/webhooks.md
    // Basecamp's webhooks sign nothing; the payload URL is the only secret.
    Preset p = query_token_preset("basecamp", "Basecamp");
    p.event_id = json("/id");
    p.event_type = json("/kind");
    p.docs = "https://github.com/basecamp/bc3-api/blob/master/sections/webhooks.md";
    p.signature = "no signature: a token of your own in the payload URL's query (?token=)";
    p.proof = "Basecamp API docs (no signature; the URL token compared in constant time)";
    table.push_back(std::move(p));
  }
  {
    // https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended
    // X-Notion-Signature: "sha256=<hex HMAC-SHA256 of the body>", keyed with the
    // verification_token Notion posts once, unsigned, when the subscription is created.
    Preset p;
    p.name = "notion";
    p.vendor = "Notion";
    p.scheme = Scheme::learned_hmac;
    p.families = {body_hmac("X-Notion-Signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.handshake = HandshakeKind::notion;
    p.docs = "https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended";
    p.proof = "node:crypto per Notion's docs; the verification request and a restart tested";
    p.notes = "secrets optional: the verification_token of the first verification request is "
              "stored (handshake_secrets) and keys later events; paste the same token into "
              "Notion to verify the subscription";
    table.push_back(std::move(p));
  }
  {
    // https://www.figma.com/developers/api#webhooks_v2
    // Figma signs nothing: every event's JSON carries the passcode set on the webhook.
    Preset p;
    p.name = "figma";
    p.vendor = "Figma (webhooks v2)";
    p.scheme = Scheme::token;
    p.token = TokenSpec{.header = {}, .prefix = {}, .query = {}, .body_member = "passcode"};
    p.event_type = json("/event_type");
    p.docs = "https://www.figma.com/developers/api#webhooks_v2";
    p.signature = "no signature: the webhook's passcode in every event's body";
    p.proof = "Figma docs (passcode compared in constant time)";
    p.notes = "secrets: the webhook's passcode; it does not authenticate the rest of the body";
    table.push_back(std::move(p));
  }
  {
    // https://docs.cursor.com/background-agent/api/webhooks
    // X-Webhook-Signature: "sha256=<hex HMAC-SHA256 of the body>" with the webhook secret.
    Preset p;
    p.name = "cursor";
    p.vendor = "Cursor (background agent webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Webhook-Signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_type = json("/event");
    p.docs = "https://docs.cursor.com/background-agent/api/webhooks";
    p.proof = "node:crypto per Cursor's docs";
    table.push_back(std::move(p));
  }
  {
    // https://launchdarkly.com/docs/home/infrastructure/webhooks#sign-webhooks
    // X-LD-Signature: hex HMAC-SHA256 of the body with the webhook's secret.
    Preset p;
    p.name = "launchdarkly";
    p.vendor = "LaunchDarkly";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-LD-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/_id");
    p.event_type = json("/kind");
    p.docs = "https://launchdarkly.com/docs/home/infrastructure/webhooks#sign-webhooks";
    p.proof = "node:crypto per LaunchDarkly's docs";
    table.push_back(std::move(p));
  }
  {
    // https://hookdeck.com/docs/authentication#hookdeck-webhook-signature-verification
    // x-hookdeck-signature: base64 HMAC-SHA256 of the body with the project's signing secret.
    Preset p;
    p.name = "hookdeck";
    p.vendor = "Hookdeck (forwarded events)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-hookdeck-signature", Algorithm::sha256, Encoding::base64)};
    p.event_id = header("x-hookdeck-eventid");
    p.docs = "https://hookdeck.com/docs/authentication#hookdeck-webhook-signature-verification";
    p.proof = "node:crypto per Hookdeck's docs";
    table.push_back(std::move(p));
  }
  {
    // https://elevenlabs.io/docs/product-guides/administration/webhooks
    // ElevenLabs-Signature: "t=<unix>,v0=<hex HMAC-SHA256 of t.body>"; the SDK's
    // constructEvent allows 30 minutes.
    Preset p;
    p.name = "elevenlabs";
    p.vendor = "ElevenLabs";
    p.scheme = Scheme::hmac;
    p.families = {t_v1_hmac("ElevenLabs-Signature", "t", "v0=")};
    p.default_tolerance = 1800s;
    p.event_type = json("/type");
    p.docs = "https://elevenlabs.io/docs/product-guides/administration/webhooks";
    p.proof = "node:crypto per ElevenLabs' docs and its SDK's constructEvent";
    table.push_back(std::move(p));
  }
  {
    // https://developers.deepgram.com/docs/callback
    // Deepgram signs no callback; credentials in the callback URL are sent as HTTP Basic
    // (its dg-token header only names the API key used, it is not a secret).
    Preset p = basic_auth_preset("deepgram", "Deepgram (callbacks)");
    p.event_id = json("/metadata/request_id");
    p.docs = "https://developers.deepgram.com/docs/callback";
    p.proof = "Deepgram docs (user:password in the callback URL, sent as Basic)";
    table.push_back(std::move(p));
  }
  {
    // https://www.alchemy.com/docs/reference/notify-api-quickstart#webhook-signature--security
    // X-Alchemy-Signature: hex HMAC-SHA256 of the body with the webhook's signing key.
    Preset p;
    p.name = "alchemy";
    p.vendor = "Alchemy (Notify)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Alchemy-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://www.alchemy.com/docs/reference/notify-api-quickstart#webhook-signature--security";
    p.proof = "node:crypto per Alchemy's docs";
    table.push_back(std::move(p));
  }
  {
    // https://pusher.com/docs/channels/server_api/webhooks/#authentication
    // X-Pusher-Signature: hex HMAC-SHA256 of the body with the app secret; X-Pusher-Key names
    // the app key.
    Preset p;
    p.name = "pusher";
    p.vendor = "Pusher Channels";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Pusher-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/events/0/name");
    p.docs = "https://pusher.com/docs/channels/server_api/webhooks/#authentication";
    p.proof = "pusher-http-go's published vector (unit); pusher 5.3.4 webhook().isValid() checks";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the app secret";
    table.push_back(std::move(p));
  }
  {
    // https://fly.io/docs/reference/extensions_api/
    // Fly.io signs requests to extension providers (provisioning calls and webhooks) with
    // X-Signature: HMAC-SHA256 of the body with the shared secret; the body carries a unix
    // "timestamp", a "nonce" and the target "url". Fly.io documents no window and no encoding:
    // hex (as every other lowercase HMAC header) and hookgate's 5 min on the body's timestamp.
    HmacSpec fly = body_hmac("X-Signature", Algorithm::sha256, Encoding::hex);
    fly.envelope.timestamp = json_ts("/timestamp", TimestampFormat::unix_seconds);
    Preset p;
    p.name = "fly-io";
    p.vendor = "Fly.io (extension requests and webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {fly};
    undocumented_window(p);
    p.event_type = json("/action");
    p.docs = "https://fly.io/docs/reference/extensions_api/";
    p.proof = "node:crypto per Fly.io's extensions API docs";
    p.notes = "secrets: the shared signing secret Fly.io hands the provider; the timestamp is "
              "the signed body's \"timestamp\"";
    table.push_back(std::move(p));
  }
  {
    // https://docs.railway.com/guides/webhooks
    // Railway's project webhooks carry no signature and no credential: a token in the URL.
    Preset p = query_token_preset("railway", "Railway (project webhooks)");
    p.event_type = json("/type");
    p.docs = "https://docs.railway.com/guides/webhooks";
    p.signature = "no signature: a token of your own in the webhook URL's query (?token=)";
    p.proof = "Railway docs (no signature; the URL token compared in constant time)";
    table.push_back(std::move(p));
  }
  {
    // https://github.com/digitalocean/webhook-sdk-javascript (src/SignatureScheme.ts)
    // do-signature: "t=<unix s>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>", one v1 per
    // secret; the SDK refuses signatures older than 300 s. do-event-name names the event.
    Preset p;
    p.name = "digitalocean";
    p.vendor = "DigitalOcean (signed webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {t_v1_hmac("do-signature")};
    p.default_tolerance = 300s;
    p.event_type = header("do-event-name");
    p.docs = "https://github.com/digitalocean/webhook-sdk-javascript";
    p.proof = "webhook-sdk-javascript's published vector (unit); node:crypto per its SignatureSchemeV1";
    p.proof_kind = ProofKind::vector;
    table.push_back(std::move(p));
  }
  {
    // https://developers.miro.com/reference/webhooks-overview
    // A new board subscription is confirmed by echoing {"challenge": …} as JSON; the events
    // themselves carry no signature in Miro's docs, so the callback URL holds a token.
    Preset p = query_token_preset("miro", "Miro (board subscriptions)");
    p.event_type = json("/event/type");
    p.handshake = HandshakeKind::challenge_echo;
    p.docs = "https://developers.miro.com/reference/webhooks-overview";
    p.signature = "no signature: a token of your own in the callback URL's query (?token=)";
    p.proof = "Miro docs (challenge echoed; the URL token compared in constant time)";
    table.push_back(std::move(p));
  }
  {
    // https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures
    // X-Trello-Webhook: base64 HMAC-SHA1(app secret, body + callbackURL), the callback URL
    // exactly as given when the webhook was created.
    HmacSpec trello = body_hmac("X-Trello-Webhook", Algorithm::sha1, Encoding::base64);
    trello.envelope.signed_template = "{body}{url}";
    Preset p;
    p.name = "trello";
    p.vendor = "Trello";
    p.scheme = Scheme::hmac;
    p.families = {trello};
    p.event_id = json("/action/id");
    p.event_type = json("/action/type");
    p.docs = "https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures";
    p.proof = "node:crypto per Trello's docs";
    p.notes = "secrets: the app's secret; public_url: the callbackURL exactly as registered. "
              "Trello checks a new callback with a HEAD, which hookgate answers 405: create "
              "the webhook while the URL answers HEAD elsewhere, or through a proxy that does";
    table.push_back(std::move(p));
  }
  {
    // https://dev.frontapp.com/docs/application-webhooks
    // x-front-signature: base64 HMAC-SHA256(app secret, x-front-request-timestamp + ":" +
    // body), the timestamp in ms; Front recommends refusing messages older than 5 minutes
    // (https://dev.frontapp.com/docs/security-1). Saving the webhook sends a signed request
    // with x-front-challenge, whose value must come back.
    HmacSpec front = body_hmac("X-Front-Signature", Algorithm::sha256, Encoding::base64);
    front.envelope.signed_template = "{timestamp}:{body}";
    front.envelope.timestamp = header_ts("X-Front-Request-Timestamp", TimestampFormat::unix_millis);
    Preset p;
    p.name = "front";
    p.vendor = "Front (application webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {front};
    p.default_tolerance = 300s;
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.handshake = HandshakeKind::front;
    p.docs = "https://dev.frontapp.com/docs/application-webhooks";
    p.proof = "node:crypto per Front's docs (events and the challenge)";
    p.notes = "secrets: the app's signing secret; legacy rule webhooks (base64 HMAC-SHA1 of the "
              "body in X-Front-Signature, no timestamp) need an hmac block";
    table.push_back(std::move(p));
  }
  {
    // https://www.contentful.com/developers/docs/webhooks/request-verification/
    // x-contentful-signature = hex HMAC-SHA256(signing secret, method \n path \n signed
    // headers \n body), x-contentful-timestamp in ms (node-apps-toolkit verifyRequest).
    Preset p;
    p.name = "contentful";
    p.vendor = "Contentful";
    p.scheme = Scheme::contentful;
    p.default_tolerance = 30s;  // verifyRequest's default time to live
    p.event_type = header("X-Contentful-Topic");
    p.sample_event_type = "ContentManagement.Entry.publish";
    p.docs = "https://www.contentful.com/developers/docs/webhooks/request-verification/";
    p.proof = "@contentful/node-apps-toolkit 3.16.1 (signRequest / verifyRequest)";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the webhook's signing secret (64 characters at Contentful); "
              "public_url: the webhook URL, whose path and query are signed (encoded as the SDK's "
              "getNormalizedEncodedURI); the SDK refuses only old timestamps (age >= 30 s), "
              "hookgate also those more than 30 s ahead; a timestamp that is not plain decimal "
              "ms is refused (the SDK's parseInt would read a numeric prefix); no event id "
              "(Contentful sends none)";
    table.push_back(std::move(p));
  }
}

}  // namespace hookgate::verify::preset_builders
