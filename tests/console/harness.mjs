// The world the console tests drive: the real hookgate binary on a temporary config (SQLite
// or PostgreSQL by HOOKGATE_CONSOLE_BACKEND), a stand-in destination whose answer the test
// sets, Standard Webhooks signing, SQL on the store, and Debian's chromium via playwright-core
// (never a downloaded browser).
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stopChild } from '../stop_child.mjs';

export const binary = process.env.HOOKGATE_BINARY;
if (!binary) throw new Error('HOOKGATE_BINARY must point at the built hookgate');

export const backend = process.env.HOOKGATE_CONSOLE_BACKEND || 'sqlite';
if (backend !== 'sqlite' && backend !== 'postgres') {
  throw new Error(`HOOKGATE_CONSOLE_BACKEND is sqlite or postgres, not ${backend}`);
}

const psql = process.env.PSQL || '/usr/lib/postgresql/15/bin/psql';
const kRequestTimeoutMs = 15000;

// Polls `probe` (sync or async) every 100 ms until it returns something truthy, which it
// returns; after `timeoutMs` it throws, naming what it waited for and what it last saw.
export async function until(what, probe, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A loopback port nobody holds right now (for admin.listen, if the ready file lacks it).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The stand-in for the internal service: records every request, answers `status`.
export async function startDestination() {
  const received = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ eventId: req.headers['webhook-id'], attempt: req.headers['hookgate-attempt'],
                      body: Buffer.concat(chunks).toString(), status: state.status });
      res.writeHead(state.status, { 'content-type': 'text/plain' });
      res.end(state.status === 200 ? 'ok' : 'stand-in failure');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    received,
    answer(status) { state.status = status; },
    // Requests that reached it for one event, whatever the answer.
    countFor(eventId) { return received.filter((r) => r.eventId === eventId).length; },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// A PostgreSQL database of its own on the `postgres` fixture's server: the URL to give hookgate.
function createPostgresDatabase() {
  const dir = process.env.HOOKGATE_TEST_POSTGRES_DIR;
  if (!dir) throw new Error('HOOKGATE_CONSOLE_BACKEND=postgres needs HOOKGATE_TEST_POSTGRES_DIR (the postgres fixture)');
  const serverUrl = readFileSync(join(dir, 'url'), 'utf8').trim();
  const name = 'console_' + randomBytes(6).toString('hex');
  execFileSync(psql, [serverUrl, '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`],
               { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
  const url = new URL(serverUrl);
  url.pathname = '/' + name;
  return { serverUrl, name, url: url.toString() };
}

// `hookgate serve` with one Standard Webhooks source `acme` routed to destination `main`,
// which retries nothing (a 500 is dead at once) and never opens its circuit, so the tests
// decide every outcome through the stand-in's answer.
export async function startGateway({ destinationUrl }) {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-console-'));
  const token = 'console-test-' + randomBytes(12).toString('hex');
  const secret = 'whsec_' + randomBytes(24).toString('base64');
  const database = backend === 'postgres' ? createPostgresDatabase() : null;
  const storage = database ? `{url: "${database.url}"}` : '{path: events.db}';
  const adminPort = await freePort();
  const configPath = join(dir, 'hookgate.yaml');
  writeFileSync(configPath, `
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: ${storage}
admin: {listen: "127.0.0.1:${adminPort}", token: "${token}"}
log: {level: warn}
sources:
  acme:
    path: /in/acme
    verify: {provider: standard-webhooks, secrets: ["${secret}"]}
destinations:
  main:
    url: ${destinationUrl}
    timeout: 5s
    retry: {schedule: [], jitter: 0%}
    circuit_breaker: {failures: 1000, failure_rate: 100%, window: 64}
routes:
  - {from: acme, to: [main]}
`);
  const readyPath = join(dir, 'ready.json');
  const child = spawn(binary, ['serve', '-c', configPath, '--ready-file', readyPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const deadline = Date.now() + 60000;
  let ready;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`hookgate exited (${child.exitCode}):\n${log}`);
    if (existsSync(readyPath)) ready = JSON.parse(readFileSync(readyPath, 'utf8'));
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('hookgate did not start within 60 s:\n' + log);
    } else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ingest = ready.listeners.find((url) => url.startsWith('http://'));
  const admin = ready.admin || `http://127.0.0.1:${adminPort}`;
  let sent = 0;

  return {
    token,
    admin,
    dir,
    get log() { return log; },
    adminUrl: (path) => admin + path,

    // A signed Standard Webhooks request to /in/acme; resolves to the evt_ id hookgate
    // answered and the signature it carried.
    // A Buffer is sent as application/octet-stream, byte for byte. `forged`: signed with
    // another key, so the source must refuse it (the answer's status is returned instead).
    async send(payload, { forged = false } = {}) {
      const binary = Buffer.isBuffer(payload);
      const body = binary ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
      const id = `msg_console_${process.pid}_${++sent}_${randomBytes(4).toString('hex')}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const key = forged ? randomBytes(24) : Buffer.from(secret.slice('whsec_'.length), 'base64');
      const signature = 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
      const response = await fetch(ingest + '/in/acme', {
        method: 'POST', body, signal: AbortSignal.timeout(kRequestTimeoutMs),
        headers: { 'content-type': binary ? 'application/octet-stream' : 'application/json',
                   'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      });
      const text = await response.text();
      if (forged) return { status: response.status };
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${text}`);
      return { eventId: JSON.parse(text).id, vendorId: id, signature };
    },

    // The admin API with the bearer token (the test's own view, not the page's).
    async api(method, path) {
      const response = await fetch(admin + path, {
        method, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(kRequestTimeoutMs),
      });
      const text = await response.text();
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: response.status, json, text };
    },

    // One value from the store, by the backend's own client (sqlite3 or psql).
    sqlValue(sql) {
      const options = { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 };
      if (database) return execFileSync(psql, [database.url, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], options).toString().trim();
      return execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(dir, 'events.db'), sql], options).toString().trim();
    },

    async stop() {
      try {
        await stopChild(child);
      } finally {
        if (database) {
          try {
            execFileSync(psql, [database.serverUrl, '-c', `DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`],
                         { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
          } catch { /* the fixture's server is removed after the run anyway */ }
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// Debian's chromium, headless, through playwright-core.
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
                           args: ['--no-sandbox'], timeout: 30000 });
}

// Where screenshots go: HOOKGATE_CONSOLE_SCREENSHOTS (e.g. docs/console), or nowhere.
export function screenshotDir() {
  const dir = process.env.HOOKGATE_CONSOLE_SCREENSHOTS;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return dir;
}
