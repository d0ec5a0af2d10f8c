/**
 * kube-proxy rules bench: the rule set of one node (src/domain/proxy/service-ports.ts buildRuleSet) and
 * its three renderings (iptables, IPVS, nftables), in-process over a generated ClusterState (no HTTP, no
 * database). The cluster is described in bench/rules/cluster.ts: 10,000 Services x 5 ready endpoints
 * over 20 nodes (BENCH_SCALE scales the services), mostly ClusterIP, with NodePort, LoadBalancer,
 * externalTrafficPolicy Local, loadBalancerSourceRanges and ClientIP affinity mixed in.
 *
 * Printed:
 * 1. buildRuleSet for node-00, IPv4 (best of 3, and the first, cold, run), then each renderer on that
 *    rule set (best of 3): time, rule count, bytes, lines.
 * 2. The ratio of generation time to the kernel tools reading the same text: `iptables-restore --test`
 *    (and `iptables-legacy-restore --test` when installed) and `nft -c -f`, best of 3 each (fewer when
 *    the runs pass 20 s: `nft -c` on the full-size text takes minutes, so it runs once), also on the
 *    1k-service text to show how the tools' time grows. They run as root inside a fresh network
 *    namespace (`ip netns add nm-bench-<pid>`, deleted at the end), so the host's tables are never
 *    touched. The iptables text is rendered as kube-proxy writes it on a kernel with netfilter
 *    accounting (`-m nfacct`, the renderer's default); the two nfacct objects those rules name are
 *    created in the namespace, so the text also loads for real: once, at the end, as a check that
 *    iptables-save then lists as many rules as the renderer counted (`nft -f` likewise, when `nft -c`
 *    took under 10 s). Not root, or a tool missing: that line is skipped with the reason
 *    (BENCH_NO_TOOLS=1 skips them all).
 * 3. Growth: 1k, 2k, 5k, 10k services (scaled) with the same mix: iptables rules against nftables
 *    rules (rules alone, and rules plus map and set elements), per service and per added service, the
 *    length of iptables' KUBE-SERVICES chain (what a new connection walks) against nftables' one map
 *    lookup; then 1k services with 1, 5, 10 and 20 endpoints each: the rules each endpoint adds.
 * 4. Peak RSS.
 *
 * timed/bestOf/which are small copies of the ones in bench/policy and bench/dns, which keep them
 * private to their scripts.
 *
 *   npm run build && node dist/bench/rules/run.js        (env BENCH_SCALE=0.1 for a quick run)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  NFACCT_INVALID_DROPPED,
  NFACCT_LOCALHOST_NODEPORTS,
  renderIptables,
} from '../../src/domain/proxy/iptables.js';
import { renderIpvs } from '../../src/domain/proxy/ipvs.js';
import { renderNftables } from '../../src/domain/proxy/nftables.js';
import { buildRuleSet, type ProxyOptions, type ProxyRuleSet } from '../../src/domain/proxy/service-ports.js';
import type { RenderedRules } from '../../src/domain/proxy/text.js';
import { ClusterState } from '../../src/domain/state/cluster-state.js';
import { bestOf, timed, which } from '../common.js';
import {
  BENCH_NODE,
  CLUSTER_CIDR,
  SERVICE_CIDR,
  generateRulesCluster,
  type RulesCluster,
  type RulesClusterSize,
} from './cluster.js';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const scaled = (n: number) => Math.max(10, Math.round(n * SCALE));
const SERVICES = scaled(10_000);
const ENDPOINTS = 5;
const NODES = 20;
const NAMESPACES = 100;
const GROWTH = [...new Set([1_000, 2_000, 5_000, 10_000].map(scaled))];
const SWEEP_SERVICES = scaled(1_000);
const SWEEP_ENDPOINTS = [1, 5, 10, 20];
const OPTS: ProxyOptions = { clusterCidrs: [CLUSTER_CIDR], serviceCidrs: [SERVICE_CIDR] };

const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mibOf = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const mib = (kb: number) => Math.round(kb / 1024);
const log = (s: string) => console.log(`[rules] ${s}`);

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function stateOf(cluster: RulesCluster): ClusterState {
  const state = new ClusterState();
  state.applyChanges(
    cluster.objects.map((object) => ({ type: 'ADDED' as const, object })),
    1,
  );
  return state;
}

function clusterSize(services: number, endpoints = ENDPOINTS): RulesClusterSize {
  return { services, endpoints, nodes: NODES, namespaces: Math.min(NAMESPACES, services) };
}

// ---- counting rules in the rendered text ----------------------------------------------------------

interface IptablesShape {
  readonly rules: number;
  /** `-A KUBE-SERVICES` rules of the nat table: the chain every new connection walks in order. */
  readonly natServices: number;
  /** Mean 1-based position of a ClusterIP's rule in that chain (rules a packet tests before it matches). */
  readonly meanClusterIpPosition: number;
}

