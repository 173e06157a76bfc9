// Shared-secret presets whose vendor ships an SDK: requests signed with the SDK (or, where the
// SDK only verifies, with node:crypto exactly as vendors.md §4 says) are accepted by the real
// binary and tampered ones refused; `hookgate sign` output passes the SDK's own verifier.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { verifyWebhook as clerkVerifyWebhook } from '@clerk/backend/webhooks';
import { startGateway, post, send, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
require('@shopify/shopify-api/adapters/web-api');
const { shopifyApi, ApiVersion } = require('@shopify/shopify-api');
const { getHmac } = require('@shopify/shopify-api/test-helpers');
const { isValidSlackRequest } = require('@slack/bolt');
const { Paddle } = require('@paddle/paddle-node-sdk');
const Mux = require('@mux/mux-node');
const { WebhooksHelper } = require('square');
const { Signature: HubspotSignature } = require('@hubspot/api-client/lib/src/utils/signature');
const twilio = require('twilio');
const { hmacValidator: AdyenHmacValidator } = require('@adyen/api-library');
const { Webhook: SvixWebhook } = require('svix');
const { Resend } = require('resend');

const SHOPIFY = 'shpss_conformance_secret';
const SLACK = '8f742231b10e8888abcd99yyyzzz85a5';
const PADDLE = 'pdl_ntfset_01conformance_secret';
const MUX = 'mux-conformance-secret';
const LINEAR = 'lin_wh_conformance_secret';
const SQUARE = 'square-signature-key';
const HUBSPOT = 'hubspot-client-secret';
const TWILIO = '12345';
const ADYEN_KEY = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';
const SVIX_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let gateway;
before(async () => {
  // URL-signing presets (square, hubspot, twilio) get the public URL the vendor would call;
  // the test posts to the local port, as a TLS-terminating proxy in front would.
  gateway = await startGateway(`
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  shopify:  {path: /in/shopify,  verify: {provider: shopify, secrets: ["${SHOPIFY}"]}}
  slack:    {path: /in/slack,    verify: {provider: slack, secrets: ["${SLACK}"]}}
  paddle:   {path: /in/paddle,   verify: {provider: paddle, secrets: ["${PADDLE}"], tolerance: 60s}}
  mux:      {path: /in/mux,      verify: {provider: mux, secrets: ["${MUX}"]}}
  linear:   {path: /in/linear,   verify: {provider: linear, secrets: ["${LINEAR}"]}}
  square:   {path: /in/square,   public_url: "https://hooks.example.com/in/square", verify: {provider: square, secrets: ["${SQUARE}"]}}
  hubspot:  {path: /in/hubspot,  public_url: "https://hooks.example.com/in/hubspot", verify: {provider: hubspot, secrets: ["${HUBSPOT}"]}}
  hubspot1: {path: /in/hubspot1, verify: {provider: hubspot-v1, secrets: ["${HUBSPOT}"]}}
  hubspot2: {path: /in/hubspot2, public_url: "https://hooks.example.com/in/hubspot2", verify: {provider: hubspot-v2, secrets: ["${HUBSPOT}"]}}
  twilio:   {path: /in/twilio,   public_url: "https://mycompany.com/in/twilio", verify: {provider: twilio, secrets: ["${TWILIO}"]}}
  adyen:    {path: /in/adyen,    verify: {provider: adyen, secrets: ["${ADYEN_KEY}"]}}
  adyenbp:  {path: /in/adyenbp,  verify: {provider: adyen-hmac, secrets: ["${ADYEN_KEY}"]}}
  clerk:    {path: /in/clerk,    verify: {provider: clerk, secrets: ["${SVIX_SECRET}"]}}
  resend:   {path: /in/resend,   verify: {provider: resend, secrets: ["${SVIX_SECRET}"]}}
`);
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;
const stored = (response) => gateway.query(
  `SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${idOf(response)}'`)[0];

test('shopify: getHmac() signs, the binary accepts; hookgate sign passes webhooks.validate()', async () => {
  const body = JSON.stringify({ id: 820982911946154500, email: 'jon@example.com' });
  const headers = {
    'X-Shopify-Hmac-Sha256': getHmac(body, SHOPIFY), 'X-Shopify-Topic': 'orders/create',
    'X-Shopify-Shop-Domain': 's.myshopify.com', 'X-Shopify-API-Version': '2026-01', 'X-Shopify-Webhook-Id': 'wh-shopify-1',
  };
  const ok = await post(gateway, '/in/shopify', headers, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'wh-shopify-1', event_type: 'orders/create', body });
  const tampered = await post(gateway, '/in/shopify', headers, body.replace('jon', 'eve'));
  assert.equal(reason(tampered), 'bad_signature');

  const shopify = shopifyApi({ apiKey: 'k', apiSecretKey: SHOPIFY, scopes: [], hostName: 'example.com',
    apiVersion: ApiVersion.January26, isEmbeddedApp: false, logger: { level: 0 } });
  const signed = gateway.sign('shopify', body, ['--id', 'wh-shopify-2']);
  const rawRequest = new Request('https://example.com/webhooks', { method: 'POST', body, headers: {
    ...signed, 'X-Shopify-Shop-Domain': 's.myshopify.com', 'X-Shopify-API-Version': '2026-01' } });
  const result = await shopify.webhooks.validate({ rawBody: body, rawRequest });
  assert.equal(result.valid, true, JSON.stringify(result));
  assert.equal(result.topic, 'ORDERS_CREATE');  // the SDK's normalised topic name
});

test('slack: node:crypto signs per Bolt; hookgate sign passes isValidSlackRequest()', async () => {
  const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev_conf_1', event: { type: 'app_mention' } });
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + crypto.createHmac('sha256', SLACK).update(`v0:${ts}:${body}`).digest('hex');
  assert.equal(isValidSlackRequest({ signingSecret: SLACK, body, headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts } }), true);
  const ok = await post(gateway, '/in/slack', { 'X-Slack-Signature': sig, 'X-Slack-Request-Timestamp': String(ts) }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'Ev_conf_1', event_type: 'app_mention', body });
  const stale = await post(gateway, '/in/slack', { 'X-Slack-Signature': sig, 'X-Slack-Request-Timestamp': String(ts - 600) }, body);
  assert.equal(reason(stale), 'timestamp_too_old');

  const signed = gateway.sign('slack', body);
  assert.equal(isValidSlackRequest({ signingSecret: SLACK, body, headers: {
    'x-slack-signature': signed['X-Slack-Signature'], 'x-slack-request-timestamp': Number(signed['X-Slack-Request-Timestamp']) } }), true);
});

