/**
 * What-if: the cluster as it would be with draft NetworkPolicies (added, changed or deleted), and the
 * connections the drafts would newly allow or deny. Nothing is stored: the draft view lays the drafts
 * over the snapshot for the NetworkPolicy kind and reads everything else from it.
 *
 * The connections compared are every ordered pair of different running pods, on every port the
 * question touches (portsInQuestion): declared container ports, the ports the policies name with the
 * edges of endPort ranges, and per protocol one port nothing names, standing for all the others.
 */
import type { KindName } from '../model/kinds.js';
import {
  isSidecar,
  isTerminal,
  namespaceOf,
  type NetworkPolicy,
  type ObjectOf,
  type Pod,
  type Protocol,
} from '../model/types.js';
import type { ClusterSnapshot, ListOptions } from '../state/cluster-state.js';
import { matches } from '../labels/selector.js';
import { reachability, type EngineOptions } from './engine.js';

export interface PolicyDraft {
  /** Policies to add or replace (by namespace and name). */
  readonly upsert: readonly NetworkPolicy[];
  /** Policies to delete. */
  readonly remove: readonly { readonly namespace: string; readonly name: string }[];
}

const key = (ns: string, name: string) => `${ns}/${name}`;

/** The snapshot with the drafts in place of (or beside) the stored NetworkPolicies. */
export function draftView(base: ClusterSnapshot, draft: PolicyDraft): ClusterSnapshot {
  const upserts = new Map(draft.upsert.map((p) => [key(namespaceOf(p), p.metadata.name), p]));
  const removed = new Set(draft.remove.map((r) => key(r.namespace, r.name)));
  const policies = (opts: ListOptions = {}): NetworkPolicy[] => {
    const out = new Map<string, NetworkPolicy>();
    for (const p of base.list('NetworkPolicy', { namespace: opts.namespace })) {
      const k = key(namespaceOf(p), p.metadata.name);
      if (!removed.has(k)) out.set(k, p);
    }
    for (const [k, p] of upserts) {
      if (opts.namespace === undefined || namespaceOf(p) === opts.namespace) out.set(k, p);
    }
    return [...out.values()]
      .filter((p) => !opts.selector || matches(opts.selector, p.metadata.labels))
      .sort((a, b) => (key(namespaceOf(a), a.metadata.name) < key(namespaceOf(b), b.metadata.name) ? -1 : 1));
  };
  return {
    get resourceVersion() {
      return base.resourceVersion;
    },
    get<K extends KindName>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined {
      if (kind !== 'NetworkPolicy') return base.get(kind, namespace, name);
      const k = key(namespace, name);
      if (upserts.has(k)) return upserts.get(k) as ObjectOf<K>;
      return removed.has(k) ? undefined : base.get(kind, namespace, name);
    },
    list<K extends KindName>(kind: K, opts?: ListOptions): readonly ObjectOf<K>[] {
      return kind === 'NetworkPolicy' ? (policies(opts) as unknown as ObjectOf<K>[]) : base.list(kind, opts);
    },
    count: (kind) => (kind === 'NetworkPolicy' ? policies().length : base.count(kind)),
    namespaces: () => base.namespaces(),
    podsForService: (svc) => base.podsForService(svc),
    servicesForPod: (pod) => base.servicesForPod(pod),
    holdersOf: (ip) => base.holdersOf(ip),
  };
}

export interface PortQuestion {
  readonly port: number;
  readonly protocol: Protocol;
  /** A port nothing names, standing for every other port of the protocol (shown as `*`). */
  readonly other?: boolean;
}

/**
 * The ports a what-if looks at: declared container ports; every port the current and draft policies
 * name, with the edges of each endPort range (first, last and the port after it); and, per protocol,
 * one port nothing names and no range holds, standing for all the others (a rule without ports, or with
 * a protocol alone, covers them): the highest such port, so a range up to 65535 pushes it below.
 */
export function portsInQuestion(pods: readonly Pod[], policies: readonly NetworkPolicy[]): PortQuestion[] {
  const seen = new Map<string, PortQuestion>();
  const protocolOf = (protocol: unknown) =>
    (protocol === 'UDP' || protocol === 'SCTP' ? protocol : 'TCP') as Protocol;
  const add = (port: unknown, protocol: unknown) => {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return;
    const p = protocolOf(protocol);
    seen.set(`${port}/${p}`, { port, protocol: p });
  };
  // endPort ranges per protocol: the stand-in for "every other port" must lie outside all of them.
  const ranges: Record<Protocol, [number, number][]> = { TCP: [], UDP: [], SCTP: [] };
  for (const pod of pods) {
    for (const c of pod.spec.containers) for (const cp of c.ports ?? []) add(cp.containerPort, cp.protocol);
    // Sidecars (init containers that keep running) serve ports too.
    for (const c of pod.spec.initContainers ?? [])
      if (isSidecar(c)) for (const cp of c.ports ?? []) add(cp.containerPort, cp.protocol);
  }
  for (const np of policies) {
    for (const r of [...(np.spec.ingress ?? []), ...(np.spec.egress ?? [])])
      for (const p of r.ports ?? []) {
        add(p.port, p.protocol);
        if (typeof p.port === 'number' && typeof p.endPort === 'number') {
          add(p.endPort, p.protocol);
          add(p.endPort + 1, p.protocol);
          ranges[protocolOf(p.protocol)].push([p.port, p.endPort]);
        }
      }
  }
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    // The highest port no rule or container names and no range holds; none when every port is named.
    let other = 65535;
    for (;;) {
      const within = ranges[protocol].find(([lo, hi]) => other >= lo && other <= hi);
      if (within) other = within[0] - 1;
      else if (seen.has(`${other}/${protocol}`)) other--;
      else break;
    }
    if (other >= 1) seen.set(`${other}/${protocol}`, { port: other, protocol, other: true });
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}

export interface PolicyDiff {
  /** `"x/a->y/b:80/TCP"` (`*` for the other ports of a protocol), sorted. */
  readonly newlyAllowed: string[];
  readonly newlyDenied: string[];
  /** The ports compared, like `80/TCP`; a star in place of the number stands for every port nothing names. */
  readonly ports: string[];
}

/** The connections between pods the drafts would newly allow or deny. */
export function policyDiff(base: ClusterSnapshot, draft: PolicyDraft, opts?: EngineOptions): PolicyDiff {
  const after = draftView(base, draft);
  // Finished pods hold no address and take no traffic.
  const pods = base.list('Pod').filter((p) => !isTerminal(p));
  const questions = portsInQuestion(pods, [...base.list('NetworkPolicy'), ...draft.upsert]);
  const newlyAllowed: string[] = [];
  const newlyDenied: string[] = [];
  for (const q of questions) {
    const before = reachability(base, pods, q.port, q.protocol, opts);
    const now = reachability(after, pods, q.port, q.protocol, opts);
    before.allowed.forEach((row, i) =>
      row.forEach((was, j) => {
        if (i === j) return;
        const is = now.allowed[i]![j]!;
        if (was === is) return;
        const label = `${before.pods[i]}->${before.pods[j]}:${q.other ? '*' : q.port}/${q.protocol}`;
        (is ? newlyAllowed : newlyDenied).push(label);
      }),
    );
  }
  return {
    newlyAllowed: newlyAllowed.sort(),
    newlyDenied: newlyDenied.sort(),
    ports: questions.map((q) => `${q.other ? '*' : q.port}/${q.protocol}`),
  };
}
