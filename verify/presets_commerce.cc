// Payments and commerce vendors of the catalogue (issue 19), as data over the existing
// schemes. Each preset cites the vendor's documentation of its scheme (also its `docs` URL).
#include "verify/preset_builders.h"

namespace hookgate::verify::preset_builders {

void add_commerce_presets(std::vector<Preset>& table) {
  {
    // https://razorpay.com/docs/webhooks/validate-test/
    // X-Razorpay-Signature: hex HMAC-SHA256 of the raw body, keyed with the webhook secret.
    Preset p;
    p.name = "razorpay";
    p.vendor = "Razorpay";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Razorpay-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = header("X-Razorpay-Event-Id");
    p.event_type = json("/event");
    p.docs = "https://razorpay.com/docs/webhooks/validate-test/";
    p.proof = "razorpay 2.9.8 validateWebhookSignature";
    p.proof_kind = ProofKind::sdk;
    table.push_back(std::move(p));
  }
  {
    // https://paystack.com/docs/payments/webhooks/#verify-event-origin
    // x-paystack-signature: hex HMAC-SHA512 of the body, keyed with the secret key.
    Preset p;
    p.name = "paystack";
    p.vendor = "Paystack";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-paystack-signature", Algorithm::sha512, Encoding::hex)};
    p.event_type = json("/event");
    p.docs = "https://paystack.com/docs/payments/webhooks/#verify-event-origin";
    p.proof = "node:crypto per Paystack's docs (HMAC-SHA512)";
    p.notes = "secrets: the account's secret key (sk_…), which is Paystack's signing key";
    table.push_back(std::move(p));
  }
  {
    // https://developer.flutterwave.com/docs/webhooks
    // No signature: the "secret hash" set on the dashboard comes back as is in verif-hash.
    Preset p = token_preset("flutterwave", "Flutterwave", "verif-hash");
    p.event_type = json("/event");
    p.docs = "https://developer.flutterwave.com/docs/webhooks";
    p.signature = "no signature: verif-hash carries the secret hash set on the dashboard";
    p.proof = "Flutterwave docs (verif-hash compared with the secret hash)";
    p.notes = "secrets: the secret hash; it is a shared token, so the body is not authenticated: "
              "confirm the transaction with Flutterwave's API before acting on it";
    table.push_back(std::move(p));
  }
  {
    // https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver
    // Cko-Signature: hex HMAC-SHA256 of the body, keyed with the webhook's signature key.
    Preset p;
    p.name = "checkout-com";
    p.vendor = "Checkout.com";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Cko-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver";
    p.proof = "node:crypto per Checkout.com's docs";
    table.push_back(std::move(p));
  }
  {
    // https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference
    // X-Chargify-Webhook-Signature-Hmac-Sha-256: hex HMAC-SHA256 of the (form-encoded) body,
    // keyed with the site's shared key; X-Chargify-Webhook-Id is stable across retries.
    Preset p;
    p.name = "maxio";
    p.vendor = "Maxio Advanced Billing (Chargify)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Chargify-Webhook-Signature-Hmac-Sha-256", Algorithm::sha256, Encoding::hex)};
    p.event_id = header("X-Chargify-Webhook-Id");
    p.docs = "https://docs.maxio.com/hc/en-us/articles/24266136649869-Webhooks-Reference";
    p.proof = "node:crypto per Maxio's docs";
    p.notes = "secrets: the site's shared key; the body is form-encoded (event=…&payload[…])";
    table.push_back(std::move(p));
    table.push_back(alias(table.back(), "chargify"));
  }
  {
    // https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
    // X-WC-Webhook-Signature: base64 HMAC-SHA256 of the body, keyed with the webhook secret.
    // On creation WooCommerce posts an unsigned ping, "webhook_id=<n>" (WC_Webhook::deliver_ping).
    Preset p;
    p.name = "woocommerce";
    p.vendor = "WooCommerce";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-WC-Webhook-Signature", Algorithm::sha256, Encoding::base64)};
    p.event_id = header("X-WC-Webhook-Delivery-ID");
    p.event_type = header("X-WC-Webhook-Topic");
    p.sample_event_type = "order.created";
    p.handshake = HandshakeKind::woocommerce_ping;
    p.docs = "https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks";
    p.proof = "node:crypto per WooCommerce's docs and WC_Webhook's signer";
    table.push_back(std::move(p));
  }
  {
    // https://developers.squarespace.com/commerce-apis/webhooks/verifying-notifications
    // Squarespace-Signature: hex HMAC-SHA256(hexToBytes(secret), body).
    Preset p;
    p.name = "squarespace";
    p.vendor = "Squarespace";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Squarespace-Signature", Algorithm::sha256, Encoding::hex, "", SecretEncoding::hex)};
    p.event_id = json("/id");
    p.event_type = json("/topic");
    p.docs = "https://developers.squarespace.com/commerce-apis/webhooks/verifying-notifications";
    p.proof = "node:crypto per Squarespace's docs (hex-decoded secret)";
    table.push_back(std::move(p));
  }
  {
    // https://www.chargebee.com/docs/billing/2.0/site-configuration/webhook_settings
    // Chargebee signs nothing; it recommends Basic authentication on the webhook URL.
    Preset p = basic_auth_preset("chargebee", "Chargebee");
    p.event_id = json("/id");
    p.event_type = json("/event_type");
    p.docs = "https://www.chargebee.com/docs/billing/2.0/site-configuration/webhook_settings";
    p.proof = "Chargebee docs (Basic authentication on the webhook)";
    table.push_back(std::move(p));
  }
  {
    // https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/handle-events-with-webhooks
    // The request body is a JWT (RS256) signed with the app's key; the public key (PEM) is
    // shown in the app dashboard's webhooks page.
    Preset p;
    p.name = "wix";
    p.vendor = "Wix (app webhooks)";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.asymmetric = true};
    p.docs = "https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/handle-events-with-webhooks";
    p.proof = "node:crypto RS256 tokens against the app's PEM key, per Wix's docs";
    p.notes = "public_key: the app's public key (PEM); the whole body is the signed token";
    table.push_back(std::move(p));
  }
  {
    // https://www.shipstation.com/docs/api/webhooks/subscribe-to-webhook/
    // ShipStation's (V1) webhooks sign nothing and send no credential: a token goes in the
    // target URL, and the body only points at the resource to fetch with the API key.
    Preset p = query_token_preset("shipstation", "ShipStation (V1 webhooks)");
    p.event_type = json("/resource_type");
    p.docs = "https://www.shipstation.com/docs/api/webhooks/subscribe-to-webhook/";
    p.signature = "no signature: a token of your own in the target URL's query (?token=)";
    p.proof = "ShipStation docs (no signature; the URL token compared in constant time)";
    p.notes += "; ShipStation API V2 (ShipEngine) signs with RSA-SHA256 instead, not covered here";
    table.push_back(std::move(p));
  }
  {
    // https://docs.goshippo.com/docs/tracking/webhooksecurity/
    // Shippo's documented options: an IP allowlist, a self-generated ?token= in the URL, or
    // HMAC arranged through an account manager (undocumented, so not modelled).
    Preset p = query_token_preset("shippo", "Shippo");
    p.event_type = json("/event");
    p.docs = "https://docs.goshippo.com/docs/tracking/webhooksecurity/";
    p.signature = "no signature: the self-generated token in the URL's query (?token=)";
    p.proof = "Shippo docs (self-generated URL token compared in constant time)";
    p.notes += "; combine with ip_allowlist for Shippo's published addresses";
    table.push_back(std::move(p));
  }
  {
    // https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks#verifying-webhook-signatures
    // Webhook-Signature: hex HMAC-SHA256 of the body with the endpoint's secret.
    Preset p;
    p.name = "gocardless";
    p.vendor = "GoCardless";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Webhook-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_id = json("/events/0/id");
    p.event_type = json("/events/0/action");
    p.docs = "https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks#verifying-webhook-signatures";
    p.proof = "gocardless-nodejs' published vector (unit); gocardless-nodejs 10.1.2 webhooks.parse checks";
    p.proof_kind = ProofKind::sdk;
    table.push_back(std::move(p));
  }
  {
    // https://plaid.com/docs/api/webhooks/webhook-verification/
    // Plaid-Verification: a JWT (ES256) whose key (by kid) comes from
    // /webhook_verification_key/get; request_body_sha256 = hex SHA-256 of the body; Plaid
    // asks to refuse tokens issued more than 5 minutes ago.
    Preset p;
    p.name = "plaid";
    p.vendor = "Plaid";
    p.scheme = Scheme::jwt;
    p.jwt = JwtSpec{.header = "Plaid-Verification", .asymmetric = true, .body_sha256_claim = "request_body_sha256"};
    p.default_tolerance = 300s;
    p.event_type = json("/webhook_code");
    p.docs = "https://plaid.com/docs/api/webhooks/webhook-verification/";
    p.proof = "node:crypto ES256 tokens against a local JWK, per Plaid's docs";
    p.notes = "public_key: the JWK(s) from /webhook_verification_key/get, kept locally (fetch a "
              "token's kid when it is new, then SIGHUP); hookgate fetches nothing";
    table.push_back(std::move(p));
  }
  {
    // https://docs.mollie.com/reference/webhooks-best-practices
    // Next-gen webhooks: X-Mollie-Signature "sha256=<hex HMAC-SHA256 of the raw body>", keyed
    // with the webhook's shared secret.
    Preset p;
    p.name = "mollie";
    p.vendor = "Mollie (next-gen webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Mollie-Signature", Algorithm::sha256, Encoding::hex, "sha256=")};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://docs.mollie.com/reference/webhooks-best-practices";
    p.proof = "node:crypto per Mollie's docs";
    p.notes = "secrets: the webhook's shared secret; while Mollie rotates it, two signature "
              "headers arrive and are refused as ambiguous (rotate by listing both secrets)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.mollie.com/docs/webhooks
    // Classic (per-payment webhookUrl) webhooks sign nothing: the body is only "id=tr_…", and
    // Mollie's own advice is to fetch the object with the API key. A token in the URL keeps
    // strangers out.
    Preset p = query_token_preset("mollie-classic", "Mollie (classic webhooks)");
    p.docs = "https://docs.mollie.com/docs/webhooks";
    p.signature = "no signature: a token of your own in the webhookUrl's query (?token=)";
    p.proof = "Mollie docs (no signature; the URL token compared in constant time)";
    p.notes += "; the form body carries only the object id: fetch it from Mollie's API";
    table.push_back(std::move(p));
  }
  {
    // https://docs.recurly.com/recurly-subscriptions/docs/signature-verification
    // recurly-signature: "<unix ms>,<hex HMAC-SHA256(endpoint key, ms + '.' + body)>[,<hex>…]"
    // (one signature per key while a key is regenerated); Recurly's libraries allow 5 min.
    HmacSpec recurly = body_hmac("recurly-signature", Algorithm::sha256, Encoding::hex);
    recurly.envelope.separator = ",";
    recurly.envelope.signed_template = "{timestamp}.{body}";
    recurly.envelope.timestamp.kind = TimestampSource::Kind::first_entry;
    recurly.envelope.timestamp.name = "(first entry)";
    recurly.envelope.timestamp.format = TimestampFormat::unix_millis;
    Preset p;
    p.name = "recurly";
    p.vendor = "Recurly";
    p.scheme = Scheme::hmac;
    p.families = {recurly};
    p.default_tolerance = 300s;
    p.event_id = json("/id");
    p.event_type = json("/event_type");
    p.docs = "https://docs.recurly.com/recurly-subscriptions/docs/signature-verification";
    p.proof = "node:crypto per Recurly's docs";
    p.notes = "secrets: the endpoint's secret key; only JSON webhooks are signed (XML ones are not)";
    table.push_back(std::move(p));
  }
  {
    // https://developer.bigcommerce.com/docs/integrations/webhooks
    // BigCommerce signs nothing; a hook is created with custom "headers" that come back on
    // every delivery, which is how BigCommerce suggests authenticating them.
    Preset p = token_preset("bigcommerce", "BigCommerce", "Authorization");
    p.event_id = json("/hash");
    p.event_type = json("/scope");
    p.docs = "https://developer.bigcommerce.com/docs/integrations/webhooks";
    p.signature = "no signature: the Authorization value set in the hook's headers";
    p.proof = "BigCommerce docs (custom hook header compared in constant time)";
    p.notes = "secrets: the Authorization value exactly as set in the hook's headers; another "
              "header name needs a token block";
    table.push_back(std::move(p));
  }
  {
    // https://developers.etsy.com/documentation/essentials/webhooks
    // Etsy signs its webhooks by the Standard Webhooks specification (webhook-id,
    // webhook-timestamp, webhook-signature "v1,<base64>"), keyed with the endpoint's signing
    // secret.
    Preset p = standard_webhooks_sender("etsy", "Etsy (Open API v3 webhooks)");
    p.event_type = json("/event_type");
    p.docs = "https://developers.etsy.com/documentation/essentials/webhooks";
    p.proof = "standardwebhooks 1.1.1 signs and verifies (the scheme Etsy's docs describe)";
    p.notes = "secrets: the endpoint's signing secret (whsec_…)";
    table.push_back(std::move(p));
  }
  {
    // https://developer.paypal.com/api/rest/webhooks/rest/ (verifying messages offline)
    // PAYPAL-TRANSMISSION-SIG: base64 SHA256withRSA over "<PAYPAL-TRANSMISSION-ID>|
    // <PAYPAL-TRANSMISSION-TIME>|<webhook ID>|<CRC32 of the body, decimal>", made with the key
    // of the certificate at PAYPAL-CERT-URL. hookgate checks it against the certificate kept
    // locally and never follows the URL a request names.
    Preset p;
    p.name = "paypal";
    p.vendor = "PayPal (REST webhooks)";
    p.scheme = Scheme::paypal;
    undocumented_window(p);
    p.event_id = json("/id");
    p.event_type = json("/event_type");
    p.docs = "https://developer.paypal.com/api/rest/webhooks/rest/";
    p.signature = "PAYPAL-TRANSMISSION-SIG = base64 SHA256withRSA(PayPal's certificate key, "
                  "transmission id|transmission time|webhook ID|decimal CRC32 of the body); the "
                  "time (RFC 3339) held to the window";
    p.proof = "node:crypto RSA-SHA256 and CRC32 per PayPal's offline verification (unit and conformance)";
    p.notes = "public_key: the certificate PAYPAL-CERT-URL serves (PEM; fetch it when PayPal "
              "rotates it, then SIGHUP); secrets: the webhook ID from the app's settings; "
              "the window is hookgate's (PayPal documents none): raise `tolerance:` if retries "
              "are refused as old";
    table.push_back(std::move(p));
  }
  {
    // https://developer.paypal.com/braintree/docs/guides/webhooks/parse/node
    // Notifications are form posts of bt_signature ("public_key|hex HMAC-SHA1") and bt_payload
    // (base64 XML); the HMAC key is the SHA-1 digest of the private key (braintree SDK).
    Preset p;
    p.name = "braintree";
    p.vendor = "Braintree";
    p.scheme = Scheme::braintree;
    p.docs = "https://developer.paypal.com/braintree/docs/guides/webhooks/parse/node";
    p.signature = "form fields: bt_signature = public_key|hex HMAC-SHA1(key = SHA-1(private key), "
                  "bt_payload), pairs joined by '&'; bt_payload = base64 XML, accepted with or "
                  "without a trailing newline";
    p.proof = "braintree npm SDK 3.40.0 (webhookTesting.sampleNotification / webhookNotification.parse)";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: \"public_key:private_key\" (the API key pair of the merchant account; "
              "the pair for that public key is checked); the event kind and id are inside the "
              "base64 XML, which hookgate does not decode: no event id or type extracted; "
              "nothing timestamped is signed";
    table.push_back(std::move(p));
  }
}

}  // namespace hookgate::verify::preset_builders
