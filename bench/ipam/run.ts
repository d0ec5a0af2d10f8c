/**
 * IPAM bench: allocate and release 60,000 pod IPs and 4,000 ClusterIPs with netmodel's allocator
 * (src/domain/ipam: the pool's nextFree + its OffsetSet, the operations every allocation performs), and
 * compare with the floor: inserting the same count of numbers into a plain Set<number>. Allocation must
 * not slow down as a pool fills: the first and the last 10% of the allocations are timed apart.
 *
 * Then the same 60,000 pods through the whole admission path (scheduling over 240 nodes, the pod's
 * address and its Running status, on a batch fork of the book), as an import runs it.
 *
 *   npm run build && node dist/bench/ipam/run.js        (env BENCH_SCALE=0.1 for a quick run)
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { IpamAdmission } from '../../src/domain/ipam/admission.js';
import { Ipam } from '../../src/domain/ipam/ipam.js';
import { Pool, podPool, servicePool } from '../../src/domain/ipam/pool.js';
import type { Node, Pod } from '../../src/domain/model/types.js';
import type { PlannedWrite, StateView } from '../../src/domain/resources/lifecycle.js';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const POD_IPS = Math.round(60_000 * SCALE);
const CLUSTER_IPS = Math.round(4_000 * SCALE);
const REPEAT = 5;

const mib = (kb: number) => Math.round(kb / 1024);
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;

interface Run {
  readonly allocMs: number;
  readonly releaseMs: number;
  readonly firstTenthMs: number;
  readonly lastTenthMs: number;
  readonly distinct: number;
}

/** Allocates n values from a fresh pool, timing each tenth, then releases them all. */
function allocateAndRelease(def: Pool['def'], n: number): Run {
  const pool = new Pool(def);
  const offsets = new Int32Array(n);
  const tenth = Math.max(1, Math.floor(n / 10));
  let firstTenthMs = 0;
  const t0 = performance.now();
  let mark = t0;
  for (let i = 0; i < n; i++) {
    const o = pool.nextFree();
    if (o < 0) throw new Error(`pool ${def.name} full after ${i}`);
    pool.taken.add(o);
    offsets[i] = o;
    if (i + 1 === tenth) firstTenthMs = performance.now() - mark;
    if (i + 1 === n - tenth) mark = performance.now();
  }
  const t1 = performance.now();
  const lastTenthMs = t1 - mark;
  for (let i = 0; i < n; i++) pool.taken.delete(offsets[i]!);
  const t2 = performance.now();
  if (pool.allocated !== 0) throw new Error('release left values taken');
  return { allocMs: t1 - t0, releaseMs: t2 - t1, firstTenthMs, lastTenthMs, distinct: new Set(offsets).size };
}

/** The floor: n inserts and n deletes on a Set<number>. */
function setFloor(n: number): { insertMs: number; deleteMs: number } {
  const s = new Set<number>();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) s.add(i);
  const t1 = performance.now();
  for (let i = 0; i < n; i++) s.delete(i);
  const t2 = performance.now();
  return { insertMs: t1 - t0, deleteMs: t2 - t1 };
}

/**
 * A short run is below the timer's resolution: small counts are repeated (fresh pool each time) until
 * at least 60,000 operations are timed, and the sums are reported, so allocator and floor are
 * compared over the same number of operations.
 */
function rounds(n: number): number {
  return Math.max(1, Math.round(60_000 / n));
}

function repeatedRun(def: Pool['def'], n: number): Run {
  const runs = Array.from({ length: rounds(n) }, () => allocateAndRelease(def, n));
  const sum = (k: keyof Run) => runs.reduce((a, r) => a + r[k], 0);
  return {
    allocMs: sum('allocMs'),
    releaseMs: sum('releaseMs'),
    firstTenthMs: sum('firstTenthMs'),
    lastTenthMs: sum('lastTenthMs'),
    distinct: Math.min(...runs.map((r) => r.distinct)),
  };
}

function repeatedFloor(n: number): { insertMs: number; deleteMs: number } {
  const runs = Array.from({ length: rounds(n) }, () => setFloor(n));
  return {
    insertMs: runs.reduce((a, r) => a + r.insertMs, 0),
    deleteMs: runs.reduce((a, r) => a + r.deleteMs, 0),
  };
}

function best<T>(n: number, f: () => T, key: (t: T) => number): T {
  let out = f();
  for (let i = 1; i < n; i++) {
    const r = f();
    if (key(r) < key(out)) out = r;
  }
  return out;
}