test('paddle: node:crypto signs per the SDK; hookgate sign passes isSignatureValid()', async () => {
  const paddle = new Paddle('pdl_sdbx_apikey_dummy');
  const body = JSON.stringify({ event_id: 'evt_paddle_conf_1', event_type: 'transaction.completed', data: {} });
  const ts = Math.floor(Date.now() / 1000);
  const header = `ts=${ts};h1=` + crypto.createHmac('sha256', PADDLE).update(`${ts}:${body}`).digest('hex');
  assert.equal(await paddle.webhooks.isSignatureValid(body, PADDLE, header), true);
  const ok = await post(gateway, '/in/paddle', { 'Paddle-Signature': header }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'evt_paddle_conf_1', event_type: 'transaction.completed', body });
  const signed = gateway.sign('paddle', body);
  assert.equal(await paddle.webhooks.isSignatureValid(body, PADDLE, signed['Paddle-Signature']), true);
});

test('mux: node:crypto signs; hookgate sign passes webhooks.verifySignature()', async () => {
  const mux = new Mux({ tokenId: 'x', tokenSecret: 'y', webhookSecret: MUX });
  const body = JSON.stringify({ id: 'mux_evt_1', type: 'video.asset.ready', data: {} });
  const ts = Math.floor(Date.now() / 1000);
  const header = `t=${ts},v1=` + crypto.createHmac('sha256', MUX).update(`${ts}.${body}`).digest('hex');
  await mux.webhooks.verifySignature(body, { 'mux-signature': header });
  const ok = await post(gateway, '/in/mux', { 'Mux-Signature': header }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'mux_evt_1', event_type: 'video.asset.ready', body });
  const signed = gateway.sign('mux', body);
  await mux.webhooks.verifySignature(body, { 'mux-signature': signed['Mux-Signature'] });
});

