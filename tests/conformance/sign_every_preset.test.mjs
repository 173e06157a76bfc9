// `hookgate sign` supports every preset with a shared secret, and what it prints is accepted by
// the running gateway with that preset's ack, and refused (401) once one byte of what the
// preset authenticates is changed: driven by `hookgate providers --json`, so a
// preset added to the registry is covered without touching this file. Presets verified with a
// public key are refused by `hookgate sign` (it holds no private key).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { binary, startSources, post } from './harness.mjs';

const presets = JSON.parse(execFileSync(binary, ['providers', '--json']).toString());

// Key material as `key` in the listing asks for it, random each run.
function keyBlock(preset) {
  const hex = crypto.randomBytes(32).toString('hex');
  if (preset.key === 'none') return '';
  if (preset.scheme.startsWith('JWT RS256')) {
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1' }] });
    return `, public_key: ${JSON.stringify(jwks)}` + (preset.key.includes('secrets') ? ', secrets: ["a@b.iam.gserviceaccount.com"]' : '');
  }
  if (preset.scheme.startsWith('RSA')) {  // certificate schemes (SNS, PayPal): a PEM key and secrets
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    return `, public_key: ${JSON.stringify(publicKey.export({ format: 'pem', type: 'spki' }))}, secrets: ["${hex}"]`;
  }
  if (preset.key === 'public_key') {
    const keys = preset.scheme.startsWith('Ed25519') ? crypto.generateKeyPairSync('ed25519')
      : crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return `, public_key: "${keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}"`;
  }
  if (preset.key.includes('public_key:private_key')) return `, secrets: ["pub_${hex.slice(0, 8)}:${hex}"]`;  // Braintree
  if (preset.key.includes('hex')) return `, secrets: ["${hex}"]`;
  if (preset.key.includes('whsec')) return `, secrets: ["whsec_${crypto.randomBytes(24).toString('base64')}"]`;
  if (preset.key.includes('user:password')) return `, secrets: ["hook:${hex}"]`;
  return `, secrets: ["${hex}"]`;  // raw secrets, and Asana's (configured instead of learned)
}

// One body every scheme can sign and find its fields in: Adyen's notification items,
// Microsoft Graph's value array, Linear's webhookTimestamp (ms), Fly.io's timestamp (s),
// non-ASCII text. Twilio, Mandrill and Plivo sign form parameters; Dropbox Sign hashes its event's
// time and type.
function bodyFor(preset) {
  if (['dropbox-sign'].includes(preset.alias_of || preset.name)) {  // the event its hash covers, 'conformance' first in it
    return JSON.stringify({ event: { event_time: String(Math.floor(Date.now() / 1000)), event_type: 'conformance.signed',
      event_metadata: { related_signature_id: crypto.randomUUID() } }, signature_request: { title: 'Grüße aus 東京 ✓' } });
  }
  if (['twilio', 'mandrill', 'plivo'].includes(preset.alias_of || preset.name)) {
    return new URLSearchParams({ MessageSid: `SM${crypto.randomUUID()}`, Body: 'Grüße ✓' }).toString();
  }
  return JSON.stringify({
    id: `evt_${crypto.randomUUID()}`, type: 'conformance.signed', event: 'conformance.signed', note: 'Grüße aus 東京 ✓',
    value: [{ changeType: 'created' }],
    notificationItems: [{ NotificationRequestItem: { pspReference: crypto.randomUUID(), eventCode: 'AUTHORISATION', success: 'true' } }],
    webhookTimestamp: Date.now(), timestamp: Math.floor(Date.now() / 1000),
  });
}

