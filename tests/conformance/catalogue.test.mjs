// The vendors added by issue 19 ("Provider catalogue II"), against the real binary. Per preset:
//   - a request made as the vendor makes it (its SDK where it ships a signer or verifier,
//     otherwise node:crypto following the documentation page in the preset's `docs`) is
//     acknowledged and stored byte-exact with its event id and type; where the vendor's SDK
//     verifies, it accepts that same request first;
//   - the body changed, another secret, and (where a timestamp is signed) too old or too far in
//     the future are refused with 401 and their reason, and nothing more is stored;
//   - `hookgate sign` output is accepted by the gateway and, where there is one, by the SDK.
// Credential presets (a shared token or Basic credentials, no signature) are checked the same
// way except for the body, which nothing authenticates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { startSources, post, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const Razorpay = require('razorpay');
const line = require('@line/bot-sdk');

const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
const hexKey = (text) => Buffer.from(text, 'hex');
const b64Key = (text) => Buffer.from(text, 'base64');
const seconds = (ms) => Math.floor(ms / 1000);
const note = 'Grüße aus 東京 ✓';
const basic = (credentials) => 'Basic ' + Buffer.from(credentials).toString('base64');

// name → {secret, body, sign(secret, body, atMs) → headers, expect: stored {vendor_event_id,
// event_type}, window (s) when a timestamp is signed, credential: no signature (token/basic),
// sdk(secret, body, headers): the vendor's SDK accepts the request}.
const PRESETS = {
  // ---- payments and commerce ----
  razorpay: {
    secret: 'rzp-webhook-secret', body: JSON.stringify({ entity: 'event', event: 'payment.captured', payload: { note } }),
    sign: (s, b) => ({ 'X-Razorpay-Signature': hmac('sha256', s, b, 'hex'), 'X-Razorpay-Event-Id': 'evt_rzp_1' }),
    expect: { vendor_event_id: 'evt_rzp_1', event_type: 'payment.captured' },
    sdk: (s, b, h) => assert.equal(Razorpay.validateWebhookSignature(b, h['X-Razorpay-Signature'], s), true),
  },
  paystack: {
    secret: 'sk_test_paystack_secret', body: JSON.stringify({ event: 'charge.success', data: { id: 302961, note } }),
    sign: (s, b) => ({ 'x-paystack-signature': hmac('sha512', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'charge.success' },
  },
  flutterwave: {
    secret: 'flw-secret-hash', body: JSON.stringify({ event: 'charge.completed', data: { id: 285959875, note } }),
    sign: (s) => ({ 'verif-hash': s }), credential: true,
    expect: { vendor_event_id: null, event_type: 'charge.completed' },
  },
  'checkout-com': {
    secret: 'cko-signature-key', body: JSON.stringify({ id: 'evt_cko_1', type: 'payment_approved', data: { note } }),
    sign: (s, b) => ({ 'Cko-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'evt_cko_1', event_type: 'payment_approved' },
  },
  maxio: {
    secret: 'maxio-site-shared-key', body: 'id=8125&event=signup_success&payload%5Bsite%5D%5Bid%5D=1&payload%5Bnote%5D=' + encodeURIComponent(note),
    sign: (s, b) => ({ 'X-Chargify-Webhook-Signature-Hmac-Sha-256': hmac('sha256', s, b, 'hex'), 'X-Chargify-Webhook-Id': '8125',
      'Content-Type': 'application/x-www-form-urlencoded' }),
    expect: { vendor_event_id: '8125', event_type: null },
  },
  woocommerce: {
    secret: 'wc-webhook-secret', body: JSON.stringify({ id: 727, status: 'processing', customer_note: note }),
    sign: (s, b) => ({ 'X-WC-Webhook-Signature': hmac('sha256', s, b, 'base64'), 'X-WC-Webhook-Topic': 'order.created',
      'X-WC-Webhook-Delivery-ID': 'wc-d-1', 'X-WC-Webhook-ID': '17', 'X-WC-Webhook-Source': 'https://shop.example/' }),
    expect: { vendor_event_id: 'wc-d-1', event_type: 'order.created' },
  },
  squarespace: {
    secret: '0b5e4f3c2a1d09182736455463728190aabbccddeeff00112233445566778899',
    body: JSON.stringify({ id: 'sq_evt_1', websiteId: 'w1', topic: 'order.create', data: { note } }),
    sign: (s, b) => ({ 'Squarespace-Signature': hmac('sha256', hexKey(s), b, 'hex') }),
    expect: { vendor_event_id: 'sq_evt_1', event_type: 'order.create' },
  },
  chargebee: {
    secret: 'chargebee:hook-password', body: JSON.stringify({ id: 'ev_cb_1', event_type: 'subscription_created', content: { note } }),
    sign: (s) => ({ Authorization: basic(s) }), credential: true,
    expect: { vendor_event_id: 'ev_cb_1', event_type: 'subscription_created' },
  },
  // ---- developer tools ----
  circleci: {
    secret: 'circleci-signing-secret', body: JSON.stringify({ id: 'cci-1', type: 'workflow-completed', workflow: { name: note } }),
    sign: (s, b) => ({ 'circleci-signature': 'v1=' + hmac('sha256', s, b, 'hex'), 'Circleci-Event-Type': 'workflow-completed' }),
    expect: { vendor_event_id: 'cci-1', event_type: 'workflow-completed' },
  },
  buildkite: {
    secret: 'buildkite-signing-secret', body: JSON.stringify({ event: 'build.finished', build: { message: note } }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at);
      return { 'X-Buildkite-Signature': `timestamp=${t},signature=` + hmac('sha256', s, `${t}.${b}`, 'hex'), 'X-Buildkite-Event': 'build.finished' }; },
    window: 300,  // hookgate's default: Buildkite documents none
    expect: { vendor_event_id: null, event_type: 'build.finished' },
  },
  'buildkite-token': {
    secret: 'buildkite-webhook-token', body: JSON.stringify({ event: 'ping', service: { note } }),
    sign: (s) => ({ 'X-Buildkite-Token': s, 'X-Buildkite-Event': 'ping' }), credential: true,
    expect: { vendor_event_id: null, event_type: 'ping' },
  },
  heroku: {
    secret: 'heroku-webhook-secret', body: JSON.stringify({ id: 'hk-1', action: 'create', webhook_metadata: { event: { include: 'api:release' } }, note }),
    sign: (s, b) => ({ 'Heroku-Webhook-Hmac-SHA256': hmac('sha256', s, b, 'base64'), 'Heroku-Webhook-Id': 'hkw-1' }),
    expect: { vendor_event_id: 'hkw-1', event_type: 'api:release' },
  },
  npm: {
    secret: 'npm-hook-secret', body: JSON.stringify({ event: 'package:publish', name: 'left-pad', note }),
    sign: (s, b) => ({ 'x-npm-signature': 'sha256=' + hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'package:publish' },
  },
  snyk: {
    secret: 'snyk-webhook-secret', body: JSON.stringify({ project: { name: note }, newIssues: [] }),
    sign: (s, b) => ({ 'X-Hub-Signature': 'sha256=' + hmac('sha256', s, b, 'hex'), 'X-Snyk-Event': 'project_snapshot/v0' }),
    expect: { vendor_event_id: null, event_type: 'project_snapshot/v0' },
  },
  clickup: {
    secret: 'clickup-webhook-secret', body: JSON.stringify({ webhook_id: '7689a169-a000-4985-8676-6902b96d6627', event: 'taskCreated', task_id: 'c0j', note }),
    sign: (s, b) => ({ 'X-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'taskCreated' },
  },
  airtable: {
    secret: crypto.createHash('sha256').update('airtable').digest('base64'),
    body: JSON.stringify({ base: { id: 'appA' }, webhook: { id: 'achW' }, timestamp: '2023-11-14T22:13:20.000Z', note }),
    sign: (s, b) => ({ 'X-Airtable-Content-MAC': 'hmac-sha256=' + hmac('sha256', b64Key(s), b, 'hex') }),
    expect: { vendor_event_id: null, event_type: null },
  },
  cloudflare: {
    secret: 'cf-notification-secret', body: JSON.stringify({ name: 'alert', text: note }),
    sign: (s) => ({ 'cf-webhook-auth': s }), credential: true,
    expect: { vendor_event_id: null, event_type: null },
  },
  // ---- messaging ----
  line: {
    secret: 'line-channel-secret', body: JSON.stringify({ destination: 'U1', events: [{ type: 'message', webhookEventId: '01HLINE', message: { text: note } }] }),
    sign: (s, b) => ({ 'x-line-signature': hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: '01HLINE', event_type: 'message' },
    sdk: (s, b, h) => assert.equal(line.validateSignature(b, s, h['x-line-signature']), true),
  },
  viber: {
    secret: 'viber-auth-token',
    // Viber's message_token is a 64-bit integer (beyond a double's precision): written as sent.
    body: `{"event":"message","timestamp":1457764197627,"message_token":4912661846655238145,"message":{"text":"${note}"}}`,
    sign: (s, b) => ({ 'X-Viber-Content-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: '4912661846655238145', event_type: 'message' },
  },
  telegram: {
    secret: 'telegram_secret-token', body: JSON.stringify({ update_id: 10000, message: { text: note } }),
    sign: (s) => ({ 'X-Telegram-Bot-Api-Secret-Token': s }), credential: true,
    expect: { vendor_event_id: '10000', event_type: null },
  },
  customerio: {
    secret: 'cio-webhook-signing-key', body: JSON.stringify({ event_id: '01E4C4CT6YDC7Y5M7FE1GWWPQJ', metric: 'delivered', data: { note } }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at);
      return { 'X-CIO-Timestamp': String(t), 'X-CIO-Signature': hmac('sha256', s, `v0:${t}:${b}`, 'hex') }; },
    window: 300,  // hookgate's default: Customer.io documents none
    expect: { vendor_event_id: '01E4C4CT6YDC7Y5M7FE1GWWPQJ', event_type: 'delivered' },
  },
  // ---- support, CRM, content, other ----
  helpscout: {
    secret: 'helpscout-secret-key', body: JSON.stringify({ id: 1, subject: note }),
    sign: (s, b) => ({ 'X-HelpScout-Signature': hmac('sha1', s, b, 'base64'), 'X-HelpScout-Event': 'convo.created' }),
    expect: { vendor_event_id: null, event_type: 'convo.created' },
  },
  close: {
    secret: '6b2f9a1c3d4e5f60718293a4b5c6d7e8f9012345', body: JSON.stringify({ subscription_id: 'whsub_1', event: { id: 'ev_close_1', action: 'created', data: { note } } }),
    sign: (s, b, at = Date.now()) => { const t = String(seconds(at));
      return { 'close-sig-timestamp': t, 'close-sig-hash': hmac('sha256', hexKey(s), t + b, 'hex') }; },
    window: 300,  // hookgate's default: Close documents none
    expect: { vendor_event_id: 'ev_close_1', event_type: 'created' },
  },
  attio: {
    secret: 'attio-webhook-secret', body: JSON.stringify({ webhook_id: 'w1', events: [{ event_type: 'record.created', id: { note } }] }),
    sign: (s, b) => { const sig = hmac('sha256', s, b, 'hex'); return { 'Attio-Signature': sig, 'X-Attio-Signature': sig }; },
    expect: { vendor_event_id: null, event_type: 'record.created' },
  },
  webflow: {
    secret: 'webflow-webhook-secret', body: JSON.stringify({ triggerType: 'form_submission', payload: { name: note } }),
    sign: (s, b, at = Date.now()) => ({ 'x-webflow-timestamp': String(at), 'x-webflow-signature': hmac('sha256', s, `${at}:${b}`, 'hex') }),
    window: 300,
    expect: { vendor_event_id: null, event_type: 'form_submission' },
  },
  docusign: {
    secret: 'docusign-connect-hmac-key', body: JSON.stringify({ event: 'envelope-sent', apiVersion: 'v2.1', data: { envelopeSummary: { emailSubject: note } } }),
    sign: (s, b) => ({ 'X-DocuSign-Signature-1': hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: null, event_type: 'envelope-sent' },
  },
  'microsoft-teams': {
    secret: Buffer.from('teams-outgoing-webhook-security-token').toString('base64'),
    body: JSON.stringify({ type: 'message', id: '1485983408511', text: `<at>Bot</at> ${note}` }),
    sign: (s, b) => ({ Authorization: 'HMAC ' + hmac('sha256', b64Key(s), b, 'base64') }),
    expect: { vendor_event_id: '1485983408511', event_type: 'message' },
  },
  segment: {
    secret: 'segment-shared-secret', body: JSON.stringify({ type: 'track', messageId: 'seg-m-1', event: 'Signed Up', properties: { note } }),
    sign: (s, b) => ({ 'X-Signature': hmac('sha1', s, b, 'hex') }),
    expect: { vendor_event_id: 'seg-m-1', event_type: 'track' },
  },
  'google-drive': {
    secret: 'drive-channel-token', body: '',
    sign: (s) => ({ 'X-Goog-Channel-Token': s, 'X-Goog-Channel-ID': 'ch-1', 'X-Goog-Message-Number': '7', 'X-Goog-Resource-State': 'update' }),
    credential: true,
    expect: { vendor_event_id: '7', event_type: 'update' },
  },
};

// Another key of the same shape: hex keys stay hex, base64 keys base64, Basic stays user:password.
function otherSecret(secret) {
  if (/^[0-9a-f]+$/.test(secret)) return crypto.randomBytes(secret.length / 2).toString('hex');
  if (secret.includes(':')) return secret.split(':')[0] + ':guess';
  if (/=$/.test(secret)) return crypto.randomBytes(24).toString('base64');
  return secret + '-other';
}

let gateway;
before(async () => {
  gateway = await startSources(Object.entries(PRESETS).map(([name, p]) =>
    `  ${name}: {path: /in/${name}, verify: {provider: ${name}, secrets: ["${p.secret}"]}}`).join('\n'));
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;

for (const [name, p] of Object.entries(PRESETS)) {
  const what = p.credential ? 'wrong credential' : `tampered, wrong secret${p.window ? ', stale, future' : ''}`;
  test(`${name}: the vendor's request is stored; ${what} → 401, not stored; hookgate sign is accepted${p.sdk ? ' (and by the SDK)' : ''}`, async () => {
    const headers = p.sign(p.secret, p.body);
    if (p.sdk) p.sdk(p.secret, p.body, headers);
    const ok = await post(gateway, `/in/${name}`, headers, p.body);
    assert.equal(ok.status, 200, ok.body);
    const row = gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${idOf(ok)}'`)[0];
    assert.deepEqual(row, { ...p.expect, body: p.body });

    const count = gateway.storedCount(name);
    const refused = async (label, requestHeaders, body, expected) => {
      const response = await post(gateway, `/in/${name}`, requestHeaders, body);
      assert.equal(response.status, 401, `${label}: ${response.body}`);
      assert.equal(reason(response), expected, label);
      assert.equal(gateway.storedCount(name), count, `${label}: nothing stored`);
    };
    if (p.credential) {
      await refused('wrong credential', p.sign(otherSecret(p.secret), p.body), p.body, 'bad_credentials');
      await refused('no credential', {}, p.body, 'missing_credentials');
    } else {
      const tampered = p.body.includes('Grüße') ? p.body.replace('Grüße', 'Grusse') : p.body.replace('=', '=1');
      await refused('tampered body', headers, tampered, 'bad_signature');
      await refused('another secret', p.sign(otherSecret(p.secret), p.body), p.body, 'bad_signature');
    }
    if (p.window) {
      await refused('stale', p.sign(p.secret, p.body, Date.now() - (p.window + 60) * 1000), p.body, 'timestamp_too_old');
      await refused('future', p.sign(p.secret, p.body, Date.now() + (p.window + 60) * 1000), p.body, 'timestamp_in_future');
    }

    const signed = gateway.sign(name, p.body, ['--id', `hg-${crypto.randomUUID()}`]);
    if (p.sdk) p.sdk(p.secret, p.body, signed);
    const resent = await post(gateway, `/in/${name}`, signed, p.body);
    assert.equal(resent.status, 200, `${resent.body} ${JSON.stringify(signed)}`);
  });
}

test('woocommerce: the unsigned ping sent when a webhook is saved gets 200 and stores nothing', async () => {
  const before = gateway.storedCount('woocommerce');
  const ping = await post(gateway, '/in/woocommerce', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'webhook_id=17');
  assert.equal(ping.status, 200, ping.body);
  assert.equal(gateway.storedCount('woocommerce'), before);
  // Anything else without a signature is refused.
  assert.equal(reason(await post(gateway, '/in/woocommerce', {}, 'webhook_id=17&status=paid')), 'missing_signature');
});
