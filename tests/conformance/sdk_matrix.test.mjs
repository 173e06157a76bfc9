// The conformance matrix of issue 4, once per preset whose vendor ships an SDK that signs or
// verifies: with random secrets (or key pairs) and non-ASCII bodies,
//   - a request signed by the vendor's SDK (or by node:crypto where the SDK only verifies, each
//     such signature first accepted by the SDK) is answered with the vendor's ack and stored
//     byte-exact, with its event id and type;
//   - the same request with the body tampered, a signed header tampered, signed with another
//     secret, or (where a timestamp is signed) too old or too far in the future is refused with
//     401 and its reason, and nothing more is stored;
//   - the reverse: what `hookgate sign` prints passes the SDK's own verifier, and the gateway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { verifyWebhook as clerkVerifyWebhook } from '@clerk/backend/webhooks';
import { startSources, post, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const Stripe = require('stripe');
const { Webhook: SvixWebhook } = require('svix');
const { Webhook: StandardWebhook } = require('standardwebhooks');
const twilio = require('twilio');
require('@shopify/shopify-api/adapters/web-api');
const { shopifyApi, ApiVersion } = require('@shopify/shopify-api');
const { getHmac } = require('@shopify/shopify-api/test-helpers');
const { isValidSlackRequest } = require('@slack/bolt');
const { verifyKey } = require('discord-interactions');
const { EventWebhook, EventWebhookHeader } = require('@sendgrid/eventwebhook');
const { Paddle } = require('@paddle/paddle-node-sdk');
const Mux = require('@mux/mux-node');
const { WebhooksHelper } = require('square');
const { Signature: HubspotSignature } = require('@hubspot/api-client/lib/src/utils/signature');
const { hmacValidator: AdyenHmacValidator } = require('@adyen/api-library');
const { Resend } = require('resend');
const braintree = require('braintree');
const plivo = require('plivo');
const { signRequest: contentfulSign, verifyRequest: contentfulVerify } = require('@contentful/node-apps-toolkit');
const { EventCallbackHelper, EventCallbackRequest } = require('@dropbox/sign');

const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
const random = (bytes) => crypto.randomBytes(bytes);
const hexSecret = () => random(20).toString('hex');
const whsec = () => 'whsec_' + random(24).toString('base64');
const seconds = (ms) => Math.floor(ms / 1000);
const isFresh = (at) => Math.abs(Date.now() - at) < 4000;
// Non-ASCII in every body: the signature covers bytes, and the bytes are UTF-8.
const note = (tag) => `Grüße aus 東京 — ✓ ${tag}`;
let sequence = 0;
const nextTag = () => `${process.pid}-${++sequence}-${random(4).toString('hex')}`;
// One character of an encoded signature changed, after `skip` characters of prefix; the value
// stays valid hex / base64 of the same length, so only the MAC comparison can refuse it.
const flip = (value, skip = 0) => {
  const i = skip + 2;
  return value.slice(0, i) + (value[i] === '0' ? '1' : '0') + value.slice(i + 1);
};
const addToNumber = (text, delta) => String(Number(text) + delta);

const SQUARE_URL = 'https://hooks.example.com/in/square';
const HUBSPOT_URL = 'https://hooks.example.com/in/hubspot';
const HUBSPOT2_URL = 'https://hooks.example.com/in/hubspot-v2';
const TWILIO_URL = 'https://mycompany.com/in/twilio';
const PLIVO_URL = 'https://hooks.example.com/in/plivo';
const CONTENTFUL_URL = 'https://hooks.example.com/in/contentful';

const ed25519Hex = (keys) => keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const p256Base64 = (keys) => keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const svixHeaders = (secret, body, at) => {
  const id = `msg_${crypto.randomUUID()}`;
  return { 'svix-id': id, 'svix-timestamp': String(seconds(at)), 'svix-signature': new SvixWebhook(secret).sign(id, new Date(at), body) };
};
const shopifyFor = (secret) => shopifyApi({ apiKey: 'k', apiSecretKey: secret, scopes: [], hostName: 'example.com',
  apiVersion: ApiVersion.January26, isEmbeddedApp: false, logger: { level: 0 } });
// Braintree: a gateway for "public_key:private_key"; a notification's XML as the SDK samples it.
const braintreeFor = (secret) => {
  const [publicKey, privateKey] = secret.split(':');
  return new braintree.BraintreeGateway({ environment: braintree.Environment.Sandbox, merchantId: 'merchant', publicKey, privateKey });
};
const braintreeXml = (tag) => `<notification><timestamp type="datetime">2026-01-01T00:00:00Z</timestamp><kind>check</kind>`
  + `<subject><check type="boolean">true</check><note>${tag}</note></subject></notification>`;
const formOf = (fields) => new URLSearchParams(fields).toString();
// Plivo: the SDK only verifies; the signature is node:crypto over its construct_post_url()
// (no query: URL + "?" + sorted name+value) + "." + nonce, each first accepted by the SDK.
const plivoSign = (secret, body, nonce) => {
  const params = Object.fromEntries(new URLSearchParams(body));
  const base = PLIVO_URL + '?' + Object.keys(params).sort().map((k) => k + params[k]).join('');
  const signature = hmac('sha256', secret, `${base}.${nonce}`, 'base64');
  assert.equal(plivo.validateV3Signature('POST', PLIVO_URL, nonce, secret, signature, params), true);
  return signature;
};
// Dropbox Sign: the multipart body it posts, the event in the "json" field.
const multipart = (json) => {
  const boundary = `----dbx${random(8).toString('hex')}`;
  return { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body: `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n${json}\r\n--${boundary}--\r\n` };
};
const dropboxJson = async (out) => (await new Response(out.body, { headers: { 'content-type': out.headers['Content-Type'] } }).formData()).get('json');
const adyenItem = (tag) => ({ pspReference: `psp${random(6).toString('hex')}`, merchantAccountCode: 'TestMerchant',
  merchantReference: `Grüße-${tag}`, amount: { value: 1130, currency: 'EUR' }, eventCode: 'AUTHORISATION', success: 'true' });

// Per preset: `secret()` makes key material; `verify(secret)` is the source's verify block;
// `body(tag, at)` a fresh body; `sign(secret, body, at)` → {headers, body?} as the vendor sends
// it at time `at` (ms); `window` the default tolerance in seconds when a timestamp is signed;
// `tamperHeader` changes a signed header; `stored(body, headers)` where the event id and type
// land; `sdkAccepts(secret, {headers, body})` asserts the SDK accepts `hookgate sign` output.
const PRESETS = {
  stripe: {
    secret: () => 'whsec_' + hexSecret(),
    body: (tag) => JSON.stringify({ id: `evt_${tag}`, object: 'event', type: 'charge.succeeded', data: { note: note(tag) } }),
    sign: (secret, body, at) => ({ headers: { 'Stripe-Signature':
      Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: seconds(at) }) } }),
    window: 300,
    tamperHeader: (h) => ({ 'Stripe-Signature': h['Stripe-Signature'].replace(/t=(\d+)/, (_, t) => `t=${addToNumber(t, 1)}`) }),
    stored: (body) => ({ vendor_event_id: JSON.parse(body).id, event_type: 'charge.succeeded' }),
    sdkAccepts: (secret, out) => {
      assert.equal(Stripe.webhooks.constructEvent(out.body, out.headers['Stripe-Signature'], secret).type, 'charge.succeeded');
    },
  },
  github: {
    secret: hexSecret,
    body: (tag) => JSON.stringify({ action: 'opened', issue: { title: note(tag) } }),
    sign: async (secret, body) => ({ headers: { 'X-Hub-Signature-256': await octokitSign(secret, body),
      'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': crypto.randomUUID() } }),
    tamperHeader: (h) => ({ ...h, 'X-Hub-Signature-256': flip(h['X-Hub-Signature-256'], 'sha256='.length) }),
    stored: (body, h) => ({ vendor_event_id: h['X-GitHub-Delivery'], event_type: 'issues' }),
    sdkAccepts: async (secret, out) => {
      assert.equal(await octokitVerify(secret, out.body, out.headers['X-Hub-Signature-256']), true);
    },
  },
  'standard-webhooks': {
    secret: whsec,
    body: (tag) => JSON.stringify({ type: 'user.created', data: { name: note(tag) } }),
    sign: (secret, body, at) => {
      const id = `msg_${crypto.randomUUID()}`;
      return { headers: { 'webhook-id': id, 'webhook-timestamp': String(seconds(at)),
        'webhook-signature': new StandardWebhook(secret).sign(id, new Date(at), body) } };
    },
    window: 300,
    tamperHeader: (h) => ({ ...h, 'webhook-id': h['webhook-id'] + 'x' }),
    stored: (body, h) => ({ vendor_event_id: h['webhook-id'], event_type: 'user.created' }),
    sdkAccepts: (secret, out) => {
      assert.deepEqual(new StandardWebhook(secret).verify(out.body, out.headers), JSON.parse(out.body));
    },
  },
  svix: {
    secret: whsec,
    body: (tag) => JSON.stringify({ type: 'invoice.paid', data: { memo: note(tag) } }),
    sign: (secret, body, at) => ({ headers: svixHeaders(secret, body, at) }),
    window: 300,
    tamperHeader: (h) => ({ ...h, 'svix-id': h['svix-id'] + 'x' }),
    stored: (body, h) => ({ vendor_event_id: h['svix-id'], event_type: 'invoice.paid' }),
    sdkAccepts: (secret, out) => {
      assert.deepEqual(new SvixWebhook(secret).verify(out.body, out.headers), JSON.parse(out.body));
    },
  },
  clerk: {
    secret: whsec,
    body: (tag) => JSON.stringify({ type: 'user.created', data: { first_name: note(tag) } }),
    sign: (secret, body, at) => ({ headers: svixHeaders(secret, body, at) }),
    window: 300,
    tamperHeader: (h) => ({ ...h, 'svix-timestamp': addToNumber(h['svix-timestamp'], 1) }),
    stored: (body, h) => ({ vendor_event_id: h['svix-id'], event_type: 'user.created' }),
    sdkAccepts: async (secret, out) => {
      const request = new Request('https://example.com/clerk', { method: 'POST', body: out.body, headers: out.headers });
      assert.equal((await clerkVerifyWebhook(request, { signingSecret: secret })).type, 'user.created');
    },
  },
  resend: {
    secret: whsec,
    body: (tag) => JSON.stringify({ type: 'email.delivered', data: { subject: note(tag) } }),
    sign: (secret, body, at) => ({ headers: svixHeaders(secret, body, at) }),
    window: 300,
    tamperHeader: (h) => ({ ...h, 'svix-signature': flip(h['svix-signature'], 'v1,'.length) }),
    stored: (body, h) => ({ vendor_event_id: h['svix-id'], event_type: 'email.delivered' }),
    sdkAccepts: (secret, out) => {
      const verified = new Resend('re_conformance').webhooks.verify({ payload: out.body, webhookSecret: secret,
        headers: { id: out.headers['svix-id'], timestamp: out.headers['svix-timestamp'], signature: out.headers['svix-signature'] } });
      assert.equal(verified.type, 'email.delivered');
    },
  },
  shopify: {
    secret: () => 'shpss_' + hexSecret(),
    body: (tag) => JSON.stringify({ id: random(4).readUInt32BE(), note: note(tag) }),
    sign: (secret, body) => ({ headers: { 'X-Shopify-Hmac-Sha256': getHmac(body, secret), 'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Shop-Domain': 's.myshopify.com', 'X-Shopify-API-Version': '2026-01', 'X-Shopify-Webhook-Id': crypto.randomUUID() } }),
    tamperHeader: (h) => ({ ...h, 'X-Shopify-Hmac-Sha256': flip(h['X-Shopify-Hmac-Sha256']) }),
    stored: (body, h) => ({ vendor_event_id: h['X-Shopify-Webhook-Id'], event_type: 'orders/create' }),
    signArgs: () => ['--id', crypto.randomUUID()],
    sdkAccepts: async (secret, out) => {
      const rawRequest = new Request('https://example.com/webhooks', { method: 'POST', body: out.body, headers: {
        ...out.headers, 'X-Shopify-Shop-Domain': 's.myshopify.com', 'X-Shopify-API-Version': '2026-01' } });
      const result = await shopifyFor(secret).webhooks.validate({ rawBody: out.body, rawRequest });
      assert.equal(result.valid, true, JSON.stringify(result));
    },
  },
  slack: {
    secret: hexSecret,
    body: (tag) => JSON.stringify({ type: 'event_callback', event_id: `Ev${tag}`, event: { type: 'app_mention', text: note(tag) } }),
    sign: (secret, body, at) => {
      const ts = seconds(at);
      const headers = { 'X-Slack-Signature': 'v0=' + hmac('sha256', secret, `v0:${ts}:${body}`, 'hex'), 'X-Slack-Request-Timestamp': String(ts) };
      assert.equal(isValidSlackRequest({ signingSecret: secret, body, nowMilliseconds: at,
        headers: { 'x-slack-signature': headers['X-Slack-Signature'], 'x-slack-request-timestamp': ts } }), true);
      return { headers };
    },
    window: 300,
    tamperHeader: (h) => ({ ...h, 'X-Slack-Request-Timestamp': addToNumber(h['X-Slack-Request-Timestamp'], 1) }),
    stored: (body) => ({ vendor_event_id: JSON.parse(body).event_id, event_type: 'app_mention' }),
    sdkAccepts: (secret, out) => {
      assert.equal(isValidSlackRequest({ signingSecret: secret, body: out.body, headers: {
        'x-slack-signature': out.headers['X-Slack-Signature'], 'x-slack-request-timestamp': Number(out.headers['X-Slack-Request-Timestamp']) } }), true);
    },
  },
  paddle: {
    secret: () => 'pdl_ntfset_' + hexSecret(),
    body: (tag) => JSON.stringify({ event_id: `evt_${tag}`, event_type: 'transaction.completed', data: { note: note(tag) } }),
    sign: async (secret, body, at) => {
      const ts = seconds(at);
      const header = `ts=${ts};h1=` + hmac('sha256', secret, `${ts}:${body}`, 'hex');
      // The SDK allows 5 s and only checks age: ask it only about signatures made now.
      if (isFresh(at)) assert.equal(await new Paddle('pdl_sdbx_apikey_dummy').webhooks.isSignatureValid(body, secret, header), true);
      return { headers: { 'Paddle-Signature': header } };
    },
    window: 5,
    tamperHeader: (h) => ({ 'Paddle-Signature': h['Paddle-Signature'].replace(/ts=(\d+)/, (_, t) => `ts=${addToNumber(t, 1)}`) }),
    stored: (body) => ({ vendor_event_id: JSON.parse(body).event_id, event_type: 'transaction.completed' }),
    sdkAccepts: async (secret, out) => {
      assert.equal(await new Paddle('pdl_sdbx_apikey_dummy').webhooks.isSignatureValid(out.body, secret, out.headers['Paddle-Signature']), true);
    },
  },
  mux: {
    secret: hexSecret,
    body: (tag) => JSON.stringify({ id: `mux_${tag}`, type: 'video.asset.ready', data: { title: note(tag) } }),
    sign: async (secret, body, at) => {
      const ts = seconds(at);
      const header = `t=${ts},v1=` + hmac('sha256', secret, `${ts}.${body}`, 'hex');
      if (isFresh(at)) await new Mux({ tokenId: 'x', tokenSecret: 'y', webhookSecret: secret }).webhooks.verifySignature(body, { 'mux-signature': header });
      return { headers: { 'Mux-Signature': header } };
    },
    window: 300,
    tamperHeader: (h) => ({ 'Mux-Signature': h['Mux-Signature'].replace(/t=(\d+)/, (_, t) => `t=${addToNumber(t, 1)}`) }),
    stored: (body) => ({ vendor_event_id: JSON.parse(body).id, event_type: 'video.asset.ready' }),
    sdkAccepts: async (secret, out) => {
      await new Mux({ tokenId: 'x', tokenSecret: 'y', webhookSecret: secret }).webhooks.verifySignature(out.body, { 'mux-signature': out.headers['Mux-Signature'] });
    },
  },
  linear: {
    secret: () => 'lin_wh_' + hexSecret(),
    // Linear signs no header timestamp: webhookTimestamp (ms) is inside the signed body.
    body: (tag, at) => JSON.stringify({ type: 'Issue', action: 'create', data: { title: note(tag) }, webhookTimestamp: at }),
    sign: (secret, body) => {
      const signature = hmac('sha256', secret, body, 'hex');
      if (isFresh(JSON.parse(body).webhookTimestamp)) assert.equal(new LinearWebhookClient(secret).verify(Buffer.from(body), signature), true);
      return { headers: { 'Linear-Signature': signature, 'Linear-Delivery': crypto.randomUUID() } };
    },
    window: 60,
    tamperHeader: (h) => ({ ...h, 'Linear-Signature': flip(h['Linear-Signature']) }),
    stored: (body, h) => ({ vendor_event_id: h['Linear-Delivery'], event_type: 'Issue' }),
    sdkAccepts: (secret, out) => {
      assert.equal(new LinearWebhookClient(secret).verify(Buffer.from(out.body), out.headers['Linear-Signature']), true);
    },
  },
  square: {
    publicUrl: SQUARE_URL,
    secret: hexSecret,
    body: (tag) => JSON.stringify({ merchant_id: 'M1', type: 'payment.created', event_id: `sq-${tag}`, data: { note: note(tag) } }),
    sign: async (secret, body) => {
      const signature = hmac('sha256', secret, SQUARE_URL + body, 'base64');
      assert.equal(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: signature, signatureKey: secret, notificationUrl: SQUARE_URL }), true);
      return { headers: { 'x-square-hmacsha256-signature': signature } };
    },
    tamperHeader: (h) => ({ 'x-square-hmacsha256-signature': flip(h['x-square-hmacsha256-signature']) }),
    stored: (body) => ({ vendor_event_id: JSON.parse(body).event_id, event_type: 'payment.created' }),
    sdkAccepts: async (secret, out) => {
      assert.equal(await WebhooksHelper.verifySignature({ requestBody: out.body, signatureHeader: out.headers['x-square-hmacsha256-signature'],
        signatureKey: secret, notificationUrl: SQUARE_URL }), true);
    },
  },
  hubspot: {
    publicUrl: HUBSPOT_URL,
    secret: crypto.randomUUID,
    body: (tag) => JSON.stringify([{ eventId: random(4).readUInt32BE(), subscriptionType: 'contact.creation', propertyValue: note(tag) }]),
    sign: (secret, body, at) => ({ headers: {
      'X-HubSpot-Signature-v3': HubspotSignature.getSignature('POST', 'v3', { clientSecret: secret, requestBody: body, url: HUBSPOT_URL, timestamp: at }),
      'X-HubSpot-Request-Timestamp': String(at) } }),
    window: 300,
    tamperHeader: (h) => ({ ...h, 'X-HubSpot-Request-Timestamp': addToNumber(h['X-HubSpot-Request-Timestamp'], 1) }),
    stored: (body) => ({ vendor_event_id: String(JSON.parse(body)[0].eventId), event_type: 'contact.creation' }),
    sdkAccepts: (secret, out) => {
      assert.equal(HubspotSignature.isValid({ signatureVersion: 'v3', signature: out.headers['X-HubSpot-Signature-v3'], clientSecret: secret,
        requestBody: out.body, url: HUBSPOT_URL, method: 'POST', timestamp: Number(out.headers['X-HubSpot-Request-Timestamp']) }), true);
    },
  },
  'hubspot-v2': {
    publicUrl: HUBSPOT2_URL,
    secret: crypto.randomUUID,
    body: (tag) => JSON.stringify([{ eventId: random(4).readUInt32BE(), subscriptionType: 'deal.creation', propertyValue: note(tag) }]),
    sign: (secret, body) => ({ headers: { 'X-HubSpot-Signature-Version': 'v2',
      'X-HubSpot-Signature': HubspotSignature.getSignature('POST', 'v2', { clientSecret: secret, requestBody: body, url: HUBSPOT2_URL }) } }),
    tamperHeader: (h) => ({ ...h, 'X-HubSpot-Signature': flip(h['X-HubSpot-Signature']) }),
    stored: (body) => ({ vendor_event_id: String(JSON.parse(body)[0].eventId), event_type: 'deal.creation' }),
    sdkAccepts: (secret, out) => {
      assert.equal(HubspotSignature.isValid({ signatureVersion: 'v2', signature: out.headers['X-HubSpot-Signature'], clientSecret: secret,
        requestBody: out.body, url: HUBSPOT2_URL, method: 'POST' }), true);
    },
  },
  'hubspot-v1': {
    secret: crypto.randomUUID,
    body: (tag) => JSON.stringify([{ eventId: random(4).readUInt32BE(), subscriptionType: 'contact.deletion', propertyValue: note(tag) }]),
    sign: (secret, body) => ({ headers: { 'X-HubSpot-Signature-Version': 'v1',
      'X-HubSpot-Signature': HubspotSignature.getSignature('POST', 'v1', { clientSecret: secret, requestBody: body }) } }),
    tamperHeader: (h) => ({ ...h, 'X-HubSpot-Signature': flip(h['X-HubSpot-Signature']) }),
    stored: (body) => ({ vendor_event_id: String(JSON.parse(body)[0].eventId), event_type: 'contact.deletion' }),
    sdkAccepts: (secret, out) => {
      assert.equal(HubspotSignature.isValid({ signatureVersion: 'v1', signature: out.headers['X-HubSpot-Signature'], clientSecret: secret,
        requestBody: out.body }), true);
    },
  },
  twilio: {
    publicUrl: TWILIO_URL,
    secret: hexSecret,
    body: (tag) => new URLSearchParams({ MessageSid: `SM${tag}`, Body: note(tag), From: '+15551234567' }).toString(),
    sign: (secret, body) => ({ headers: { 'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(secret, TWILIO_URL, Object.fromEntries(new URLSearchParams(body))),
      'I-Twilio-Idempotency-Token': crypto.randomUUID() } }),
    tamperBody: (body) => body.replace('From=%2B1555', 'From=%2B1556'),
    tamperHeader: (h) => ({ ...h, 'X-Twilio-Signature': flip(h['X-Twilio-Signature']) }),
    stored: (body, h) => ({ vendor_event_id: h['I-Twilio-Idempotency-Token'], event_type: null }),
    sdkAccepts: (secret, out) => {
      const params = Object.fromEntries(new URLSearchParams(out.body));
      assert.equal(twilio.validateRequest(secret, out.headers['X-Twilio-Signature'], TWILIO_URL, params), true);
    },
  },
  'adyen-hmac': {
    secret: () => random(32).toString('hex').toUpperCase(),
    body: (tag) => JSON.stringify({ type: 'balancePlatform.accountHolder.created', data: { description: note(tag) } }),
    sign: (secret, body) => {
      const signature = hmac('sha256', Buffer.from(secret, 'hex'), body, 'base64');
      assert.equal(new AdyenHmacValidator().validateHMACSignature(secret, signature, body), true);
      return { headers: { HmacSignature: signature } };
    },
    tamperHeader: (h) => ({ HmacSignature: flip(h.HmacSignature) }),
    stored: () => ({ vendor_event_id: null, event_type: 'balancePlatform.accountHolder.created' }),
    sdkAccepts: (secret, out) => {
      assert.equal(new AdyenHmacValidator().validateHMACSignature(secret, out.headers.HmacSignature, out.body), true);
    },
  },
  adyen: {
    // The HMAC is in the body, per notification item: nothing in a header to tamper with.
    secret: () => random(32).toString('hex').toUpperCase(),
    body: (tag) => JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: adyenItem(tag) }] }),
    sign: (secret, body) => {
      const notification = JSON.parse(body);
      const item = notification.notificationItems[0].NotificationRequestItem;
      item.additionalData = { hmacSignature: new AdyenHmacValidator().calculateHmac(item, secret) };
      return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(notification) };
    },
    ack: { status: 200, body: '[accepted]' },
    tamperBody: (body) => body.replace('"value":1130', '"value":1131'),
    stored: (body) => {
      const item = JSON.parse(body).notificationItems[0].NotificationRequestItem;
      return { vendor_event_id: `${item.pspReference}:AUTHORISATION`, event_type: 'AUTHORISATION' };
    },
    sdkAccepts: (secret, out) => {
      const item = JSON.parse(out.body).notificationItems[0].NotificationRequestItem;
      assert.equal(new AdyenHmacValidator().validateHMAC(item, secret), true);
    },
  },
  discord: {
    secret: () => crypto.generateKeyPairSync('ed25519'),
    verify: (keys) => `{provider: discord, public_key: "${ed25519Hex(keys)}"}`,
    body: (tag) => JSON.stringify({ version: 1, application_id: '1', type: 1, event: { type: 'APPLICATION_AUTHORIZED', data: { note: note(tag) } } }),
    sign: async (keys, body, at) => {
      const ts = String(seconds(at));
      const signature = crypto.sign(null, Buffer.from(ts + body), keys.privateKey).toString('hex');
      assert.equal(await verifyKey(body, signature, ts, ed25519Hex(keys)), true);
      return { headers: { 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': ts } };
    },
    ack: { status: 204, body: '' },
    window: 300,  // hookgate's default: Discord documents none
    tamperHeader: (h) => ({ ...h, 'X-Signature-Timestamp': addToNumber(h['X-Signature-Timestamp'], 1) }),
    stored: () => ({ vendor_event_id: null, event_type: 'APPLICATION_AUTHORIZED' }),
  },
  sendgrid: {
    secret: () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    verify: (keys) => `{provider: sendgrid, public_key: "${p256Base64(keys)}"}`,
    body: (tag) => JSON.stringify([{ email: 'a@b.c', event: 'processed', sg_event_id: `sg-${tag}`, subject: note(tag) }]) + '\r\n',
    sign: (keys, body, at) => {
      const ts = String(seconds(at));
      const signature = crypto.sign('sha256', Buffer.from(ts + body), keys.privateKey).toString('base64');
      const ew = new EventWebhook();
      assert.equal(ew.verifySignature(ew.convertPublicKeyToECDSA(p256Base64(keys)), body, signature, ts), true);
      return { headers: { [EventWebhookHeader.SIGNATURE()]: signature, [EventWebhookHeader.TIMESTAMP()]: ts } };
    },
    window: 300,  // hookgate's default: SendGrid documents none
    tamperHeader: (h) => ({ ...h, [EventWebhookHeader.TIMESTAMP()]: addToNumber(h[EventWebhookHeader.TIMESTAMP()], 1) }),
    stored: (body) => ({ vendor_event_id: JSON.parse(body)[0].sg_event_id, event_type: 'processed' }),
  },
  braintree: {
    secret: () => `pub_${random(4).toString('hex')}:${hexSecret()}`,
    body: (tag) => braintreeXml(tag),
    // The SDK's own sample notification (it builds the XML itself: the body is not used).
    sign: async (secret, body) => {
      const sample = await braintreeFor(secret).webhookTesting.sampleNotification(braintree.WebhookNotification.Kind.Check, 'evt_1');
      return { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formOf(sample) };
    },
    tamperBody: (sent) => {
      const fields = Object.fromEntries(new URLSearchParams(sent));
      const at = 12;
      fields.bt_payload = fields.bt_payload.slice(0, at) + (fields.bt_payload[at] === 'A' ? 'B' : 'A') + fields.bt_payload.slice(at + 1);
      return formOf(fields);
    },
    stored: () => ({ vendor_event_id: null, event_type: null }),
    sdkAccepts: async (secret, out) => {
      const fields = Object.fromEntries(new URLSearchParams(out.body));
      const notification = await braintreeFor(secret).webhookNotification.parse(fields.bt_signature, fields.bt_payload);
      assert.equal(notification.kind, 'check');
    },
  },
  plivo: {
    secret: hexSecret,
    publicUrl: PLIVO_URL,
    body: (tag) => formOf({ From: '14155550100', To: '14155550101', MessageUUID: `uuid-${tag}`, Text: note(tag) }),
    sign: (secret, body) => {
      const nonce = random(10).toString('hex');
      return { headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Plivo-Signature-V3': plivoSign(secret, body, nonce),
        'X-Plivo-Signature-V3-Nonce': nonce } };
    },
    tamperBody: (sent) => sent.replace('MessageUUID=uuid-', 'MessageUUID=uuiD-'),
    tamperHeader: (h) => ({ ...h, 'X-Plivo-Signature-V3-Nonce': h['X-Plivo-Signature-V3-Nonce'] + 'x' }),
    stored: () => ({ vendor_event_id: null, event_type: null }),
    signArgs: () => ['--id', random(10).toString('hex')],
    sdkAccepts: (secret, out) => {
      assert.equal(plivo.validateV3Signature('POST', PLIVO_URL, out.headers['X-Plivo-Signature-V3-Nonce'], secret,
        out.headers['X-Plivo-Signature-V3'], Object.fromEntries(new URLSearchParams(out.body))), true);
    },
  },
  contentful: {
    secret: () => random(32).toString('hex'),  // the SDK requires 64 characters
    publicUrl: CONTENTFUL_URL,
    body: (tag) => JSON.stringify({ sys: { id: `evt_${tag}`, type: 'Entry' }, fields: { title: { 'en-US': note(tag) } } }),
    sign: (secret, body, at) => {
      const headers = { 'Content-Type': 'application/vnd.contentful.management.v1+json', 'X-Contentful-Topic': 'ContentManagement.Entry.publish' };
      return { headers: { ...headers, ...contentfulSign(secret, { method: 'POST', path: '/in/contentful', headers, body }, at) } };
    },
    window: 30,  // verifyRequest's default time to live
    tamperHeader: (h) => ({ ...h, 'X-Contentful-Topic': 'ContentManagement.Entry.unpublish' }),
    stored: () => ({ vendor_event_id: null, event_type: 'ContentManagement.Entry.publish' }),
    sdkAccepts: (secret, out) => {
      assert.equal(contentfulVerify(secret, { method: 'POST', path: '/in/contentful', headers: out.headers, body: out.body }), true);
    },
  },
  'dropbox-sign': {
    secret: hexSecret,
    body: (tag, at) => JSON.stringify({ event: { event_time: String(seconds(at)), event_type: 'signature_request_signed',
      event_metadata: { related_signature_id: `sig-${tag}` } }, signature_request: { title: note(tag) } }),
    sign: (secret, body) => {
      const event = JSON.parse(body);
      event.event.event_hash = hmac('sha256', secret, event.event.event_time + event.event.event_type, 'hex');
      assert.equal(EventCallbackHelper.isValid(secret, EventCallbackRequest.init(event)), true);
      return multipart(JSON.stringify(event));
    },
    ack: { status: 200, body: 'Hello API Event Received' },
    window: 300,  // hookgate's default: Dropbox Sign documents none (its SDK checks no time)
    tamperBody: (sent) => sent.replace('signature_request_signed', 'signature_request_viewed'),
    stored: () => ({ vendor_event_id: null, event_type: null }),
    sdkAccepts: async (secret, out) => {
      assert.equal(EventCallbackHelper.isValid(secret, EventCallbackRequest.init(JSON.parse(await dropboxJson(out)))), true);
    },
  },
};

