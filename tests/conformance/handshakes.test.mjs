// Handshakes and challenges against the real binary, answered exactly as each protocol asks
// and never stored: Slack, Zoom, Meta, X/Twitter CRC, Twitch, Asana (the secret kept across a
// restart), Notion (likewise), Dropbox, Microsoft Graph, Okta. Discord's PING is in public_key.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { startGateway, send, post, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const { isValidSlackRequest } = require('@slack/bolt');

const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
const nowS = () => Math.floor(Date.now() / 1000);

let gateway;
before(async () => {
  gateway = await startGateway(`
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  slack:   {path: /in/slack,   verify: {provider: slack, secrets: [slack-signing-secret]}}
  zoom:    {path: /in/zoom,    verify: {provider: zoom, secrets: [zoom-secret-token]}}
  meta:    {path: /in/meta,    verify: {provider: whatsapp, secrets: [meta-app-secret], verify_token: "meta verify token"}}
  x:       {path: /in/x,       verify: {provider: x, secrets: [consumer-secret]}}
  twitch:  {path: /in/twitch,  verify: {provider: twitch, secrets: [twitch-secret-123]}}
  asana:   {path: /in/asana,   verify: {provider: asana}}
  notion:  {path: /in/notion,  verify: {provider: notion}}
  dropbox: {path: /in/dropbox, verify: {provider: dropbox, secrets: [dropbox-app-secret]}}
  graph:   {path: /in/graph,   verify: {provider: microsoft-graph, secrets: [graph-client-state]}}
  okta:    {path: /in/okta,    verify: {provider: okta, secrets: ["Bearer okta-secret"]}}
`);
});
after(async () => { await gateway?.stop(); });

const storedCount = () => gateway.query('SELECT count(*) AS n FROM events')[0].n;

test('slack: url_verification is signed and echoes the challenge; ssl_check is answered empty', async () => {
  const before = storedCount();
  const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
  const ts = nowS();
  const sig = 'v0=' + hmac('sha256', 'slack-signing-secret', `v0:${ts}:${body}`, 'hex');
  assert.equal(isValidSlackRequest({ signingSecret: 'slack-signing-secret', body, headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts } }), true);
  const res = await send(gateway, 'POST', '/in/slack', { 'X-Slack-Signature': sig, 'X-Slack-Request-Timestamp': String(ts), 'Content-Type': 'application/json' }, body);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(JSON.parse(res.body), { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  const unsigned = await send(gateway, 'POST', '/in/slack', {}, body);
  assert.equal(unsigned.status, 401);

  const ssl = await send(gateway, 'POST', '/in/slack', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'ssl_check=1&token=x');
  assert.equal(ssl.status, 200);
  assert.equal(ssl.body, '');
  assert.equal(storedCount(), before);
});

test('zoom: endpoint.url_validation answers plainToken and its HMAC', async () => {
  const before = storedCount();
  const body = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: Date.now(), event: 'endpoint.url_validation' });
  const ts = String(nowS());
  const res = await send(gateway, 'POST', '/in/zoom', { 'x-zm-request-timestamp': ts,
    'x-zm-signature': 'v0=' + hmac('sha256', 'zoom-secret-token', `v0:${ts}:${body}`, 'hex') }, body);
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
    encryptedToken: hmac('sha256', 'zoom-secret-token', 'qgg8vlvZRS6UYooatFL8Aw', 'hex') });
  // The validation is signed like events: an unsigned or forged one gets no encryptedToken.
  const unsigned = await send(gateway, 'POST', '/in/zoom', {}, body);
  assert.equal(unsigned.status, 401);
  assert.equal(reason(unsigned), 'missing_signature');
  const forged = await send(gateway, 'POST', '/in/zoom', { 'x-zm-request-timestamp': ts,
    'x-zm-signature': 'v0=' + hmac('sha256', 'not-the-secret', `v0:${ts}:${body}`, 'hex') }, body);
  assert.equal(reason(forged), 'bad_signature');
  assert.ok(!forged.body.includes('encryptedToken'));
  assert.equal(storedCount(), before);
});

