// `hookgate providers`: one line per preset starting with its name, --json for scripts, and
// --markdown identical to the committed docs/providers.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { binary } from './harness.mjs';

const run = (...args) => execFileSync(binary, ['providers', ...args]).toString();
// Raised with each batch of issue 19 until it reaches the 120.
const CATALOGUE_FLOOR = 120;

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
    if (p.name === 'none') continue;
    assert.ok(p.proof.length > 0, `${p.name} says how it is proven`);
    assert.ok(['sdk', 'vector', 'documented'].includes(p.proof_kind), `${p.name}: proof_kind ${p.proof_kind}`);
    assert.match(p.docs, /^https:\/\//, `${p.name} cites the vendor's documentation`);
  }
  assert.equal(presets.find((p) => p.name === 'meta').handshake_get, true);
  assert.equal(presets.find((p) => p.name === 'discord').ack, '204');
  assert.equal(presets.find((p) => p.name === 'twilio').needs_public_url, true);
});

// Vendors by name, aliases not counted: a vendor is its `vendor` text before any " (…)"
// qualifier (HubSpot v1/v2/v3 are one vendor, Adyen's two webhook kinds one).
test('providers --json lists at least the catalogue II floor of distinct vendors', () => {
  const presets = JSON.parse(run('--json'));
  const vendors = new Set(presets.filter((p) => !p.alias_of && p.name !== 'none').map((p) => p.vendor.split(' (')[0]));
  assert.ok(vendors.size >= CATALOGUE_FLOOR, `${vendors.size} vendors: ${[...vendors].sort().join(', ')}`);
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