test('linear: the body carries the timestamp; hookgate sign passes LinearWebhookClient.verify()', async () => {
  const client = new LinearWebhookClient(LINEAR);
  const body = JSON.stringify({ type: 'Issue', action: 'create', data: { id: 'i1' }, webhookTimestamp: Date.now() });
  const sig = crypto.createHmac('sha256', LINEAR).update(body).digest('hex');
  assert.equal(client.verify(Buffer.from(body), sig), true);
  const ok = await post(gateway, '/in/linear', { 'Linear-Signature': sig, 'Linear-Delivery': 'lin-delivery-1' }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'lin-delivery-1', event_type: 'Issue', body });
  const oldBody = JSON.stringify({ type: 'Issue', action: 'create', webhookTimestamp: Date.now() - 120000 });
  const old = await post(gateway, '/in/linear', { 'Linear-Signature': crypto.createHmac('sha256', LINEAR).update(oldBody).digest('hex') }, oldBody);
  assert.equal(reason(old), 'timestamp_too_old');
  const signed = gateway.sign('linear', body);
  assert.equal(client.verify(Buffer.from(body), signed['Linear-Signature']), true);
});

test('square: the notification URL is signed; hookgate sign passes WebhooksHelper.verifySignature()', async () => {
  const url = 'https://hooks.example.com/in/square';
  const body = JSON.stringify({ merchant_id: 'M1', type: 'payment.created', event_id: 'sq-evt-1', data: {} });
  const sig = crypto.createHmac('sha256', SQUARE).update(url + body).digest('base64');
  assert.equal(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: sig, signatureKey: SQUARE, notificationUrl: url }), true);
  const ok = await post(gateway, '/in/square', { 'x-square-hmacsha256-signature': sig }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'sq-evt-1', event_type: 'payment.created', body });
  // Another URL in the signature is refused.
  const other = crypto.createHmac('sha256', SQUARE).update('https://elsewhere.example/in/square' + body).digest('base64');
  assert.equal(reason(await post(gateway, '/in/square', { 'x-square-hmacsha256-signature': other }, body)), 'bad_signature');
  const signed = gateway.sign('square', body);
  assert.equal(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: signed['x-square-hmacsha256-signature'],
    signatureKey: SQUARE, notificationUrl: url }), true);
});

test('hubspot v3, v2, v1: Signature.getSignature() signs; hookgate sign passes Signature.isValid()', async () => {
  const body = JSON.stringify([{ eventId: 4242, subscriptionType: 'contact.creation', objectId: 1 }]);
  const url = 'https://hooks.example.com/in/hubspot';
  const timestamp = Date.now();
  const v3 = HubspotSignature.getSignature('POST', 'v3', { clientSecret: HUBSPOT, requestBody: body, url, timestamp });
  const ok = await post(gateway, '/in/hubspot', { 'X-HubSpot-Signature-v3': v3, 'X-HubSpot-Request-Timestamp': String(timestamp) }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: '4242', event_type: 'contact.creation', body });
  const signed = gateway.sign('hubspot', body);
  assert.equal(HubspotSignature.isValid({ signatureVersion: 'v3', signature: signed['X-HubSpot-Signature-v3'], clientSecret: HUBSPOT,
    requestBody: body, url, method: 'POST', timestamp: Number(signed['X-HubSpot-Request-Timestamp']) }), true);

  const body1 = JSON.stringify([{ eventId: 4243, subscriptionType: 'contact.deletion' }]);
  const v1 = HubspotSignature.getSignature('POST', 'v1', { clientSecret: HUBSPOT, requestBody: body1 });
  const ok1 = await post(gateway, '/in/hubspot1', { 'X-HubSpot-Signature': v1, 'X-HubSpot-Signature-Version': 'v1' }, body1);
  assert.equal(ok1.status, 200, ok1.body);
  const signed1 = gateway.sign('hubspot1', body1);
  assert.equal(HubspotSignature.isValid({ signatureVersion: 'v1', signature: signed1['X-HubSpot-Signature'], clientSecret: HUBSPOT, requestBody: body1 }), true);

  const url2 = 'https://hooks.example.com/in/hubspot2';
  const body2 = JSON.stringify([{ eventId: 4244, subscriptionType: 'deal.creation' }]);
  const v2 = HubspotSignature.getSignature('POST', 'v2', { clientSecret: HUBSPOT, requestBody: body2, url: url2 });
  const ok2 = await post(gateway, '/in/hubspot2', { 'X-HubSpot-Signature': v2, 'X-HubSpot-Signature-Version': 'v2' }, body2);
  assert.equal(ok2.status, 200, ok2.body);
  const signed2 = gateway.sign('hubspot2', body2);
  assert.equal(HubspotSignature.isValid({ signatureVersion: 'v2', signature: signed2['X-HubSpot-Signature'], clientSecret: HUBSPOT,
    requestBody: body2, url: url2, method: 'POST' }), true);
});