test('meta (whatsapp): GET hub.challenge with the verify token; wrong token refused; other GETs 405', async () => {
  const before = storedCount();
  const challenge = '1158201444';
  const ok = await send(gateway, 'GET', `/in/meta?hub.mode=subscribe&hub.challenge=${challenge}&hub.verify_token=meta%20verify%20token`);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, challenge);
  const wrong = await send(gateway, 'GET', `/in/meta?hub.mode=subscribe&hub.challenge=${challenge}&hub.verify_token=guess`);
  assert.equal(wrong.status, 401);
  assert.equal(reason(wrong), 'bad_verify_token');
  const other = await send(gateway, 'GET', '/in/meta');
  assert.equal(other.status, 405);
  assert.equal(other.headers.get('allow'), 'GET, POST');
  assert.equal(storedCount(), before, 'handshakes are not stored');
  // Events are POSTs signed like GitHub's.
  const body = '{"object":"whatsapp_business_account","entry":[]}';
  const event = await post(gateway, '/in/meta', { 'X-Hub-Signature-256': 'sha256=' + hmac('sha256', 'meta-app-secret', body, 'hex') }, body);
  assert.equal(event.status, 200, event.body);
});

test('x / twitter: GET crc_token answers the response_token', async () => {
  const before = storedCount();
  const res = await send(gateway, 'GET', '/in/x?crc_token=crc-token-123&nonce=abc');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(JSON.parse(res.body), { response_token: 'sha256=' + hmac('sha256', 'consumer-secret', 'crc-token-123', 'base64') });
  assert.equal(storedCount(), before);
});

test('twitch: webhook_callback_verification is signed and echoed as text/plain; revocations are events', async () => {
  const before = storedCount();
  const headersFor = (type, id, body) => {
    const ts = new Date().toISOString();
    return { 'Twitch-Eventsub-Message-Id': id, 'Twitch-Eventsub-Message-Timestamp': ts, 'Twitch-Eventsub-Message-Type': type,
      'Twitch-Eventsub-Subscription-Type': 'channel.follow',
      'Twitch-Eventsub-Message-Signature': 'sha256=' + hmac('sha256', 'twitch-secret-123', id + ts + body, 'hex') };
  };
  const body = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { type: 'channel.follow' } });
  const res = await send(gateway, 'POST', '/in/twitch', headersFor('webhook_callback_verification', 'm-verify', body), body);
  assert.equal(res.status, 200);
  assert.equal(res.body, 'pogchamp-kappa-360noscope-vohiyo');
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  const forged = await send(gateway, 'POST', '/in/twitch', { ...headersFor('webhook_callback_verification', 'm-verify', body),
    'Twitch-Eventsub-Message-Signature': 'sha256=' + '0'.repeat(64) }, body);
  assert.equal(forged.status, 401);
  assert.equal(storedCount(), before);
  const revocation = JSON.stringify({ subscription: { type: 'channel.follow', status: 'authorization_revoked' } });
  assert.equal((await send(gateway, 'POST', '/in/twitch', headersFor('revocation', 'm-revoke', revocation), revocation)).status, 200);
  assert.equal(storedCount(), before + 1);
});

