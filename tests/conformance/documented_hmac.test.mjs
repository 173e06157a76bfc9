// Presets whose vendor publishes no SDK signer: requests signed with node:crypto exactly as the
// vendor's docs describe (each preset's docs URL, `hookgate providers --json`) are accepted by the real binary, tampered ones are
// refused, and `hookgate sign` produces exactly what the docs' recipe computes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { startSources, post, reason } from './harness.mjs';

const require = createRequire(import.meta.url);
const { Webhook: StandardWebhook } = require('standardwebhooks');

const hmac = (alg, key, data, enc) => crypto.createHmac(alg, key).update(data).digest(enc);
const nowS = () => Math.floor(Date.now() / 1000);

// name → secret, body, vendor recipe (headers for secret, body and time in ms), where the id/type
// land; `window` (s) for recipes that sign a timestamp: the preset's default tolerance.
const PRESETS = {
  bitbucket: {
    secret: 'bb-secret', body: '{"repository":{"name":"r"}}',
    sign: (s, b) => ({ 'X-Hub-Signature': 'sha256=' + hmac('sha256', s, b, 'hex'), 'X-Request-UUID': 'bb-1', 'X-Event-Key': 'repo:push' }),
    expect: { vendor_event_id: 'bb-1', event_type: 'repo:push' },
  },
  jira: {
    secret: 'jira-secret', body: '{"webhookEvent":"jira:issue_created","issue":{}}',
    sign: (s, b) => ({ 'X-Hub-Signature': 'sha256=' + hmac('sha256', s, b, 'hex'), 'X-Atlassian-Webhook-Identifier': 'jira-1' }),
    expect: { vendor_event_id: 'jira-1', event_type: 'jira:issue_created' },
  },
  intercom: {
    secret: 'ic-secret', body: '{"type":"notification_event","id":"notif_1","topic":"conversation.user.created"}',
    sign: (s, b) => ({ 'X-Hub-Signature': 'sha1=' + hmac('sha1', s, b, 'hex') }),
    expect: { vendor_event_id: 'notif_1', event_type: 'conversation.user.created' },
  },
  sentry: {
    secret: 'sentry-secret', body: '{"action":"created","data":{}}',
    sign: (s, b) => ({ 'Sentry-Hook-Signature': hmac('sha256', s, b, 'hex'), 'Request-ID': 'sentry-1', 'Sentry-Hook-Resource': 'issue',
      'Sentry-Hook-Timestamp': String(nowS()) }),
    expect: { vendor_event_id: 'sentry-1', event_type: 'issue' },
  },
  vercel: {
    secret: 'vercel-secret', body: '{"id":"vc_evt_1","type":"deployment.created"}',
    sign: (s, b) => ({ 'x-vercel-signature': hmac('sha1', s, b, 'hex') }),
    expect: { vendor_event_id: 'vc_evt_1', event_type: 'deployment.created' },
  },
  typeform: {
    secret: 'tf-secret', body: '{"event_id":"tf_1","event_type":"form_response"}',
    sign: (s, b) => ({ 'Typeform-Signature': 'sha256=' + hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: 'tf_1', event_type: 'form_response' },
  },
  calendly: {
    secret: 'calendly-key', body: '{"event":"invitee.created","payload":{}}',
    sign: (s, b, at = Date.now()) => { const t = Math.floor(at / 1000);
      return { 'Calendly-Webhook-Signature': `t=${t},v1=` + hmac('sha256', s, `${t}.${b}`, 'hex') }; },
    window: 180,
    expect: { vendor_event_id: null, event_type: 'invitee.created' },
  },
  pagerduty: {
    secret: 'pd-secret', body: '{"event":{"id":"pd_1","event_type":"incident.triggered"}}',
    // During a rotation PagerDuty sends one v1= per secret; the old one first.
    sign: (s, b) => ({ 'X-PagerDuty-Signature': 'v1=' + hmac('sha256', 'old-secret', b, 'hex') + ',v1=' + hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'pd_1', event_type: 'incident.triggered' },
  },
  'coinbase-commerce': {
    secret: 'cc-secret', body: '{"event":{"id":"cc_1","type":"charge:confirmed"}}',
    sign: (s, b) => ({ 'X-CC-Webhook-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: 'cc_1', event_type: 'charge:confirmed' },
  },
  lemonsqueezy: {
    secret: 'ls-secret', body: '{"meta":{"event_name":"order_created"},"data":{}}',
    sign: (s, b) => ({ 'X-Signature': hmac('sha256', s, b, 'hex'), 'X-Event-Name': 'order_created' }),
    expect: { vendor_event_id: null, event_type: 'order_created' },
  },
  zendesk: {
    secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==', body: '{"id":"zd_1","type":"zen:event-type:ticket.created"}',
    sign: (s, b, at = Date.now()) => { const ts = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
      return { 'X-Zendesk-Webhook-Signature': hmac('sha256', s, ts + b, 'base64'), 'X-Zendesk-Webhook-Signature-Timestamp': ts }; },
    window: 300,  // hookgate's default: Zendesk documents none
    expect: { vendor_event_id: 'zd_1', event_type: 'zen:event-type:ticket.created' },
  },
  meta: {
    secret: 'meta-app-secret', body: '{"object":"page","entry":[{"id":"1","time":1700000000,"messaging":[]}]}',
    sign: (s, b) => ({ 'X-Hub-Signature-256': 'sha256=' + hmac('sha256', s, b, 'hex'), 'X-Hub-Signature': 'sha1=' + hmac('sha1', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: 'page' },
  },
  twitter: {
    secret: 'consumer-secret', body: '{"for_user_id":"1","tweet_create_events":[]}',
    sign: (s, b) => ({ 'x-twitter-webhooks-signature': 'sha256=' + hmac('sha256', s, b, 'base64') }),
    expect: { vendor_event_id: null, event_type: null },
  },
  twitch: {
    secret: 'twitch-secret-123', body: '{"subscription":{"type":"channel.follow"},"event":{}}',
    sign: (s, b, at = Date.now()) => { const id = 'tw-msg-1'; const ts = new Date(at).toISOString();
      return { 'Twitch-Eventsub-Message-Id': id, 'Twitch-Eventsub-Message-Timestamp': ts, 'Twitch-Eventsub-Message-Type': 'notification',
        'Twitch-Eventsub-Subscription-Type': 'channel.follow', 'Twitch-Eventsub-Message-Signature': 'sha256=' + hmac('sha256', s, id + ts + b, 'hex') }; },
    window: 600,
    expect: { vendor_event_id: 'tw-msg-1', event_type: 'channel.follow' },
  },
  zoom: {
    secret: 'zoom-secret-token', body: '{"event":"meeting.started","payload":{}}',
    sign: (s, b, at = Date.now()) => { const ts = String(Math.floor(at / 1000));
      return { 'x-zm-request-timestamp': ts, 'x-zm-signature': 'v0=' + hmac('sha256', s, `v0:${ts}:${b}`, 'hex') }; },
    window: 300,  // hookgate's default: Zoom documents none
    expect: { vendor_event_id: null, event_type: 'meeting.started' },
  },
  dropbox: {
    secret: 'dropbox-app-secret', body: '{"list_folder":{"accounts":["dbid:1"]}}',
    sign: (s, b) => ({ 'X-Dropbox-Signature': hmac('sha256', s, b, 'hex') }),
    expect: { vendor_event_id: null, event_type: null },
  },
  'gitlab-signing': {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', body: '{"object_kind":"push"}',
    sign: (s, b, at = Date.now()) => { const now = new Date(at); const id = 'gl-msg-1';
      return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now / 1000)), 'webhook-signature': new StandardWebhook(s).sign(id, now, b),
        'X-Gitlab-Event': 'Push Hook' }; },
    window: 300,
    expect: { vendor_event_id: 'gl-msg-1', event_type: 'Push Hook' },
  },
};

let gateway;
before(async () => {
  const sources = Object.entries(PRESETS).map(([name, p]) =>
    `  ${name}: {path: /in/${name}, verify: {provider: ${name}, secrets: ["${p.secret}"]${name === 'meta' ? ', verify_token: vt' : ''}}}`).join('\n');
  gateway = await startSources(`
${sources}
  gitlab:   {path: /in/gitlab,   verify: {provider: gitlab, secrets: ["gl-token"]}}
  postmark: {path: /in/postmark, verify: {provider: postmark, secrets: ["hook:s3cret"], ip_allowlist: {allow: [127.0.0.1]}}}
  postmark_far: {path: /in/postmark_far, verify: {provider: postmark, secrets: ["hook:s3cret"], ip_allowlist: {allow: [203.0.113.0/24]}}}
  okta:     {path: /in/okta,     verify: {provider: okta, secrets: ["Bearer okta-hook-secret"]}}
  mailgun:  {path: /in/mailgun,  verify: {provider: mailgun, secrets: ["mailgun-signing-key"]}}
  graph:    {path: /in/graph,    verify: {provider: microsoft-graph, secrets: ["graph-client-state"]}}
`);
});
after(async () => { await gateway?.stop(); });

const idOf = (response) => JSON.parse(response.body).id;

for (const [name, p] of Object.entries(PRESETS)) {
  test(`${name}: node:crypto per the vendor's docs is accepted; tampered, wrong secret${p.window ? ', stale, future' : ''} refused and not stored; hookgate sign matches the recipe`, async () => {
    const headers = p.sign(p.secret, p.body);
    const ok = await post(gateway, `/in/${name}`, headers, p.body);
    assert.equal(ok.status, 200, ok.body);
    const row = gateway.query(`SELECT vendor_event_id, event_type, CAST(body AS TEXT) AS body FROM events WHERE public_id = '${idOf(ok)}'`)[0];
    assert.deepEqual(row, { ...p.expect, body: p.body });
    const count = gateway.storedCount(name);
    const refused = async (what, requestHeaders, body, expected) => {
      const response = await post(gateway, `/in/${name}`, requestHeaders, body);
      assert.equal(response.status, 401, `${what}: ${response.body}`);
      assert.equal(reason(response), expected, what);
      assert.equal(gateway.storedCount(name), count, `${what}: nothing stored`);
    };
    await refused('tampered body', headers, p.body.replace('{', '{ '), 'bad_signature');
    const otherSecret = p.secret.startsWith('whsec_') ? 'whsec_' + crypto.randomBytes(24).toString('base64') : 'another-secret';
    await refused('wrong secret', p.sign(otherSecret, p.body), p.body, 'bad_signature');
    if (p.window) {
      await refused('stale', p.sign(p.secret, p.body, Date.now() - (p.window + 60) * 1000), p.body, 'timestamp_too_old');
      await refused('future', p.sign(p.secret, p.body, Date.now() + (p.window + 60) * 1000), p.body, 'timestamp_in_future');
    }

    // `hookgate sign` with a fixed time gives what the vendor's recipe gives at that time.
    const signed = gateway.sign(name, p.body, ['--id', 'fixed-id']);
    const resent = await post(gateway, `/in/${name}`, signed, p.body);
    assert.equal(resent.status, 200, `${resent.body} ${JSON.stringify(signed)}`);
  });
}

test('hookgate sign reproduces the documented recipes byte for byte at a fixed time', () => {
  const body = '{"event":"meeting.started"}';
  const zoom = gateway.sign('zoom', body, ['--timestamp', '1700000000']);
  assert.equal(zoom['x-zm-signature'], 'v0=' + hmac('sha256', 'zoom-secret-token', `v0:1700000000:${body}`, 'hex'));
  const calendly = gateway.sign('calendly', body, ['--timestamp', '1700000000']);
  assert.equal(calendly['Calendly-Webhook-Signature'], 't=1700000000,v1=' + hmac('sha256', 'calendly-key', `1700000000.${body}`, 'hex'));
  const zendesk = gateway.sign('zendesk', body, ['--timestamp', '1700000000']);
  assert.equal(zendesk['X-Zendesk-Webhook-Signature-Timestamp'], '2023-11-14T22:13:20Z');
  assert.equal(zendesk['X-Zendesk-Webhook-Signature'],
    hmac('sha256', 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==', '2023-11-14T22:13:20Z' + body, 'base64'));
  const twitch = gateway.sign('twitch', body, ['--timestamp', '1700000000', '--id', 'm1']);
  assert.equal(twitch['Twitch-Eventsub-Message-Signature'], 'sha256=' + hmac('sha256', 'twitch-secret-123', 'm1' + '2023-11-14T22:13:20Z' + body, 'hex'));
  const typeform = gateway.sign('typeform', body);
  assert.equal(typeform['Typeform-Signature'], 'sha256=' + hmac('sha256', 'tf-secret', body, 'base64'));
});

test('gitlab secret token, okta authorization header: compared as tokens', async () => {
  const body = '{"object_kind":"push"}';
  const ok = await post(gateway, '/in/gitlab', { 'X-Gitlab-Token': 'gl-token', 'X-Gitlab-Event': 'Push Hook', 'Idempotency-Key': 'gl-idem-1' }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(gateway.query(`SELECT vendor_event_id, event_type FROM events WHERE public_id = '${idOf(ok)}'`)[0],
    { vendor_event_id: 'gl-idem-1', event_type: 'Push Hook' });
  assert.equal(reason(await post(gateway, '/in/gitlab', { 'X-Gitlab-Token': 'gl-tokem' }, body)), 'bad_credentials');
  assert.equal(reason(await post(gateway, '/in/gitlab', {}, body)), 'missing_credentials');
  assert.equal((await post(gateway, '/in/gitlab', gateway.sign('gitlab', body), body)).status, 200);

  const okta = JSON.stringify({ eventType: 'com.okta.event_hook', eventId: 'okta-evt-1', data: { events: [{ eventType: 'user.session.start' }] } });
  const oktaOk = await post(gateway, '/in/okta', { Authorization: 'Bearer okta-hook-secret' }, okta);
  assert.equal(oktaOk.status, 200, oktaOk.body);
  assert.deepEqual(gateway.query(`SELECT vendor_event_id, event_type FROM events WHERE public_id = '${idOf(oktaOk)}'`)[0],
    { vendor_event_id: 'okta-evt-1', event_type: 'user.session.start' });
  assert.equal(reason(await post(gateway, '/in/okta', { Authorization: 'Bearer nope' }, okta)), 'bad_credentials');
});

test('postmark: Basic credentials from the URL, behind an IP allowlist', async () => {
  const body = '{"RecordType":"Delivery","MessageID":"m1"}';
  const basic = 'Basic ' + Buffer.from('hook:s3cret').toString('base64');
  const ok = await post(gateway, '/in/postmark', { Authorization: basic }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.equal(reason(await post(gateway, '/in/postmark', { Authorization: 'Basic ' + Buffer.from('hook:guess').toString('base64') }, body)), 'bad_credentials');
  assert.equal(reason(await post(gateway, '/in/postmark', {}, body)), 'missing_credentials');
  // The same credentials from outside the allowlist: refused before they are looked at.
  assert.equal(reason(await post(gateway, '/in/postmark_far', { Authorization: basic }, body)), 'ip_not_allowed');
  assert.equal((await post(gateway, '/in/postmark', gateway.sign('postmark', body), body)).status, 200);
});

test('mailgun: the signature block in the body; a token is used once', async () => {
  const timestamp = String(nowS());
  const token = crypto.randomBytes(25).toString('hex');
  const signature = hmac('sha256', 'mailgun-signing-key', timestamp + token, 'hex');
  const body = JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': { id: 'mg-1', event: 'delivered' } });
  const ok = await post(gateway, '/in/mailgun', { 'Content-Type': 'application/json' }, body);
  assert.equal(ok.status, 200, ok.body);
  assert.deepEqual(gateway.query(`SELECT vendor_event_id, event_type FROM events WHERE public_id = '${idOf(ok)}'`)[0],
    { vendor_event_id: token, event_type: 'delivered' });
  // A captured signature block reused with other event data is the same token: acked as the
  // original, not stored as a new event.
  const forged = JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': { id: 'mg-2', event: 'failed' } });
  const replay = await post(gateway, '/in/mailgun', {}, forged);
  assert.equal(replay.status, 200);
  assert.equal(idOf(replay), idOf(ok));
  assert.equal(gateway.query(`SELECT count(*) AS n FROM events WHERE source = 'mailgun'`)[0].n, 1);
  const bad = JSON.stringify({ signature: { timestamp, token, signature: signature.replace(/^./, signature[0] === 'a' ? 'b' : 'a') } });
  assert.equal(reason(await post(gateway, '/in/mailgun', {}, bad)), 'bad_signature');
  // The signed timestamp is held to hookgate's default 5 minutes (Mailgun documents no window).
  const unsignedBlock = (ts) => ({ timestamp: ts, token: crypto.randomBytes(25).toString('hex') });
  const stale = unsignedBlock(String(nowS() - 400));
  stale.signature = hmac('sha256', 'mailgun-signing-key', stale.timestamp + stale.token, 'hex');
  assert.equal(reason(await post(gateway, '/in/mailgun', {}, JSON.stringify({ signature: stale }))), 'timestamp_too_old');
  const future = unsignedBlock(String(nowS() + 400));
  future.signature = hmac('sha256', 'mailgun-signing-key', future.timestamp + future.token, 'hex');
  assert.equal(reason(await post(gateway, '/in/mailgun', {}, JSON.stringify({ signature: future }))), 'timestamp_in_future');
  assert.equal(gateway.storedCount('mailgun'), 1);

  // hookgate sign writes the block into the body, with --id as the token.
  const signed = gateway.signWithBody('mailgun', JSON.stringify({ 'event-data': { event: 'opened' } }), ['--id', 'b'.repeat(50)]);
  const block = JSON.parse(signed.body).signature;
  assert.equal(block.token, 'b'.repeat(50));
  assert.equal(block.signature, hmac('sha256', 'mailgun-signing-key', block.timestamp + block.token, 'hex'));
  assert.equal((await post(gateway, '/in/mailgun', {}, signed.body)).status, 200);
});

test('microsoft graph: every notification carries the clientState; acknowledged with 202', async () => {
  const body = JSON.stringify({ value: [{ subscriptionId: 's1', clientState: 'graph-client-state', changeType: 'created', resource: 'me/messages' }] });
  const ok = await post(gateway, '/in/graph', { 'Content-Type': 'application/json' }, body);
  assert.equal(ok.status, 202, ok.body);
  const wrong = body.replace('graph-client-state', 'guess');
  assert.equal(reason(await post(gateway, '/in/graph', {}, wrong)), 'bad_credentials');
  const signed = gateway.signWithBody('graph', JSON.stringify({ value: [{ changeType: 'updated' }] }));
  assert.equal(JSON.parse(signed.body).value[0].clientState, 'graph-client-state');
  assert.equal((await post(gateway, '/in/graph', {}, signed.body)).status, 202);
});
