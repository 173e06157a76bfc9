// Public-key presets: requests signed with node:crypto (the vendors' SDKs only verify), each
// signature first checked by the vendor's SDK verifier, then posted to the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { startGateway, post, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const { verifyKey } = require('discord-interactions');
const { EventWebhook, EventWebhookHeader } = require('@sendgrid/eventwebhook');

const discordKeys = crypto.generateKeyPairSync('ed25519');
const discordPublicHex = discordKeys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const sendgridKeys = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const sendgridPublicB64 = sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
// The svix-server v1a vector keypair (svix-server tests): the first 32 bytes are the seed.
const WHSK = '6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==';
const WHPK = 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=';
const v1aPrivate = crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(WHSK, 'base64').subarray(0, 32)]),
  format: 'der', type: 'pkcs8',
});

let gateway;
before(async () => {
  gateway = await startGateway(`
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  discord:  {path: /in/discord,  verify: {provider: discord, public_key: "${discordPublicHex}"}}
  sendgrid: {path: /in/sendgrid, verify: {provider: sendgrid, public_key: "${sendgridPublicB64}"}}
  swa:      {path: /in/swa,      verify: {provider: standard-webhooks, public_key: "${WHPK}"}}
  generic:
    path: /in/generic
    verify:
      ed25519: {header: X-Acme-Signature, encoding: base64, signed: "{timestamp}.{body}", timestamp: {header: X-Acme-Timestamp}}
      public_key: "${discordKeys.publicKey.export({ format: 'pem', type: 'spki' }).replace(/\n/g, '\\n')}"
`);
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;

test('discord: node:crypto Ed25519 signatures that verifyKey() accepts are accepted (204); PING answered; probes 401', async () => {
  const ts = String(Math.floor(Date.now() / 1000));
  const sign = (body, t = ts) => crypto.sign(null, Buffer.from(t + body), discordKeys.privateKey).toString('hex');
  const event = JSON.stringify({ version: 1, application_id: '1', type: 1, event: { type: 'APPLICATION_AUTHORIZED', data: {} } });
  assert.equal(await verifyKey(event, sign(event), ts, discordPublicHex), true);
  const ok = await post(gateway, '/in/discord', { 'X-Signature-Ed25519': sign(event), 'X-Signature-Timestamp': ts }, event);
  assert.equal(ok.status, 204);
  assert.equal(ok.body, '');
  assert.equal(gateway.query(`SELECT event_type FROM events WHERE source = 'discord'`)[0].event_type, 'APPLICATION_AUTHORIZED');

  const ping = JSON.stringify({ type: 1, id: '123', application_id: '1', token: 'tok', version: 1 });
  assert.equal(await verifyKey(ping, sign(ping), ts, discordPublicHex), true);
  const pong = await post(gateway, '/in/discord', { 'X-Signature-Ed25519': sign(ping), 'X-Signature-Timestamp': ts }, ping);
  assert.equal(pong.status, 200);
  assert.deepEqual(JSON.parse(pong.body), { type: 1 });
  const eventsPing = JSON.stringify({ version: 1, application_id: '1', type: 0 });
  const noContent = await post(gateway, '/in/discord', { 'X-Signature-Ed25519': sign(eventsPing), 'X-Signature-Timestamp': ts }, eventsPing);
  assert.equal(noContent.status, 204);

  // Discord's security probe: an invalid signature must get 401 (verifyKey agrees it is invalid).
  const probeSig = sign(ping, String(Number(ts) + 1));
  assert.equal(await verifyKey(ping, probeSig, ts, discordPublicHex), false);
  const probe = await post(gateway, '/in/discord', { 'X-Signature-Ed25519': probeSig, 'X-Signature-Timestamp': ts }, ping);
  assert.equal(probe.status, 401);
  assert.equal(gateway.query(`SELECT count(*) AS n FROM events WHERE source = 'discord'`)[0].n, 1, 'PINGs are never stored');
});

test('sendgrid: ECDSA P-256 signatures that EventWebhook.verifySignature() accepts are accepted', async () => {
  const ew = new EventWebhook();
  const ts = String(Math.floor(Date.now() / 1000));
  const body = '[{"email":"a@b.c","event":"processed","sg_event_id":"sg-conf-1"}]\r\n';
  const sig = crypto.sign('sha256', Buffer.from(ts + body), sendgridKeys.privateKey).toString('base64');
  assert.equal(ew.verifySignature(ew.convertPublicKeyToECDSA(sendgridPublicB64), body, sig, ts), true);
  const headers = { [EventWebhookHeader.SIGNATURE()]: sig, [EventWebhookHeader.TIMESTAMP()]: ts };
  const ok = await post(gateway, '/in/sendgrid', headers, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${idOf(ok)}'`)[0],
    { vendor_event_id: 'sg-conf-1', event_type: 'processed', body });
  const tampered = await post(gateway, '/in/sendgrid', headers, body.trimEnd());
  assert.equal(reason(tampered), 'bad_signature');
  assert.equal(ew.verifySignature(ew.convertPublicKeyToECDSA(sendgridPublicB64), body.trimEnd(), sig, ts), false);
});

test('standard webhooks v1a: the svix-server vector, and node:crypto Ed25519 signatures', async () => {
  const body = '{"test": 2432232314}';
  const vector = 'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  assert.equal('v1a,' + crypto.sign(null, Buffer.from(`${id}.1614265330.${body}`), v1aPrivate).toString('base64'), vector);
  const ts = String(Math.floor(Date.now() / 1000));
  const fresh = 'v1a,' + crypto.sign(null, Buffer.from(`msg_conf_v1a.${ts}.${body}`), v1aPrivate).toString('base64');
  const ok = await post(gateway, '/in/swa', { 'webhook-id': 'msg_conf_v1a', 'webhook-timestamp': ts, 'webhook-signature': fresh }, body);
  assert.equal(ok.status, 200, ok.body);
  const svix = await post(gateway, '/in/swa', { 'svix-id': 'msg_conf_v1a_2', 'svix-timestamp': ts,
    'svix-signature': 'v1a,' + crypto.sign(null, Buffer.from(`msg_conf_v1a_2.${ts}.${body}`), v1aPrivate).toString('base64') }, body);
  assert.equal(svix.status, 200, svix.body);
  // The published vector itself is 2021: outside the 5-minute window today.
  const old = await post(gateway, '/in/swa', { 'webhook-id': id, 'webhook-timestamp': '1614265330', 'webhook-signature': vector }, body);
  assert.equal(reason(old), 'timestamp_too_old');
});

test('a generic ed25519 block with a PEM public key', async () => {
  const ts = String(Math.floor(Date.now() / 1000));
  const body = '{"type":"acme.created"}';
  const sig = crypto.sign(null, Buffer.from(`${ts}.${body}`), discordKeys.privateKey).toString('base64');
  const ok = await post(gateway, '/in/generic', { 'X-Acme-Signature': sig, 'X-Acme-Timestamp': ts }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(reason(await post(gateway, '/in/generic', { 'X-Acme-Signature': sig, 'X-Acme-Timestamp': ts }, body + ' ')), 'bad_signature');
});

test('hookgate sign refuses public-key presets (it holds no private key)', () => {
  assert.throws(() => gateway.sign('discord', '{}'), /cannot sign/);
});