test('twilio form and JSON (bodySHA256): the SDK signs; hookgate sign passes validateRequest()/validateRequestWithBody()', async () => {
  const url = 'https://mycompany.com/in/twilio?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
  const form = new URLSearchParams(params).toString();
  const sig = twilio.getExpectedTwilioSignature(TWILIO, url, params);
  const ok = await post(gateway, '/in/twilio?foo=1&bar=2', { 'X-Twilio-Signature': sig, 'I-Twilio-Idempotency-Token': 'tw-1',
    'Content-Type': 'application/x-www-form-urlencoded' }, form);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(stored(ok).vendor_event_id, 'tw-1');
  // Twilio signed with the default port: also accepted.
  const sigPort = twilio.getExpectedTwilioSignature(TWILIO, 'https://mycompany.com:443/in/twilio?foo=1&bar=2', params);
  assert.equal((await post(gateway, '/in/twilio?foo=1&bar=2', { 'X-Twilio-Signature': sigPort }, form)).status, 200);
  assert.equal(reason(await post(gateway, '/in/twilio?foo=1&bar=3', { 'X-Twilio-Signature': sig }, form)), 'bad_signature');

  const body = JSON.stringify({ property: 'value', boolean: true });
  const jsonUrl = 'https://mycompany.com/in/twilio?bodySHA256=' + twilio.getExpectedBodyHash(body);
  const jsonSig = twilio.getExpectedTwilioSignature(TWILIO, jsonUrl, {});
  const query = jsonUrl.slice(jsonUrl.indexOf('?'));
  const jsonOk = await post(gateway, '/in/twilio' + query, { 'X-Twilio-Signature': jsonSig, 'Content-Type': 'application/json' }, body);
  assert.equal(jsonOk.status, 200, jsonOk.body);
  const swapped = await post(gateway, '/in/twilio' + query, { 'X-Twilio-Signature': jsonSig }, body.replace('value', 'other'));
  assert.equal(reason(swapped), 'bad_body_hash');

  const signedForm = gateway.sign('twilio', form, ['--url', url]);
  assert.equal(twilio.validateRequest(TWILIO, signedForm['X-Twilio-Signature'], url, params), true);
  const signedJson = gateway.sign('twilio', body, ['--url', jsonUrl]);
  assert.equal(twilio.validateRequestWithBody(TWILIO, signedJson['X-Twilio-Signature'], jsonUrl, body), true);
});

