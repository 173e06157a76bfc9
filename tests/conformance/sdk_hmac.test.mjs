// Scheme-specific cases the matrix (sdk_matrix.test.mjs) does not cover, with the vendors'
// SDKs as oracles: Square's signed notification URL, Twilio's form and JSON (bodySHA256)
// signatures with and without the default port, Adyen's published notification vector, and a
// GET to a source without a GET handshake.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import { startSources, post, send, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const { WebhooksHelper } = require('square');
const twilio = require('twilio');
const { hmacValidator: AdyenHmacValidator } = require('@adyen/api-library');

const SQUARE = 'square-signature-key';
const TWILIO = '12345';
const ADYEN_KEY = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';

let gateway;
before(async () => {
  // URL-signing presets (square, twilio) get the public URL the vendor would call; the test
  // posts to the local port, as a TLS-terminating proxy in front would.
  gateway = await startSources(`
  square:   {path: /in/square,   public_url: "https://hooks.example.com/in/square", verify: {provider: square, secrets: ["${SQUARE}"]}}
  twilio:   {path: /in/twilio,   public_url: "https://mycompany.com/in/twilio", verify: {provider: twilio, secrets: ["${TWILIO}"]}}
  adyen:    {path: /in/adyen,    verify: {provider: adyen, secrets: ["${ADYEN_KEY}"]}}
`);
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;
const stored = (response) => gateway.query(
  `SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${idOf(response)}'`)[0];

test('square: the signature covers the notification URL: a signature over another URL is refused', async () => {
  const body = JSON.stringify({ merchant_id: 'M1', type: 'payment.created', event_id: 'sq-evt-1', data: {} });
  const sig = crypto.createHmac('sha256', SQUARE).update('https://hooks.example.com/in/square' + body).digest('base64');
  assert.equal(await WebhooksHelper.verifySignature({ requestBody: body, signatureHeader: sig, signatureKey: SQUARE,
    notificationUrl: 'https://hooks.example.com/in/square' }), true);
  assert.equal((await post(gateway, '/in/square', { 'x-square-hmacsha256-signature': sig }, body)).status, 200);
  const other = crypto.createHmac('sha256', SQUARE).update('https://elsewhere.example/in/square' + body).digest('base64');
  assert.equal(reason(await post(gateway, '/in/square', { 'x-square-hmacsha256-signature': other }, body)), 'bad_signature');
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

test('a GET to a preset without a GET handshake is 405 and says only POST', async () => {
  const res = await send(gateway, 'GET', '/in/square');
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'POST');
});
