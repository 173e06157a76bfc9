// Starts the real hookgate binary on a temporary config and free port for the SDK oracles.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stopChild } from '../stop_child.mjs';

export const binary = process.env.HOOKGATE_BINARY;
if (!binary) throw new Error('HOOKGATE_BINARY must point at the built hookgate');

// `hookgate serve -c configPath`, resolved once its --ready-file names the bound port: the
// child and its port.
async function spawnServe(configPath) {
  const readyPath = configPath + '.ready.json';
  rmSync(readyPath, { force: true });
  const child = spawn(binary, ['serve', '-c', configPath, '--ready-file', readyPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited !== null) throw new Error(`hookgate exited (${exited}):\n${log}`);
    if (existsSync(readyPath)) {
      const ready = JSON.parse(readFileSync(readyPath, 'utf8'));
      const http = ready.listeners.find((url) => url.startsWith('http://'));
      child.removeAllListeners('exit');
      return { child, port: Number(http.slice(http.lastIndexOf(':') + 1)) };
    }
    if (Date.now() > deadline) {
      // Not left running: its pipes would keep this test file's process alive for good.
      child.kill('SIGKILL');
      throw new Error('hookgate did not start within 60 s:\n' + log);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startGateway(configYaml) {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-conf-'));
  const configPath = join(dir, 'hookgate.yaml');
  writeFileSync(configPath, configYaml);
  let { child, port } = await spawnServe(configPath);
  let signCount = 0;
  return {
    get port() { return port; },
    configPath,
    dbPath: join(dir, 'events.db'),
    url: (path) => `http://127.0.0.1:${port}${path}`,
    // SIGTERM and start again on the same config and database (a new port).
    async restart() {
      await stopChild(child);
      ({ child, port } = await spawnServe(configPath));
    },
    // `hookgate sign` for a body: the headers as an object.
    sign(source, body, extraArgs = []) {
      return this.signWithBody(source, body, extraArgs).headers;
    },
    // `hookgate sign`, also returning the body it wrote with --signed-body (schemes that sign
    // inside the body), or the body as given, and the path + query of the URL it wrote with
    // --signed-url (schemes whose credential is in the URL), or undefined.
    signWithBody(source, body, extraArgs = []) {
      const bodyPath = join(dir, `body-${++signCount}.bin`);
      const signedPath = join(dir, `signed-${signCount}.bin`);
      const urlPath = join(dir, `url-${signCount}.txt`);
      writeFileSync(bodyPath, body);
      const out = execFileSync(binary, ['sign', '-c', configPath, '--source', source, '--body', bodyPath,
                                        '--signed-body', signedPath, '--signed-url', urlPath, ...extraArgs],
                                 { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 }).toString();
      const headers = Object.fromEntries(out.split('\n').filter((line) => line.length > 0).map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      }));
      let signedBody = body;
      try { signedBody = readFileSync(signedPath).toString(); } catch { /* headers-only scheme */ }
      let url;
      try {
        const written = readFileSync(urlPath).toString();
        if (written.includes('?')) { const parsed = new URL(written, 'http://local'); url = parsed.pathname + parsed.search; }
      } catch { /* no URL */ }
      return { headers, body: signedBody, url };
    },
    // Rows via the sqlite3 CLI (JSON mode), so no native npm module is needed.
    query(sql) {
      const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000', join(dir, 'events.db'), sql],
                               { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 }).toString().trim();
      return out ? JSON.parse(out) : [];
    },
    // Events stored for `source` (a name from the config, not user input).
    storedCount(source) {
      return this.query(`SELECT count(*) AS n FROM events WHERE source = '${source}'`)[0].n;
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// startGateway() on a free loopback port, one I/O thread and events.db beside the config,
// with these lines (YAML, indented two spaces) under `sources:`.
export function startSources(sourceLines) {
  return startGateway(`
server: {listen: ["127.0.0.1:0"], io_threads: 1}
storage: {path: events.db}
sources:
${sourceLines}
`);
}

// An answer that never comes fails the test (a TimeoutError) instead of hanging the run.
const kRequestTimeoutMs = 30000;

export async function post(gateway, path, headers, body) {
  const response = await fetch(gateway.url(path), { method: 'POST', headers, body, signal: AbortSignal.timeout(kRequestTimeoutMs) });
  return { status: response.status, body: await response.text() };
}

// Any method; `path` may carry a query. The answer with its headers.
export async function send(gateway, method, path, headers = {}, body = undefined) {
  const response = await fetch(gateway.url(path), { method, headers, body, signal: AbortSignal.timeout(kRequestTimeoutMs) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

// The JSON error reason of a 401, or undefined.
export const reason = (response) => {
  try { return JSON.parse(response.body).error; } catch { return undefined; }
};