// The signed request with one byte changed in what the preset authenticates: the body for
// signature schemes; the credential (in a header, the URL or the body) for token, Basic and clientState
// presets and for JWTs
// that carry no body hash (they authenticate no body); for Mailgun and Adyen notifications, whose signatures cover fields
// inside the body, one of those fields.
function tamper(preset, signed) {
  const flip = (text, at) => text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
  if (preset.scheme === 'URL token') return { headers: signed.headers, body: signed.body, url: flip(signed.url, signed.url.length - 1) };
  const credentialHeader = preset.scheme === 'HTTP Basic' ? 'Authorization'
    : preset.scheme === 'static token' ? preset.headers
      : preset.signed.includes('the body is not covered') ? preset.headers : null;  // a JWT of the sender only
  if (credentialHeader) {
    const name = Object.keys(signed.headers).find((h) => h.toLowerCase() === credentialHeader.toLowerCase());
    const value = signed.headers[name];
    return { headers: { ...signed.headers, [name]: flip(value, value.length - 2) }, body: signed.body };
  }
  if (preset.scheme === 'token in the body') {  // Figma's passcode: the member named after "(body) "
    const member = preset.headers.replace('(body) ', '');
    return { headers: signed.headers, body: signed.body.replace(new RegExp(`("${member}":")(.)`), (_, a, c) => a + (c === 'a' ? 'b' : 'a')) };
  }
  if (preset.scheme === 'clientState') {
    return { headers: signed.headers, body: signed.body.replace(/("clientState":")(.)/, (_, a, c) => a + (c === 'a' ? 'b' : 'a')) };
  }
  if (preset.name === 'mailgun' || preset.alias_of === 'mailgun') {
    return { headers: signed.headers, body: signed.body.replace(/("token":")(.)/, (_, a, c) => a + (c === 'a' ? 'b' : 'a')) };
  }
  if (preset.name === 'adyen' || preset.alias_of === 'adyen') {
    return { headers: signed.headers, body: signed.body.replace(/("pspReference":")(.)/, (_, a, c) => a + (c === 'a' ? 'b' : 'a')) };
  }
  const at = signed.body.indexOf('conformance');
  return { headers: signed.headers, body: flip(signed.body, at >= 0 ? at : Math.floor(signed.body.length / 2)) };
}

let gateway;
before(async () => {
  const sources = presets.map((p) => {
    const publicUrl = p.needs_public_url ? `, public_url: "https://hooks.example.com/in/${p.name}"` : '';
    return `  ${p.name}: {path: /in/${p.name}${publicUrl}, verify: {provider: ${p.name}${keyBlock(p)}}}`;
  }).join('\n');
  gateway = await startSources(sources);
});
after(async () => { await gateway?.stop(); });

test('the catalogue is listed whole: at least the 40 presets of the issue', () => {
  assert.ok(presets.length >= 40, String(presets.length));
  assert.ok(presets.filter((p) => p.signable).length >= 40, 'signable presets');
});

for (const preset of presets) {
  const [status, ...ackBody] = preset.ack.split(' ');
  if (preset.signable) {
    test(`${preset.name}: hookgate sign output is accepted by the gateway (${preset.ack}); one byte changed → 401`, async () => {
      const before = gateway.storedCount(preset.name);
      const signed = gateway.signWithBody(preset.name, bodyFor(preset), ['--id', `msg_${crypto.randomUUID()}`]);
      const response = await post(gateway, signed.url ?? `/in/${preset.name}`, signed.headers, signed.body);
      assert.equal(response.status, Number(status), `${response.body} ${JSON.stringify(signed.headers)}`);
      if (ackBody.length) assert.equal(response.body, ackBody.join(' '));
      const rows = gateway.query(`SELECT CAST(body AS TEXT) AS body FROM events WHERE source = '${preset.name}' ORDER BY id DESC LIMIT 1`);
      assert.equal(gateway.storedCount(preset.name), before + 1);
      assert.equal(rows[0].body, signed.body, 'stored byte-exact');

      // One byte changed where the scheme authenticates it: refused, nothing more stored.
      const tampered = tamper(preset, signed);
      const refused = await post(gateway, tampered.url ?? `/in/${preset.name}`, tampered.headers, tampered.body);
      assert.equal(refused.status, 401, `one byte changed: ${refused.body}`);
      assert.equal(gateway.storedCount(preset.name), before + 1, 'one byte changed: nothing stored');
    });
  } else if (preset.name !== 'none') {
    test(`${preset.name}: hookgate sign refuses a public-key preset`, () => {
      assert.throws(() => gateway.sign(preset.name, bodyFor(preset)), /cannot sign/);
    });
  }
}
