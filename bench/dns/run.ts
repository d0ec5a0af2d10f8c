/**
 * DNS bench.
 * 1. In-process: queries/s of the resolver (DnsService.answer, what GraphQL, REST and the wire server
 *    call) over a cluster of 2,000 services and one of 20,000, with a mix of A, SRV, PTR and NXDOMAIN
 *    queries. The resolver must not slow down with cluster size: the ratio is printed.
 * 2. Over the wire: dnsperf (Debian) against netmodel's UDP server on the 2,000-service cluster, then
 *    against dnsmasq (Debian) serving the same names from a hosts file, in the same script; the QPS ratio
 *    is printed. Skipped with a printed reason when dnsperf or dnsmasq is missing.
 *
 *   npm run build && node dist/bench/dns/run.js        (env BENCH_SCALE=0.1 for a quick run)
 */
import 'reflect-metadata';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/config.js';
import type { RecordType } from '../../src/domain/dns/types.js';
import { ApplyService } from '../../src/modules/apply/apply.service.js';
import { DnsServer } from '../../src/modules/dns/dns.server.js';
import { DnsService } from '../../src/modules/dns/dns.service.js';
import { ResourceStore } from '../../src/modules/persistence/resource-store.js';
import { which } from '../common.js';
import { generateCluster } from '../import/cluster.js';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const run = promisify(execFile);
const mib = (kb: number) => Math.round(kb / 1024);

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

interface Loaded {
  readonly close: () => Promise<void>;
  readonly dns: DnsService;
  readonly port: number;
  readonly queries: readonly { name: string; type: RecordType }[];
  /** name -> IPv4 for the A queries (dnsmasq's hosts file). */
  readonly hosts: readonly [string, string][];
}

/** A fresh app on an in-memory database with `services` services (one pod each) applied. */
async function load(services: number): Promise<Loaded> {
  const nodes = Math.max(2, Math.ceil(services / 200));
  const gen = generateCluster({
    services,
    pods: services,
    policies: 0,
    namespaces: Math.max(2, services / 100),
    nodes,
  });
  const app = await createApp(
    loadConfig({
      ...process.env,
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'sqlite::memory:',
      NETMODEL_SEED: 'none',
      PORT: '0',
      HOST: '127.0.0.1',
      NETMODEL_DNS_PORT: '0',
    }),
  );
  const out = await app.get(ApplyService).apply(gen.yaml);
  if (out.failed) throw new Error(`apply failed for ${out.failed} objects`);
  const snap = app.get(ResourceStore).snapshot();
  const queries: { name: string; type: RecordType }[] = [];
  const hosts: [string, string][] = [];
  for (const s of snap.list('Service')) {
    const fqdn = `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local.`;
    const ip = s.spec.clusterIP;
    if (!ip || ip === 'None') continue;
    queries.push({ name: fqdn, type: 'A' });
    hosts.push([fqdn.slice(0, -1), ip]);
    const port = s.spec.ports?.find((p) => p.name);
    if (queries.length % 10 === 1 && port) queries.push({ name: `_${port.name}._tcp.${fqdn}`, type: 'SRV' });
    if (queries.length % 10 === 2)
      queries.push({ name: `${ip.split('.').reverse().join('.')}.in-addr.arpa.`, type: 'PTR' });
    if (queries.length % 10 === 3)
      queries.push({
        name: `missing-${queries.length}.${s.metadata.namespace}.svc.cluster.local.`,
        type: 'A',
      });
  }
  return {
    close: () => app.close(),
    dns: app.get(DnsService),
    port: app.get(DnsServer).ports().udp!,
    queries,
    hosts,
  };
}

/**
 * Queries/s of the resolver in-process, best of five 1-second windows. Both clusters are asked the
 * same number of distinct names (a sample spread over the whole cluster), so the comparison is about
 * the cluster's size, not about how many different names the loop cycles through.
 */
function inProcess(l: Loaded, sample: number): { qps: number; mix: string } {
  const step = Math.max(1, Math.floor(l.queries.length / sample));
  const queries = l.queries.filter((_, i) => i % step === 0).slice(0, sample);
  const counts = new Map<string, number>();
  for (const q of queries) counts.set(q.type, (counts.get(q.type) ?? 0) + 1);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 1000) {
      for (let i = 0; i < 1000; i++) {
        const q = queries[(n + i) % queries.length]!;
        l.dns.answer(q.name, q.type);
      }
      n += 1000;
    }
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  return { qps: best, mix: [...counts].map(([t, c]) => `${c} ${t}`).join(', ') };
}

