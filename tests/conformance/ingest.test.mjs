// Oracle tests: requests signed by the vendors' own SDKs must be accepted (and tampered ones
// refused) by the real binary; headers printed by `hookgate sign` must pass the SDKs' verifiers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { startGateway, post } from './harness.mjs';

const require = createRequire(import.meta.url);
const Stripe = require('stripe');
const { Webhook: SvixWebhook } = require('svix');
const { Webhook: StandardWebhook } = require('standardwebhooks');

const STRIPE_SECRET = 'whsec_conformance_stripe';
const GITHUB_SECRET = "It's a Secret to Everybody";
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let gateway;
before(async () => {
  gateway = await startGateway(`
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["${STRIPE_SECRET}"]}}
  github: {path: /in/github, verify: {provider: github, secrets: ["${GITHUB_SECRET}"]}}
  sw:     {path: /in/sw,     verify: {provider: standard-webhooks, secrets: ["${SW_SECRET}"]}}
  svix:   {path: /in/svix,   verify: {provider: svix, secrets: ["${SW_SECRET}"]}}
`);
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;

test('stripe: generateTestHeaderString is accepted, stored byte-exact, tampering refused', async () => {
  const payload = JSON.stringify({ id: 'evt_sdk_stripe_1', object: 'event', type: 'invoice.paid', data: { amount: 4200 } });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET });
  const ok = await post(gateway, '/in/stripe', { 'Stripe-Signature': header, 'Content-Type': 'application/json' }, payload);
  assert.equal(ok.status, 200, ok.body);
  assert.match(idOf(ok), /^evt_[0-9A-Z]{26}$/);
  const rows = gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${idOf(ok)}'`);
  assert.deepEqual(rows, [{ vendor_event_id: 'evt_sdk_stripe_1', event_type: 'invoice.paid', body: payload }]);

  const tampered = await post(gateway, '/in/stripe', { 'Stripe-Signature': header }, payload.replace('4200', '1'));
  assert.equal(tampered.status, 401);
  assert.deepEqual(JSON.parse(tampered.body), { error: 'bad_signature' });
});

test('stripe: a header with several v1 signatures (secret rotation on the sender side) is accepted', async () => {
  const payload = JSON.stringify({ id: 'evt_sdk_stripe_2', object: 'event', type: 'customer.created' });
  const good = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET });
  const t = /t=(\d+)/.exec(good)[1];
  const bogus = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other', timestamp: Number(t) });
  const header = `t=${t},v1=${/v1=([0-9a-f]+)/.exec(bogus)[1]},v1=${/v1=([0-9a-f]+)/.exec(good)[1]},v0=deadbeef`;
  const response = await post(gateway, '/in/stripe', { 'Stripe-Signature': header }, payload);
  assert.equal(response.status, 200, response.body);
});

test('stripe: hookgate sign output passes stripe.webhooks.constructEvent', () => {
  const payload = JSON.stringify({ id: 'evt_sdk_stripe_3', object: 'event' });
  const headers = gateway.sign('stripe', payload);
  const event = Stripe.webhooks.constructEvent(payload, headers['Stripe-Signature'], STRIPE_SECRET);
  assert.equal(event.id, 'evt_sdk_stripe_3');
});

test('github: @octokit/webhooks-methods sign() is accepted; tampering refused', async () => {
  const payload = JSON.stringify({ action: 'opened', number: 7 });
  const signature = await octokitSign(GITHUB_SECRET, payload);
  const headers = {
    'X-Hub-Signature-256': signature,
    'X-GitHub-Event': 'pull_request',
    'X-GitHub-Delivery': '0b7c6a58-cc79-11e3-8e0f-4a2a3a2c3f01',
    'Content-Type': 'application/json',
  };
  const ok = await post(gateway, '/in/github', headers, payload);
  assert.equal(ok.status, 200, ok.body);
  const rows = gateway.query(`SELECT vendor_event_id, event_type FROM events WHERE public_id = '${idOf(ok)}'`);
  assert.deepEqual(rows, [{ vendor_event_id: '0b7c6a58-cc79-11e3-8e0f-4a2a3a2c3f01', event_type: 'pull_request' }]);

  const again = await post(gateway, '/in/github', headers, payload);
  assert.equal(again.status, 200);
  assert.equal(idOf(again), idOf(ok), 'a redelivery is acked with the original id');

  const tampered = await post(gateway, '/in/github', headers, payload + ' ');
  assert.equal(tampered.status, 401);
});

test('github: hookgate sign output passes @octokit verify()', async () => {
  const payload = 'Hello, World!';
  const headers = gateway.sign('github', payload);
  assert.equal(headers['X-Hub-Signature-256'], 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  assert.equal(await octokitVerify(GITHUB_SECRET, payload, headers['X-Hub-Signature-256']), true);
});

test('standard-webhooks: standardwebhooks sign() with webhook-* headers is accepted', async () => {
  const payload = JSON.stringify({ type: 'user.created', data: { id: 1 } });
  const wh = new StandardWebhook(SW_SECRET);
  const now = new Date();
  const msgId = 'msg_conformance_sw_1';
  const headers = {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': 'v1,AAAAbogusbogusbogusbogusbogusbogusbogusbogu= ' + wh.sign(msgId, now, payload),
  };
  const ok = await post(gateway, '/in/sw', headers, payload);
  assert.equal(ok.status, 200, ok.body);
  const rows = gateway.query(`SELECT vendor_event_id, event_type FROM events WHERE public_id = '${idOf(ok)}'`);
  assert.deepEqual(rows, [{ vendor_event_id: msgId, event_type: 'user.created' }]);
});

test('svix: svix sign() with svix-* headers is accepted; a stale timestamp is refused', async () => {
  const payload = JSON.stringify({ type: 'invoice.created', data: {} });
  const wh = new SvixWebhook(SW_SECRET);
  const now = new Date();
  const sign = (when, id) => ({
    'svix-id': id,
    'svix-timestamp': String(Math.floor(when.getTime() / 1000)),
    'svix-signature': wh.sign(id, when, payload),
  });
  const ok = await post(gateway, '/in/svix', sign(now, 'msg_conformance_svix_1'), payload);
  assert.equal(ok.status, 200, ok.body);
  const stale = await post(gateway, '/in/svix', sign(new Date(now.getTime() - 10 * 60 * 1000), 'msg_conformance_svix_2'), payload);
  assert.equal(stale.status, 401);
  assert.deepEqual(JSON.parse(stale.body), { error: 'timestamp_too_old' });
});

test('standard-webhooks and svix: hookgate sign output passes both SDKs\' verify()', () => {
  const payload = JSON.stringify({ type: 'ping' });
  const sw = gateway.sign('sw', payload);
  assert.deepEqual(new StandardWebhook(SW_SECRET).verify(payload, sw), { type: 'ping' });
  const svix = gateway.sign('svix', payload);
  assert.deepEqual(new SvixWebhook(SW_SECRET).verify(payload, svix), { type: 'ping' });
});
