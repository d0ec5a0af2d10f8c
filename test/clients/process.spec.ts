/**
 * The service as a process, the way the quick start runs it (`node dist/src/main.js` after the build):
 * it serves the demo cluster, writes JSON log lines with request ids, stops cleanly on SIGTERM, and
 * refuses a bad configuration at boot with a message naming the variable.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = 'dist/src/main.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitReady(port: number, ms = 30000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`service on ${port} not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the service process (node dist/src/main.js)', () => {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: npm test builds before the client specs (npm run build)`);

  it('serves the demo cluster on SQLite, logs JSON lines with request ids, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netmodel-proc-'));
    dirs.push(dir);
    const port = await freePort();
    const p = run({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      LOG_LEVEL: 'info',
    });
    try {
      await waitReady(port);
      const shop = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/shop/pods`, {
        headers: { 'x-request-id': 'proc-spec-1' },
      });
      expect(shop.status).toBe(200);
      const body = (await shop.json()) as { items: unknown[] };
      expect(body.items.length).toBeGreaterThan(0);
      expect(existsSync(join(dir, 'db.sqlite-wal'))).toBe(true); // WAL mode on the SQLite file
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
    const lines = p.stdout().split('\n').filter(Boolean);
    const json = lines.map((l) => JSON.parse(l) as { level: number; reqId?: string; msg?: string });
    expect(json.length).toBeGreaterThan(2);
    expect(json.some((l) => l.reqId === 'proc-spec-1')).toBe(true);
    expect(json.some((l) => /listening on/.test(l.msg ?? ''))).toBe(true);
  }, 60000);

  it.each<{ name: string; env: Record<string, string>; variable: string }>([
    {
      name: 'a bad service CIDR',
      env: { NETMODEL_SERVICE_CIDR: '10.96.0.0/99' },
      variable: 'NETMODEL_SERVICE_CIDR',
    },
    {
      name: 'a bad NodePort range',
      env: { NETMODEL_NODEPORT_RANGE: '40000-30000' },
      variable: 'NETMODEL_NODEPORT_RANGE',
    },
    { name: 'an unknown database URL', env: { DATABASE_URL: 'mysql://x' }, variable: 'DATABASE_URL' },
    {
      name: 'a service CIDR larger than the allocator holds',
      env: { NETMODEL_SERVICE_CIDR: '10.0.0.0/8' },
      variable: 'NETMODEL_SERVICE_CIDR: specified 10.0.0.0/8 is too large',
    },
    {
      name: 'a node mask that does not fit the cluster CIDR',
      env: { NETMODEL_CLUSTER_CIDR: '10.244.0.0/24', NETMODEL_NODE_CIDR_MASK: '16' },
      variable: 'NETMODEL_NODE_CIDR_MASK',
    },
  ])('refuses $name at boot, naming the variable', async ({ env, variable }) => {
    const p = run({ PORT: '0', ...env });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain(`netmodel: invalid configuration: ${variable}`);
  });
});