function iptablesShape(r: RenderedRules): IptablesShape {
  let table = '';
  let natServices = 0;
  let positions = 0;
  let clusterIps = 0;
  for (const line of r.text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (table === 'nat' && line.startsWith('-A KUBE-SERVICES ')) {
      natServices++;
      if (line.includes(' cluster IP" ')) {
        positions += natServices;
        clusterIps++;
      }
    }
  }
  return { rules: r.ruleCount, natServices, meanClusterIpPosition: clusterIps ? positions / clusterIps : 0 };
}

interface NftShape {
  readonly rules: number;
  readonly elements: number;
  /** Rules of the `services` chain, where every packet's destination is looked up. */
  readonly servicesChain: number;
}

function nftShape(r: RenderedRules): NftShape {
  let rules = 0;
  let elements = 0;
  let servicesChain = 0;
  for (const line of r.text.split('\n')) {
    if (line.startsWith('add rule ')) {
      rules++;
      if (/^add rule ip6? kube-proxy services /.test(line)) servicesChain++;
    } else if (line.startsWith('add element ')) elements++;
  }
  if (rules + elements !== r.ruleCount) throw new Error(`nft: ${rules} + ${elements} != ${r.ruleCount}`);
  return { rules, elements, servicesChain };
}

// ---- 1. build and render ---------------------------------------------------------------------------

interface Rendered {
  readonly rs: ProxyRuleSet;
  readonly buildMs: number;
  readonly iptables: { r: RenderedRules; ms: number };
  readonly ipvs: { r: RenderedRules; ms: number };
  readonly nftables: { r: RenderedRules; ms: number };
}

function buildAndRender(state: ClusterState): Rendered {
  const build = bestOf(3, () => buildRuleSet(state, BENCH_NODE, 4, OPTS));
  const rs = build.value;
  let endpoints = 0;
  let local = 0;
  for (const sp of rs.servicePorts) {
    endpoints += sp.endpoints.length;
    for (const e of sp.endpoints) if (e.isLocal) local++;
  }
  log(
    `buildRuleSet(${BENCH_NODE}, IPv4): ${ms(build.ms)} ms best of 3 (first run ${ms(build.firstMs)} ms); ${fmt(rs.servicePorts.length)} service ports, ${fmt(endpoints)} endpoints (${fmt(local)} local)`,
  );
  log('renderers on that rule set, best of 3 each:');
  const row = (mode: string, t: { value: RenderedRules; ms: number; firstMs: number }) => {
    const r = t.value;
    log(
      `  ${mode.padEnd(9)} ${ms(t.ms).padStart(6)} ms (first ${ms(t.firstMs)} ms)  ${fmt(r.ruleCount).padStart(8)} rules  ${mibOf(r.bytes).padStart(5)} MiB  ${fmt(lineCount(r.text)).padStart(8)} lines`,
    );
    if (r.sections.length > 1) {
      const parts = r.sections.map((s) => `${s.tool} ${fmt(s.ruleCount)}`).join(', ');
      log(`  ${''.padEnd(9)} sections: ${parts}`);
    }
  };
  const iptables = bestOf(3, () => renderIptables(rs));
  row('iptables', iptables);
  const ipvs = bestOf(3, () => renderIpvs(rs));
  row('ipvs', ipvs);
  const nftables = bestOf(3, () => renderNftables(rs));
  row('nftables', nftables);
  const n = nftShape(nftables.value);
  log(
    `  (nftables counts ${fmt(n.rules)} rules + ${fmt(n.elements)} map and set elements; iptables is in kube-proxy's large-cluster mode past 1,000 endpoints: no comments on endpoint rules)`,
  );
  return {
    rs,
    buildMs: build.ms,
    iptables: { r: iptables.value, ms: iptables.ms },
    ipvs: { r: ipvs.value, ms: ipvs.ms },
    nftables: { r: nftables.value, ms: nftables.ms },
  };
}

