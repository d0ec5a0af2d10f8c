/**
 * kube-proxy's rules as netmodel writes them, loaded into the real kernel: each in a fresh network
 * namespace (`ip netns`), by the real tools (iptables-restore, nft, ipset, ip; Debian iptables, nftables,
 * ipset, nfacct and iproute2, installed by .ci/run), for every node of the demo cluster and for one node
 * of a generated 500-service cluster; then real packets: a client pod and a backend pod (two more
 * namespaces, routed veth pairs, one /32 each) and a TCP connection to a ClusterIP that reaches the
 * backend through the generated iptables DNAT rules, then through the generated nftables rules.
 *
 * Needs root (or passwordless sudo) and a kernel with nf_tables and ip_set; a kernel without IPVS (this
 * is common in containers) gets everything but the `ipvsadm -R` section and the `-m ipvs` rules, and a
 * kernel without the `dummy` link type gets kube-ipvs0 as a bridge; each substitution is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type TestApp } from '../support/app.js';
import { CommandError, deleteAllNetns, Netns, netnsUnavailable, plugPod } from './netns.js';
import { findExecutable, requireProgram } from './tools.js';

const SPEC = 'proxy-netns.spec';
const PROGRAMS: [string, string][] = [
  ['ip', 'iproute2'],
  ['iptables-restore', 'iptables'],
  ['iptables-save', 'iptables'],
  ['nft', 'nftables'],
  ['ipset', 'ipset'],
  ['nfacct', 'nfacct'],
];

/** Why the spec cannot run here (a printed skip; a failure under CI), or undefined. */
function unavailable(): string | undefined {
  // The tools live in /usr/sbin, which a user's PATH may leave out (they then run through sudo).
  const where = (p: string) => findExecutable(p) ?? findExecutable(`/usr/sbin/${p}`) ?? p;
  const missing = PROGRAMS.filter(([p, pkg]) => !requireProgram(SPEC, where(p), `apt-get install ${pkg}`));
  if (missing.length) return 'programs missing';
  const why = netnsUnavailable();
  if (!why) return undefined;
  const reason = `${SPEC}: ${why}`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI runs as root (see .ci/run)`);
  process.stderr.write(`\nSKIPPED ${reason}\n`);
  return reason;
}

const describeIfNetns = unavailable() ? describe.skip : describe;

const printed = new Set<string>();
/** Notes a substitution or a part left out, once (straight to stderr, as tools.ts does). */
function note(text: string): void {
  if (printed.has(text)) return;
  printed.add(text);
  process.stderr.write(`${SPEC}: ${text}\n`);
}

type Mode = 'iptables' | 'nftables' | 'ipvs';

interface Section {
  tool: string;
  text: string;
  ruleCount: number;
}

interface Rules {
  node: string;
  mode: Mode;
  ruleCount: number;
  servicePorts: number;
  sections: Section[];
  text: string;
}

const NFACCT_OBJECTS = ['ct_state_invalid_dropped_pkts', 'localhost_nps_accepted_pkts'];
const LOAD_TIMEOUT = 30_000;

let tmp: string;
let files = 0;
/** Writes the text to a file (nft reports errors by file line; the file stays until the end). */
function file(name: string, text: string): string {
  const path = join(tmp, `${++files}-${name}`);
  writeFileSync(path, text);
  return path;
}

async function fetchRules(t: TestApp, node: string, mode: Mode): Promise<Rules> {
  const jumps = mode === 'iptables' ? '&jumps=true' : '';
  const res = await t
    .http()
    .get(`/netmodel/v1/nodes/${node}/proxy-rules?mode=${mode}&family=IPv4${jumps}&format=json`);
  if (res.status !== 200) throw new Error(`proxy-rules ${node} ${mode}: ${res.status} ${res.text}`);
  return res.body as Rules;
}

/** The restore input's line a `line N failed` error names, so the failure shows the rule itself. */
function withFailedLine(e: unknown, text: string): Error {
  if (!(e instanceof CommandError)) return e as Error;
  const m = /line:? (\d+)/.exec(e.result.stderr);
  if (!m) return e;
  const n = Number(m[1]);
  const from = Math.max(1, n - 2);
  const around = text
    .split('\n')
    .slice(from - 1, n + 1)
    .map((l, i) => `${from + i}${from + i === n ? '>' : ':'} ${l}`)
    .join('\n');
  return new Error(`${e.message}\n--- input around line ${n}\n${around}`);
}

const aLines = (save: string): string[] => save.split('\n').filter((l) => l.startsWith('-A '));

/**
 * iptables-restore input: `--test` first (parsed and checked by the kernel, nothing committed), then
 * for real; returns `iptables-save` of the namespace.
 */
async function loadIptables(ns: Netns, text: string, flags: string[] = []): Promise<string> {
  for (const name of NFACCT_OBJECTS) await ns.exec(['nfacct', 'add', name]);
  for (const args of [['--test', ...flags], flags]) {
    try {
      await ns.exec(['iptables-restore', ...args], { input: text, timeoutMs: LOAD_TIMEOUT });
    } catch (e) {
      throw withFailedLine(e, text);
    }
  }
  return (await ns.exec(['iptables-save'], { timeoutMs: LOAD_TIMEOUT })).stdout;
}

interface NftCounts {
  rules: number;
  elements: number;
}

/** `nft -c -f` (checked, not applied), then `nft -f`; returns what the kube-proxy table holds. */
async function loadNftables(ns: Netns, text: string): Promise<NftCounts> {
  const path = file('kube-proxy.nft', text);
  await ns.exec(['nft', '-c', '-f', path], { timeoutMs: LOAD_TIMEOUT });
  await ns.exec(['nft', '-f', path], { timeoutMs: LOAD_TIMEOUT });
  const json = (
    await ns.exec(['nft', '-j', 'list', 'table', 'ip', 'kube-proxy'], { timeoutMs: LOAD_TIMEOUT })
  ).stdout;
  const items = (JSON.parse(json) as { nftables: Record<string, { elem?: unknown[] }>[] }).nftables;
  let rules = 0;
  let elements = 0;
  for (const item of items) {
    if (item.rule) rules++;
    elements += (item.set?.elem ?? item.map?.elem ?? []).length;
  }
  return { rules, elements };
}

interface IpvsLoaded {
  ipsetSave: string;
  iptablesSave: string;
  /** `-m ipvs` lines left out of the iptables section. */
  ipvsMatchLines: number;
  addresses: string;
}

/** The IPVS mode's sections, each with its own tool, in the order kube-proxy needs them. */
async function loadIpvs(ns: Netns, rules: Rules): Promise<IpvsLoaded> {
  const section = (tool: string): Section => {
    const s = rules.sections.find((x) => x.tool === tool);
    if (!s) throw new Error(`no ${tool} section in ${rules.sections.map((x) => x.tool).join(', ')}`);
    return s;
  };
  // The sets first: the iptables rules match them by name.
  const sets = section('ipset restore');
  try {
    await ns.exec(['ipset', 'restore'], { input: sets.text, timeoutMs: LOAD_TIMEOUT });
  } catch (e) {
    throw withFailedLine(e, sets.text);
  }
  const ipsetSave = (await ns.exec(['ipset', 'save'], { timeoutMs: LOAD_TIMEOUT })).stdout;

  // IPVS itself: the virtual servers, and the `-m ipvs` rules (xt_ipvs), need it in the kernel.
  const ipvs = section('ipvsadm -R');
  const probe = await ns.exec(['ipvsadm', '-L', '-n'], { allowFailure: true });
  const hasIpvs = probe.code === 0;
  if (!hasIpvs) {
    const why = probe.stderr.trim().split('\n')[0];
    note(`ipvs: the ipvsadm -R section is not loaded: no IPVS here (${why})`);
  }

  const ipt = section('iptables-restore');
  const lines = ipt.text.split('\n');
  const ipvsMatch = hasIpvs ? [] : lines.filter((l) => l.includes(' -m ipvs '));
  if (ipvsMatch.length) note(`ipvs: rules with -m ipvs left out of iptables-restore: no IPVS here`);
  const kept = lines.filter((l) => !ipvsMatch.includes(l)).join('\n');
  const iptablesSave = await loadIptables(ns, kept, ['--noflush']);

  // kube-ipvs0: a dummy link, or a bridge where the kernel has no dummy type (both just hold addresses).
  let batch = section('ip -batch').text;
  const dummy = await ns.exec(['ip', 'link', 'add', 'nm-probe', 'type', 'dummy'], { allowFailure: true });
  if (dummy.code === 0) await ns.exec(['ip', 'link', 'del', 'nm-probe']);
  else {
    note('ipvs: no dummy link type in this kernel: kube-ipvs0 is created as a bridge');
    batch = batch.replace(/ type dummy$/m, ' type bridge');
  }
  await ns.exec(['ip', '-batch', '-'], { input: batch, timeoutMs: LOAD_TIMEOUT });
  const addresses = (await ns.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'kube-ipvs0'])).stdout;

  if (hasIpvs) {
    await ns.exec(['ipvsadm', '-R'], { input: ipvs.text, timeoutMs: LOAD_TIMEOUT });
    const saved = (await ns.exec(['ipvsadm', '-S', '-n'], { timeoutMs: LOAD_TIMEOUT })).stdout;
    // Virtual servers (-A) and real servers (-a).
    expect(saved.split('\n').filter((l) => /^-[Aa] /.test(l))).toHaveLength(ipvs.ruleCount);
  }
  return { ipsetSave, iptablesSave, ipvsMatchLines: ipvsMatch.length, addresses };
}

/** One mode's rules loaded into a fresh namespace and checked against the counts the API reported. */
async function loadAndCheck(
  rules: Rules,
  known: { clusterIP: string; port: number; protocol: 'tcp' | 'udp'; id: string },
): Promise<void> {
  const ns = await Netns.create(rules.mode.slice(0, 4));
  try {
    if (rules.mode === 'iptables') {
      const save = await loadIptables(ns, rules.text);
      // Every -A line of the input is a rule in the kernel: none merged, none dropped.
      expect(aLines(save)).toHaveLength(rules.ruleCount);
      expect(save).toMatch(
        new RegExp(
          `-A KUBE-SERVICES -d ${known.clusterIP.replaceAll('.', '\\.')}/32 -p ${known.protocol} -m comment --comment "${known.id} cluster IP" -m ${known.protocol} --dport ${known.port} -j KUBE-(SVC|SVL)-`,
        ),
      );
    } else if (rules.mode === 'nftables') {
      const counts = await loadNftables(ns, rules.text);
      // The kernel holds each `add rule` line once and each distinct element once (adding an element
      // that is there is no error, and kube-proxy adds a ClusterIP to @cluster-ips once per port).
      const lines = rules.text.split('\n');
      const ruleLines = lines.filter((l) => l.startsWith('add rule ')).length;
      const elementLines = lines.filter((l) => l.startsWith('add element '));
      const distinct = new Set(elementLines).size;
      expect(counts).toEqual({ rules: ruleLines, elements: distinct });
      // And the count the API reports is what the kernel holds.
      if (counts.rules + counts.elements !== rules.ruleCount)
        throw new Error(
          `ruleCount ${rules.ruleCount} != ${counts.rules} rules + ${counts.elements} elements in the kernel: ` +
            `the text has ${elementLines.length - distinct} repeated add element line(s), which the kernel holds once`,
        );
      const map = (await ns.exec(['nft', 'list', 'map', 'ip', 'kube-proxy', 'service-ips'])).stdout;
      expect(map).toContain(`${known.clusterIP} . ${known.protocol} . ${known.port} : goto `);
    } else {
      const loaded = await loadIpvs(ns, rules);
      const count = (tool: string) => rules.sections.find((s) => s.tool === tool)!.ruleCount;
      expect(loaded.ipsetSave.split('\n').filter((l) => l.startsWith('add '))).toHaveLength(
        count('ipset restore'),
      );
      expect(loaded.ipsetSave).toContain(
        `add KUBE-CLUSTER-IP ${known.clusterIP},${known.protocol}:${known.port}`,
      );
      expect(aLines(loaded.iptablesSave)).toHaveLength(count('iptables-restore') - loaded.ipvsMatchLines);
      expect(loaded.addresses).toContain(`inet ${known.clusterIP}/32`);
      expect(loaded.addresses.trim().split('\n')).toHaveLength(count('ip -batch'));
    }
  } finally {
    await ns.delete();
  }
}

/** A TCP server on the backend pod: one JSON line per connection (addresses, first data), echoes `pong:`. */
const SERVER = (host: string, port: number) => `
const net = require('node:net');
const server = net.createServer((c) => {
  c.setEncoding('utf8');
  c.once('data', (d) => {
    const seen = { remote: c.remoteAddress, local: c.localAddress, localPort: c.localPort, data: d };
    process.stdout.write(JSON.stringify(seen) + '\\n');
    c.end('pong:' + d);
  });
});
server.listen(${port}, ${JSON.stringify(host)}, () => process.stdout.write('listening\\n'));
setTimeout(() => process.exit(0), 60000).unref();
`;

/** A TCP client on the client pod: connects, sends, prints one JSON line (the reply, or the error). */
const CLIENT = (host: string, port: number, message: string, timeoutMs: number) => `
const net = require('node:net');
const out = (o) => { process.stdout.write(JSON.stringify(o) + '\\n'); process.exit(0); };
const c = net.connect({ host: ${JSON.stringify(host)}, port: ${port} });
let reply = '';
let peer;
c.setEncoding('utf8');
c.on('connect', () => { peer = { remote: c.remoteAddress, remotePort: c.remotePort, local: c.localAddress }; c.write(${JSON.stringify(message)}); });
c.on('data', (d) => (reply += d));
c.on('end', () => out({ ...peer, reply }));
c.on('error', (e) => out({ error: e.code || e.message }));
setTimeout(() => out({ error: 'timeout' }), ${timeoutMs});
`;

interface Seen {
  remote: string;
  local: string;
  localPort: number;
  data: string;
}

interface Connected {
  remote?: string;
  remotePort?: number;
  local?: string;
  reply?: string;
  error?: string;
}

/** A running server in a namespace, with the connections it has seen. */
async function startServer(ns: Netns, host: string, port: number) {
  const child = ns.spawn([process.execPath, '-e', SERVER(host, port)]);
  const seen: Seen[] = [];
  const waiting: (() => void)[] = [];
  let stderr = '';
  let buffer = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 5 s: ${stderr}`)), 5_000);
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'listening') {
          clearTimeout(timer);
          resolve();
        } else if (line) {
          seen.push(JSON.parse(line) as Seen);
          for (const w of waiting.splice(0)) w();
        }
      }
    });
  });
  return {
    /** The n-th connection the server has seen (1-based), waiting up to 5 s for its line. */
    async connection(n: number): Promise<Seen | undefined> {
      const deadline = Date.now() + 5_000;
      while (seen.length < n && Date.now() < deadline)
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      return seen[n - 1];
    },
    stop: () => child.kill('SIGKILL'),
  };
}

