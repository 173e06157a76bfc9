// Support, CRM, analytics, content and other business-software vendors of the catalogue
// (issue 19), as data over the existing schemes. Each preset cites the vendor's documentation
// of its scheme (also its `docs` URL).
#include "verify/preset_builders.h"

namespace hookgate::verify::preset_builders {

void add_business_presets(std::vector<Preset>& table) {
  {
    // https://developer.helpscout.com/webhooks/
    // X-HelpScout-Signature: base64 HMAC-SHA1 of the body with the webhook's secret key.
    Preset p;
    p.name = "helpscout";
    p.vendor = "Help Scout";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-HelpScout-Signature", Algorithm::sha1, Encoding::base64)};
    p.event_type = header("X-HelpScout-Event");
    p.sample_event_type = "convo.created";
    p.docs = "https://developer.helpscout.com/webhooks/";
    p.proof = "node:crypto per Help Scout's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developer.close.com/topics/webhooks/
    // close-sig-hash: hex HMAC-SHA256(bytes.fromhex(signature_key), close-sig-timestamp + body).
    HmacSpec close = body_hmac("close-sig-hash", Algorithm::sha256, Encoding::hex, "", SecretEncoding::hex);
    close.envelope.signed_template = "{timestamp}{body}";
    close.envelope.timestamp = header_ts("close-sig-timestamp");
    Preset p;
    p.name = "close";
    p.vendor = "Close (CRM)";
    p.scheme = Scheme::hmac;
    p.families = {close};
    undocumented_window(p);
    p.event_id = json("/event/id");
    p.event_type = json("/event/action");
    p.docs = "https://developer.close.com/topics/webhooks/";
    p.proof = "node:crypto per Close's docs (hex-decoded signature_key)";
    p.notes = "secrets: the subscription's signature_key (hex)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.attio.com/rest-api/guides/webhooks
    // Attio-Signature (also X-Attio-Signature): hex HMAC-SHA256 of the body, webhook secret.
    Preset p;
    p.name = "attio";
    p.vendor = "Attio";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Attio-Signature", Algorithm::sha256, Encoding::hex),
                  body_hmac("X-Attio-Signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/events/0/event_type");
    p.docs = "https://docs.attio.com/rest-api/guides/webhooks";
    p.proof = "node:crypto per Attio's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developers.webflow.com/data/docs/working-with-webhooks
    // x-webflow-signature: hex HMAC-SHA256 of "<x-webflow-timestamp>:<body>" (timestamp in
    // ms), keyed with the webhook's secret; Webflow rejects requests older than 5 minutes.
    HmacSpec webflow = body_hmac("x-webflow-signature", Algorithm::sha256, Encoding::hex);
    webflow.envelope.signed_template = "{timestamp}:{body}";
    webflow.envelope.timestamp = header_ts("x-webflow-timestamp", TimestampFormat::unix_millis);
    Preset p;
    p.name = "webflow";
    p.vendor = "Webflow";
    p.scheme = Scheme::hmac;
    p.families = {webflow};
    p.default_tolerance = 300s;
    p.event_type = json("/triggerType");
    p.docs = "https://developers.webflow.com/data/docs/working-with-webhooks";
    p.proof = "node:crypto per Webflow's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developers.docusign.com/platform/webhooks/connect/hmac/
    // X-DocuSign-Signature-1: base64 HMAC-SHA256 of the body with the first Connect HMAC key
    // (-2, -3 … carry the same with the account's other keys).
    Preset p;
    p.name = "docusign";
    p.vendor = "DocuSign Connect (HMAC)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-DocuSign-Signature-1", Algorithm::sha256, Encoding::base64)};
    p.event_type = json("/event");
    p.docs = "https://developers.docusign.com/platform/webhooks/connect/hmac/";
    p.proof = "node:crypto per DocuSign's docs";
    p.notes = "secrets: the Connect HMAC key whose signature arrives in X-DocuSign-Signature-1";
    table.push_back(std::move(p));
  }
  {
    // https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook
    // Authorization: "HMAC <base64 HMAC-SHA256 of the body>", keyed with the base64-decoded
    // security token Teams shows when the outgoing webhook is created.
    Preset p;
    p.name = "microsoft-teams";
    p.vendor = "Microsoft Teams (outgoing webhooks)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("Authorization", Algorithm::sha256, Encoding::base64, "HMAC ", SecretEncoding::base64)};
    p.event_id = json("/id");
    p.event_type = json("/type");
    p.docs = "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook";
    p.proof = "node:crypto per Microsoft's docs (base64-decoded security token)";
    p.notes = "secrets: the outgoing webhook's security token (base64)";
    table.push_back(std::move(p));
  }
  {
    // https://www.twilio.com/docs/segment/connections/destinations/catalog/webhooks
    // X-Signature: hex HMAC-SHA1 of the body with the destination's shared secret.
    Preset p;
    p.name = "segment";
    p.vendor = "Segment (webhooks destination)";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Signature", Algorithm::sha1, Encoding::hex)};
    p.event_id = json("/messageId");
    p.event_type = json("/type");
    p.docs = "https://www.twilio.com/docs/segment/connections/destinations/catalog/webhooks";
    p.proof = "node:crypto per Segment's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developers.google.com/workspace/drive/api/guides/push
    // No signature: the channel's token (set in files.watch / changes.watch) comes back in
    // X-Goog-Channel-Token; X-Goog-Resource-State is "sync" for the first message.
    Preset p = token_preset("google-drive", "Google Drive (push notification channels)", "X-Goog-Channel-Token");
    p.event_id = header("X-Goog-Message-Number");
    p.event_type = header("X-Goog-Resource-State");
    p.sample_event_type = "update";
    p.docs = "https://developers.google.com/workspace/drive/api/guides/push";
    p.signature = "no signature: X-Goog-Channel-Token carries the channel's token";
    p.proof = "Google Drive docs (channel token compared in constant time)";
    p.notes = "secrets: the token given when the channel was opened; message numbers are per "
              "channel, so give each channel its own source";
    table.push_back(std::move(p));
  }
  {
    // https://www.sanity.io/docs/webhooks; the signer is @sanity/webhook's
    // encodeSignatureHeader: sanity-webhook-signature "t=<ms>,v1=<base64url HMAC-SHA256 of
    // t.body>" with the webhook's secret.
    HmacSpec sanity = t_v1_hmac("sanity-webhook-signature", "t", "v1=", TimestampFormat::unix_millis);
    sanity.envelope.encoding = Encoding::base64url;
    Preset p;
    p.name = "sanity";
    p.vendor = "Sanity";
    p.scheme = Scheme::hmac;
    p.families = {sanity};
    undocumented_window(p);
    p.event_id = header("idempotency-key");
    p.event_type = header("sanity-operation");
    p.sample_event_type = "create";
    p.docs = "https://www.sanity.io/docs/webhooks";
    p.proof = "@sanity/webhook 4.0.4 encodeSignatureHeader / isValidSignature";
    p.proof_kind = ProofKind::sdk;
    table.push_back(std::move(p));
  }
  {
    // https://docs.easypost.com/guides/webhooks-guide#hmac-validation
    // X-Hmac-Signature: "hmac-sha256-hex=<hex HMAC-SHA256 of the body>", keyed with the
    // webhook secret (NFKD-normalised by the SDKs: the same bytes for ASCII secrets).
    Preset p;
    p.name = "easypost";
    p.vendor = "EasyPost";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Hmac-Signature", Algorithm::sha256, Encoding::hex, "hmac-sha256-hex=")};
    p.event_id = json("/id");
    p.event_type = json("/description");
    p.docs = "https://docs.easypost.com/guides/webhooks-guide#hmac-validation";
    p.proof = "@easypost/api 8.9.0 validateWebhook";
    p.proof_kind = ProofKind::sdk;
    p.notes = "EasyPost's SDKs also accept a body whose integer \"weight\" values are rewritten "
              "as floats before hashing; hookgate verifies the bytes as received only";
    table.push_back(std::move(p));
  }
  {
    // https://developer.box.com/guides/webhooks/v2/signatures-v2/
    // box-signature-primary / -secondary: base64 HMAC-SHA256 of body + box-delivery-timestamp
    // (RFC 3339) with the primary / secondary key; the SDKs allow 10 minutes.
    HmacSpec box = body_hmac("box-signature-primary", Algorithm::sha256, Encoding::base64);
    box.envelope.signed_template = "{body}{timestamp}";
    box.envelope.timestamp = header_ts("box-delivery-timestamp", TimestampFormat::rfc3339);
    Preset p;
    p.name = "box";
    p.vendor = "Box (webhooks v2)";
    p.scheme = Scheme::hmac;
    p.families = {box};
    p.default_tolerance = 600s;
    p.event_id = header("box-delivery-id");
    p.event_type = json("/trigger");
    p.docs = "https://developer.box.com/guides/webhooks/v2/signatures-v2/";
    p.proof = "box-node-sdk 10.12.0 WebhooksManager.validateMessage";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the primary and the secondary signature key, both checked against "
              "box-signature-primary";
    table.push_back(std::move(p));
  }
  {
    // https://pipedrive.readme.io/docs/guide-for-webhooks
    // Pipedrive signs nothing; a webhook can carry Basic credentials (http_auth_user/password).
    Preset p = basic_auth_preset("pipedrive", "Pipedrive");
    p.event_id = json("/meta/id");
    p.event_type = json("/meta/action");
    p.docs = "https://pipedrive.readme.io/docs/guide-for-webhooks";
    p.proof = "Pipedrive docs (HTTP Basic credentials on the webhook)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.strapi.io/cms/backend-customization/webhooks
    // Strapi signs nothing; its webhooks send the headers configured on them, typically an
    // Authorization header with a token.
    Preset p = token_preset("strapi", "Strapi", "Authorization");
    p.event_type = json("/event");
    p.docs = "https://docs.strapi.io/cms/backend-customization/webhooks";
    p.signature = "no signature: the Authorization header configured on the webhook";
    p.proof = "Strapi docs (webhook headers; the value compared in constant time)";
    p.notes = "secrets: the Authorization value configured on the webhook (e.g. \"Bearer abc\")";
    table.push_back(std::move(p));
  }
  {
    // https://docs.mixpanel.com/docs/cohort-sync/webhooks
    // Mixpanel's cohort-sync webhooks sign nothing; they send the Basic credentials set on
    // the webhook integration.
    Preset p = basic_auth_preset("mixpanel", "Mixpanel (cohort sync webhooks)");
    p.event_type = json("/action");
    p.docs = "https://docs.mixpanel.com/docs/cohort-sync/webhooks";
    p.proof = "Mixpanel docs (Basic credentials on the webhook)";
    table.push_back(std::move(p));
  }
  {
    // https://amplitude.com/docs/data/destination-catalog/webhooks
    // Amplitude's webhook streaming signs nothing; it sends the headers configured on the
    // destination (an Authorization value, typically).
    Preset p = token_preset("amplitude", "Amplitude (webhook streaming)", "Authorization");
    p.event_id = json("/insert_id");
    p.event_type = json("/event_type");
    p.docs = "https://amplitude.com/docs/data/destination-catalog/webhooks";
    p.signature = "no signature: the Authorization header configured on the destination";
    p.proof = "Amplitude docs (custom headers; the value compared in constant time)";
    p.notes = "secrets: the Authorization value configured on the destination";
    table.push_back(std::move(p));
  }
  {
    // https://posthog.com/docs/cdp/destinations/webhook
    // PostHog's webhook destination signs nothing; it sends the headers configured on it.
    Preset p = token_preset("posthog", "PostHog (webhook destination)", "Authorization");
    p.event_id = json("/event/uuid");
    p.event_type = json("/event/event");
    p.docs = "https://posthog.com/docs/cdp/destinations/webhook";
    p.signature = "no signature: the Authorization header configured on the destination";
    p.proof = "PostHog docs (destination headers; the value compared in constant time)";
    p.notes = "secrets: the Authorization value configured on the destination";
    table.push_back(std::move(p));
  }
  {
    // https://www.rudderstack.com/docs/destinations/webhooks/
    // RudderStack's webhook destination signs nothing; it sends the headers configured on it.
    Preset p = token_preset("rudderstack", "RudderStack (webhook destination)", "Authorization");
    p.event_id = json("/messageId");
    p.event_type = json("/type");
    p.docs = "https://www.rudderstack.com/docs/destinations/webhooks/";
    p.signature = "no signature: the Authorization header configured on the destination";
    p.proof = "RudderStack docs (destination headers; the value compared in constant time)";
    p.notes = "secrets: the Authorization value configured on the destination";
    table.push_back(std::move(p));
  }
  {
    // https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules
    // Freshdesk's automation webhooks sign nothing; they can authenticate with Basic
    // credentials.
    Preset p = basic_auth_preset("freshdesk", "Freshdesk (automation webhooks)");
    p.docs = "https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules";
    p.proof = "Freshdesk docs (Basic credentials on the automation's webhook)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.gorgias.com/en-US/http-integrations-81822
    // Gorgias HTTP integrations sign nothing; they send the headers configured on them.
    Preset p = token_preset("gorgias", "Gorgias (HTTP integrations)", "Authorization");
    p.event_type = json("/event");
    p.docs = "https://docs.gorgias.com/en-US/http-integrations-81822";
    p.signature = "no signature: the Authorization header configured on the integration";
    p.proof = "Gorgias docs (integration headers; the value compared in constant time)";
    p.notes = "secrets: the Authorization value configured on the integration";
    table.push_back(std::move(p));
  }
  {
    // https://help.zapier.com/hc/en-us/articles/8496326446989
    // Webhooks by Zapier sign nothing; the action can send Basic credentials.
    Preset p = basic_auth_preset("zapier", "Zapier (Webhooks by Zapier)");
    p.docs = "https://help.zapier.com/hc/en-us/articles/8496326446989";
    p.proof = "Zapier docs (the Basic Auth field of a webhook action)";
    table.push_back(std::move(p));
  }
  {
    // https://docs.lob.com/#tag/Webhooks
    // Lob-Signature: hex HMAC-SHA256 of "<Lob-Signature-Timestamp>.<body>" with the secret;
    // the timestamp is Unix milliseconds (as every receiver we found signs it: Date.now()).
    HmacSpec lob = body_hmac("Lob-Signature", Algorithm::sha256, Encoding::hex);
    lob.envelope.signed_template = "{timestamp}.{body}";
    lob.envelope.timestamp = header_ts("Lob-Signature-Timestamp", TimestampFormat::unix_millis);
    Preset p;
    p.name = "lob";
    p.vendor = "Lob";
    p.scheme = Scheme::hmac;
    p.families = {lob};
    undocumented_window(p);
    p.event_id = json("/id");
    p.event_type = json("/event_type/id");
    p.docs = "https://docs.lob.com/#tag/Webhooks";
    p.proof = "node:crypto per Lob's docs";
    p.notes = "the timestamp's unit (ms) is not stated on Lob's page: if yours are refused as "
              "too old or in the future, set tolerance: 0 and tell us";
    table.push_back(std::move(p));
  }
  {
    // https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/
    // x-xero-signature: base64 HMAC-SHA256 of the body with the webhooks key. Xero's
    // intent-to-receive check wants 200 for signed and 401 for unsigned requests: as always.
    Preset p;
    p.name = "xero";
    p.vendor = "Xero";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("x-xero-signature", Algorithm::sha256, Encoding::base64)};
    p.event_type = json("/events/0/eventType");
    p.docs = "https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/";
    p.proof = "node:crypto per Xero's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications
    // intuit-signature: base64 HMAC-SHA256 of the body, keyed with the app's verifier token.
    Preset p;
    p.name = "intuit";
    p.vendor = "Intuit QuickBooks Online";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("intuit-signature", Algorithm::sha256, Encoding::base64)};
    p.event_type = json("/eventNotifications/0/dataChangeEvent/entities/0/operation");
    p.docs = "https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications";
    p.proof = "node:crypto per Intuit's docs";
    p.notes = "secrets: the app's webhooks verifier token";
    table.push_back(std::move(p));
  }
  {
    // https://cal.com/docs/developing/guides/automation/webhooks
    // X-Cal-Signature-256: hex HMAC-SHA256 of the body with the webhook's secret.
    Preset p;
    p.name = "cal-com";
    p.vendor = "Cal.com";
    p.scheme = Scheme::hmac;
    p.families = {body_hmac("X-Cal-Signature-256", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/triggerEvent");
    p.docs = "https://cal.com/docs/developing/guides/automation/webhooks";
    p.proof = "node:crypto per Cal.com's docs";
    table.push_back(std::move(p));
  }
  {
    // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_listening.htm
    // Outbound messages are SOAP posts that sign nothing (Salesforce offers its client
    // certificate and IP ranges instead); the listener must answer with an Ack, else
    // Salesforce retries. A token in the endpoint URL keeps strangers out.
    Preset p = query_token_preset("salesforce", "Salesforce (outbound messages)");
    p.success_body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
        "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">"
        "<Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>";
    p.docs = "https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_listening.htm";
    p.signature = "no signature: a token of your own in the endpoint URL's query (?token=)";
    p.proof = "Salesforce docs (URL token compared in constant time; answered with the SOAP Ack)";
    p.notes += "; the body is SOAP XML (no event id or type extracted); combine with "
               "ip_allowlist for Salesforce's published ranges";
    table.push_back(std::move(p));
  }
  {
    // https://developers.pandadoc.com/docs/webhooks-authentication
    // PandaDoc puts the signature in the URL it calls: ?signature=<hex HMAC-SHA256(shared key,
    // body)>.
    Preset p;
    p.name = "pandadoc";
    p.vendor = "PandaDoc";
    p.scheme = Scheme::query_hmac;
    p.families = {body_hmac("signature", Algorithm::sha256, Encoding::hex)};
    p.event_type = json("/0/event");
    p.docs = "https://developers.pandadoc.com/docs/webhooks-authentication";
    p.proof = "node:crypto per PandaDoc's docs";
    p.notes = "secrets: the webhook's shared key; the signature is the query parameter, not a header";
    table.push_back(std::move(p));
  }
  {
    // https://developers.hellosign.com/docs/events/overview/
    // Callbacks are multipart/form-data with the event in the "json" field; event.event_hash =
    // hex HMAC-SHA256(API key, event_time + event_type); answer "Hello API Event Received".
    Preset p;
    p.name = "dropbox-sign";
    p.vendor = "Dropbox Sign (HelloSign)";
    p.scheme = Scheme::dropbox_sign;
    undocumented_window(p);
    p.success_body = "Hello API Event Received";
    p.docs = "https://developers.hellosign.com/docs/events/overview/";
    p.signature = "in the body: the multipart \"json\" field's event.event_hash = hex "
                  "HMAC-SHA256(API key, event.event_time + event.event_type)";
    p.proof = "@dropbox/sign npm SDK 1.11.0 (EventCallbackHelper.isValid)";
    p.proof_kind = ProofKind::sdk;
    p.notes = "secrets: the account's API key; answered with the text Dropbox Sign expects; the "
              "hash covers only the event's time and type, not the rest of it; event_time is "
              "held to hookgate's window (the SDK checks none): raise `tolerance:` if retries "
              "are refused as old; the event is inside a multipart body, so no event id or type "
              "is extracted";
    table.push_back(std::move(p));
    table.push_back(alias(table.back(), "hellosign"));
  }
}

}  // namespace hookgate::verify::preset_builders
