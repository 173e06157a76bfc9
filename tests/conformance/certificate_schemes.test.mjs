// Vendors that sign with an RSA certificate (Amazon SNS, and SES notifications through it;
// PayPal), against the real binary configured with the certificate kept locally: requests
// signed as the vendors' docs describe (node:crypto), and for SNS checked first by AWS's own
// validator (sns-validator, its certificate download answered locally), are stored; a changed
// field, another key, another topic or webhook ID, a stale PayPal transmission are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import https from 'node:https';
import { EventEmitter } from 'node:events';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startSources, post, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const SnsValidator = require('sns-validator');

// A self-signed certificate, as the vendors serve theirs (PEM "CERTIFICATE").
const dir = mkdtempSync(join(tmpdir(), 'hookgate-cert-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  '-days', '2', '-subj', '/CN=sns.us-east-1.amazonaws.com'], { stdio: 'ignore' });
const certificate = readFileSync(join(dir, 'cert.pem')).toString();
const privateKey = crypto.createPrivateKey(readFileSync(join(dir, 'key.pem')));
rmSync(dir, { recursive: true, force: true });
const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-notifications';
const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem';
const WEBHOOK_ID = '8PT597110X687430LKGECATA';
const note = 'Grüße aus 東京 ✓';

// sns-validator downloads SigningCertURL with https.get: answered here with the certificate.
https.get = (url, onResponse) => {
  const response = new EventEmitter();
  response.statusCode = String(url) === CERT_URL ? 200 : 404;
  setImmediate(() => { onResponse(response); response.emit('data', Buffer.from(certificate)); response.emit('end'); });
  return new EventEmitter();
};
const snsValid = (message) => new Promise((resolve, reject) =>
  new SnsValidator().validate(message, (err, m) => (err ? reject(err) : resolve(m))));

// AWS's recipe: "Key\nValue\n" for each signed key present, in this order.
const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
function snsMessage(fields, key = privateKey, version = '1') {
  const keys = fields.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  const text = keys.filter((k) => k in fields).map((k) => `${k}\n${fields[k]}\n`).join('');
  const signature = crypto.sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(text), key).toString('base64');
  return { ...fields, SignatureVersion: version, Signature: signature, SigningCertURL: CERT_URL };
}
const sesNotification = (id = crypto.randomUUID()) => ({
  Type: 'Notification', MessageId: id, TopicArn: TOPIC, Subject: 'Amazon SES Email Event Notification',
  Message: JSON.stringify({ eventType: 'Delivery', mail: { messageId: 'ses-1', commonHeaders: { subject: note } } }),
  Timestamp: new Date().toISOString(), UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
});

// PayPal's recipe: transmission id|time|webhook id|CRC32 (decimal) of the body, SHA256withRSA.
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buffer) => { let c = 0xFFFFFFFF; for (const b of buffer) c = crcTable[(c ^ b) & 0xFF] ^ (c >>> 8); return (c ^ 0xFFFFFFFF) >>> 0; };
function paypalHeaders(body, { key = privateKey, webhookId = WEBHOOK_ID, at = Date.now() } = {}) {
  const id = crypto.randomUUID(), time = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  const signed = `${id}|${time}|${webhookId}|${crc32(Buffer.from(body))}`;
  return { 'PAYPAL-TRANSMISSION-ID': id, 'PAYPAL-TRANSMISSION-TIME': time, 'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
    'PAYPAL-CERT-URL': 'https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77',
    'PAYPAL-TRANSMISSION-SIG': crypto.sign('sha256', Buffer.from(signed), key).toString('base64'), 'Content-Type': 'application/json' };
}

let gateway;
before(async () => {
  const pem = JSON.stringify(certificate);
  gateway = await startSources([
    `  amazon-ses: {path: /in/amazon-ses, verify: {provider: amazon-ses, public_key: ${pem}, secrets: ["${TOPIC}"]}}`,
    `  paypal: {path: /in/paypal, verify: {provider: paypal, public_key: ${pem}, secrets: ["${WEBHOOK_ID}"]}}`,
  ].join('\n'));
});
after(async () => { await gateway?.stop(); });

const stored = (response) => gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${JSON.parse(response.body).id}'`)[0];