async function connect(ns: Netns, host: string, port: number, message: string, timeoutMs = 5_000) {
  const r = await ns.exec([process.execPath, '-e', CLIENT(host, port, message, timeoutMs)], {
    timeoutMs: timeoutMs + 3_000,
  });
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Connected;
}

interface Pods {
  clientIP: string;
  backendIP: string;
  clusterIP: string;
}

/**
 * The node's namespace and two pods plugged into it, forwarding on: the client reaches the backend's
 * pod IP directly, and the ClusterIP not at all (no route), until the node gets rules.
 */
async function topology(pods: Pods) {
  const node = await Netns.create('node');
  const client = await Netns.create('client');
  const backend = await Netns.create('backend');
  await node.sysctl('net.ipv4.ip_forward', 1);
  await plugPod(node, client, pods.clientIP, 'veth-client');
  await plugPod(node, backend, pods.backendIP, 'veth-backend');
  return {
    node,
    client,
    backend,
    async delete() {
      for (const ns of [client, backend, node]) await ns.delete();
    },
  };
}

/** What the node namespace holds, for a failure message. */
async function describeNode(node: Netns): Promise<string> {
  const parts: string[] = [];
  for (const argv of [
    ['ip', '-4', 'addr'],
    ['ip', '-4', 'route'],
    ['iptables-save', '-c'],
    ['nft', 'list', 'ruleset'],
  ]) {
    const r = await node.exec(argv, { allowFailure: true });
    parts.push(`--- ${argv.join(' ')}\n${r.stdout}${r.stderr}`);
  }
  return parts.join('\n');
}

