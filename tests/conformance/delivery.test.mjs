// The outbound signature, checked by the Standard Webhooks reference SDK: hookgate delivers a
// Stripe event to a node HTTP server that verifies every request with `standardwebhooks`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startGateway, post } from './harness.mjs';

const require = createRequire(import.meta.url);
const Stripe = require('stripe');
const { Webhook } = require('standardwebhooks');

const STRIPE_SECRET = 'whsec_conformance_delivery';
const DESTINATION_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let gateway;
let server;
const received = [];
let arrived;

before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
      arrived?.();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway = await startGateway(`
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
  stripe: {path: /in/stripe, verify: {provider: stripe, secrets: ["${STRIPE_SECRET}"]}}
destinations:
  node: {url: "http://127.0.0.1:${server.address().port}/hook", sign: {secret: "${DESTINATION_SECRET}"}}
routes:
  - {from: stripe, to: [node]}
`);
});

after(async () => {
  await gateway?.stop();
  server?.close();
});

test('the delivered request verifies with standardwebhooks and carries the event id as webhook-id', async () => {
  const payload = JSON.stringify({ id: 'evt_conformance_delivery', object: 'event', type: 'invoice.paid' });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET });
  const delivered = new Promise((resolve) => { arrived = resolve; });
  const ack = await post(gateway, '/in/stripe', { 'Stripe-Signature': header, 'Content-Type': 'application/json' }, payload);
  assert.equal(ack.status, 200, ack.body);
  await delivered;
  const [request] = received;
  assert.equal(request.body, payload, 'the body is forwarded byte-exact');
  assert.equal(request.headers['webhook-id'], JSON.parse(ack.body).id);
  const verified = new Webhook(DESTINATION_SECRET).verify(request.body, request.headers);
  assert.deepEqual(verified, JSON.parse(payload));
  assert.throws(() => new Webhook('whsec_' + Buffer.from('another key').toString('base64')).verify(request.body, request.headers));
});
