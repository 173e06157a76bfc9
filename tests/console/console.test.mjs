// The web console in a real browser against the real binary: session and CSRF, the live tail,
// event detail with masked secrets, retry, cancel, pause / resume, bulk retry, paging,
// hostile vendor text, logout and an expired session. One gateway and one browser page for
// the file; the tests run in order and build on each other's state (the session, the
// stand-in destination's counts, the events sent so far).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { backend, launchBrowser, screenshotDir, startDestination, startGateway, until } from './harness.mjs';

const kWaitMs = 15000;
// Each step's own limit: a request that never answers inside page.evaluate has no timeout of
// its own, and must fail its step rather than hang the file.
const kStep = { timeout: 45000 };

// Chromium reports every 4xx answer to a fetch or navigation as a console error. The tests
// cause 401s (no session, wrong token, after logout) and a 403 (no CSRF header) on purpose;
// everything else printed as an error (CSP violations above all) fails the run.
const kExpectedLoadError = /^Failed to load resource: the server responded with a status of 40[13]\b/;

// The console spec's policy, on every console response.
const kConsoleCsp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

describe(`web console in chromium (${backend})`, { timeout: 240000 }, () => {
  let destination;
  let gateway;
  let browser;
  let context;
  let page;
  const problems = [];
  const visited = [];
  const posts = [];  // the Origin header of every POST the page made
  const shots = screenshotDir();
  let sentCount = 0;

  const row = (eventId) => page.locator(`[data-testid="event-row"][data-event-id="${eventId}"]`);
  const destinationRow = () => page.locator('[data-testid="destination-row"][data-destination="main"]');

  async function send(payload) {
    const sent = await gateway.send(payload);
    sentCount += 1;
    return sent;
  }

  // A route of app.html, as a click in the nav would (no reload).
  async function openRoute(hash) {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
    await until(`the page at ${hash}`, async () => (await page.evaluate(() => window.location.hash)) === hash);
  }

  async function screenshot(name) {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`) });
  }

  const deliveryState = async (eventId) => (await gateway.api('GET', `/api/events/${eventId}`)).json?.deliveries?.[0]?.state;

  // Sends with the stand-in answering 500 (so each delivery is dead after its one attempt),
  // then lets it answer 200 again.
  async function sendDead(payloads) {
    destination.answer(500);
    const sent = [];
    for (const payload of payloads) sent.push(await send(payload));
    for (const { eventId } of sent) {
      await until(`delivery of ${eventId} dead`, async () => (await deliveryState(eventId)) === 'dead');
    }
    destination.answer(200);
    return sent;
  }

  before(async () => {
    destination = await startDestination();
    gateway = await startGateway({ destinationUrl: destination.url });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(kWaitMs);
    context.setDefaultNavigationTimeout(kWaitMs);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !kExpectedLoadError.test(message.text())) {
        problems.push(`console error at ${page.url()} (${message.location().url || 'no url'}): ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error at ${page.url()}: ${error.message}`));
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });
    page.on('request', (request) => {
      if (request.method() !== 'POST') return;
      const path = new URL(request.url()).pathname;
      posts.push(request.allHeaders().then((h) => `${path} Origin: ${h.origin}`, (error) => `${path} (headers unknown: ${error.message})`));
    });
  }, { timeout: 120000 });

  after(async () => {
    // Each step on its own, so one failing does not leave the others running.
    await browser?.close().catch(() => {});
    await gateway?.stop().catch((error) => { console.error(error.message); });
    await destination?.close().catch(() => {});
  }, { timeout: 60000 });

  // GET with an optional session cookie: status, CSP header, body text.
  async function get(path, cookie) {
    const response = await fetch(gateway.adminUrl(path), {
      headers: cookie ? { cookie: `hookgate_session=${cookie}` } : {}, redirect: 'manual', signal: AbortSignal.timeout(kWaitMs),
    });
    return { status: response.status, csp: response.headers.get('content-security-policy'), text: await response.text() };
  }

  test('without a session the console, its script and the API answer 401 and the login page shows', kStep, async () => {
    for (const path of ['/console', '/console/console.js', '/api/events']) {
      assert.equal((await get(path)).status, 401, `GET ${path} without a session`);
    }
    const console401 = await get('/console');
    assert.match(console401.text, /data-testid="login-token"/, 'GET /console without a session is the login page');
    assert.doesNotMatch(console401.text, /console\.js/, 'and not the app');
    for (const path of ['/console', '/console/login', '/console/console.css']) {
      assert.equal((await get(path)).csp, kConsoleCsp, `the CSP of GET ${path}`);
    }
    assert.equal((await get('/console/login')).status, 200);
    assert.equal((await get('/console/console.css')).status, 200);
    await page.goto(gateway.adminUrl('/console'));
    await page.getByTestId('login-token').waitFor();
    await page.getByTestId('login-submit').waitFor();
    assert.equal(await page.getByTestId('login-error').count(), 0, 'no error before a failed login');
    await screenshot('login');
  });

  test('a wrong token shows the error and sets no cookie', kStep, async () => {
    await page.getByTestId('login-token').fill('not-the-token');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.match(await page.getByTestId('login-error').textContent(), /Wrong token/);
    const cookies = await context.cookies();
    assert.deepEqual(cookies.filter((c) => c.name === 'hookgate_session'), []);
  });

  test('the right token lands on the events page with an HttpOnly, SameSite=Strict session cookie', kStep, async () => {
    await page.getByTestId('login-token').fill(gateway.token);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/console');
    await page.getByTestId('live-indicator').waitFor();
    await page.locator('[data-testid="event-table"]').waitFor();
    assert.ok(!page.url().includes(gateway.token), `the token is in the URL ${page.url()}`);
    for (const url of visited) assert.ok(!url.includes(gateway.token), `the token was in the URL ${url}`);

    const session = (await context.cookies()).find((c) => c.name === 'hookgate_session');
    assert.ok(session, 'a hookgate_session cookie');
    assert.equal(session.httpOnly, true, 'HttpOnly');
    assert.equal(session.sameSite, 'Strict', 'SameSite');
    assert.equal(session.path, '/');
    assert.equal(await page.evaluate(() => document.cookie.includes('hookgate_session')), false, 'invisible to scripts');

    // The cookie alone is a session (the logout test relies on it: logout must end it).
    assert.equal((await get('/api/events', session.value)).status, 200, 'GET /api/events with the session cookie');
    for (const path of ['/console', '/console/console.js']) {
      const answer = await get(path, session.value);
      assert.equal(answer.status, 200, `GET ${path} with the session cookie`);
      assert.equal(answer.csp, kConsoleCsp, `the CSP of GET ${path} with a session`);
    }
  });

  test('a POST with the session cookie but without X-CSRF-Token is refused with 403 and changes nothing', kStep, async () => {
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/destinations/main/pause', { method: 'POST', credentials: 'same-origin' });
      return { status: response.status, body: await response.text() };
    });
    assert.equal(answer.status, 403);
    assert.equal(JSON.parse(answer.body).error, 'csrf');
    const wrong = await page.evaluate(async () => {
      const response = await fetch('/api/destinations/main/pause', {
        method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': 'A'.repeat(43) },
      });
      return response.status;
    });
    assert.equal(wrong, 403, 'a wrong X-CSRF-Token');
    const destinations = await gateway.api('GET', '/api/destinations');
    assert.equal(destinations.json.destinations.find((d) => d.name === 'main').paused, false, 'main is not paused');
  });

  let firstEvent;
  const firstPayload = { type: 'invoice.paid', data: { object: { id: 'in_1', amount_due: 4200, currency: 'eur' } } };

  test('live tail: a webhook sent while the events page is open appears without a reload', kStep, async () => {
    await until('the live indicator on', async () => (await page.getByTestId('live-indicator').textContent()) === 'Live');
    await page.evaluate(() => { window.__sameDocument = true; });
    firstEvent = await send(firstPayload);
    await row(firstEvent.eventId).waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    assert.match(await row(firstEvent.eventId).textContent(), /invoice\.paid/);
    // Its delivery's attempt comes through the tail too: the row's badge turns delivered.
    await until('the stand-in to receive it', () => destination.countFor(firstEvent.eventId) === 1);
    await until('the row to show delivered', async () => /delivered/.test(await row(firstEvent.eventId).textContent()));
  });

  test('event detail: the body pretty-printed, the signature header masked', kStep, async () => {
    await row(firstEvent.eventId).click();
    await page.getByTestId('event-detail').waitFor();
    assert.ok(page.url().endsWith(`#/events/${firstEvent.eventId}`), page.url());
    await page.getByTestId('event-body').waitFor();
    assert.equal(await page.getByTestId('event-body').textContent(), JSON.stringify(firstPayload, null, 2));

    const headerRows = page.getByTestId('event-detail').locator('[data-testid="header-row"]');
    const headers = await headerRows.evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    const signature = headers.find(([name]) => name.toLowerCase() === 'webhook-signature');
    assert.ok(signature, `a webhook-signature header row in ${JSON.stringify(headers)}`);
    assert.equal(signature[1], '***');
    const secretPart = firstEvent.signature.slice('v1,'.length);
    assert.ok(!(await page.content()).includes(secretPart), 'the real signature is nowhere in the page');
    assert.ok(!(await page.getByTestId('event-detail').textContent()).includes(secretPart));
  });

  test('retry: a dead delivery retried from its row is delivered again, in the page and in the store', kStep, async () => {
    const [dead] = await sendDead([{ type: 'invoice.payment_failed', data: { object: { id: 'in_2' } } }]);
    assert.equal(destination.countFor(dead.eventId), 1, 'one attempt before the retry');
    await openRoute(`#/events/${dead.eventId}`);
    const delivery = page.locator('[data-testid="delivery-row"]').first();
    await until('the delivery row to show dead', async () => (await delivery.getAttribute('data-state')) === 'dead');
    const deliveryId = Number(await delivery.getAttribute('data-delivery-id'));
    assert.ok(Number.isInteger(deliveryId) && deliveryId > 0, `delivery id ${deliveryId}`);
    assert.equal(gateway.sqlValue(`SELECT state FROM deliveries WHERE id = ${deliveryId}`), 'dead');

    await delivery.getByTestId('retry').click();
    await until('the stand-in to receive the retry', () => destination.countFor(dead.eventId) === 2);
    const byId = page.locator(`[data-testid="delivery-row"][data-delivery-id="${deliveryId}"]`);
    await until('the page to show delivered', async () => (await byId.getAttribute('data-state')) === 'delivered');
    assert.match(await byId.getByTestId('delivery-state').textContent(), /delivered/);
    await until('the store to say delivered',
      () => gateway.sqlValue(`SELECT state FROM deliveries WHERE id = ${deliveryId}`) === 'delivered');
    await until('both attempts listed', async () => (await page.getByTestId('attempt-row').count()) === 2);
    await screenshot('event-detail');
  });

  test('pause holds deliveries (queue depth 1, nothing sent) and resume delivers them', kStep, async () => {
    await openRoute('#/destinations');
    await destinationRow().waitFor();
    assert.equal(await destinationRow().getAttribute('data-state'), 'delivering');
    await destinationRow().getByTestId('pause').click();
    await until('the row to show paused', async () => (await destinationRow().getAttribute('data-state')) === 'paused');
    await destinationRow().getByTestId('resume').waitFor();
    assert.match(await destinationRow().getByTestId('destination-state').textContent(), /paused/);

    const held = await send({ type: 'invoice.created', data: { object: { id: 'in_3' } } });
    // The one fixed wait: proof of absence needs a span of time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(destination.countFor(held.eventId), 0, 'nothing delivered while paused');
    await until('queue depth 1 in the row', async () => (await destinationRow().getByTestId('queue-depth').textContent()).trim() === '1');
    assert.equal(destination.countFor(held.eventId), 0, 'still nothing delivered while paused');
    await screenshot('destinations');

    await destinationRow().getByTestId('resume').click();
    await until('the held event delivered after resume', () => destination.countFor(held.eventId) === 1);
    await until('the row to show delivering', async () => (await destinationRow().getAttribute('data-state')) === 'delivering');
    await destinationRow().getByTestId('pause').waitFor();
  });

  test('bulk retry over status=dead: the dialog counts them, the destination receives them all', kStep, async () => {
    const dead = await sendDead([1, 2, 3].map((n) => ({ type: 'order.failed', data: { n } })));
    await openRoute('#/events');
    await page.getByTestId('filter-status').selectOption('dead');
    await page.getByTestId('filter-apply').click();
    await until('the filter in the route', async () => (await page.evaluate(() => window.location.hash)).includes('status=dead'));
    for (const { eventId } of dead) await row(eventId).waitFor();
    await until('only the three dead events listed', async () => (await page.getByTestId('event-row').count()) === 3);

    await page.getByTestId('bulk-retry').click();
    await page.getByTestId('bulk-confirm').waitFor();
    assert.equal((await page.getByTestId('bulk-count').textContent()).trim(), '3');
    for (const { eventId } of dead) assert.equal(destination.countFor(eventId), 1, 'nothing sent before confirming');
    await page.getByTestId('bulk-confirm-yes').click();
    await page.getByTestId('bulk-result').waitFor();
    assert.match(await page.getByTestId('bulk-result').textContent(), /Rescheduled 3 of 3/);
    assert.equal(await page.getByTestId('bulk-confirm').count(), 0, 'the dialog closed');
    for (const { eventId } of dead) {
      await until(`the retry of ${eventId}`, () => destination.countFor(eventId) === 2);
      await until(`${eventId} delivered`, async () => (await deliveryState(eventId)) === 'delivered');
    }
  });

  let hostile;
  const hostilePayload = {
    type: '<b>x</b>',
    note: '<img src=x onerror="window.__pwned=1">',
    script: '</script><script>window.__pwned=2</script>',
  };

  test('hostile vendor text shows as characters: no script runs, no element is made', kStep, async () => {
    hostile = await send(hostilePayload);
    await openRoute('#/events');
    await row(hostile.eventId).waitFor();
    assert.ok((await row(hostile.eventId).textContent()).includes('<b>x</b>'), 'the type literally in the row');
    assert.equal(await page.getByTestId('event-table').locator('img, b, script').count(), 0);
    await screenshot('events');

    await openRoute(`#/events/${hostile.eventId}`);
    const detail = page.getByTestId('event-detail');
    await page.getByTestId('event-body').waitFor();
    const text = await detail.textContent();
    assert.ok(text.includes('<b>x</b>'), 'the event type literally');
    assert.ok(text.includes('<img src=x onerror=\\"window.__pwned=1\\">'), 'the img text literally (JSON-escaped quotes)');
    assert.ok(text.includes('</script><script>window.__pwned=2</script>'), 'the script text literally');
    assert.equal(await page.getByTestId('event-body').textContent(), JSON.stringify(hostilePayload, null, 2));
    assert.equal(await detail.locator('img').count(), 0, 'no <img> in the detail');
    assert.equal(await detail.locator('b, script').count(), 0, 'no <b> or <script> in the detail');
    assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined');
  });

  test('a body that is not UTF-8 shows as (binary, N bytes) with its base64', kStep, async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41, 0xc3, 0x28]);
    const binary = await send(bytes);
    await openRoute(`#/events/${binary.eventId}`);
    await page.getByTestId('event-body').waitFor();
    assert.equal(await page.getByTestId('event-body').textContent(), `(binary, ${bytes.length} bytes)\n${bytes.toString('base64')}`);
  });

  test('cancel: a pending delivery cancelled from its row is cancelled in the page and the store; retry all sends it', kStep, async () => {
    assert.equal((await gateway.api('POST', '/api/destinations/main/pause')).status, 200);
    const held = await send({ type: 'invoice.voided', data: { object: { id: 'in_4' } } });
    await openRoute(`#/events/${held.eventId}`);
    const delivery = page.locator('[data-testid="delivery-row"]').first();
    await until('the delivery row to show pending', async () => (await delivery.getAttribute('data-state')) === 'pending');
    const deliveryId = Number(await delivery.getAttribute('data-delivery-id'));
    await delivery.getByTestId('cancel').click();
    await until('the page to show cancelled', async () => (await delivery.getAttribute('data-state')) === 'cancelled');
    assert.equal(gateway.sqlValue(`SELECT state FROM deliveries WHERE id = ${deliveryId}`), 'cancelled');
    assert.equal(await delivery.getByTestId('cancel').isDisabled(), true, 'nothing left to cancel');
    assert.equal((await gateway.api('POST', '/api/destinations/main/resume')).status, 200);
    assert.equal(destination.countFor(held.eventId), 0, 'a cancelled delivery is not sent');

    // Retry all (POST /api/events/{id}/retry) brings it back.
    await page.getByTestId('retry-all').click();
    await until('the stand-in to receive it after retry all', () => destination.countFor(held.eventId) === 1);
    await until('the page to show delivered', async () => (await delivery.getAttribute('data-state')) === 'delivered');
  });

  test('load more: the next page by next_before, then no more', kStep, async () => {
    const before = (await gateway.api('GET', '/api/events?limit=1000')).json.count;
    const burst = [];
    for (let n = 0; n < 50; n++) burst.push(await send({ type: 'ping', data: { n } }));
    for (const { eventId } of burst) await until(`${eventId} delivered`, () => destination.countFor(eventId) === 1);
    const total = before + burst.length;
    await openRoute('#/sources');
    await openRoute('#/events');
    await until('the first page of 50 rows', async () => (await page.getByTestId('event-row').count()) === 50);
    await page.getByTestId('load-more').waitFor();
    await page.getByTestId('load-more').click();
    await until(`all ${total} rows`, async () => (await page.getByTestId('event-row').count()) === total);
    await until('no more to load', async () => !(await page.getByTestId('load-more').isVisible()));
    const ids = await page.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    assert.equal(new Set(ids).size, total, 'no event twice');
    assert.equal(ids[0], burst[burst.length - 1].eventId, 'newest first');
    assert.equal(ids[total - 1], firstEvent.eventId, 'the first event of the run last');
  });

  test('sources: the acme row counts what this run sent, and the forged requests by reason', kStep, async () => {
    for (let n = 0; n < 2; n++) {
      const { status } = await gateway.send({ type: 'forged' }, { forged: true });
      assert.ok(status >= 400, `a forged request is refused (${status})`);
    }
    await openRoute('#/sources');
    const source = page.locator('[data-testid="source-row"][data-source="acme"]');
    await source.waitFor();
    const figure = async (id) => Number((await source.getByTestId(id).textContent()).replace(/,/g, ''));
    await until(`accepted = ${sentCount}`, async () => (await figure('accepted')) === sentCount);
    await until('rejected = 2', async () => (await figure('rejected')) === 2);
    assert.match(await source.getByTestId('rejected-reasons').textContent(), /: 2$/);
    assert.equal(await source.locator('svg rect.bar-ok').count() > 0, true, 'a bar for the minutes with events');
    assert.equal(await source.locator('svg rect.bar-bad').count() > 0, true, 'a bar for the rejected ones');
    await screenshot('sources');
  });

  test('logout: back on the login page, and the old cookie no longer works', kStep, async () => {
    const old = (await context.cookies()).find((c) => c.name === 'hookgate_session');
    assert.ok(old, 'a session before logout');
    await page.getByTestId('logout').click();
    await page.waitForURL((url) => url.pathname === '/console/login');
    await page.getByTestId('login-token').waitFor();
    for (const path of ['/api/events', '/console', '/console/console.js']) {
      assert.equal((await get(path, old.value)).status, 401, `GET ${path} with the cookie of the ended session`);
    }
    const left = (await context.cookies()).find((c) => c.name === 'hookgate_session' && c.value);
    assert.equal(left, undefined, 'the browser dropped the cookie');
  });

  test('a session that ends under the open page sends it to the login page', kStep, async () => {
    await page.getByTestId('login-token').fill(gateway.token);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/console');
    await until('the live indicator on', async () => (await page.getByTestId('live-indicator').textContent()) === 'Live');
    await context.clearCookies();
    // Any request now answers 401: the next one (this route's, or the tail's if it comes
    // first and the page is already leaving) must take the page to the login page.
    await page.evaluate(() => { window.location.hash = '#/destinations'; }).catch(() => {});
    await until('the login page', () => new URL(page.url()).pathname === '/console/login');
    await page.getByTestId('login-token').waitFor();
  });

  test('no CSP violation, console error or uncaught exception during the run', kStep, () => {
    assert.deepEqual(problems, []);
    assert.equal(visited.some((url) => url.includes(gateway.token)), false);
  });

  // Regression: under the listener's Referrer-Policy: no-referrer a browser sends
  // "Origin: null" on a POST, which the listener's same-origin check refuses (403
  // cross_origin), so the login form and every button failed. The pages set same-origin.
  test('every POST of the page (login form, buttons, logout) carried the listener as its Origin', kStep, async () => {
    const seen = await Promise.all(posts);
    for (const path of ['/console/login', '/api/deliveries/retry', '/api/destinations/main/pause', '/console/logout']) {
      assert.ok(seen.some((line) => line.startsWith(path + ' ')), `a POST ${path} in ${JSON.stringify(seen)}`);
    }
    assert.deepEqual(seen.filter((line) => !line.endsWith(`Origin: ${gateway.admin}`)), []);
  });
});