function report(label: string, n: number, run: Run, floor: { insertMs: number; deleteMs: number }): void {
  if (run.distinct !== n) throw new Error(`${label}: ${n - run.distinct} values handed out twice`);
  const ratio = run.allocMs / floor.insertMs;
  const r = rounds(n);
  console.log(
    `[ipam] ${label}: ${n.toLocaleString('en-US')} allocations${r > 1 ? ` (x${r} rounds, times summed)` : ''}`,
  );
  n *= r;
  console.log(
    `[ipam]   allocate ${run.allocMs.toFixed(1)} ms (${rate(n, run.allocMs)}), release ${run.releaseMs.toFixed(1)} ms (${rate(n, run.releaseMs)})`,
  );
  console.log(
    `[ipam]   floor Set<number>: insert ${floor.insertMs.toFixed(1)} ms, delete ${floor.deleteMs.toFixed(1)} ms`,
  );
  console.log(
    `[ipam]   ratio allocate/floor ${ratio.toFixed(1)}x, release/floor ${(run.releaseMs / floor.deleteMs).toFixed(1)}x`,
  );
  const tenth = Math.max(1, Math.floor(n / 10));
  const first = tenth / (run.firstTenthMs / 1000);
  const last = tenth / (run.lastTenthMs / 1000);
  console.log(
    `[ipam]   first 10% ${rate(tenth, run.firstTenthMs)}, last 10% ${rate(tenth, run.lastTenthMs)} (last/first ${(last / first).toFixed(2)})`,
  );
}

/** 240 nodes with a /24 each, then n pods scheduled and addressed through admission. */
function throughAdmission(n: number): { ms: number; pods: number; distinct: number } {
  const nodes: Node[] = [];
  for (let i = 0; i < 240; i++) {
    nodes.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${String(i).padStart(3, '0')}` },
      spec: {
        podCIDR: `10.${100 + (i >> 8)}.${i & 255}.0/24`,
        podCIDRs: [`10.${100 + (i >> 8)}.${i & 255}.0/24`],
      },
      status: { addresses: [{ type: 'InternalIP', address: `172.18.${i >> 8}.${(i & 255) + 2}` }] },
    });
  }
  const ipam = new Ipam({
    serviceCidrs: ['10.96.0.0/12'],
    clusterCidrs: ['10.100.0.0/15'],
    nodeCidrMasks: [24],
    nodePortRange: { min: 30000, max: 32767 },
    nodeNetwork: '172.18.0.0/16',
  });
  ipam.load(nodes);
  const byName = new Map(nodes.map((x) => [x.metadata.name, x]));
  const view: StateView = {
    get: ((kind: string, _ns: string, name: string) =>
      kind === 'Node' ? byName.get(name) : undefined) as StateView['get'],
    list: ((kind: string) => (kind === 'Node' ? nodes : [])) as StateView['list'],
  };
  const admission = new IpamAdmission(ipam.fork(), '2026-11-24T00:00:00Z');
  const ips = new Set<string>();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'bench' },
      spec: { containers: [{ name: 'app' }] },
    };
    const w: PlannedWrite = admission.admit({ type: 'ADDED', object: pod }, view);
    const ip = (w.object as Pod).status?.podIP;
    if (ip) ips.add(ip);
  }
  return { ms: performance.now() - t0, pods: n, distinct: ips.size };
}

export function runIpamBench(): void {
  console.log(`[ipam] scale ${SCALE}: ${POD_IPS} pod IPs, ${CLUSTER_IPS} ClusterIPs; best of ${REPEAT}`);
  // One /16 pod range (65,533 usable) so the last allocations land in an almost full pool.
  const pods = podPool('bench', '10.0.0.0/16');
  const podRun = best(
    REPEAT,
    () => repeatedRun(pods, POD_IPS),
    (r) => r.allocMs,
  );
  report(
    'pod IPs from 10.0.0.0/16',
    POD_IPS,
    podRun,
    best(
      REPEAT,
      () => repeatedFloor(POD_IPS),
      (r) => r.insertMs,
    ),
  );
  // The default service range: dynamic allocation from the upper band.
  const svc = servicePool('10.96.0.0/12');
  const svcRun = best(
    REPEAT,
    () => repeatedRun(svc, CLUSTER_IPS),
    (r) => r.allocMs,
  );
  report(
    'ClusterIPs from 10.96.0.0/12',
    CLUSTER_IPS,
    svcRun,
    best(
      REPEAT,
      () => repeatedFloor(CLUSTER_IPS),
      (r) => r.insertMs,
    ),
  );
  // A small range filled to the last address: the worst case for a scan.
  const small = servicePool('10.96.0.0/20');
  const smallRun = best(
    REPEAT,
    () => repeatedRun(small, 4094),
    (r) => r.allocMs,
  );
  report(
    'ClusterIPs filling 10.96.0.0/20 completely',
    4094,
    smallRun,
    best(
      REPEAT,
      () => repeatedFloor(4094),
      (r) => r.insertMs,
    ),
  );

  const adm = best(
    3,
    () => throughAdmission(POD_IPS),
    (r) => r.ms,
  );
  if (adm.distinct !== adm.pods)
    throw new Error(`admission: ${adm.pods - adm.distinct} pod IPs handed out twice`);
  console.log(
    `[ipam] through admission (schedule over 240 nodes + address + status): ${adm.pods.toLocaleString('en-US')} pods in ${adm.ms.toFixed(0)} ms (${rate(adm.pods, adm.ms)})`,
  );
  console.log(`[ipam] peak RSS (maxRSS) ${mib(process.resourceUsage().maxRSS)} MiB`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runIpamBench();
