/**
 * NetworkPolicy bench: the pure engine (src/domain/policy/engine.ts) over a generated cluster held in a
 * ClusterState, no application around it.
 *
 * The cluster (deterministic, seeded; BENCH_SCALE scales pods, policies, namespaces and nodes):
 * - 50 namespaces: kube-system and monitoring, then team namespaces, each labelled team=<one of 8> and
 *   tier=frontend|backend|data (system namespaces: team=platform, tier=system), plus
 *   kubernetes.io/metadata.name as the API server sets it.
 * - 5,000 pods: 20 in each system namespace (coredns; prometheus, grafana, alertmanager), the rest
 *   spread evenly over the team namespaces, each of which runs 5 apps drawn from a pool of 10. Labels
 *   app, tier (from the app) and version (v1 20%, v2 60%, v3 20%), so a namespace has at most 15 label
 *   sets and pods fall into equivalence classes as in a real cluster. Container ports by app, named:
 *   http 8080, grpc 9090, metrics 9102, postgres 5432, redis 6379, kafka 9092 (coredns: dns 53/UDP,
 *   dns-tcp 53/TCP). status.podIP unique: 10.244.<node>.<n> over 40 nodes (no hostNetwork pods).
 * - 500 NetworkPolicies, spread round-robin over the namespaces (10 each). The first of each namespace
 *   is a default deny: ingress only, or ingress and egress in every sixth namespace (those get an
 *   egress allow for their own namespace and DNS as their second). The others are drawn with weights:
 *     25% same namespace by app: app=A from podSelector app=B, named port http;
 *      5% same namespace by expression: tier In (frontend, backend) AND version NotIn (v1), 8080 + grpc;
 *     15% from namespaces by label: namespaceSelector team=T, port 8080;
 *     15% AND combinations: (namespace tier=frontend AND app=gateway) OR (namespace team=T AND
 *         version In (v2, v3)), named port http;
 *     10% metrics scraping: every pod, from monitoring's prometheus (namespaceSelector on
 *         kubernetes.io/metadata.name AND podSelector), named port metrics;
 *      5% from every namespace: namespaceSelector {}, ports 8080-8090 (endPort);
 *     15% egress: to tier=data on 5432/6379/9092, to kube-system's coredns on 53 UDP and TCP, to
 *         namespaces team=T on named ports http and grpc, to ipBlock 0.0.0.0/0 except 10.0.0.0/8 and
 *         169.254.169.254/32 on 443;
 *     10% ipBlock: from 192.168.0.0/16 except 192.168.100.0/24 (a VPN) or from the pod range
 *         10.244.0.0/16 except the last node's /24 (a quarantined node), port 8080.
 *
 * Printed: the generation; the full reachability matrix of every pod on 8080/TCP (`reachability`, on
 * equivalence classes), spot-checked against `verdict`; the latency of one `verdict` (median and p99
 * over 2,000 random pairs; each call compiles every policy of the cluster afresh); the ratio of
 * `reachabilityNaive` (every pair) to `reachability` on two 500-pod subsets, whose matrices must be
 * identical: "spread" (every tenth pod at scale 1, so few pods share a class) and "dense" (the first
 * 500 pods, a few whole namespaces); then the naive matrix of all pods once, checked cell by cell
 * against the classes one (skip with BENCH_NO_FULL_NAIVE=1); peak RSS.
 *
 *   npm run build && node dist/bench/policy/run.js        (env BENCH_SCALE=0.1 for a quick run)
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type {
  ContainerPort,
  KubeObject,
  Labels,
  Namespace,
  NetworkPolicy,
  Pod,
} from '../../src/domain/model/types.js';
import {
  METADATA_NAME_LABEL as MD_NAME,
  reachability,
  reachabilityNaive,
  verdict,
  type Endpoint,
  type Reachability,
} from '../../src/domain/policy/engine.js';
import { ClusterState } from '../../src/domain/state/cluster-state.js';
import { bestOf, timed } from '../common.js';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const PODS = Math.max(20, Math.round(5000 * SCALE));
const POLICIES = Math.max(4, Math.round(500 * SCALE));
const NAMESPACES = Math.max(3, Math.round(50 * SCALE));
const NODES = Math.max(2, Math.round(40 * SCALE));
const SYSTEM_PODS = Math.max(2, Math.round(20 * SCALE));
const SUBSET = Math.min(PODS, Math.max(200, Math.round(500 * SCALE)));
const VERDICTS = 2000;
const PORT = 8080;

const mib = (kb: number) => Math.round(kb / 1024);
const fmt = (n: number) => n.toLocaleString('en-US');

/** mulberry32: a small seeded PRNG, so every run generates the same cluster. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTS: Record<string, ContainerPort> = {
  http: { name: 'http', containerPort: 8080, protocol: 'TCP' },
  grpc: { name: 'grpc', containerPort: 9090, protocol: 'TCP' },
  metrics: { name: 'metrics', containerPort: 9102, protocol: 'TCP' },
  postgres: { name: 'postgres', containerPort: 5432, protocol: 'TCP' },
  redis: { name: 'redis', containerPort: 6379, protocol: 'TCP' },
  kafka: { name: 'kafka', containerPort: 9092, protocol: 'TCP' },
  dns: { name: 'dns', containerPort: 53, protocol: 'UDP' },
  'dns-tcp': { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
};

interface App {
  readonly tier: string;
  readonly ports: readonly string[];
}

const APPS: Record<string, App> = {
  web: { tier: 'frontend', ports: ['http', 'metrics'] },
  gateway: { tier: 'frontend', ports: ['http', 'metrics'] },
  api: { tier: 'backend', ports: ['http', 'grpc', 'metrics'] },
  worker: { tier: 'backend', ports: ['grpc', 'metrics'] },
  auth: { tier: 'backend', ports: ['http', 'grpc', 'metrics'] },
  search: { tier: 'backend', ports: ['http', 'metrics'] },
  reports: { tier: 'backend', ports: ['http'] },
  postgres: { tier: 'data', ports: ['postgres', 'metrics'] },
  redis: { tier: 'data', ports: ['redis'] },
  kafka: { tier: 'data', ports: ['kafka', 'metrics'] },
};
const TEAM_APPS = Object.keys(APPS);
const SYSTEM_APPS: Record<string, Record<string, App>> = {
  'kube-system': { coredns: { tier: 'system', ports: ['dns', 'dns-tcp', 'metrics'] } },
  monitoring: {
    prometheus: { tier: 'system', ports: ['http'] },
    grafana: { tier: 'system', ports: ['http'] },
    alertmanager: { tier: 'system', ports: ['http'] },
  },
};
const TEAMS = ['payments', 'search', 'identity', 'checkout', 'data', 'web', 'mobile', 'ml'];
const TIERS = ['frontend', 'backend', 'data'];

type PolicyKind =
  'same-ns-app' | 'same-ns-expr' | 'from-team' | 'and-combo' | 'metrics' | 'any-ns' | 'egress' | 'ipblock';
const WEIGHTS: [PolicyKind, number][] = [
  ['same-ns-app', 25],
  ['same-ns-expr', 5],
  ['from-team', 15],
  ['and-combo', 15],
  ['metrics', 10],
  ['any-ns', 5],
  ['egress', 15],
  ['ipblock', 10],
];

interface Generated {
  readonly objects: KubeObject[];
  readonly policyMix: Map<string, number>;
}

function generate(): Generated {
  const rand = prng(0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  // Namespaces and the apps each one runs.
  const namespaces: Namespace[] = [];
  const apps = new Map<string, Record<string, App>>();
  for (let i = 0; i < NAMESPACES; i++) {
    const system = i === 0 ? 'kube-system' : i === 1 ? 'monitoring' : undefined;
    const team = system ? 'platform' : TEAMS[i % TEAMS.length]!;
    const name = system ?? `${team}-${String(i).padStart(2, '0')}`;
    const tier = system ? 'system' : TIERS[Math.floor(i / TEAMS.length) % TIERS.length]!;
    namespaces.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { team, tier, [MD_NAME]: name } },
    });
    if (system) {
      apps.set(name, SYSTEM_APPS[system]!);
    } else {
      const pool = [...TEAM_APPS];
      const mine: Record<string, App> = {};
      for (let k = 0; k < 5; k++) {
        const app = pool.splice(Math.floor(rand() * pool.length), 1)[0]!;
        mine[app] = APPS[app]!;
      }
      apps.set(name, mine);
    }
  }

  // Pods: a few in each system namespace, the rest evenly over the team namespaces.
  const pods: Pod[] = [];
  const nextHost = new Array<number>(NODES).fill(1);
  const teamNs = namespaces.length - 2;
  const teamPods = PODS - 2 * SYSTEM_PODS;
  namespaces.forEach((ns, i) => {
    const name = ns.metadata.name;
    const count = i < 2 ? SYSTEM_PODS : Math.floor(teamPods / teamNs) + (i - 2 < teamPods % teamNs ? 1 : 0);
    const nsApps = Object.keys(apps.get(name)!);
    for (let k = 0; k < count; k++) {
      const app = pick(nsApps);
      const def = apps.get(name)![app]!;
      const r = rand();
      const version = r < 0.2 ? 'v1' : r < 0.8 ? 'v2' : 'v3';
      let node = Math.floor(rand() * NODES);
      while (nextHost[node]! > 254) node = (node + 1) % NODES;
      const host = nextHost[node]!;
      nextHost[node] = host + 1;
      const podIP = `10.244.${node}.${host}`;
      const labels: Labels = { app, tier: def.tier, version };
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-${version}-${String(k).padStart(4, '0')}`, namespace: name, labels },
        spec: {
          nodeName: `node-${String(node).padStart(3, '0')}`,
          containers: [
            {
              name: app,
              image: `registry.example/${app}:${version}`,
              ports: def.ports.map((p) => PORTS[p]!),
            },
          ],
        },
        status: {
          phase: 'Running',
          podIP,
          podIPs: [{ ip: podIP }],
          hostIP: `172.18.${node >> 8}.${(node & 255) + 2}`,
        },
      });
    }
  });
  if (pods.length !== PODS) throw new Error(`generated ${pods.length} pods, expected ${PODS}`);

  // Policies, round-robin over the namespaces.
  const policies: NetworkPolicy[] = [];
  const policyMix = new Map<string, number>();
  const quarantine = `10.244.${NODES - 1}.0/24`;
  const total = WEIGHTS.reduce((a, [, w]) => a + w, 0);
  for (let p = 0; p < POLICIES; p++) {
    const nsIdx = p % namespaces.length;
    const k = Math.floor(p / namespaces.length);
    const ns = namespaces[nsIdx]!.metadata.name;
    const nsApps = Object.keys(apps.get(ns)!);
    const denyAll = nsIdx % 6 === 5;
    let kind: string;
    if (k === 0) kind = denyAll ? 'default-deny-all' : 'default-deny-ingress';
    else if (k === 1 && denyAll) kind = 'allow-egress-ns-dns';
    else {
      let r = rand() * total;
      kind = WEIGHTS.find(([, w]) => (r -= w) < 0)?.[0] ?? 'same-ns-app';
    }
    policyMix.set(kind, (policyMix.get(kind) ?? 0) + 1);
    const a = pick(nsApps);
    const b = pick(nsApps);
    const team = pick(TEAMS);
    const dns = {
      to: [
        {
          namespaceSelector: { matchLabels: { [MD_NAME]: 'kube-system' } },
          podSelector: { matchLabels: { app: 'coredns' } },
        },
      ],
      ports: [
        { port: 53, protocol: 'UDP' as const },
        { port: 53, protocol: 'TCP' as const },
      ],
    };
    let spec: NetworkPolicy['spec'];
    switch (kind) {
      case 'default-deny-ingress':
        spec = { podSelector: {}, policyTypes: ['Ingress'] };
        break;
      case 'default-deny-all':
        spec = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
        break;
      case 'allow-egress-ns-dns':
        spec = { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }, dns] };
        break;
      case 'same-ns-app':
        spec = {
          podSelector: { matchLabels: { app: a } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: b } } }], ports: [{ port: 'http' }] }],
        };
        break;
      case 'same-ns-expr':
        spec = {
          podSelector: { matchLabels: { app: a } },
          ingress: [
            {
              from: [
                {
                  podSelector: {
                    matchExpressions: [
                      { key: 'tier', operator: 'In', values: ['frontend', 'backend'] },
                      { key: 'version', operator: 'NotIn', values: ['v1'] },
                    ],
                  },
                },
              ],
              ports: [{ port: 8080, protocol: 'TCP' }, { port: 'grpc' }],
            },
          ],
        };
        break;
      case 'from-team':
        spec = {
          podSelector: { matchLabels: { app: a } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 8080 }] }],
        };
        break;
      case 'and-combo':
        spec = {
          podSelector: { matchLabels: { app: a } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { tier: 'frontend' } },
                  podSelector: { matchLabels: { app: 'gateway' } },
                },
                {
                  namespaceSelector: { matchLabels: { team } },
                  podSelector: {
                    matchExpressions: [{ key: 'version', operator: 'In', values: ['v2', 'v3'] }],
                  },
                },
              ],
              ports: [{ port: 'http' }],
            },
          ],
        };
        break;
      case 'metrics':
        spec = {
          podSelector: {},
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { [MD_NAME]: 'monitoring' } },
                  podSelector: { matchLabels: { app: 'prometheus' } },
                },
              ],
              ports: [{ port: 'metrics' }],
            },
          ],
        };
        break;
      case 'any-ns':
        spec = {
          podSelector: { matchLabels: { app: a } },
          ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080, endPort: 8090 }] }],
        };
        break;
      case 'egress':
        spec = {
          podSelector: { matchLabels: { app: a } },
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ podSelector: { matchLabels: { tier: 'data' } } }],
              ports: [{ port: 5432 }, { port: 6379 }, { port: 9092 }],
            },
            dns,
            {
              to: [{ namespaceSelector: { matchLabels: { team } } }],
              ports: [{ port: 'http' }, { port: 'grpc' }],
            },
            {
              to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] } }],
              ports: [{ port: 443 }],
            },
          ],
        };
        break;
      default: // ipblock
        spec = {
          podSelector: { matchLabels: { app: a } },
          ingress: [
            {
              from: [
                rand() < 0.5
                  ? { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.100.0/24'] } }
                  : { ipBlock: { cidr: '10.244.0.0/16', except: [quarantine] } },
              ],
              ports: [{ port: 8080 }],
            },
          ],
        };
    }
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${kind}-${String(k).padStart(3, '0')}`, namespace: ns },
      spec,
    });
  }
  return { objects: [...namespaces, ...pods, ...policies], policyMix };
}

function allowedCells(r: Reachability): number {
  let n = 0;
  for (const row of r.allowed) for (const cell of row) if (cell) n++;
  return n;
}

/** Throws at the first difference between two matrices. */
function sameMatrix(a: Reachability, b: Reachability, label: string): void {
  if (a.pods.length !== b.pods.length || a.pods.some((p, i) => p !== b.pods[i]))
    throw new Error(`${label}: the pod lists differ`);
  for (let i = 0; i < a.pods.length; i++)
    for (let j = 0; j < a.pods.length; j++)
      if (a.allowed[i]![j] !== b.allowed[i]![j])
        throw new Error(
          `${label}: ${a.pods[i]} -> ${a.pods[j]}: naive ${a.allowed[i]![j]}, classes ${b.allowed[i]![j]}`,
        );
}

