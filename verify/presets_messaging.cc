// Messaging, voice and email vendors of the catalogue (issue 19), as data over the existing
// schemes. Each preset cites the vendor's documentation of its scheme (also its `docs` URL).
#include "verify/preset_builders.h"

namespace hookgate::verify::preset_builders {

void add_messaging_presets(std::vector<Preset>& table) {
  {
    // https://developers.line.biz/en/reference/messaging-api/#signature-validation
    // x-line-signature: base64 HMAC-SHA256 of the body, keyed with the channel secret.
    Preset p;
    p.name = "line";
    p.vendor = "LINE Messaging API";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-line-signature", Algorithm::sha256, Encoding::base64)};
    p.event_id = json("/events/0/webhookEventId");
    p.event_type = json("/events/0/type");
    p.docs = "https://developers.line.biz/en/reference/messaging-api/#signature-validation";
    p.proof = "@line/bot-sdk 11.2.0 validateSignature";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the channel secret";
    table.push_back(std::move(p));
  }
  {
    // https://developers.viber.com/docs/api/rest-bot-api/#callbacks
    // X-Viber-Content-Signature: hex HMAC-SHA256 of the body, keyed with the bot's auth token.
    Preset p;
    p.name = "viber";
    p.vendor = "Viber (REST bot API)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Viber-Content-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/message_token");
    p.event_type = json("/event");
    p.docs = "https://developers.viber.com/docs/api/rest-bot-api/#callbacks";
    p.proof = "node:crypto per Viber's docs";
    p.notes = "secrets: the bot's authentication token";
    table.push_back(std::move(p));
  }
  {
    // https://core.telegram.org/bots/api#setwebhook
    // No signature: setWebhook's secret_token comes back in X-Telegram-Bot-Api-Secret-Token.
    Preset p = token_preset("telegram", "Telegram Bot API", "X-Telegram-Bot-Api-Secret-Token");
    p.event_id = json("/update_id");
    p.docs = "https://core.telegram.org/bots/api#setwebhook";
    p.signature = "no signature: X-Telegram-Bot-Api-Secret-Token carries setWebhook's secret_token";
    p.proof = "Telegram Bot API docs (secret_token compared in constant time)";
    p.notes = "secrets: the secret_token given to setWebhook (1-256 of A-Z a-z 0-9 _ -)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.customer.io/journeys/webhooks/#securely-verify-requests
    // X-CIO-Signature: hex HMAC-SHA256 of "v0:<X-CIO-Timestamp>:<body>" with the signing key.
    HmacSpec cio = v0_hmac("X-CIO-Signature", "X-CIO-Timestamp");
    cio.envelope.prefix.clear();  // unlike Slack's, the value is the bare hex digest
    Preset p;
    p.name = "customerio";
    p.vendor = "Customer.io (reporting webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {cio};
    undocumented_window(p);
    p.event_id = json("/event_id");
    p.event_type = json("/metric");
    p.docs = "https://docs.customer.io/journeys/webhooks/#securely-verify-requests";
    p.proof = "node:crypto per Customer.io's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks; the telnyx SDK
    // (lib/webhooks): telnyx-signature-ed25519 = base64 Ed25519 signature of
    // "<telnyx-timestamp>|<body>", verified with the account's base64 public key, ±5 minutes.
    PublicKeySpec key;
    key.algorithm = PublicKeyAlgorithm::ed25519;
    key.envelope.header = "telnyx-signature-ed25519";
    key.envelope.encoding = Encoding::base64;
    key.envelope.signed_template = "{timestamp}|{body}";
    key.envelope.timestamp = header_ts("telnyx-timestamp");
    Preset p;
    p.name = "telnyx";
    p.vendor = "Telnyx";
    p.scheme = Scheme::public_key;
    p.key_families = {key};
    p.default_tolerance = 300s;
    p.event_id = json("/data/id");
    p.event_type = json("/data/event_type");
    p.docs = "https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks";
    p.proof = "node:crypto Ed25519 signs, telnyx 7.24.0 TelnyxWebhook.verify agrees";
    p.proof_kind = ProofKind::sdk;
    p.notes = "public_key: the account's public key (base64) from the portal";
    table.push_back(std::move(p));
  }
  {
    // https://developers.sinch.com/docs/conversation/callbacks/#validating-callback-requests
    // x-sinch-webhook-signature: base64 HMAC-SHA256 of "<body>.<nonce>.<timestamp>" with the
    // webhook's secret; nonce and timestamp in their own headers.
    HmacSpec sinch = body_hmac("x-sinch-webhook-signature", Algorithm::sha256, Encoding::base64);
    sinch.envelope.signed_template = "{body}.{id}.{timestamp}";
    sinch.envelope.id_header = "x-sinch-webhook-signature-nonce";
    sinch.envelope.timestamp = header_ts("x-sinch-webhook-signature-timestamp");
    Preset p;
    p.name = "sinch";
    p.vendor = "Sinch (Conversation API)";
    p.scheme = Scheme::hmac;
    p.families = {sinch};
    undocumented_window(p);
    p.event_id = json("/message_id");
    p.event_type = json("/trigger");
    p.docs = "https://developers.sinch.com/docs/conversation/callbacks/#validating-callback-requests";
    p.proof = "node:crypto per Sinch's docs";
    table.push_back(std::move(p));
  }
  {
    // https://dev.bandwidth.com/docs/voice/programmable-voice/callbacks/
    // Bandwidth signs no callback: it sends the Basic credentials set on the application.
    Preset p = basic_auth_preset("bandwidth", "Bandwidth");
    p.event_type = json("/eventType");
    p.docs = "https://dev.bandwidth.com/docs/voice/programmable-voice/callbacks/";
    p.proof = "Bandwidth docs (Basic credentials on the application's callbacks)";
    table.push_back(std::move(p));
  }
  {
    // https://developers.brevo.com/docs/how-to-use-webhooks
    // Brevo (formerly Sendinblue) signs nothing; a webhook may carry Basic credentials.
    Preset p = basic_auth_preset("brevo", "Brevo (Sendinblue)");
    p.event_id = json("/id");
    p.event_type = json("/event");
    p.docs = "https://developers.brevo.com/docs/how-to-use-webhooks";
    p.proof = "Brevo docs (Basic authentication on the webhook)";
    table.push_back(std::move(p));
    table.push_back(alias(table.back(), "sendinblue"));
  }
  {
    // https://developers.sparkpost.com/api/webhooks/
    // SparkPost signs nothing; a webhook authenticates with Basic credentials (or OAuth 2).
    Preset p = basic_auth_preset("sparkpost", "SparkPost");
    p.event_type = json("/0/msys/message_event/type");
    p.docs = "https://developers.sparkpost.com/api/webhooks/";
    p.proof = "SparkPost docs (basic auth_type on the webhook)";
    table.push_back(std::move(p));
  }
  {
    // https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks
    // Signed webhooks: Authorization "Bearer <JWT>", HS256 with the account's signature
    // secret, payload_hash = hex SHA-256 of the body, iat the signing time.
    Preset p;
    p.name = "vonage";
    p.vendor = "Vonage (Nexmo) signed webhooks";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "Authorization", .prefix = "Bearer ", .hs256 = true,
                    .body_sha256_claim = "payload_hash"};
    undocumented_window(p);
    p.event_id = json("/message_uuid");
    p.event_type = json("/status");
    p.docs = "https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks";
    p.proof = "jose 6 verifies hookgate sign; node:crypto HS256 per Vonage's docs";
    p.notes = "secrets: the signature secret (HS256); the window applies to the token's iat";
    table.push_back(std::move(p));
    table.push_back(alias(table.back(), "nexmo"));
  }
  {
    // https://developers.messagebird.com/api/#verifying-http-requests
    // MessageBird-Signature-JWT: HS256 with the signing key; iss "MessageBird", nbf/exp,
    // url_hash = hex SHA-256 of the full URL called, payload_hash = hex SHA-256 of the body.
    Preset p;
    p.name = "messagebird";
    p.vendor = "MessageBird (Bird) signed requests";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "MessageBird-Signature-JWT", .hs256 = true, .issuers = {"MessageBird"},
                    .body_sha256_claim = "payload_hash", .url_sha256_claim = "url_hash"};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://developers.messagebird.com/api/#verifying-http-requests";
    p.proof = "jose 6 verifies hookgate sign; node:crypto HS256 per MessageBird's docs";
    p.notes = "secrets: the signing key; public_url must be the URL MessageBird calls "
              "(url_hash covers it); requests without a body carry no payload_hash and are refused";
    table.push_back(std::move(p));
  }
  {
    // https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/
    // Mailchimp (Marketing) webhooks sign nothing; its guide suggests a secret in the URL. A
    // new webhook URL is validated with a GET that must answer 200.
    Preset p = query_token_preset("mailchimp", "Mailchimp (Marketing audience webhooks)");
    p.handshake = HandshakeKind::get_ok;
    p.docs = "https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/";
    p.signature = "no signature: a secret of your own in the webhook URL's query (?token=)";
    p.proof = "Mailchimp docs (URL secret compared in constant time; the validation GET answered)";
    p.notes += "; the body is form-encoded (type=subscribe&data[…]). Mandrill (transactional) "
               "signs with X-Mandrill-Signature instead, not covered here";
    table.push_back(std::move(p));
  }
  {
    // https://loops.so/docs/webhooks
    // Loops signs by the Standard Webhooks specification: webhook-id, webhook-timestamp and
    // webhook-signature "v1,<base64>", keyed with the endpoint's signing secret.
    Preset p = standard_webhooks_sender("loops", "Loops");
    p.event_type = json("/eventName");
    p.docs = "https://loops.so/docs/webhooks";
    p.proof = "standardwebhooks 1.1.1 signs and verifies (the scheme Loops' docs describe)";
    p.notes = "secrets: the endpoint's signing secret (whsec_…)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.knock.app/developer-tools/outbound-webhooks/overview
    // x-knock-signature: "t=<unix ms>,s=<base64 HMAC-SHA256(signing secret, t + '.' + body)>".
    HmacSpec knock = t_v1_hmac("x-knock-signature", "t", "s=", TimestampFormat::unix_millis);
    knock.envelope.encoding = Encoding::base64;
    Preset p;
    p.name = "knock";
    p.vendor = "Knock (outbound webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {knock};
    undocumented_window(p);
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://docs.knock.app/developer-tools/outbound-webhooks/overview";
    p.proof = "node:crypto per Knock's docs (no SDK verifier)";
    p.notes = "the timestamp is in milliseconds";
    table.push_back(std::move(p));
  }
  table.push_back(svix_delivered("novu", "Novu (via Svix)",
                                 "svix 1.99.1 signs and verifies (Svix delivers Novu's webhooks)",
                                 "https://docs.novu.co/platform/developer/webhooks"));
  {
    // https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests
    // Mandrill (Mailchimp Transactional): X-Mandrill-Signature = base64 HMAC-SHA1(webhook key,
    // webhook URL + every POST parameter's name and value, sorted by name): Twilio's recipe.
    Preset p;
    p.name = "mandrill";
    p.vendor = "Mandrill (Mailchimp Transactional)";
    p.scheme = Scheme::mandrill;
    p.docs = "https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests";
    p.signature = "X-Mandrill-Signature = base64 HMAC-SHA1(webhook key, URL + sorted form params "
                  "(name + value)); URL tried with and without the default port";
    p.proof = "node:crypto per Mandrill's docs (no SDK verifier)";
    p.notes = "secrets: the webhook's key; public_url: the webhook URL exactly as registered; "
              "the body is a form with mandrill_events (a JSON array, no event id or type "
              "extracted). Mandrill checks a new URL with a HEAD, which hookgate answers 405";
    table.push_back(std::move(p));
  }
  {
    // https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
    // SNS HTTP/S deliveries (SES notifications among them) are JSON whose Signature is base64
    // RSA-SHA1 (SignatureVersion 1) or RSA-SHA256 (2) over "Key\nValue\n" for the signed keys,
    // made with the certificate at SigningCertURL. The certificate is kept locally (hookgate
    // fetches nothing), and as AWS signs every topic's messages with it, only the configured
    // TopicArns are accepted. SNS retries a message with its original Timestamp for hours, so
    // no window is applied: the MessageId dedupes replays.
    Preset p;
    p.name = "amazon-sns";
    p.vendor = "Amazon SNS (and Amazon SES notifications through it)";
    p.scheme = Scheme::sns;
    p.event_id = json("/MessageId");
    p.event_type = json("/Type");
    p.docs = "https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html";
    p.signature = "in the body: Signature = base64 RSA-SHA1 (SignatureVersion 1) or RSA-SHA256 (2) "
                  "over \"Key\\nValue\\n\" for Message, MessageId, Subject (if any), Timestamp, "
                  "TopicArn, Type (confirmations: Message, MessageId, SubscribeURL, Timestamp, "
                  "Token, TopicArn, Type)";
    p.proof_kind = ProofKind::sdk;
    p.proof = "sns-validator 0.3.5 (AWS's validator) accepts what the gateway accepts; node:crypto "
              "RSA per AWS's docs (unit and conformance)";
    p.notes = "public_key: the SigningCertURL certificate(s) (PEM), kept locally: fetch the "
              "region's certificate when AWS rotates it, then SIGHUP; secrets: the TopicArn(s) "
              "accepted. A SubscriptionConfirmation is verified and stored like any event: "
              "confirm by visiting its SubscribeURL (hookgate makes no outbound call)";
    table.push_back(std::move(p));
    table.push_back(alias(table.back(), "amazon-ses"));
  }
  {
    // https://www.plivo.com/docs/voice/concepts/signature-validation
    // X-Plivo-Signature-V3 = base64 HMAC-SHA256(auth token, URL with sorted query + "." +
    // sorted POST params (name + value) + "." + X-Plivo-Signature-V3-Nonce).
    Preset p;
    p.name = "plivo";
    p.vendor = "Plivo";
    p.scheme = Scheme::plivo_v3;
    p.docs = "https://www.plivo.com/docs/voice/concepts/signature-validation";
    p.signature = "X-Plivo-Signature-V3 = base64 HMAC-SHA256(auth token, scheme://host[:port]path"
                  " + ?sorted decoded query (k=v&…) + '.' (both present) + sorted form params "
                  "(name + value) + '.' + X-Plivo-Signature-V3-Nonce); several comma-separated";
    p.proof = "plivo npm SDK 4.79.0 (validateV3Signature)";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the account's (or subaccount's) auth token; public_url: the callback URL "
              "exactly as configured at Plivo; POST callbacks (form bodies) only; the nonce is "
              "not timestamped, so a captured request stays valid; a non-ASCII URL, nonce or "
              "token is hashed as UTF-8 once (the SDK UTF-8-encodes those twice); no event id "
              "or type (they are form parameters)";
    table.push_back(std::move(p));
  }
}

}  // namespace hookgate::verify::preset_builders
