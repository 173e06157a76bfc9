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
import { startSources, post, send, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const Razorpay = require('razorpay');
const line = require('@line/bot-sdk');
const OpenAI = require('openai');
const { validateWebhook: replicateValidate } = require('replicate');
const { Webhook: StandardWebhook } = require('standardwebhooks');
const { Webhook: SvixWebhook } = require('svix');
const { WorkOS } = require('@workos-inc/node');
const sanity = require('@sanity/webhook');
const EasyPost = require('@easypost/api');
const { WebhooksManager: BoxWebhooks } = require('box-node-sdk/lib/managers/webhooks');
const { TelnyxWebhook } = require('telnyx/lib/webhooks');
const jose = require('jose');
const gocardlessWebhooks = require('gocardless-nodejs/webhooks');
const Pusher = require('pusher');
const { WebhookEventVerifier: OnfidoVerifier } = require('@onfido/api');

const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
const hexKey = (text) => Buffer.from(text, 'hex');
const b64Key = (text) => Buffer.from(text, 'base64');
const seconds = (ms) => Math.floor(ms / 1000);
const note = 'Grüße aus 東京 ✓';
const basic = (credentials) => 'Basic ' + Buffer.from(credentials).toString('base64');
// Standard Webhooks headers for `secret` (whsec_…, or Supabase's v1,whsec_…) at `at` ms.
const standardHeaders = (secret, body, at = Date.now(), id = `msg_${crypto.randomUUID()}`) => ({
  'webhook-id': id, 'webhook-timestamp': String(seconds(at)),
  'webhook-signature': new StandardWebhook(secret.replace(/^v1,/, '')).sign(id, new Date(at), body) });
// JWTs (RFC 7519) as the vendors build them: HS256 with a shared secret, RS256 with a key pair
// whose public half the source is configured with (a JWKS, or PEM for Wix).
const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const sha256hex = (text) => crypto.createHash('sha256').update(text).digest('hex');
const hs256 = (secret, claims) => { const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${hmac('sha256', secret, input, 'base64url')}`; };
const rsaKeys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const jwks = JSON.stringify({ keys: [{ ...rsaKeys.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
const rsaPem = rsaKeys.publicKey.export({ format: 'pem', type: 'spki' });
const rs256 = (key, claims, kid = 'k1') => { const input = `${b64url({ alg: 'RS256', kid, typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`; };
const PUBSUB_URL = 'https://hooks.example.com/in/google-pubsub';
const MESSAGEBIRD_URL = 'https://hooks.example.com/in/messagebird';
const TRELLO_URL = 'https://hooks.example.com/in/trello';
const MANDRILL_URL = 'https://hooks.example.com/in/mandrill';
const ecKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherEc = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
const ecJwk = JSON.stringify({ ...ecKeys.publicKey.export({ format: 'jwk' }), kid: 'plaid-1', alg: 'ES256', use: 'sig' });
const es256 = (key, claims, kid = 'plaid-1') => { const input = `${b64url({ alg: 'ES256', kid, typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`; };
const sha256b64 = (text) => crypto.createHash('sha256').update(text).digest('base64');
const telnyxKeys = crypto.generateKeyPairSync('ed25519');
const telnyxPublic = telnyxKeys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');

// name → {secret, body, sign(secret, body, atMs) → headers, expect: stored {vendor_event_id,
// event_type}, window (s) when a timestamp is signed, credential: no signature (token/basic),
// sdk(secret, body, headers): the vendor's SDK accepts the request (may be async),
// publicKey: the verify block's public_key (the preset verifies signatures made with a
// private key the test holds; hookgate sign refuses such presets)}.
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
  // ---- catalogue II, batch 2 ----
  openai: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ object: 'event', id: 'evt_openai_1', type: 'response.completed', created_at: 1750287018, data: { id: 'resp_1', note } }),
    sign: (s, b, at) => standardHeaders(s, b, at),
    window: 300,
    expect: (h) => ({ vendor_event_id: h['webhook-id'], event_type: 'response.completed' }),
    sdk: (s, b, h) => new OpenAI({ apiKey: 'sk-conformance' }).webhooks.verifySignature(b, h, s),
  },
  replicate: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ id: 'ufawqhfynnddngldkgtslldrkq', status: 'succeeded', output: note }),
    sign: (s, b, at) => standardHeaders(s, b, at),
    window: 300,
    expect: (h) => ({ vendor_event_id: h['webhook-id'], event_type: 'succeeded' }),
    sdk: async (s, b, h) => assert.equal(await replicateValidate({ id: h['webhook-id'], timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'], body: b, secret: s }), true),
  },
  render: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ type: 'deploy_ended', timestamp: '2023-11-14T22:13:20Z', data: { id: 'evj-1', note } }),
    sign: (s, b, at) => standardHeaders(s, b, at),
    window: 300,
    expect: (h) => ({ vendor_event_id: h['webhook-id'], event_type: 'deploy_ended' }),
    sdk: (s, b, h) => assert.deepEqual(new StandardWebhook(s).verify(b, h), JSON.parse(b)),
  },
  supabase: {
    secret: 'v1,whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ type: 'send_email', user: { email: 'a@b.c', note } }),
    sign: (s, b, at) => standardHeaders(s, b, at),
    window: 300,
    expect: (h) => ({ vendor_event_id: h['webhook-id'], event_type: 'send_email' }),
    // As Supabase's docs verify: standardwebhooks with the secret's "v1,whsec_" removed.
    sdk: (s, b, h) => assert.deepEqual(new StandardWebhook(s.replace('v1,whsec_', '')).verify(b, h), JSON.parse(b)),
  },
  stytch: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ type: 'direct.user.create', event_id: 'event-1', user: { name: note } }),
    sign: (s, b, at = Date.now()) => { const id = `msg_${crypto.randomUUID()}`;
      return { 'svix-id': id, 'svix-timestamp': String(seconds(at)), 'svix-signature': new SvixWebhook(s).sign(id, new Date(at), b) }; },
    window: 300,
    expect: (h) => ({ vendor_event_id: h['svix-id'], event_type: 'direct.user.create' }),
    sdk: (s, b, h) => assert.deepEqual(new SvixWebhook(s).verify(b, h), JSON.parse(b)),
  },
  workos: {
    secret: 'workos-webhook-secret',
    body: JSON.stringify({ id: 'event_01HW', event: 'dsync.user.created', data: { first_name: note } }),
    sign: (s, b, at = Date.now()) => ({ 'WorkOS-Signature': `t=${at}, v1=` + hmac('sha256', s, `${at}.${b}`, 'hex') }),
    window: 180,
    expect: { vendor_event_id: 'event_01HW', event_type: 'dsync.user.created' },
    sdk: async (s, b, h) => assert.equal((await new WorkOS('sk_test_conformance').webhooks.constructEvent({
      payload: JSON.parse(b), sigHeader: h['WorkOS-Signature'], secret: s })).event, 'dsync.user.created'),
  },
  'trigger-dev': {
    secret: 'trigger-alert-webhook-secret', body: JSON.stringify({ id: 'alert_1', type: 'alert.run.failed', object: { note } }),
    sign: (s, b) => ({ 'x-trigger-signature-hmacsha256': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'alert_1', event_type: 'alert.run.failed' },
  },
  inngest: {
    secret: crypto.randomBytes(32).toString('hex'),
    body: JSON.stringify({ event: { name: 'app/user.created', data: { note } }, ctx: {} }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at); return { 'X-Inngest-Signature': `t=${t}&s=` + hmac('sha256', s, b + t, 'hex') }; },
    window: 300,
    expect: { vendor_event_id: null, event_type: 'app/user.created' },
  },
  sanity: {
    secret: 'sanity-webhook-secret', body: JSON.stringify({ _id: 'doc1', _type: 'post', title: note }),
    sign: (s, b, at = Date.now()) => ({ 'sanity-webhook-signature': 't=' + at + ',v1=' + hmac('sha256', s, `${at}.${b}`, 'base64url'),
      'sanity-operation': 'create', 'idempotency-key': 'idem-sanity-1' }),
    window: 300,  // hookgate's default: Sanity documents none
    expect: { vendor_event_id: 'idem-sanity-1', event_type: 'create' },
    sdk: async (s, b, h) => {
      const { timestamp } = sanity.decodeSignatureHeader(h['sanity-webhook-signature']);
      assert.equal(await sanity.encodeSignatureHeader(b, timestamp, s), h['sanity-webhook-signature']);
      assert.equal(await sanity.isValidSignature(b, h['sanity-webhook-signature'], s), true);
    },
  },
  easypost: {
    secret: 'easypost-webhook-secret', body: JSON.stringify({ id: 'evt_ep_1', object: 'Event', description: 'tracker.updated', result: { note } }),
    sign: (s, b) => ({ 'X-Hmac-Signature': 'hmac-sha256-hex=' + hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'evt_ep_1', event_type: 'tracker.updated' },
    sdk: (s, b, h) => assert.equal(new EasyPost('ep_conformance').Utils.validateWebhook(Buffer.from(b), h, s).id, 'evt_ep_1'),
  },
  box: {
    secret: 'box-primary-signature-key', body: JSON.stringify({ type: 'webhook_event', trigger: 'FILE.UPLOADED', source: { name: note } }),
    sign: (s, b, at = Date.now()) => { const ts = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
      return { 'box-delivery-id': 'bd-1', 'box-delivery-timestamp': ts, 'box-signature-primary': hmac('sha256', s, b + ts, 'base64'),
        'box-signature-version': '1', 'box-signature-algorithm': 'HmacSHA256' }; },
    window: 600,
    expect: { vendor_event_id: 'bd-1', event_type: 'FILE.UPLOADED' },
    sdk: async (s, b, h) => assert.equal(await BoxWebhooks.validateMessage(b,
      { 'box-signature-version': '1', 'box-signature-algorithm': 'HmacSHA256', ...h }, s), true),
  },
  telnyx: {
    publicKey: telnyxPublic, body: JSON.stringify({ data: { id: '0ccc7b54-4df3', event_type: 'message.received', payload: { text: note } } }),
    sign: (key, b, at = Date.now()) => { const t = String(seconds(at));
      return { 'telnyx-timestamp': t, 'telnyx-signature-ed25519': crypto.sign(null, Buffer.from(`${t}|${b}`), key).toString('base64') }; },
    signingKey: telnyxKeys.privateKey, otherKey: crypto.generateKeyPairSync('ed25519').privateKey,
    window: 300,
    expect: { vendor_event_id: '0ccc7b54-4df3', event_type: 'message.received' },
    sdk: (key, b, h) => new TelnyxWebhook(telnyxPublic).verify(b, h),
  },
  sinch: {
    secret: 'sinch-webhook-secret', body: JSON.stringify({ app_id: 'A1', message_id: 'sinch-m-1', trigger: 'MESSAGE_INBOUND', message: { text: note } }),
    sign: (s, b, at = Date.now()) => { const nonce = crypto.randomUUID(); const t = String(seconds(at));
      return { 'x-sinch-webhook-signature-nonce': nonce, 'x-sinch-webhook-signature-timestamp': t,
        'x-sinch-webhook-signature': hmac('sha256', s, `${b}.${nonce}.${t}`, 'base64') }; },
    window: 300,  // hookgate's default: Sinch documents none
    expect: { vendor_event_id: 'sinch-m-1', event_type: 'MESSAGE_INBOUND' },
  },
  auth0: {
    secret: 'Bearer auth0-log-stream-token', body: JSON.stringify([{ log_id: 'auth0-log-1', data: { type: 's', description: note } }]),
    sign: (s) => ({ Authorization: s }), credential: true,
    expect: { vendor_event_id: 'auth0-log-1', event_type: 's' },
  },
  strapi: {
    secret: 'Bearer strapi-webhook-token', body: JSON.stringify({ event: 'entry.create', model: 'article', entry: { title: note } }),
    sign: (s) => ({ Authorization: s }), credential: true,
    expect: { vendor_event_id: null, event_type: 'entry.create' },
  },
  bandwidth: {
    secret: 'bw-user:bw-password', body: JSON.stringify({ eventType: 'answer', callId: 'c-1', note }),
    sign: (s) => ({ Authorization: basic(s) }), credential: true,
    expect: { vendor_event_id: null, event_type: 'answer' },
  },
  brevo: {
    secret: 'brevo:hook-password', body: JSON.stringify({ id: 9012, event: 'delivered', email: 'a@b.c', subject: note }),
    sign: (s) => ({ Authorization: basic(s) }), credential: true,
    expect: { vendor_event_id: '9012', event_type: 'delivered' },
  },
  sparkpost: {
    secret: 'sparkpost:hook-password', body: JSON.stringify([{ msys: { message_event: { type: 'delivery', subject: note } } }]),
    sign: (s) => ({ Authorization: basic(s) }), credential: true,
    expect: { vendor_event_id: null, event_type: 'delivery' },
  },
  pipedrive: {
    secret: 'pipedrive:hook-password', body: JSON.stringify({ meta: { id: 'pd-meta-1', action: 'create', entity: 'deal' }, data: { title: note } }),
    sign: (s) => ({ Authorization: basic(s) }), credential: true,
    expect: { vendor_event_id: 'pd-meta-1', event_type: 'create' },
  },
  // ---- catalogue II, batch 3: JSON Web Tokens ----
  netlify: {
    secret: 'netlify-jws-secret', body: JSON.stringify({ id: '5ef0b6b0', state: 'ready', title: note }),
    sign: (s, b) => ({ 'X-Webhook-Signature': hs256(s, { iss: 'netlify', sha256: sha256hex(b) }) }),
    tamperedReason: 'bad_body_hash',
    expect: { vendor_event_id: '5ef0b6b0', event_type: 'ready' },
    sdk: async (s, b, h) => {
      const { payload } = await jose.jwtVerify(h['X-Webhook-Signature'], Buffer.from(s), { issuer: 'netlify', algorithms: ['HS256'] });
      assert.equal(payload.sha256, sha256hex(b));
    },
  },
  vonage: {
    secret: 'vonage-signature-secret', body: JSON.stringify({ message_uuid: 'aaaaaaaa-bbbb', status: 'delivered', text: note }),
    sign: (s, b, at = Date.now()) => ({ Authorization: 'Bearer ' + hs256(s, { iat: seconds(at), jti: crypto.randomUUID(),
      payload_hash: sha256hex(b), api_key: 'abcd1234' }) }),
    window: 300,  // hookgate's default on iat: Vonage documents none
    tamperedReason: 'bad_body_hash',
    expect: { vendor_event_id: 'aaaaaaaa-bbbb', event_type: 'delivered' },
    sdk: async (s, b, h) => {
      const { payload } = await jose.jwtVerify(h.Authorization.slice('Bearer '.length), Buffer.from(s), { algorithms: ['HS256'] });
      assert.equal(payload.payload_hash, sha256hex(b));
    },
  },
  messagebird: {
    secret: 'messagebird-signing-key', publicUrl: MESSAGEBIRD_URL,
    body: JSON.stringify({ id: 'mb-1', type: 'message.created', message: { content: note } }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at);
      return { 'MessageBird-Signature-JWT': hs256(s, { iss: 'MessageBird', nbf: t, exp: t + 300, jti: crypto.randomUUID(),
        url_hash: sha256hex(MESSAGEBIRD_URL), payload_hash: sha256hex(b) }) }; },
    tamperedReason: 'bad_body_hash',
    expect: { vendor_event_id: 'mb-1', event_type: 'message.created' },
    sdk: async (s, b, h) => {
      const { payload } = await jose.jwtVerify(h['MessageBird-Signature-JWT'], Buffer.from(s), { issuer: 'MessageBird', algorithms: ['HS256'] });
      assert.equal(payload.url_hash, sha256hex(MESSAGEBIRD_URL));
      assert.equal(payload.payload_hash, sha256hex(b));
    },
  },
  monday: {
    // The JWT authenticates monday.com, not the body: refused without it or with another key.
    secret: 'monday-signing-secret', body: JSON.stringify({ event: { type: 'create_item', triggerUuid: 'tu-1', pulseName: note } }),
    sign: (s, b, at = Date.now()) => ({ Authorization: hs256(s, { accountId: 1, userId: 2, iat: seconds(at), exp: seconds(at) + 300 }) }),
    bodyNotCovered: true,
    expect: { vendor_event_id: 'tu-1', event_type: 'create_item' },
    sdk: async (s, b, h) => { await jose.jwtVerify(h.Authorization.replace(/^Bearer /, ''), Buffer.from(s), { algorithms: ['HS256'] }); },
  },
  'google-pubsub': {
    // Google signs; the source holds Google's public keys (here the test's) and the service account.
    publicKey: jwks, secret: 'push@project.iam.gserviceaccount.com', publicUrl: PUBSUB_URL,
    signingKey: rsaKeys.privateKey, otherKey: otherRsa,
    body: JSON.stringify({ message: { data: Buffer.from(note).toString('base64'), messageId: '136969346945' }, subscription: 'projects/p/subscriptions/s' }),
    sign: (key, b, at = Date.now()) => ({ Authorization: 'Bearer ' + rs256(key, { iss: 'https://accounts.google.com', aud: PUBSUB_URL,
      email: 'push@project.iam.gserviceaccount.com', email_verified: true, iat: seconds(at), exp: seconds(at) + 3600, sub: '1' }) }),
    bodyNotCovered: true, expires: 3600,
    expect: { vendor_event_id: '136969346945', event_type: 'projects/p/subscriptions/s' },
  },
  kinde: {
    publicKey: jwks, signingKey: rsaKeys.privateKey, otherKey: otherRsa,
    body: rs256(rsaKeys.privateKey, { type: 'user.created', event_id: 'event_1', data: { user: { first_name: note } }, iat: seconds(Date.now()) }),
    sign: () => ({ 'Content-Type': 'application/jwt' }),
    bodyIsToken: (key) => rs256(key, { type: 'user.created', event_id: 'event_2', iat: seconds(Date.now()) }),
    expect: { vendor_event_id: null, event_type: null },
  },
  wix: {
    publicKey: rsaPem, signingKey: rsaKeys.privateKey, otherKey: otherRsa,
    body: rs256(rsaKeys.privateKey, { data: JSON.stringify({ eventType: 'OrderPaid', data: { note } }), iat: seconds(Date.now()) }, undefined),
    sign: () => ({ 'Content-Type': 'text/plain' }),
    bodyIsToken: (key) => rs256(key, { data: '{}', iat: seconds(Date.now()) }),
    expect: { vendor_event_id: null, event_type: null },
  },
  // ---- catalogue II, batch 4: no signature, a credential the operator sets ----
  shipstation: { secret: 'ss-url-token', urlToken: true, body: JSON.stringify({ resource_url: 'https://ssapi.shipstation.com/orders?importBatch=1', resource_type: 'ORDER_NOTIFY', note }),
    expect: { vendor_event_id: null, event_type: 'ORDER_NOTIFY' } },
  shippo: { secret: 'shippo-token-123abc', urlToken: true, body: JSON.stringify({ event: 'track_updated', data: { tracking_number: note } }),
    expect: { vendor_event_id: null, event_type: 'track_updated' } },
  'docker-hub': { secret: 'dh-url-token', urlToken: true, body: JSON.stringify({ callback_url: 'https://registry.hub.docker.com/u/x/y/hook/1/', push_data: { tag: note } }),
    expect: { vendor_event_id: null, event_type: null } },
  basecamp: { secret: 'bc-url-token', urlToken: true, body: JSON.stringify({ id: 9007199254740991, kind: 'todo_created', recording: { title: note } }),
    expect: { vendor_event_id: '9007199254740991', event_type: 'todo_created' } },
  mailchimp: { secret: 'mc-url-token', urlToken: true, body: 'type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bemail%5D=' + encodeURIComponent('a@b.c ' + note),
    expect: { vendor_event_id: null, event_type: null } },
  mixpanel: { secret: 'mixpanel:hook-password', credential: true, sign: (s) => ({ Authorization: basic(s) }),
    body: JSON.stringify({ action: 'members', parameters: { mixpanel_cohort_name: note } }), expect: { vendor_event_id: null, event_type: 'members' } },
  amplitude: { secret: 'Bearer amplitude-destination-token', credential: true, sign: (s) => ({ Authorization: s }),
    body: JSON.stringify({ insert_id: 'amp-1', event_type: 'Purchase', event_properties: { note } }), expect: { vendor_event_id: 'amp-1', event_type: 'Purchase' } },
  posthog: { secret: 'Bearer posthog-destination-token', credential: true, sign: (s) => ({ Authorization: s }),
    body: JSON.stringify({ event: { uuid: '0190-ph', event: '$pageview', properties: { note } } }), expect: { vendor_event_id: '0190-ph', event_type: '$pageview' } },
  rudderstack: { secret: 'Basic cnVkZGVyOnN0YWNr', credential: true, sign: (s) => ({ Authorization: s }),
    body: JSON.stringify({ messageId: 'rs-m-1', type: 'track', event: note }), expect: { vendor_event_id: 'rs-m-1', event_type: 'track' } },
  freshdesk: { secret: 'freshdesk:hook-password', credential: true, sign: (s) => ({ Authorization: basic(s) }),
    body: JSON.stringify({ freshdesk_webhook: { ticket_subject: note } }), expect: { vendor_event_id: null, event_type: null } },
  gorgias: { secret: 'Bearer gorgias-integration-token', credential: true, sign: (s) => ({ Authorization: s }),
    body: JSON.stringify({ event: 'ticket-created', ticket: { subject: note } }), expect: { vendor_event_id: null, event_type: 'ticket-created' } },
  zapier: { secret: 'zapier:hook-password', credential: true, sign: (s) => ({ Authorization: basic(s) }),
    body: JSON.stringify({ zap: note }), expect: { vendor_event_id: null, event_type: null } },
  // ---- catalogue II, batch 5 ----
  lob: {
    secret: 'lob-webhook-secret', body: JSON.stringify({ id: 'evt_lob_1', event_type: { id: 'letter.delivered' }, body: { id: 'ltr_1', description: note } }),
    sign: (s, b, at = Date.now()) => ({ 'Lob-Signature-Timestamp': String(at), 'Lob-Signature': hmac('sha256', s, `${at}.${b}`, 'hex') }),
    window: 300, expect: { vendor_event_id: 'evt_lob_1', event_type: 'letter.delivered' },
  },
  xero: {
    secret: 'xero-webhooks-key', body: JSON.stringify({ events: [{ eventType: 'UPDATE', resourceId: 'r1', note }], firstEventSequence: 1, lastEventSequence: 1, entropy: 'S0m3r4Nd0mt3xt' }),
    sign: (s, b) => ({ 'x-xero-signature': hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: null, event_type: 'UPDATE' },
  },
  intuit: {
    secret: 'intuit-verifier-token', body: JSON.stringify({ eventNotifications: [{ realmId: '1185883450', dataChangeEvent: { entities: [{ name: 'Customer', id: '1', operation: 'Create', note }] } }] }),
    sign: (s, b) => ({ 'intuit-signature': hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: null, event_type: 'Create' },
  },
  'cal-com': {
    secret: 'cal-webhook-secret', body: JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: '2023-11-14T22:13:20.000Z', payload: { title: note } }),
    sign: (s, b) => ({ 'X-Cal-Signature-256': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'BOOKING_CREATED' },
  },
  notion: {
    // The verification_token configured (the handshake that learns it: handshakes.test.mjs).
    secret: 'secret_notion_verification_token', body: JSON.stringify({ id: 'ev-notion-1', type: 'page.created', entity: { id: 'p1', type: 'page' }, note }),
    sign: (s, b) => ({ 'X-Notion-Signature': 'sha256=' + hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'ev-notion-1', event_type: 'page.created' },
  },
  figma: {
    secret: 'figma-passcode', bodyCredential: (s) => JSON.stringify({ event_type: 'FILE_UPDATE', passcode: s, file_name: note }),
    body: JSON.stringify({ event_type: 'FILE_UPDATE', passcode: 'figma-passcode', file_name: note }),
    expect: { vendor_event_id: null, event_type: 'FILE_UPDATE' },
  },
  cursor: {
    secret: 'cursor-webhook-secret', body: JSON.stringify({ event: 'statusChange', id: 'bc_1', status: 'FINISHED', summary: note }),
    sign: (s, b) => ({ 'X-Webhook-Signature': 'sha256=' + hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'statusChange' },
  },
  launchdarkly: {
    secret: 'ld-webhook-secret', body: JSON.stringify({ _id: '5f0cd446a77bb5000a6c0cdd', kind: 'flag', title: note }),
    sign: (s, b) => ({ 'X-LD-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: '5f0cd446a77bb5000a6c0cdd', event_type: 'flag' },
  },
  hookdeck: {
    secret: 'hookdeck-signing-secret', body: JSON.stringify({ id: 'order_1', note }),
    sign: (s, b) => ({ 'x-hookdeck-signature': hmac('sha256', s, b, 'base64'), 'x-hookdeck-eventid': 'evt_hd_1' }),
    expect: (h) => ({ vendor_event_id: h['x-hookdeck-eventid'] ?? null, event_type: null }),
  },
  elevenlabs: {
    secret: 'wsec_elevenlabs_secret', body: JSON.stringify({ type: 'post_call_transcription', event_timestamp: 1700000000, data: { transcript: note } }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at); return { 'ElevenLabs-Signature': `t=${t},v0=` + hmac('sha256', s, `${t}.${b}`, 'hex') }; },
    window: 1800, expect: { vendor_event_id: null, event_type: 'post_call_transcription' },
  },
  deepgram: { secret: 'dg-user:dg-password', credential: true, sign: (s) => ({ Authorization: basic(s) }),
    body: JSON.stringify({ metadata: { request_id: 'd6a1-req' }, results: { transcript: note } }), expect: { vendor_event_id: 'd6a1-req', event_type: null } },
  alchemy: {
    secret: 'alchemy-signing-key', body: JSON.stringify({ webhookId: 'wh_1', id: 'whevt_1', type: 'ADDRESS_ACTIVITY', event: { note } }),
    sign: (s, b) => ({ 'X-Alchemy-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'whevt_1', event_type: 'ADDRESS_ACTIVITY' },
  },
  pusher: {
    secret: 'pusher-app-secret', body: JSON.stringify({ time_ms: 1700000000000, events: [{ name: 'channel_occupied', channel: 'presence-' + note }] }),
    sign: (s, b) => ({ 'X-Pusher-Key': 'pusher-app-key', 'X-Pusher-Signature': hmac('sha256', s, b, 'hex'), 'Content-Type': 'application/json' }),
    expect: { vendor_event_id: null, event_type: 'channel_occupied' },
    sdk: (s, b, h) => {
      const headers = Object.fromEntries(Object.entries({ 'Content-Type': 'application/json', ...h }).map(([k, v]) => [k.toLowerCase(), v]));
      headers['x-pusher-key'] ??= 'pusher-app-key';  // hookgate sign writes the signature; the key header names the app
      assert.equal(new Pusher({ appId: '1', key: 'pusher-app-key', secret: s }).webhook({ headers, rawBody: b }).isValid(), true);
    },
  },
  gocardless: {
    secret: 'gocardless-endpoint-secret', body: JSON.stringify({ events: [{ id: 'EV00BD05S5VM2T', action: 'created', resource_type: 'mandates', details: { description: note } }] }),
    sign: (s, b) => ({ 'Webhook-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'EV00BD05S5VM2T', event_type: 'created' },
    sdk: (s, b, h) => assert.equal(gocardlessWebhooks.parse(b, s, h['Webhook-Signature'])[0].id, 'EV00BD05S5VM2T'),
  },
  plaid: {
    publicKey: ecJwk, signingKey: ecKeys.privateKey, otherKey: otherEc,
    body: JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb', note }),
    sign: (key, b, at = Date.now()) => ({ 'Plaid-Verification': es256(key, { iat: seconds(at), request_body_sha256: sha256hex(b) }) }),
    window: 300, tamperedReason: 'bad_body_hash',
    expect: { vendor_event_id: null, event_type: 'SYNC_UPDATES_AVAILABLE' },
  },
  fusionauth: {
    secret: 'fusionauth-hmac-key', body: JSON.stringify({ event: { id: 'e5a5a7c6-0000-4c3b-9a1e-000000000001', type: 'user.create', user: { firstName: note } } }),
    sign: (s, b, at = Date.now()) => ({ 'X-FusionAuth-Signature-JWT': hs256(s, { iat: seconds(at), request_body_sha256: sha256b64(b) }) }),
    tamperedReason: 'bad_body_hash',
    expect: { vendor_event_id: 'e5a5a7c6-0000-4c3b-9a1e-000000000001', event_type: 'user.create' },
    sdk: async (s, b, h) => {
      const { payload } = await jose.jwtVerify(h['X-FusionAuth-Signature-JWT'], Buffer.from(s), { algorithms: ['HS256'] });
      assert.equal(payload.request_body_sha256, sha256b64(b));
    },
  },
  persona: {
    secret: 'wbhsec_persona_secret', body: JSON.stringify({ data: { type: 'event', id: 'evt_persona_1', attributes: { name: 'inquiry.completed', note } } }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at); return { 'Persona-Signature': `t=${t},v1=` + hmac('sha256', s, `${t}.${b}`, 'hex') }; },
    window: 300, expect: { vendor_event_id: 'evt_persona_1', event_type: 'inquiry.completed' },
  },
  onfido: {
    secret: 'onfido-webhook-token', body: JSON.stringify({ payload: { resource_type: 'check', action: 'check.completed', object: { id: 'check-123', status: 'complete', note } } }),
    sign: (s, b) => ({ 'X-SHA2-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'check.completed' },
    sdk: (s, b, h) => assert.equal(new OnfidoVerifier(s).readPayload(b, h['X-SHA2-Signature']).payload.action, 'check.completed'),
  },
  // ---- catalogue II, the issue's floor list ----
  mollie: {
    secret: 'mollie-shared-secret', body: JSON.stringify({ id: 'event_GvJ8WHrp5orH5fTX3a', type: 'payment-link.paid', entityId: 'pl_1', note }),
    sign: (s, b) => ({ 'X-Mollie-Signature': 'sha256=' + hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'event_GvJ8WHrp5orH5fTX3a', event_type: 'payment-link.paid' },
  },
  'mollie-classic': { secret: 'mollie-url-token', urlToken: true, body: 'id=tr_5B8cwPMGnU6qLbRvo7qEZ', expect: { vendor_event_id: null, event_type: null } },
  recurly: {
    secret: 'recurly-endpoint-key', body: JSON.stringify({ id: 'evt_recurly_1', object_type: 'account', event_type: 'created', note }),
    sign: (s, b, at = Date.now()) => ({ 'recurly-signature': `${at},` + hmac('sha256', s, `${at}.${b}`, 'hex') }),
    window: 300, expect: { vendor_event_id: 'evt_recurly_1', event_type: 'created' },
  },
  bigcommerce: { secret: 'Bearer bigcommerce-hook-header', credential: true, sign: (s) => ({ Authorization: s }),
    body: JSON.stringify({ scope: 'store/order/created', store_id: '1025646', data: { type: 'order', id: 250, note }, hash: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d', created_at: 1561479335, producer: 'stores/abc123' }),
    expect: { vendor_event_id: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d', event_type: 'store/order/created' } },
  etsy: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ event_type: 'ORDER_PAID', resource_url: 'https://openapi.etsy.com/v3/application/shops/1/receipts/2', shop_id: '1', note }),
    sign: (s, b, at) => standardHeaders(s, b, at), window: 300,
    expect: (h) => ({ vendor_event_id: h['webhook-id'], event_type: 'ORDER_PAID' }),
    sdk: (s, b, h) => assert.deepEqual(new StandardWebhook(s).verify(b, h), JSON.parse(b)),
  },
  'fly-io': {
    // The timestamp is a member of the signed body (its window: the test after this table).
    secret: 'flyio-signing-secret',
    body: JSON.stringify({ timestamp: seconds(Date.now()), action: 'resource.updated', nonce: crypto.randomUUID(), url: 'https://logjam.io/flyio/extensions', resource: { id: '5lgmabb3y30', plan: note } }),
    sign: (s, b) => ({ 'X-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'resource.updated' },
  },
  railway: { secret: 'railway-url-token', urlToken: true, body: JSON.stringify({ type: 'DEPLOY', timestamp: '2025-02-01T00:00:00.000Z', project: { name: note } }),
    expect: { vendor_event_id: null, event_type: 'DEPLOY' } },
  digitalocean: {
    secret: 'du-TY1GUFGk', body: JSON.stringify({ droplet: { id: 3164444, name: note } }),
    sign: (s, b, at = Date.now()) => { const t = seconds(at);
      return { 'do-signature': `t=${t},v1=` + hmac('sha256', s, `${t}.${b}`, 'hex'), 'do-event-name': 'droplet.created' }; },
    window: 300, expect: { vendor_event_id: null, event_type: 'droplet.created' },
  },
  miro: { secret: 'miro-url-token', urlToken: true, body: JSON.stringify({ type: 'board_subscription_changed', event: { type: 'update', item: { data: { content: note } } } }),
    expect: { vendor_event_id: null, event_type: 'update' } },
  trello: {
    secret: 'trello-app-secret', publicUrl: TRELLO_URL,
    body: JSON.stringify({ action: { id: '51f9424bcd6e040f3c002412', type: 'updateCard', data: { card: { name: note } } }, model: { id: '4d5ea62fd76aa1136000000c' } }),
    sign: (s, b) => ({ 'X-Trello-Webhook': hmac('sha1', s, b + TRELLO_URL, 'base64') }),
    expect: { vendor_event_id: '51f9424bcd6e040f3c002412', event_type: 'updateCard' },
  },
  loops: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ eventName: 'contact.created', webhookSchemaVersion: '1.0.0', eventTime: 1734425918, contact: { firstName: note } }),
    sign: (s, b, at) => standardHeaders(s, b, at), window: 300,
    expect: (h) => ({ vendor_event_id: h['webhook-id'], event_type: 'contact.created' }),
    sdk: (s, b, h) => assert.deepEqual(new StandardWebhook(s).verify(b, h), JSON.parse(b)),
  },
  knock: {
    secret: 'knock-webhook-secret', body: JSON.stringify({ id: 'kw_1', type: 'message.sent', data: { channel: 'email', note } }),
    sign: (s, b, at = Date.now()) => ({ 'x-knock-signature': `t=${at},s=` + hmac('sha256', s, `${at}.${b}`, 'base64') }),
    window: 300, expect: { vendor_event_id: 'kw_1', event_type: 'message.sent' },
  },
  novu: {
    secret: 'whsec_' + crypto.randomBytes(24).toString('base64'),
    body: JSON.stringify({ type: 'message.sent', data: { subscriberId: 's1', content: note } }),
    sign: (s, b, at = Date.now()) => { const id = `msg_${crypto.randomUUID()}`;
      return { 'svix-id': id, 'svix-timestamp': String(seconds(at)), 'svix-signature': new SvixWebhook(s).sign(id, new Date(at), b) }; },
    window: 300,
    expect: (h) => ({ vendor_event_id: h['svix-id'], event_type: 'message.sent' }),
    sdk: (s, b, h) => assert.deepEqual(new SvixWebhook(s).verify(b, h), JSON.parse(b)),
  },
  descope: {
    secret: 'descope-hmac-secret', body: JSON.stringify({ action: 'User Created', data: { email: 'a@b.c', name: note } }),
    sign: (s, b) => ({ 'x-descope-webhook-s256': hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: null, event_type: 'User Created' },
  },
  frontegg: {
    secret: 'frontegg-hook-secret', body: JSON.stringify({ user: { id: 'u1', name: note }, eventContext: { tenantId: 't1' }, eventKey: 'frontegg.user.created' }),
    sign: (s, b, at = Date.now()) => ({ 'x-webhook-secret': hs256(s, { iat: seconds(at), sub: 'frontegg' }) }),
    bodyNotCovered: true,
    expect: { vendor_event_id: null, event_type: 'frontegg.user.created' },
    sdk: async (s, b, h) => { await jose.jwtVerify(h['x-webhook-secret'], Buffer.from(s), { algorithms: ['HS256'] }); },
  },
  salesforce: { secret: 'sf-url-token', urlToken: true,
    body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D000000000062</OrganizationId><Notification><Id>04l0000000001</Id><sObject><Name>${note}</Name></sObject></Notification></notifications></soapenv:Body></soapenv:Envelope>`,
    expect: { vendor_event_id: null, event_type: null } },
  front: {
    secret: 'front-app-signing-secret', body: JSON.stringify({ type: 'inbound_received', id: 'evt_front_1', payload: { subject: note } }),
    sign: (s, b, at = Date.now()) => ({ 'X-Front-Request-Timestamp': String(at), 'X-Front-Signature': hmac('sha256', s, `${at}:${b}`, 'base64') }),
    window: 300, expect: { vendor_event_id: 'evt_front_1', event_type: 'inbound_received' },
  },
  mandrill: {
    secret: 'mandrill-webhook-key', publicUrl: MANDRILL_URL,
    body: 'mandrill_events=' + encodeURIComponent(JSON.stringify([{ event: 'send', _id: 'm1', msg: { subject: note } }])),
    // Mandrill's recipe: the URL, then each POST parameter's name and value, sorted by name.
    sign: (s, b) => { const params = [...new URLSearchParams(b)].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0));
      return { 'X-Mandrill-Signature': hmac('sha1', s, MANDRILL_URL + params.map(([k, v]) => k + v).join(''), 'base64'),
        'Content-Type': 'application/x-www-form-urlencoded' }; },
    expect: { vendor_event_id: null, event_type: null },
  },
  pandadoc: {
    secret: 'pandadoc-shared-key', querySignature: true,
    body: JSON.stringify([{ event: 'document_state_changed', data: { id: 'msFYActMfJHqNTKH8YSvF1', name: note, status: 'document.sent' } }]),
    sign: () => ({}),
    expect: { vendor_event_id: null, event_type: 'document_state_changed' },
  },
};

// Another key of the same shape: hex keys stay hex, base64 keys base64, Basic stays user:password.
function otherSecret(secret) {
  const whsec = /^(v1,)?whsec_/.exec(secret);
  if (whsec) return whsec[0] + crypto.randomBytes(24).toString('base64');
  if (/^[0-9a-f]+$/.test(secret)) return crypto.randomBytes(secret.length / 2).toString('hex');
  if (secret.includes(':')) return secret.split(':')[0] + ':guess';
  if (/=$/.test(secret)) return crypto.randomBytes(24).toString('base64');
  return secret + '-other';
}

let gateway;
before(async () => {
  gateway = await startSources(Object.entries(PRESETS).map(([name, p]) => {
    // A JSON string is a YAML double-quoted scalar: JWKS quotes and PEM line breaks survive.
    const keys = [p.publicKey ? `public_key: ${JSON.stringify(p.publicKey)}` : '', p.secret ? `secrets: ["${p.secret}"]` : ''].filter(Boolean).join(', ');
    const url = p.publicUrl ?? (p.urlToken || p.querySignature ? `https://hooks.example.com/in/${name}` : undefined);
    const publicUrl = url ? `, public_url: "${url}"` : '';
    return `  ${name}: {path: /in/${name}${publicUrl}, verify: {provider: ${name}, ${keys}}}`;
  }).join('\n'));
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;

for (const [name, p] of Object.entries(PRESETS)) {
  const what = p.credential ? 'wrong credential' : `tampered, wrong ${p.publicKey ? 'key' : 'secret'}${p.window ? ', stale, future' : ''}`;
  const key = p.signingKey ?? p.secret;
  const otherKey = p.otherKey ?? otherSecret(p.secret ?? '');
  // URL-token presets: the token is the query of the path posted to.
  const pathFor = (credential, body = p.body) => (p.urlToken && credential !== undefined ? `/in/${name}?token=${encodeURIComponent(credential)}`
    : p.querySignature && credential !== undefined ? `/in/${name}?signature=${hmac('sha256', credential, body, 'hex')}` : `/in/${name}`);
  const sign = p.sign ?? (() => ({}));
  test(`${name}: the vendor's request is stored; ${what} → 401, not stored; ${p.publicKey ? 'hookgate sign refuses (no private key)' : 'hookgate sign is accepted'}${p.sdk ? ' (and by the SDK)' : ''}`, async () => {
    const headers = sign(key, p.body);
    if (p.sdk) await p.sdk(p.secret, p.body, headers);
    const ok = await post(gateway, pathFor(p.secret), headers, p.body);
    assert.equal(ok.status, 200, ok.body);
    // Acknowledged with the gateway's {"id":…}, or with the vendor's own answer (Salesforce's
    // SOAP Ack): then the source's latest row.
    const where = ok.body.startsWith('{') ? `public_id = '${idOf(ok)}'` : `source = '${name}' ORDER BY id DESC LIMIT 1`;
    const row = gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE ${where}`)[0];
    const expected = typeof p.expect === 'function' ? p.expect(headers) : p.expect;
    assert.deepEqual(row, { ...expected, body: p.body });

    const count = gateway.storedCount(name);
    const refused = async (label, requestHeaders, body, expectedReason, path = pathFor(p.secret)) => {
      const response = await post(gateway, path, requestHeaders, body);
      assert.equal(response.status, 401, `${label}: ${response.body}`);
      assert.equal(reason(response), expectedReason, label);
      assert.equal(gateway.storedCount(name), count, `${label}: nothing stored`);
    };
    if (p.querySignature) {
      // PandaDoc's ?signature= over the body: another body, another key, none at all.
      await refused('tampered body', {}, p.body.replace('Grüße', 'Grusse'), 'bad_signature');
      await refused('another key', {}, p.body, 'bad_signature', pathFor(otherKey));
      await refused('no signature', {}, p.body, 'missing_signature', `/in/${name}`);
    } else if (p.urlToken) {
      await refused('wrong URL token', {}, p.body, 'bad_credentials', pathFor(otherKey));
      await refused('no URL token', {}, p.body, 'missing_credentials', `/in/${name}`);
    } else if (p.bodyCredential) {
      // The credential is a member of the body (Figma's passcode); nothing else is authenticated.
      await refused('wrong passcode', {}, p.bodyCredential(otherKey), 'bad_credentials');
      await refused('no passcode', {}, JSON.stringify({ event_type: 'FILE_UPDATE' }), 'missing_credentials');
    } else if (p.credential) {
      await refused('wrong credential', sign(otherKey, p.body), p.body, 'bad_credentials');
      await refused('no credential', {}, p.body, 'missing_credentials');
    } else if (p.bodyIsToken) {
      // The body is the signed token: a token signed with another key, or a changed one.
      await refused('token signed with another key', headers, p.bodyIsToken(otherKey), 'bad_signature');
      await refused('tampered token', headers, p.body.slice(0, -6) + (p.body.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'), 'bad_signature');
    } else if (p.bodyNotCovered) {
      // A token that authenticates the sender, not the body.
      await refused('another key', p.sign(otherKey, p.body), p.body, 'bad_signature');
      await refused('no token', {}, p.body, 'missing_signature');
    } else {
      const tampered = p.body.includes('Grüße') ? p.body.replace('Grüße', 'Grusse') : p.body.replace('=', '=1');
      await refused('tampered body', headers, tampered, p.tamperedReason ?? 'bad_signature');
      await refused('another key', p.sign(otherKey, p.body), p.body, 'bad_signature');
    }
    if (p.window) {
      await refused('stale', p.sign(key, p.body, Date.now() - (p.window + 60) * 1000), p.body, 'timestamp_too_old');
      await refused('future', p.sign(key, p.body, Date.now() + (p.window + 60) * 1000), p.body, 'timestamp_in_future');
    }
    if (p.expires) {
      await refused('expired token', p.sign(key, p.body, Date.now() - (p.expires + 60) * 1000), p.body, 'timestamp_too_old');
    }

    if (p.publicKey) {
      assert.throws(() => gateway.sign(name, p.body), /cannot sign/);
      return;
    }
    const out = gateway.signWithBody(name, p.body, ['--id', `hg-${crypto.randomUUID()}`, ...(p.publicUrl ? ['--url', p.publicUrl] : [])]);
    if (p.sdk) await p.sdk(p.secret, p.body, out.headers);
    if (p.urlToken) assert.equal(out.url, pathFor(p.secret));
    const resent = await post(gateway, out.url ?? `/in/${name}`, out.headers, out.body);
    assert.equal(resent.status, 200, `${resent.body} ${JSON.stringify(out)}`);
  });
}

test('mailchimp: the GET that validates a new webhook URL gets 200 with the token, 401 without', async () => {
  assert.equal((await send(gateway, 'GET', '/in/mailchimp?token=mc-url-token')).status, 200);
  assert.equal(reason(await send(gateway, 'GET', '/in/mailchimp?token=guess')), 'bad_credentials');
  assert.equal(reason(await send(gateway, 'GET', '/in/mailchimp')), 'missing_credentials');
});

test('woocommerce: the unsigned ping sent when a webhook is saved gets 200 and stores nothing', async () => {
  const before = gateway.storedCount('woocommerce');
  const ping = await post(gateway, '/in/woocommerce', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'webhook_id=17');
  assert.equal(ping.status, 200, ping.body);
  assert.equal(gateway.storedCount('woocommerce'), before);
  // Anything else without a signature is refused.
  assert.equal(reason(await post(gateway, '/in/woocommerce', {}, 'webhook_id=17&status=paid')), 'missing_signature');
});

test('fly-io: the timestamp in the signed body is held to the window', async () => {
  const p = PRESETS['fly-io'];
  for (const [offset, expected] of [[-400, 'timestamp_too_old'], [400, 'timestamp_in_future']]) {
    const body = JSON.stringify({ ...JSON.parse(p.body), timestamp: seconds(Date.now()) + offset });
    const response = await post(gateway, '/in/fly-io', p.sign(p.secret, body), body);
    assert.equal(response.status, 401, response.body);
    assert.equal(reason(response), expected);
  }
});

test('miro: the challenge sent when a board subscription is created is echoed as JSON, nothing stored', async () => {
  const before = gateway.storedCount('miro');
  const challenge = await send(gateway, 'POST', '/in/miro?token=miro-url-token', { 'Content-Type': 'application/json' },
    JSON.stringify({ challenge: 'c273e4a3-01cf-4505-9bc4-27a37dd83c1d' }));
  assert.equal(challenge.status, 200, challenge.body);
  assert.match(challenge.headers.get('content-type'), /application\/json/);
  assert.deepEqual(JSON.parse(challenge.body), { challenge: 'c273e4a3-01cf-4505-9bc4-27a37dd83c1d' });
  assert.equal(gateway.storedCount('miro'), before);
});

test('salesforce: an outbound message is acknowledged with the SOAP Ack Salesforce waits for', async () => {
  const p = PRESETS.salesforce;
  const response = await post(gateway, '/in/salesforce?token=sf-url-token', { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' }, p.body);
  assert.equal(response.status, 200, response.body);
  assert.match(response.body, /<Ack>true<\/Ack>/);
});

test('front: the signed validation request sent when the webhook is saved gets the challenge back, nothing stored', async () => {
  const p = PRESETS.front;
  const before = gateway.storedCount('front');
  const body = JSON.stringify({ type: 'sync', authorization: { id: 'cmp_abc' } });
  const headers = { ...p.sign(p.secret, body), 'X-Front-Challenge': 'a1b2c3d4e5' };
  const answered = await post(gateway, '/in/front', headers, body);
  assert.equal(answered.status, 200, answered.body);
  assert.equal(answered.body, 'a1b2c3d4e5');
  assert.equal(gateway.storedCount('front'), before);
  const forged = await post(gateway, '/in/front', { ...p.sign('guess', body), 'X-Front-Challenge': 'a1b2c3d4e5' }, body);
  assert.equal(forged.status, 401);
});