const SECRETS = Object.fromEntries(Object.entries(PRESETS).map(([name, p]) => [name, p.secret()]));

let gateway;
before(async () => {
  const sources = Object.entries(PRESETS).map(([name, p]) => {
    const verify = p.verify ? p.verify(SECRETS[name]) : `{provider: ${name}, secrets: ["${SECRETS[name]}"]}`;
    const publicUrl = p.publicUrl ? `, public_url: "${p.publicUrl}"` : '';
    return `  ${name}: {path: /in/${name}${publicUrl}, verify: ${verify}}`;
  }).join('\n');
  gateway = await startSources(sources);
});
after(async () => { await gateway?.stop(); });

// The row an accepted request was stored as: by the id in the answer, or (acks without one)
// the source's newest.
const storedRow = (name, response) => {
  let where = `source = '${name}' ORDER BY id DESC LIMIT 1`;
  try { where = `public_id = '${JSON.parse(response.body).id}'`; } catch { /* 204 or a vendor's own ack */ }
  return gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE ${where}`)[0];
};

for (const [name, p] of Object.entries(PRESETS)) {
  const ack = p.ack ?? { status: 200 };
  const expectAck = (response, what) => {
    assert.equal(response.status, ack.status, `${what}: ${response.body}`);
    if (ack.body !== undefined) assert.equal(response.body, ack.body, what);
  };

  test(`${name}: signed by the SDK → ${ack.status}, stored byte-exact; tampered, wrong key${p.window ? ', stale, future' : ''} → 401, not stored`, async () => {
    const secret = SECRETS[name];
    const body = p.body(nextTag(), Date.now());
    const signed = await p.sign(secret, body, Date.now());
    const sent = signed.body ?? body;
    const ok = await post(gateway, `/in/${name}`, signed.headers, sent);
    expectAck(ok, 'valid');
    assert.deepEqual(storedRow(name, ok), { ...p.stored(sent, signed.headers), body: sent });

    const count = gateway.storedCount(name);
    const refused = async (what, headers, requestBody, expected) => {
      const response = await post(gateway, `/in/${name}`, headers, requestBody);
      assert.equal(response.status, 401, `${what}: ${response.status} ${response.body}`);
      assert.equal(reason(response), expected, what);
      assert.equal(gateway.storedCount(name), count, `${what}: nothing stored`);
    };
    const tampered = p.tamperBody ? p.tamperBody(sent) : sent.replace('Grüße', 'Grusse');
    assert.notEqual(tampered, sent);
    await refused('tampered body', signed.headers, tampered, 'bad_signature');
    if (p.tamperHeader) await refused('tampered header', p.tamperHeader(signed.headers), sent, 'bad_signature');
    const other = await p.sign(p.secret(), body, Date.now());
    await refused('signed with another key', other.headers, other.body ?? body, 'bad_signature');
    if (p.window) {
      const stale = Date.now() - (p.window + 120) * 1000;
      const staleBody = p.body(nextTag(), stale);
      const staleSigned = await p.sign(secret, staleBody, stale);
      await refused('stale timestamp', staleSigned.headers, staleSigned.body ?? staleBody, 'timestamp_too_old');
      const future = Date.now() + (p.window + 120) * 1000;
      const futureBody = p.body(nextTag(), future);
      const futureSigned = await p.sign(secret, futureBody, future);
      await refused('timestamp in the future', futureSigned.headers, futureSigned.body ?? futureBody, 'timestamp_in_future');
    }
  });

  if (p.sdkAccepts) {
    test(`${name}: hookgate sign output passes the SDK's verifier and the gateway`, async () => {
      const out = gateway.signWithBody(name, p.body(nextTag(), Date.now()), p.signArgs ? p.signArgs() : []);
      await p.sdkAccepts(SECRETS[name], out);
      expectAck(await post(gateway, `/in/${name}`, out.headers, out.body), 'hookgate sign output');
    });
  }
}
