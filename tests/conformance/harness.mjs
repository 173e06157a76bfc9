// Starts the real hookgate binary on a temporary config and free port for the SDK oracles.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const binary = process.env.HOOKGATE_BINARY;
if (!binary) throw new Error('HOOKGATE_BINARY must point at the built hookgate');

export async function startGateway(configYaml) {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-conf-'));
  const configPath = join(dir, 'hookgate.yaml');
  writeFileSync(configPath, configYaml);
  const child = spawn(binary, ['serve', '-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hookgate did not start:\n' + log)), 20000);
    const onData = (chunk) => {
      log += chunk;
      const match = /listening on http:\/\/\S+:(\d+)\s/.exec(log);
      if (match) { clearTimeout(timer); resolve(Number(match[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hookgate exited (${code}):\n${log}`)); });
  });
  child.removeAllListeners('exit');
  return {
    port,
    configPath,
    dbPath: join(dir, 'events.db'),
    url: (path) => `http://127.0.0.1:${port}${path}`,
    // `hookgate sign` for a body: the headers as an object.
    sign(source, body, extraArgs = []) {
      const bodyPath = join(dir, 'body.bin');
      writeFileSync(bodyPath, body);
      const out = execFileSync(binary, ['sign', '-c', configPath, '--source', source, '--body', bodyPath, ...extraArgs]).toString();
      return Object.fromEntries(out.trim().split('\n').map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      }));
    },
    // Rows via the sqlite3 CLI (JSON mode), so no native npm module is needed.
    query(sql) {
      const out = execFileSync('sqlite3', ['-json', join(dir, 'events.db'), sql]).toString().trim();
      return out ? JSON.parse(out) : [];
    },
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function post(gateway, path, headers, body) {
  const response = await fetch(gateway.url(path), { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}