test('adyen notifications: HmacValidator signs each item; hookgate sign output passes validateHMAC()', async () => {
  const validator = new AdyenHmacValidator();
  const item = { pspReference: '7914073381342284', merchantAccountCode: 'TestMerchant', merchantReference: 'TestPayment-1407325143704',
    amount: { value: 1130, currency: 'EUR' }, eventCode: 'AUTHORISATION', success: 'true', additionalData: {} };
  item.additionalData.hmacSignature = validator.calculateHmac(item, ADYEN_KEY);
  assert.equal(item.additionalData.hmacSignature, 'Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I=');
  const body = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] });
  const ok = await post(gateway, '/in/adyen', { 'Content-Type': 'application/json' }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.body, '[accepted]');
  const row = gateway.query(`SELECT vendor_event_id, event_type FROM events WHERE source = 'adyen'`)[0];
  assert.deepEqual(row, { vendor_event_id: '7914073381342284:AUTHORISATION', event_type: 'AUTHORISATION' });
  assert.equal(reason(await post(gateway, '/in/adyen', {}, body.replace('1130', '1131'))), 'bad_signature');

  const unsigned = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: {
    pspReference: 'psp-2', merchantAccountCode: 'M', merchantReference: 'r', amount: { value: 5, currency: 'USD' },
    eventCode: 'CAPTURE', success: 'true' } }] });
  const signed = gateway.signWithBody('adyen', unsigned);
  const signedItem = JSON.parse(signed.body).notificationItems[0].NotificationRequestItem;
  assert.equal(validator.validateHMAC(signedItem, ADYEN_KEY), true);
  assert.equal((await post(gateway, '/in/adyen', {}, signed.body)).status, 200);
});

test('adyen balance platform: HmacSignature header; hookgate sign passes validateHMACSignature()', async () => {
  const validator = new AdyenHmacValidator();
  const body = JSON.stringify({ type: 'balancePlatform.accountHolder.created', data: { id: 'AH1' } });
  const sig = crypto.createHmac('sha256', Buffer.from(ADYEN_KEY, 'hex')).update(body).digest('base64');
  assert.equal(validator.validateHMACSignature(ADYEN_KEY, sig, body), true);
  const ok = await post(gateway, '/in/adyenbp', { HmacSignature: sig }, body);
  assert.equal(ok.status, 200, ok.body);
  const signed = gateway.sign('adyenbp', body);
  assert.equal(validator.validateHMACSignature(ADYEN_KEY, signed.HmacSignature, body), true);
});

test('clerk and resend (Svix): svix sign() is accepted; hookgate sign passes verifyWebhook() and resend.webhooks.verify()', async () => {
  const wh = new SvixWebhook(SVIX_SECRET);
  for (const [source, type] of [['clerk', 'user.created'], ['resend', 'email.delivered']]) {
    const body = JSON.stringify({ type, data: { id: source } });
    const now = new Date();
    const id = `msg_conf_${source}`;
    const ok = await post(gateway, `/in/${source}`, { 'svix-id': id, 'svix-timestamp': String(Math.floor(now / 1000)),
      'svix-signature': wh.sign(id, now, body) }, body);
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(stored(ok), { vendor_event_id: id, event_type: type, body });
  }
  const body = JSON.stringify({ type: 'user.updated', data: {} });
  const clerkHeaders = gateway.sign('clerk', body, ['--id', 'msg_clerk_signed']);
  assert.ok(clerkHeaders['svix-signature'], JSON.stringify(clerkHeaders));
  const event = await clerkVerifyWebhook(new Request('https://example.com/clerk', { method: 'POST', body, headers: clerkHeaders }),
    { signingSecret: SVIX_SECRET });
  assert.equal(event.type, 'user.updated');

  const resendHeaders = gateway.sign('resend', body, ['--id', 'msg_resend_signed']);
  const resend = new Resend('re_conformance');
  const verified = resend.webhooks.verify({ payload: body, webhookSecret: SVIX_SECRET, headers: {
    id: resendHeaders['svix-id'], timestamp: resendHeaders['svix-timestamp'], signature: resendHeaders['svix-signature'] } });
  assert.equal(verified.type, 'user.updated');
});

test('a GET to a preset without a GET handshake is 405 and says only POST', async () => {
  const res = await send(gateway, 'GET', '/in/square');
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'POST');
});