test('dropbox, microsoft graph and okta challenges are echoed as each asks', async () => {
  const before = storedCount();
  const dropbox = await send(gateway, 'GET', '/in/dropbox?challenge=dbx-challenge-1');
  assert.equal(dropbox.status, 200);
  assert.equal(dropbox.body, 'dbx-challenge-1');
  assert.equal(dropbox.headers.get('x-content-type-options'), 'nosniff');

  const graph = await send(gateway, 'POST', '/in/graph?validationToken=Validation%3A+Testing+client+application+reachability',
    { 'Content-Type': 'text/plain; charset=utf-8' }, '');
  assert.equal(graph.status, 200);
  assert.equal(graph.body, 'Validation: Testing client application reachability');
  assert.match(graph.headers.get('content-type'), /^text\/plain/);

  const okta = await send(gateway, 'GET', '/in/okta', { 'X-Okta-Verification-Challenge': 'okta-challenge-value' });
  assert.equal(okta.status, 200);
  assert.deepEqual(JSON.parse(okta.body), { verification: 'okta-challenge-value' });
  assert.equal(storedCount(), before, 'challenges are not stored');
});

test('asana: X-Hook-Secret is echoed, stored, verifies later events, survives a restart, and is not replaceable', async () => {
  const body = JSON.stringify({ events: [{ action: 'changed', resource: { gid: '1' } }] });
  const secret = crypto.randomBytes(16).toString('hex');
  const signed = (key) => ({ 'X-Hook-Signature': hmac('sha256', key, body, 'hex') });

  const early = await post(gateway, '/in/asana', signed(secret), body);
  assert.equal(reason(early), 'secret_not_established');
  const before = storedCount();
  const hello = await send(gateway, 'POST', '/in/asana', { 'X-Hook-Secret': secret }, '');
  assert.equal(hello.status, 200);
  assert.equal(hello.headers.get('x-hook-secret'), secret);
  assert.equal(storedCount(), before, 'the handshake is not an event');
  assert.equal(gateway.query("SELECT count(*) AS n FROM handshake_secrets WHERE source = 'asana'")[0].n, 1);

  assert.equal((await post(gateway, '/in/asana', signed(secret), body)).status, 200);
  assert.equal(reason(await post(gateway, '/in/asana', signed('other'), body)), 'bad_signature');
  assert.equal(reason(await send(gateway, 'POST', '/in/asana', { 'X-Hook-Secret': 'attacker-secret' }, '')), 'secret_already_established');

  await gateway.restart();
  assert.equal((await post(gateway, '/in/asana', signed(secret), body)).status, 200);
  // hookgate sign reads the stored secret too.
  assert.equal(gateway.sign('asana', body)['X-Hook-Signature'], hmac('sha256', secret, body, 'hex'));
});

test('notion: the unsigned verification_token is stored, keys later events, survives a restart, and is not replaceable', async () => {
  const body = JSON.stringify({ id: 'ev-notion-2', type: 'page.content_updated', entity: { id: 'p1', type: 'page' } });
  const token = 'secret_' + crypto.randomBytes(16).toString('hex');
  const signed = (key) => ({ 'X-Notion-Signature': 'sha256=' + hmac('sha256', key, body, 'hex'), 'Content-Type': 'application/json' });

  assert.equal(reason(await post(gateway, '/in/notion', signed(token), body)), 'secret_not_established');
  const before = storedCount();
  const hello = await send(gateway, 'POST', '/in/notion', { 'Content-Type': 'application/json' }, JSON.stringify({ verification_token: token }));
  assert.equal(hello.status, 200);
  assert.equal(storedCount(), before, 'the verification request is not an event');
  assert.equal(gateway.query("SELECT count(*) AS n FROM handshake_secrets WHERE source = 'notion'")[0].n, 1);

  assert.equal((await post(gateway, '/in/notion', signed(token), body)).status, 200);
  assert.equal(reason(await post(gateway, '/in/notion', signed('secret_other'), body)), 'bad_signature');
  const takeover = await send(gateway, 'POST', '/in/notion', {}, JSON.stringify({ verification_token: 'secret_attacker' }));
  assert.equal(reason(takeover), 'secret_already_established');

  await gateway.restart();
  assert.equal((await post(gateway, '/in/notion', signed(token), body)).status, 200);
  assert.equal(gateway.sign('notion', body)['X-Notion-Signature'], 'sha256=' + hmac('sha256', token, body, 'hex'));
});