function labelSetsOf(pods: readonly Pod[]): number {
  return new Set(pods.map((p) => `${p.metadata.namespace} ${canonical(p.metadata.labels ?? {})}`)).size;
}

function canonical(l: Labels): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');
}

/** reachabilityNaive against reachability on one subset: identical matrices, and the time ratio. */
function compare(state: ClusterState, label: string, subset: readonly Pod[]): void {
  const naive = bestOf(3, () => reachabilityNaive(state, subset, PORT, 'TCP'));
  const classes = bestOf(3, () => reachability(state, subset, PORT, 'TCP'));
  sameMatrix(naive.value, classes.value, `${label} ${subset.length}-pod subset`);
  console.log(
    `[policy] ${fmt(subset.length)}-pod subset, ${label} (${fmt(labelSetsOf(subset))} label sets), identical matrices: naive ${naive.ms.toFixed(0)} ms, classes ${classes.ms.toFixed(0)} ms, ratio naive/classes ${(naive.ms / classes.ms).toFixed(1)}x`,
  );
}

export function runPolicyBench(): void {
  const t0 = performance.now();
  const gen = generate();
  const genMs = performance.now() - t0;
  const state = new ClusterState();
  const load = timed(() => {
    state.load(gen.objects);
    state.setResourceVersion(1);
  });
  const mix = [...gen.policyMix].map(([k, n]) => `${n} ${k}`).join(', ');
  console.log(
    `[policy] scale ${SCALE}: ${fmt(state.count('Namespace'))} namespaces, ${fmt(state.count('Pod'))} pods on ${NODES} nodes, ${fmt(state.count('NetworkPolicy'))} NetworkPolicies (generated in ${genMs.toFixed(0)} ms, loaded in ${load.ms.toFixed(0)} ms)`,
  );
  console.log(`[policy]   policy mix: ${mix}`);
  console.log(
    `[policy]   ${fmt(labelSetsOf(state.list('Pod')))} distinct (namespace, pod labels) sets (a lower bound of the engine's equivalence classes, which it does not expose)`,
  );

  // The full matrix on equivalence classes.
  const pods = state.list('Pod');
  const full = timed(() => reachability(state, pods, PORT, 'TCP'));
  const n = full.value.pods.length;
  const allowed = allowedCells(full.value);
  console.log(
    `[policy] reachability ${fmt(n)} x ${fmt(n)} pods on ${PORT}/TCP: ${(full.ms / 1000).toFixed(2)} s (${fmt(Math.round((n * n) / (full.ms / 1000)))} cells/s), ${((100 * allowed) / (n * n)).toFixed(1)}% of cells allowed`,
  );

  const rssMatrix = mib(process.resourceUsage().maxRSS);

  // One verdict at a time, random pairs; each result checked against the matrix.
  const rand = prng(0xbe7c);
  const index = new Map(full.value.pods.map((id, i) => [id, i]));
  const endpoint = (pod: Pod): Endpoint => ({
    kind: 'pod',
    pod,
    namespace: state.get('Namespace', '', pod.metadata.namespace ?? ''),
  });
  const pair = () => [pods[Math.floor(rand() * n)]!, pods[Math.floor(rand() * n)]!] as const;
  for (let i = 0; i < 200; i++) {
    const [a, b] = pair();
    verdict(state, endpoint(a), endpoint(b), PORT, 'TCP');
  }
  const lat: number[] = [];
  let yes = 0;
  for (let i = 0; i < VERDICTS; i++) {
    const [a, b] = pair();
    const from = endpoint(a);
    const to = endpoint(b);
    const s = performance.now();
    const v = verdict(state, from, to, PORT, 'TCP');
    lat.push(performance.now() - s);
    const ia = index.get(`${a.metadata.namespace}/${a.metadata.name}`)!;
    const ib = index.get(`${b.metadata.namespace}/${b.metadata.name}`)!;
    if (v.allowed !== full.value.allowed[ia]![ib])
      throw new Error(
        `verdict and reachability disagree on ${full.value.pods[ia]} -> ${full.value.pods[ib]}`,
      );
    if (v.allowed) yes++;
  }
  lat.sort((x, y) => x - y);
  const q = (f: number) => lat[Math.min(lat.length - 1, Math.floor(f * lat.length))]!;
  console.log(
    `[policy] verdict, ${fmt(VERDICTS)} random pairs (${yes} allowed, all agree with the matrix): median ${(q(0.5) * 1000).toFixed(0)} us, p99 ${(q(0.99) * 1000).toFixed(0)} us, max ${(lat[lat.length - 1]! * 1000).toFixed(0)} us`,
  );

  // Naive (every pair) against classes on the same subsets. Spread: every tenth pod, over all the
  // namespaces, so few pods share a class (the worst case for classes). Dense: the first pods in
  // order, a few whole namespaces, where classes are as large as in the full cluster.
  const step = Math.max(1, Math.floor(n / SUBSET));
  compare(state, 'spread', pods.filter((_, i) => i % step === 0).slice(0, SUBSET));
  compare(state, 'dense', pods.slice(0, SUBSET));

  // The naive matrix of the whole cluster, once: the real ratio, and a full check of the classes.
  if (process.env.BENCH_NO_FULL_NAIVE) {
    console.log('[policy] naive on all pods: skipped (BENCH_NO_FULL_NAIVE)');
  } else {
    const naive = timed(() => reachabilityNaive(state, pods, PORT, 'TCP'));
    sameMatrix(naive.value, full.value, `all ${n} pods`);
    console.log(
      `[policy] naive on all ${fmt(n)} pods, identical matrix: ${(naive.ms / 1000).toFixed(2)} s, ratio naive/classes ${(naive.ms / full.ms).toFixed(1)}x`,
    );
  }
  console.log(
    `[policy] peak RSS (maxRSS) ${mib(process.resourceUsage().maxRSS)} MiB (${rssMatrix} MiB after the classes matrix, before the naive runs)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runPolicyBench();