test('amazon-ses: SES notifications through SNS, SignatureVersion 1 and 2, pass AWS\'s validator and the gateway', async () => {
  for (const version of ['1', '2']) {
    const message = snsMessage(sesNotification(), privateKey, version);
    await snsValid(message);
    const body = JSON.stringify(message);
    const ok = await post(gateway, '/in/amazon-ses', { 'x-amz-sns-message-type': 'Notification', 'Content-Type': 'text/plain; charset=UTF-8' }, body);
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(stored(ok), { vendor_event_id: message.MessageId, event_type: 'Notification', body });
  }
});

test('amazon-ses: a changed field, another key, another topic or an unknown SignatureVersion → 401, nothing stored', async () => {
  const before = gateway.storedCount('amazon-ses');
  const refuse = async (label, message, expected) => {
    const response = await post(gateway, '/in/amazon-ses', {}, JSON.stringify(message));
    assert.equal(response.status, 401, `${label}: ${response.body}`);
    assert.equal(reason(response), expected, label);
  };
  const good = snsMessage(sesNotification());
  const changed = { ...good, Message: good.Message.replace('Grüße', 'Grusse') };
  await assert.rejects(snsValid(changed));
  await refuse('changed Message', changed, 'bad_signature');
  await refuse('another key', snsMessage(sesNotification(), otherKey), 'bad_signature');
  await refuse('another topic', snsMessage({ ...sesNotification(), TopicArn: 'arn:aws:sns:us-east-1:999999999999:theirs' }), 'bad_credentials');
  await refuse('SignatureVersion 3', { ...good, SignatureVersion: '3' }, 'malformed_signature');
  await refuse('not an SNS message', { hello: 'world' }, 'missing_signature');
  assert.equal(gateway.storedCount('amazon-ses'), before);
});

test('amazon-ses: a SubscriptionConfirmation is verified (Token and SubscribeURL signed) and stored for someone to confirm', async () => {
  const fields = { Type: 'SubscriptionConfirmation', MessageId: crypto.randomUUID(), Token: '2336412f37fb687f5d51e6e2425c464de12884',
    TopicArn: TOPIC, Message: `You have chosen to subscribe to the topic ${TOPIC}.`, Timestamp: new Date().toISOString(),
    SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37fb687f5d51e6e2425c464de12884` };
  const message = snsMessage(fields);
  await snsValid(message);
  const ok = await post(gateway, '/in/amazon-ses', { 'x-amz-sns-message-type': 'SubscriptionConfirmation' }, JSON.stringify(message));
  assert.equal(ok.status, 200, ok.body);
  assert.equal(stored(ok).event_type, 'SubscriptionConfirmation');
  const forged = { ...message, SubscribeURL: 'https://attacker.example/confirm' };
  assert.equal(reason(await post(gateway, '/in/amazon-ses', {}, JSON.stringify(forged))), 'bad_signature');
});

test('paypal: a transmission signed with the certificate\'s key is stored; changed body, webhook ID, key, stale → 401', async () => {
  const body = JSON.stringify({ id: 'WH-2WR32451HC0233532-67976317FL4543714', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { note } });
  const ok = await post(gateway, '/in/paypal', paypalHeaders(body), body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(stored(ok), { vendor_event_id: 'WH-2WR32451HC0233532-67976317FL4543714', event_type: 'PAYMENT.CAPTURE.COMPLETED', body });
  const before = gateway.storedCount('paypal');
  const refuse = async (label, headers, sent, expected) => {
    const response = await post(gateway, '/in/paypal', headers, sent);
    assert.equal(response.status, 401, `${label}: ${response.body}`);
    assert.equal(reason(response), expected, label);
  };
  await refuse('changed body', paypalHeaders(body), body.replace('Grüße', 'Grusse'), 'bad_signature');
  await refuse('another webhook ID', paypalHeaders(body, { webhookId: 'OTHERWEBHOOK0000' }), body, 'bad_signature');
  await refuse('another key', paypalHeaders(body, { key: otherKey }), body, 'bad_signature');
  await refuse('stale', paypalHeaders(body, { at: Date.now() - 400 * 1000 }), body, 'timestamp_too_old');
  await refuse('future', paypalHeaders(body, { at: Date.now() + 400 * 1000 }), body, 'timestamp_in_future');
  await refuse('another algorithm', { ...paypalHeaders(body), 'PAYPAL-AUTH-ALGO': 'SHA1withRSA' }, body, 'malformed_signature');
  assert.equal(gateway.storedCount('paypal'), before);
});

test('amazon-ses, paypal: hookgate sign refuses (the vendor holds the private key)', () => {
  for (const name of ['amazon-ses', 'paypal']) assert.throws(() => gateway.sign(name, '{}'), /cannot sign/);
});