async function dnsperf(bin: string, port: number, file: string, seconds: number): Promise<number> {
  const { stdout } = await run(
    bin,
    [
      '-s',
      '127.0.0.1',
      '-p',
      String(port),
      '-d',
      file,
      '-l',
      String(seconds),
      '-c',
      '8',
      '-T',
      '2',
      '-q',
      '200',
    ],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const m = /Queries per second:\s+([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`dnsperf printed no rate:\n${stdout}`);
  const lost = /Queries lost:\s+(\d+)/.exec(stdout)?.[1];
  console.log(`[dns]     dnsperf: ${Number(m[1]).toFixed(0)} qps, ${lost ?? '?'} lost`);
  return Number(m[1]);
}

async function overTheWire(l: Loaded): Promise<void> {
  const perf = which('dnsperf');
  const dnsmasq = which('dnsmasq');
  if (!perf || !dnsmasq) {
    console.log(
      `[dns] wire: skipped, ${!perf ? 'dnsperf' : 'dnsmasq'} is not installed (apt-get install dnsperf dnsmasq-base)`,
    );
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netmodel-dns-bench-'));
  const seconds = Math.max(2, Math.round(5 * Math.min(1, SCALE * 2)));
  try {
    // The same A queries for both servers.
    const file = join(dir, 'queries.txt');
    writeFileSync(file, l.hosts.map(([n]) => `${n} A`).join('\n') + '\n');
    const hostsFile = join(dir, 'hosts');
    writeFileSync(hostsFile, l.hosts.map(([n, ip]) => `${ip} ${n}`).join('\n') + '\n');
    console.log(`[dns] wire: ${l.hosts.length} names, ${seconds} s per server, 8 clients`);
    console.log(`[dns]   netmodel (UDP ${l.port})`);
    const ours = await dnsperf(perf, l.port, file, seconds);
    const port = await freePort();
    const child = spawn(
      dnsmasq,
      [
        '--no-daemon',
        `--port=${port}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--no-resolv',
        '--no-hosts',
        `--addn-hosts=${hostsFile}`,
        '--user=root',
        '--pid-file=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await new Promise((r) => setTimeout(r, 500));
    try {
      console.log(`[dns]   dnsmasq (UDP ${port}, the same names from a hosts file)`);
      const theirs = await dnsperf(perf, port, file, seconds);
      console.log(`[dns]   ratio netmodel/dnsmasq ${(ours / theirs).toFixed(2)}`);
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runDnsBench(): Promise<void> {
  const small = Math.round(2000 * SCALE);
  const large = Math.round(20000 * SCALE);
  const a = await load(small);
  try {
    const r = inProcess(a, a.queries.length);
    console.log(`[dns] in-process, ${small} services (${r.mix}): ${r.qps.toFixed(0)} queries/s`);
    const b = await load(large);
    try {
      const r2 = inProcess(b, a.queries.length);
      console.log(`[dns] in-process, ${large} services (${r2.mix}): ${r2.qps.toFixed(0)} queries/s`);
      console.log(
        `[dns] ratio ${large}/${small} services: ${(r2.qps / r.qps).toFixed(2)} (1.0 = no slower at 10x the size)`,
      );
      // The small cluster again, now that the large one shares the heap: the same process conditions.
      const again = inProcess(a, a.queries.length);
      console.log(
        `[dns] in-process, ${small} services again with the ${large}-service cluster loaded beside it: ${again.qps.toFixed(0)} queries/s (ratio ${large}/${small} in the same heap ${(r2.qps / again.qps).toFixed(2)})`,
      );
      // The same count of names, but all from the first tenth of the large cluster: objects that sit
      // close together in memory. The gap to the spread sample is the memory hierarchy, not the work.
      const near = inProcess({ ...b, queries: b.queries.slice(0, a.queries.length) }, a.queries.length);
      console.log(
        `[dns] in-process, ${large} services, names from its first ${small} services: ${near.qps.toFixed(0)} queries/s (ratio to ${small} services ${(near.qps / r.qps).toFixed(2)})`,
      );
    } finally {
      await b.close();
    }
    if (!process.env.BENCH_NO_WIRE) await overTheWire(a);
  } finally {
    await a.close();
  }
  console.log(`[dns] peak RSS (maxRSS) ${mib(process.resourceUsage().maxRSS)} MiB`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runDnsBench().catch((e: Error) => {
    console.error(e);
    process.exit(1);
  });
}
