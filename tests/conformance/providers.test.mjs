// `hookgate providers`: one line per preset starting with its name, --json for scripts, and
// --markdown identical to the committed docs/providers.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { binary } from './harness.mjs';

const run = (...args) => execFileSync(binary, ['providers', ...args]).toString();

test('providers --json lists the whole catalogue with how each preset is proven', () => {
  const presets = JSON.parse(run('--json'));
  const names = presets.map((p) => p.name);
  for (const name of ['stripe', 'github', 'gitlab', 'gitlab-signing', 'bitbucket', 'shopify', 'slack', 'twilio', 'sendgrid',
    'mailgun', 'postmark', 'standard-webhooks', 'svix', 'clerk', 'resend', 'discord', 'paddle', 'linear', 'square', 'zoom',
    'meta', 'facebook', 'instagram', 'whatsapp', 'twitter', 'x', 'twitch', 'hubspot', 'hubspot-v1', 'hubspot-v2', 'intercom',
    'zendesk', 'pagerduty', 'sentry', 'vercel', 'typeform', 'calendly', 'asana', 'dropbox', 'microsoft-graph', 'okta',
    'coinbase-commerce', 'mux', 'lemonsqueezy', 'jira', 'adyen', 'adyen-hmac']) {
    assert.ok(names.includes(name), name);
  }
  for (const p of presets) {
    if (p.name !== 'none') assert.ok(p.proof.length > 0, `${p.name} says how it is proven`);
  }
  assert.equal(presets.find((p) => p.name === 'meta').handshake_get, true);
  assert.equal(presets.find((p) => p.name === 'discord').ack, '204');
  assert.equal(presets.find((p) => p.name === 'twilio').needs_public_url, true);
});

test('providers prints one line per preset, starting with its name', () => {
  const lines = run().trimEnd().split('\n');
  const presets = JSON.parse(run('--json'));
  assert.equal(lines.length, presets.length);
  lines.forEach((line, i) => assert.ok(line.startsWith(presets[i].name + ' '), line));
});

test('providers --markdown is the committed docs/providers.md', () => {
  const committed = readFileSync(new URL('../../docs/providers.md', import.meta.url)).toString();
  assert.equal(run('--markdown'), committed, 'run: hookgate providers --markdown > docs/providers.md');
});