// ---- 2. the kernel tools, in a throwaway network namespace ------------------------------------------

interface Netns {
  readonly ip: string;
  readonly name: string;
}

/** Runs argv inside the namespace, stdin from a file (or none); throws with stderr on failure. */
function runIn(ns: Netns, argv: readonly string[], stdinFile?: string): { ms: number; stdout: string } {
  const fd = stdinFile ? openSync(stdinFile, 'r') : undefined;
  try {
    const t0 = performance.now();
    const r = spawnSync(ns.ip, ['netns', 'exec', ns.name, ...argv], {
      stdio: [fd ?? 'ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    const elapsed = performance.now() - t0;
    if (r.error) throw r.error;
    if (r.status !== 0) {
      const err = (r.stderr || r.stdout || '').split('\n').slice(0, 5).join(' | ');
      throw new Error(`${argv.join(' ')} exited ${r.status}: ${err}`);
    }
    return { ms: elapsed, stdout: r.stdout };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Best of up to n runs; stops early once the runs so far took `budgetMs` (a single nft -c can take minutes). */
function bestRun(n: number, f: () => { ms: number }, budgetMs = 20_000): { ms: number; runs: number } {
  let best = Infinity;
  let spent = 0;
  let runs = 0;
  while (runs < n && (runs === 0 || spent < budgetMs)) {
    const t = f().ms;
    best = Math.min(best, t);
    spent += t;
    runs++;
  }
  return { ms: best, runs };
}

const bestOfText = (r: { runs: number }) => (r.runs === 1 ? 'one run' : `best of ${r.runs}`);

function version(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim().split('\n')[0] ?? '?';
}

interface ToolText {
  readonly label: string;
  readonly iptables: RenderedRules;
  readonly nftables: RenderedRules;
}

/** The smaller cluster the kernel tools also read, to show how their time grows. */
function smallTexts(): ToolText | undefined {
  const n = GROWTH[0]!;
  if (n >= SERVICES) return undefined;
  const rs = buildRuleSet(stateOf(generateRulesCluster(clusterSize(n))), BENCH_NODE, 4, OPTS);
  return { label: `${fmt(n)} services`, iptables: renderIptables(rs), nftables: renderNftables(rs) };
}

function kernelTools(out: Rendered): void {
  if (process.env.BENCH_NO_TOOLS) {
    log('kernel tools: skipped (BENCH_NO_TOOLS)');
    return;
  }
  const ip = which('ip');
  const uid = process.getuid?.();
  const reason =
    uid !== 0 ? `not root (uid ${uid ?? '?'})` : !ip ? '`ip` (iproute2) is not installed' : undefined;
  if (reason) {
    log(`iptables-restore --test: skipped, ${reason}: it runs inside a fresh network namespace`);
    log(`nft -c -f: skipped, ${reason}: it runs inside a fresh network namespace`);
    return;
  }
  const ns: Netns = { ip: ip!, name: `nm-bench-${process.pid}` };
  const add = spawnSync(ns.ip, ['netns', 'add', ns.name], { encoding: 'utf8' });
  if (add.status !== 0) {
    const why = `ip netns add failed: ${(add.stderr || String(add.error)).trim()}`;
    log(`iptables-restore --test: skipped, ${why}`);
    log(`nft -c -f: skipped, ${why}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netmodel-rules-bench-'));
  try {
    const file = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const iptFile = file('rules.iptables', out.iptables.r.text);
    const nftFile = file('rules.nft', out.nftables.r.text);
    const emptyIpt = file('empty.iptables', '*filter\nCOMMIT\n');
    const emptyNft = file('empty.nft', 'add table ip nm-bench-empty\n');
    const small = smallTexts();
    const smallIpt = small && file('small.iptables', small.iptables.text);
    const smallNft = small && file('small.nft', small.nftables.text);
    log(
      `kernel tools, in network namespace ${ns.name} (deleted at the end), best of 3 (fewer when runs are long); the iptables text keeps its -m nfacct matches and the namespace gets the two nfacct objects`,
    );
    const nfacct = which('nfacct');
    if (nfacct)
      for (const o of [NFACCT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS]) runIn(ns, [nfacct, 'add', o]);

    const gen = out.buildMs + out.iptables.ms;
    for (const tool of ['iptables-restore', 'iptables-legacy-restore']) {
      const bin = which(tool);
      if (!bin) {
        if (tool === 'iptables-restore')
          log(
            `  iptables-restore --test: skipped, iptables-restore is not installed (apt-get install iptables)`,
          );
        continue;
      }
      try {
        const base = bestRun(3, () => runIn(ns, [bin, '--test'], emptyIpt));
        const t = bestRun(3, () => runIn(ns, [bin, '--test'], iptFile));
        const s = smallIpt ? bestRun(3, () => runIn(ns, [bin, '--test'], smallIpt)) : undefined;
        log(
          `  ${tool} --test (${version(bin)}), ${mibOf(out.iptables.r.bytes)} MiB: ${ms(t.ms)} ms, ${bestOfText(t)} (an empty input: ${ms(base.ms)} ms, the process start${s ? `; ${small!.label}: ${ms(s.ms)} ms` : ''})`,
        );
        log(
          `    ratio renderIptables / ${tool} --test ${(out.iptables.ms / t.ms).toFixed(2)}; buildRuleSet + renderIptables / ${tool} --test ${(gen / t.ms).toFixed(2)}`,
        );
      } catch (e) {
        log(`  ${tool} --test: failed: ${(e as Error).message}`);
      }
    }

    const nft = which('nft');
    let nftMs = Infinity;
    if (!nft) log('  nft -c -f: skipped, nft is not installed (apt-get install nftables)');
    else {
      try {
        const base = bestRun(3, () => runIn(ns, [nft, '-c', '-f', emptyNft]));
        const s = smallNft ? bestRun(3, () => runIn(ns, [nft, '-c', '-f', smallNft])) : undefined;
        const t = bestRun(3, () => runIn(ns, [nft, '-c', '-f', nftFile]));
        nftMs = t.ms;
        log(
          `  nft -c -f (${version(nft)}), ${mibOf(out.nftables.r.bytes)} MiB: ${ms(t.ms)} ms, ${bestOfText(t)} (an empty table: ${ms(base.ms)} ms, the process start${s ? `; ${small!.label}: ${ms(s.ms)} ms` : ''})`,
        );
        log(
          `    ratio renderNftables / nft -c ${(out.nftables.ms / t.ms).toFixed(3)}; buildRuleSet + renderNftables / nft -c ${((out.buildMs + out.nftables.ms) / t.ms).toFixed(3)}`,
        );
      } catch (e) {
        log(`  nft -c -f: failed: ${(e as Error).message}`);
      }
    }

    // Once each: the texts load for real into the empty namespace, and hold what the renderers counted.
    const restore = which('iptables-restore');
    const save = which('iptables-save');
    if (restore && save && nfacct) {
      try {
        const load = runIn(ns, [restore], iptFile);
        const saved = runIn(ns, [save]).stdout;
        const rules = saved.split('\n').filter((l) => l.startsWith('-A ')).length;
        log(
          `  check: iptables-restore loads it (${ms(load.ms)} ms, once); iptables-save lists ${fmt(rules)} rules, the renderer counted ${fmt(out.iptables.r.ruleCount)}`,
        );
      } catch (e) {
        log(`  check: iptables-restore failed: ${(e as Error).message}`);
      }
    } else {
      log(
        `  check: iptables-restore load skipped (${!nfacct ? 'nfacct' : 'iptables-save'} is not installed)`,
      );
    }
    if (nft && nftMs < 10_000) {
      try {
        const load = runIn(ns, [nft, '-f', nftFile]);
        log(`  check: nft -f loads it (${ms(load.ms)} ms, once)`);
      } catch (e) {
        log(`  check: nft -f failed: ${(e as Error).message}`);
      }
    } else if (nft && nftMs !== Infinity) {
      log(
        `  check: nft -f load skipped, nft -c took over 10 s (it already had the kernel check the whole transaction)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    spawnSync(ns.ip, ['netns', 'delete', ns.name]);
  }
}

// ---- 3. growth ---------------------------------------------------------------------------------------

interface GrowthRow {
  readonly services: number;
  readonly endpoints: number;
  readonly ipt: IptablesShape;
  readonly nft: NftShape;
  readonly ipvsIptables: number;
  readonly ipvsEntries: number;
  readonly iptMs: number;
  readonly nftMs: number;
}

function growthRow(services: number, endpoints: number, reuse?: Rendered): GrowthRow {
  let rs: ProxyRuleSet;
  if (reuse) rs = reuse.rs;
  else
    rs = buildRuleSet(stateOf(generateRulesCluster(clusterSize(services, endpoints))), BENCH_NODE, 4, OPTS);
  const ipt = reuse ? { value: reuse.iptables.r, ms: reuse.iptables.ms } : timed(() => renderIptables(rs));
  const nft = reuse ? { value: reuse.nftables.r, ms: reuse.nftables.ms } : timed(() => renderNftables(rs));
  const ipvs = reuse?.ipvs.r ?? renderIpvs(rs);
  const ipvsIptables = ipvs.sections.find((s) => s.tool.endsWith('tables-restore'))?.ruleCount ?? 0;
  return {
    services,
    endpoints,
    ipt: iptablesShape(ipt.value),
    nft: nftShape(nft.value),
    ipvsIptables,
    ipvsEntries: ipvs.ruleCount - ipvsIptables,
    iptMs: ipt.ms,
    nftMs: nft.ms,
  };
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  log(`  ${line(head)}`);
  for (const r of rows) log(`  ${line(r)}`);
}

function growth(full: Rendered): void {
  log(`growth with the number of services (${ENDPOINTS} endpoints each, the same mix; renders timed once):`);
  const rows = GROWTH.map((n) => growthRow(n, ENDPOINTS, n === SERVICES ? full : undefined));
  const per = (x: number, n: number) => (x / n).toFixed(2);
  table(
    [
      'services',
      'iptables rules',
      '/svc',
      'added/svc',
      'nft rules',
      '+elements',
      '/svc',
      'added/svc',
      'iptables/nft',
      'iptables ms',
      'nft ms',
      'ipvs: iptables rules',
      'ipvsadm+ipset',
    ],
    rows.map((r, i) => {
      const prev = rows[i - 1];
      const nftAll = r.nft.rules + r.nft.elements;
      const added = (x: (g: GrowthRow) => number) =>
        prev ? ((x(r) - x(prev)) / (r.services - prev.services)).toFixed(2) : '';
      return [
        fmt(r.services),
        fmt(r.ipt.rules),
        per(r.ipt.rules, r.services),
        added((g) => g.ipt.rules),
        fmt(r.nft.rules),
        fmt(nftAll),
        per(nftAll, r.services),
        added((g) => g.nft.rules + g.nft.elements),
        (r.ipt.rules / nftAll).toFixed(2),
        ms(r.iptMs),
        ms(r.nftMs),
        fmt(r.ipvsIptables),
        fmt(r.ipvsEntries),
      ];
    }),
  );
  log('what the first packet of a connection to a ClusterIP is matched against:');
  table(
    [
      'services',
      'iptables nat KUBE-SERVICES rules',
      'mean position of its rule',
      'nftables `services` rules',
    ],
    rows.map((r) => [
      fmt(r.services),
      fmt(r.ipt.natServices),
      fmt(Math.round(r.ipt.meanClusterIpPosition)),
      `${r.nft.servicesChain} (one @service-ips vmap lookup)`,
    ]),
  );

  log(
    `growth with the endpoints of each service (${fmt(SWEEP_SERVICES)} services, the same mix; "added/ep" is per service per added endpoint):`,
  );
  const sweep = SWEEP_ENDPOINTS.map((e) => growthRow(SWEEP_SERVICES, e));
  table(
    [
      'endpoints',
      'iptables rules',
      '/svc',
      'added/ep',
      'nft rules',
      '+elements',
      '/svc',
      'added/ep',
      'iptables/nft',
    ],
    sweep.map((r, i) => {
      const prev = sweep[i - 1];
      const nftAll = r.nft.rules + r.nft.elements;
      const added = (x: (g: GrowthRow) => number) =>
        prev ? ((x(r) - x(prev)) / (r.services * (r.endpoints - prev.endpoints))).toFixed(2) : '';
      return [
        String(r.endpoints),
        fmt(r.ipt.rules),
        (r.ipt.rules / r.services).toFixed(2),
        added((g) => g.ipt.rules),
        fmt(r.nft.rules),
        fmt(nftAll),
        (nftAll / r.services).toFixed(2),
        added((g) => g.nft.rules + g.nft.elements),
        (r.ipt.rules / nftAll).toFixed(2),
      ];
    }),
  );
}

export function runRulesBench(): void {
  const gen = timed(() => generateRulesCluster(clusterSize(SERVICES)));
  const load = timed(() => stateOf(gen.value));
  const m = gen.value.mix;
  log(
    `scale ${SCALE}: ${fmt(SERVICES)} services x ${ENDPOINTS} endpoints over ${NODES} nodes, ${Math.min(NAMESPACES, SERVICES)} namespaces (generated in ${ms(gen.ms)} ms, loaded into a ClusterState in ${ms(load.ms)} ms)`,
  );
  log(
    `  mix: ${fmt(m.clusterIP)} ClusterIP, ${fmt(m.nodePort)} NodePort, ${fmt(m.loadBalancer)} LoadBalancer (one ingress IP each, ${fmt(m.sourceRanges)} with loadBalancerSourceRanges); ${fmt(m.externalLocal)} externalTrafficPolicy Local, ${fmt(m.affinity)} sessionAffinity ClientIP; one TCP port each`,
  );
  log(
    `  ${fmt(m.localEndpoints)} endpoints on ${BENCH_NODE} (the node the rules are for), ${fmt(m.servicesWithLocal)} services with at least one there`,
  );
  const out = buildAndRender(load.value);
  const rssRender = mib(process.resourceUsage().maxRSS);
  kernelTools(out);
  growth(out);
  log(
    `peak RSS (maxRSS) ${mib(process.resourceUsage().maxRSS)} MiB (${rssRender} MiB after the full-size build and renders)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runRulesBench();
