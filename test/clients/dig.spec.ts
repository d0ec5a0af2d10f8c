/**
 * The real DNS server, queried by `dig` (Debian dnsutils, installed by .ci/run): A, SRV, PTR, NXDOMAIN
 * with the SOA, and an answer too large for UDP that dig retries over TCP.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DnsServer } from '../../src/modules/dns/dns.server.js';
import { applyHeadlessWithPods } from '../e2e/e2e-helpers.js';
import { startApp, type TestApp } from '../support/app.js';
import { requireProgram } from './tools.js';

const run = promisify(execFile);
const DIG = requireProgram('dig.spec', 'dig', 'apt-get install dnsutils');

interface DigResult {
  status: string;
  flags: string[];
  answer: string[];
  authority: string[];
  text: string;
}

/** Runs dig and reads its header, flags and the ANSWER and AUTHORITY sections (one line per record). */
async function dig(port: number, ...args: string[]): Promise<DigResult> {
  const { stdout } = await run(DIG!, ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=5', ...args]);
  const status = /status: (\w+)/.exec(stdout)?.[1] ?? '';
  const flags = (/;; flags: ([a-z ]+);/.exec(stdout)?.[1] ?? '').trim().split(/\s+/);
  const section = (title: string) => {
    const start = stdout.indexOf(`;; ${title} SECTION:`);
    if (start < 0) return [];
    const lines = stdout.slice(start).split('\n').slice(1);
    const end = lines.findIndex((l) => l.trim() === '');
    return lines.slice(0, end < 0 ? undefined : end).map((l) => l.trim().split(/\s+/).join(' '));
  };
  return { status, flags, answer: section('ANSWER'), authority: section('AUTHORITY'), text: stdout };
}

const describeIfDig = DIG ? describe : describe.skip;

describeIfDig('dig against the DNS server', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startApp({ seed: 'demo', env: { NETMODEL_DNS_PORT: '0', HOST: '127.0.0.1' } });
    port = t.app.get(DnsServer).ports().udp!;
    // A headless service with 60 ready pods: its A answer does not fit 512 bytes of UDP.
    await applyHeadlessWithPods(t, 'shop', 'many', 60);
  }, 60_000);
  afterAll(async () => {
    await t?.close({ drop: true });
  });

  it('A: a ClusterIP service, authoritative', async () => {
    const r = await dig(port, 'api.shop.svc.cluster.local', 'A');
    expect(r.status).toBe('NOERROR');
    expect(r.flags).toEqual(expect.arrayContaining(['qr', 'aa', 'rd']));
    expect(r.answer).toEqual(['api.shop.svc.cluster.local. 30 IN A 10.96.100.11']);
  });

  it('SRV: a named port, with the target', async () => {
    const r = await dig(port, '_http._tcp.api.shop.svc.cluster.local', 'SRV');
    expect(r.status).toBe('NOERROR');
    expect(r.answer).toEqual([
      '_http._tcp.api.shop.svc.cluster.local. 30 IN SRV 0 100 80 api.shop.svc.cluster.local.',
    ]);
  });

  it('PTR: the reverse name of a ClusterIP', async () => {
    const r = await dig(port, '-x', '10.96.100.11');
    expect(r.status).toBe('NOERROR');
    expect(r.answer).toEqual(['11.100.96.10.in-addr.arpa. 30 IN PTR api.shop.svc.cluster.local.']);
  });

  it('NXDOMAIN: an unknown service, with the SOA in the authority section', async () => {
    const r = await dig(port, 'nope.shop.svc.cluster.local', 'A');
    expect(r.status).toBe('NXDOMAIN');
    expect(r.answer).toEqual([]);
    expect(r.authority).toHaveLength(1);
    expect(r.authority[0]).toMatch(
      /^cluster\.local\. 30 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30$/,
    );
  });

  it('a large answer is truncated over UDP and dig gets it whole over TCP', async () => {
    const r = await dig(port, '+bufsize=512', 'many.shop.svc.cluster.local', 'A');
    expect(r.text).toContain('Truncated, retrying in TCP mode');
    expect(r.status).toBe('NOERROR');
    expect(r.answer).toHaveLength(60);
    expect(new Set(r.answer.map((l) => l.split(' ')[4])).size).toBe(60);
  });

  it('+tcp from the start', async () => {
    const r = await dig(port, '+tcp', 'kube-dns.kube-system.svc.cluster.local', 'A');
    expect(r.answer).toEqual(['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10']);
  });
});