type Doc = Record<string, unknown>;

/**
 * A generated cluster of `services` Services over 8 nodes and 10 namespaces, every kind of rule in
 * it: ClusterIP, NodePort and LoadBalancer Services (some with externalTrafficPolicy Local and a
 * health-check NodePort, some with loadBalancerSourceRanges), ClientIP session affinity, external IPs,
 * internalTrafficPolicy Local, UDP ports, and Services with no endpoint. One to three pods back each
 * Service, spread over the nodes; netmodel gives them their addresses and derives the EndpointSlices.
 */
function generatedCluster(services: number): { apiVersion: 'v1'; kind: 'List'; items: Doc[] } {
  const NODES = 8;
  const items: Doc[] = [];
  for (let n = 0; n < NODES; n++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `gen-node-${n}`, labels: { 'kubernetes.io/hostname': `gen-node-${n}` } },
      spec: { podCIDR: `10.244.${n}.0/24`, podCIDRs: [`10.244.${n}.0/24`] },
      status: {
        addresses: [
          { type: 'InternalIP', address: `172.19.0.${n + 2}` },
          { type: 'Hostname', address: `gen-node-${n}` },
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  const ns = (i: number) => `gen-${String(i % 10).padStart(2, '0')}`;
  for (let i = 0; i < 10; i++) items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i) } });
  let pod = 0;
  for (let i = 0; i < services; i++) {
    const name = `svc-${i}`;
    const kind = i % 10 < 5 ? 'ClusterIP' : i % 10 < 7 ? 'NodePort' : 'LoadBalancer';
    const ports: Doc[] = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }];
    if (i % 3 === 0) ports.push({ name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' });
    if (i % 4 === 0) ports.push({ name: 'metrics', port: 9102, targetPort: 9102, protocol: 'TCP' });
    const spec: Doc = {
      type: kind,
      // Every 50th Service selects no pod: its rules reject.
      selector: { app: i % 50 === 7 ? 'nothing' : name },
      ports,
    };
    if (i % 6 === 0) spec.sessionAffinity = 'ClientIP';
    if (kind === 'ClusterIP' && i % 11 === 0) spec.internalTrafficPolicy = 'Local';
    if (kind !== 'ClusterIP' && i % 4 === 1) spec.externalTrafficPolicy = 'Local';
    // Source ranges, with the nodes' addresses in them or not (IPVS mode then filters node traffic).
    if (kind === 'LoadBalancer' && i % 20 === 9)
      spec.loadBalancerSourceRanges = i % 40 === 9 ? ['192.0.2.0/24'] : ['192.0.2.0/24', '172.19.0.0/16'];
    if (i % 25 === 1) spec.externalIPs = [`198.51.100.${Math.floor(i / 25) + 1}`];
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns(i) }, spec });
    for (let r = 0; r < (i % 3) + 1; r++) {
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${r}`, namespace: ns(i), labels: { app: name } },
        spec: {
          nodeName: `gen-node-${pod++ % NODES}`,
          containers: [
            {
              name: 'main',
              image: 'registry.example/app:1',
              ports: [
                { containerPort: 8080, protocol: 'TCP' },
                { containerPort: 5353, protocol: 'UDP' },
                { containerPort: 9102, protocol: 'TCP' },
              ],
            },
          ],
        },
      });
    }
  }
  return { apiVersion: 'v1', kind: 'List', items };
}

describeIfNetns('generated kube-proxy rules in the real kernel (ip netns)', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'netmodel-netns-'));
  });
  afterAll(async () => {
    await deleteAllNetns();
    // NETMODEL_KEEP_RULES=1 keeps the rule files nft loaded, to look at after a failure.
    if (process.env.NETMODEL_KEEP_RULES === '1') note(`rule files kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  });

  describe('the demo cluster', () => {
    let t: TestApp;
    beforeAll(async () => {
      // A LoadBalancer pool, so the demo's LoadBalancer Service has an ingress IP and its rules.
      t = await startApp({ seed: 'demo', env: { NETMODEL_LB_CIDR: '172.18.255.0/28' } });
    }, 60_000);
    afterAll(async () => {
      await t?.close({ drop: true });
    });

    const NODES = ['netmodel-control-plane', 'netmodel-worker', 'netmodel-worker2'];
    const api = { clusterIP: '10.96.100.11', port: 80, protocol: 'tcp', id: 'shop/api:http' } as const;

    it('has the three nodes this spec loads rules for', async () => {
      const res = await t.http().get('/api/v1/nodes').expect(200);
      const names = (res.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
      expect(names.sort()).toEqual(NODES);
    });

    for (const node of NODES) {
      for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
        it(`${node}: ${mode}`, async () => {
          const rules = await fetchRules(t, node, mode);
          expect(rules.ruleCount).toBeGreaterThan(0);
          await loadAndCheck(rules, api);
        }, 30_000);
      }
    }

    describe('real packets: a client pod reaches a backend pod through a ClusterIP', () => {
      // A Service of its own with one backend, so every connection has one place to arrive.
      const docs = [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'netns' } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'backend', namespace: 'netns', labels: { app: 'echo' } },
          spec: {
            nodeName: 'netmodel-worker',
            containers: [{ name: 'echo', image: 'echo', ports: [{ name: 'tcp', containerPort: 8080 }] }],
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'client', namespace: 'netns', labels: { app: 'client' } },
          spec: { nodeName: 'netmodel-worker2', containers: [{ name: 'client', image: 'client' }] },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'echo', namespace: 'netns' },
          spec: { selector: { app: 'echo' }, ports: [{ name: 'tcp', port: 80, targetPort: 8080 }] },
        },
      ];
      // The client's node programs the DNAT, as on a real cluster.
      const NODE = 'netmodel-worker2';
      let pods: Pods;

      beforeAll(async () => {
        await t
          .http()
          .post('/netmodel/v1/apply')
          .send({ apiVersion: 'v1', kind: 'List', items: docs })
          .expect(200);
        const get = async (path: string) => (await t.http().get(path).expect(200)).body;
        pods = {
          clientIP: (await get('/api/v1/namespaces/netns/pods/client')).status.podIP,
          backendIP: (await get('/api/v1/namespaces/netns/pods/backend')).status.podIP,
          clusterIP: (await get('/api/v1/namespaces/netns/services/echo')).spec.clusterIP,
        };
        // The pods have addresses of their nodes' podCIDRs, the Service one of the service CIDR.
        expect(pods.clientIP).toMatch(/^10\.244\.2\./);
        expect(pods.backendIP).toMatch(/^10\.244\.1\./);
        expect(pods.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
      });

      for (const mode of ['iptables', 'nftables'] as const) {
        it(`through the ${mode} rules`, async () => {
          const rules = await fetchRules(t, NODE, mode);
          expect(rules.text).toContain(`${pods.backendIP}:8080`);
          const net = await topology(pods);
          const server = await startServer(net.backend, pods.backendIP, 8080);
          try {
            // The plumbing: the backend's pod IP is reachable; the ClusterIP is not, without rules.
            const direct = await connect(net.client, pods.backendIP, 8080, 'direct');
            expect(direct).toEqual({
              remote: pods.backendIP,
              remotePort: 8080,
              local: pods.clientIP,
              reply: 'pong:direct',
            });
            expect(await server.connection(1)).toEqual({
              remote: pods.clientIP,
              local: pods.backendIP,
              localPort: 8080,
              data: 'direct',
            });
            const before = await connect(net.client, pods.clusterIP, 80, 'before', 2_000);
            expect(before).toEqual({ error: expect.stringMatching(/^(EHOSTUNREACH|ENETUNREACH|timeout)$/) });

            if (mode === 'iptables') await loadIptables(net.node, rules.text);
            else await loadNftables(net.node, rules.text);

            const message = `hello over ${mode}`;
            const r = await connect(net.client, pods.clusterIP, 80, message);
            const diagnosis = r.reply === `pong:${message}` ? '' : await describeNode(net.node);
            // The client talked to the ClusterIP (conntrack undid the DNAT on the way back)...
            expect({ ...r, diagnosis }).toEqual({
              remote: pods.clusterIP,
              remotePort: 80,
              local: pods.clientIP,
              reply: `pong:${message}`,
              diagnosis: '',
            });
            // ...and the backend was reached on its own address and target port, from the client's own
            // address: the client is in the cluster CIDR, so nothing masqueraded it.
            expect(await server.connection(2)).toEqual({
              remote: pods.clientIP,
              local: pods.backendIP,
              localPort: 8080,
              data: message,
            });
            if (mode === 'iptables') {
              const nat = (await net.node.exec(['iptables-save', '-c', '-t', 'nat'])).stdout;
              const dnat = new RegExp(
                `^\\[(\\d+):\\d+\\] -A KUBE-SEP-\\w+ .*-j DNAT --to-destination ${pods.backendIP.replaceAll('.', '\\.')}:8080$`,
                'm',
              ).exec(nat);
              expect(Number(dnat?.[1])).toBeGreaterThanOrEqual(1);
            }
          } finally {
            server.stop();
            await net.delete();
          }
        }, 30_000);
      }
    });
  });

  describe('a generated cluster of 500 Services', () => {
    let t: TestApp;
    // svc-1: ClusterIP, an external IP, two pods.
    const known = { port: 80, protocol: 'tcp', id: 'gen-01/svc-1:http' } as const;
    let clusterIP: string;
    beforeAll(async () => {
      t = await startApp({ env: { NETMODEL_LB_CIDR: '172.20.0.0/23' } });
      const cluster = generatedCluster(500);
      const started = Date.now();
      const res = await t.http().post('/netmodel/v1/apply').send(cluster);
      if (res.status !== 200) throw new Error(`apply: ${res.status} ${res.text.slice(0, 2000)}`);
      const svc = await t.http().get('/api/v1/namespaces/gen-01/services/svc-1').expect(200);
      clusterIP = svc.body.spec.clusterIP as string;
      note(`500 Services: ${cluster.items.length} objects applied in ${Date.now() - started} ms`);
    }, 60_000);
    afterAll(async () => {
      await t?.close({ drop: true });
    });

    it('has its 500 Services, with endpoints', async () => {
      expect(clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
      const rules = await fetchRules(t, 'gen-node-0', 'iptables');
      // 500 http ports, 167 dns (every third), 125 metrics (every fourth), and the bootstrap's
      // kubernetes (1 port) and kube-dns (3) Services.
      expect(rules.servicePorts).toBe(500 + 167 + 125 + 4);
      // Every 50th Service has no endpoint; the rest have theirs.
      expect(rules.text).toContain('"gen-07/svc-7:http has no endpoints" -m tcp -p tcp');
      expect(rules.text).toMatch(
        /-A KUBE-SEP-\w+ -m tcp -p tcp -j DNAT --to-destination 10\.244\.\d+\.\d+:8080/,
      );
    });

    for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
      it(`gen-node-0: ${mode}`, async () => {
        const rules = await fetchRules(t, 'gen-node-0', mode);
        await loadAndCheck(rules, { ...known, clusterIP });
      }, 60_000);
    }

    // The API lets two Services claim one external IP and port; the node's rules must still load
    // (iptables keeps both rules and the first matches; IPVS writes the virtual server once).
    it('two Services claiming the same external IP and port: every mode still loads', async () => {
      const shared = (name: string, app: string) => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: 'gen-00' },
        spec: {
          selector: { app },
          externalIPs: ['198.51.100.250'],
          ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        },
      });
      await t
        .http()
        .post('/netmodel/v1/apply')
        .send({
          apiVersion: 'v1',
          kind: 'List',
          items: [shared('shared-a', 'svc-0'), shared('shared-b', 'svc-10')],
        })
        .expect(200);
      const failures: string[] = [];
      for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
        const rules = await fetchRules(t, 'gen-node-0', mode);
        expect(rules.text).toContain('198.51.100.250');
        await loadAndCheck(rules, { ...known, clusterIP }).catch((e: Error) =>
          failures.push(`${mode}: ${e.message}`),
        );
      }
      expect(failures).toEqual([]);
    }, 60_000);
  });
});
