/**
 * The in-memory cluster: every stored object, indexed by kind + namespace + name, by label and by IP.
 * All reads and all analysis run against it; the database is only its durable copy. It is updated only
 * with committed changes, so what it holds is always a state the database has had.
 *
 * Engines take it as a ClusterSnapshot (read-only). JavaScript runs one synchronous computation at a
 * time, so a snapshot read inside one computation sees one resourceVersion.
 */
import { KIND_NAMES, type KindName } from '../model/kinds.js';
import { canonicalIP } from '../net/ip.js';
import {
  namespaceOf,
  type KubeObject,
  type Labels,
  type ObjectOf,
  type Pod,
  type Service,
} from '../model/types.js';
import {
  fromServiceSelector,
  isEverything,
  matches,
  type Requirement,
  type Selector,
} from '../labels/selector.js';

export interface ListOptions {
  readonly namespace?: string;
  readonly selector?: Selector;
}

export interface IpHolder {
  readonly kind: KindName;
  readonly namespace: string;
  readonly name: string;
  readonly role: string; // podIP, hostIP, clusterIP, externalIP, loadBalancerIP, InternalIP, ...
}

export interface ClusterSnapshot {
  readonly resourceVersion: number;
  get<K extends KindName>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined;
  /** Objects of a kind sorted by namespace then name, as the API server lists them. */
  list<K extends KindName>(kind: K, opts?: ListOptions): readonly ObjectOf<K>[];
  count(kind: KindName): number;
  namespaces(): readonly string[];
  /** Pods a Service's selector picks, in its namespace. A Service without a selector picks none. */
  podsForService(svc: Service): readonly Pod[];
  /** Services in the pod's namespace whose selector matches it. */
  servicesForPod(pod: Pod): readonly Service[];
  /** Who holds an address, however it is spelled (`fd00:0::5` finds `fd00::5`): each holder and role once. */
  holdersOf(ip: string): readonly IpHolder[];
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StateChange {
  readonly type: ChangeType;
  /** For DELETED: the object as it was last stored. */
  readonly object: KubeObject;
}

type NameMap = Map<string, KubeObject>;

function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = namespaceOf(a);
  const bn = namespaceOf(b);
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

const LEADING_ZERO = /(?:^|\.)0\d/;

/**
 * The IP index's key for an address: its canonical text, so `fd00:0::5`, `FD00::5` and `fd00::5` are
 * one address (as they are to the kernel). A plain dotted quad is its own canonical text, which spares
 * an import the parse of every pod's address.
 */
function ipKey(ip: string): string {
  if (!ip.includes(':') && !LEADING_ZERO.test(ip)) return ip;
  return canonicalIP(ip) ?? ip;
}

/**
 * Calls `fn` once per address the object holds, a repeated pod or cluster IP once. A callback rather
 * than a list: it runs for every object stored, and the lists and sets it built were garbage at once.
 */
function forEachIp(o: KubeObject, fn: (ip: string, role: string) => void): void {
  switch (o.kind) {
    case 'Pod': {
      // hostNetwork pods share the node's address: the node holds it, the pod only uses it.
      if (o.spec.hostNetwork) break;
      const podIP = o.status?.podIP || undefined;
      if (podIP) fn(podIP, 'podIP');
      const podIPs = o.status?.podIPs ?? [];
      podIPs.forEach((p, i) => {
        if (p.ip !== podIP && !podIPs.slice(0, i).some((q) => q.ip === p.ip)) fn(p.ip, 'podIP');
      });
      break;
    }
    case 'Service': {
      const clusterIP = o.spec.clusterIP && o.spec.clusterIP !== 'None' ? o.spec.clusterIP : undefined;
      if (clusterIP) fn(clusterIP, 'clusterIP');
      const clusterIPs = o.spec.clusterIPs ?? [];
      clusterIPs.forEach((ip, i) => {
        if (ip !== 'None' && ip !== clusterIP && !clusterIPs.slice(0, i).includes(ip)) fn(ip, 'clusterIP');
      });
      for (const ip of o.spec.externalIPs ?? []) fn(ip, 'externalIP');
      for (const ing of o.status?.loadBalancer?.ingress ?? []) if (ing.ip) fn(ing.ip, 'loadBalancerIP');
      break;
    }
    case 'Node':
      for (const a of o.status?.addresses ?? []) {
        if (a.type === 'InternalIP' || a.type === 'ExternalIP') fn(a.address, a.type);
      }
      break;
    default:
      break;
  }
}

export class ClusterState implements ClusterSnapshot {
  private rv = 0;
  /** kind -> namespace -> name -> object */
  private readonly byKind = new Map<KindName, Map<string, NameMap>>();
  private readonly counts = new Map<KindName, number>();
  /**
   * kind -> label key -> label value -> objects; answers equality requirements without a scan. Keyed by
   * the stored objects themselves, so indexing one builds no strings (an import indexes tens of
   * thousands).
   */
  /**
   * kind -> namespace -> label key -> value -> objects. Split by namespace so a selector in one
   * namespace (a Service's slices, its pods) costs the same however many namespaces reuse the names.
   */
  private readonly labelIndex = new Map<KindName, Map<string, Map<string, Map<string, Set<KubeObject>>>>>();
  private readonly ipIndex = new Map<string, IpHolder[]>();
  /** Sorted lists, rebuilt lazily after a change to the kind. */
  private readonly sortedCache = new Map<KindName, readonly KubeObject[]>();

  constructor() {
    for (const k of KIND_NAMES) {
      this.byKind.set(k, new Map());
      this.counts.set(k, 0);
      this.labelIndex.set(k, new Map());
    }
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Moves the state to a resourceVersion (after a commit or a catch-up from the change log). */
  setResourceVersion(rv: number): void {
    if (rv > this.rv) this.rv = rv;
  }

  get<K extends KindName>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined {
    return this.byKind.get(kind)!.get(namespace)?.get(name) as ObjectOf<K> | undefined;
  }

  count(kind: KindName): number {
    return this.counts.get(kind)!;
  }

  namespaces(): readonly string[] {
    return this.list('Namespace').map((n) => n.metadata.name);
  }

  list<K extends KindName>(kind: K, opts: ListOptions = {}): readonly ObjectOf<K>[] {
    const sel = opts.selector;
    if (sel?.nothing) return [];
    const candidates = sel && !isEverything(sel) ? this.candidatesFor(kind, sel, opts.namespace) : undefined;
    if (candidates) {
      return candidates
        .filter((o) => matches(sel!, o.metadata.labels))
        .sort(compareObjects) as unknown as ObjectOf<K>[];
    }
    let items: readonly KubeObject[];
    if (opts.namespace !== undefined) {
      const names = this.byKind.get(kind)!.get(opts.namespace);
      items = names ? [...names.values()].sort(compareObjects) : [];
    } else {
      items = this.sorted(kind);
    }
    return (sel ? items.filter((o) => matches(sel, o.metadata.labels)) : items) as unknown as ObjectOf<K>[];
  }

  /** Every object of a kind, in no particular order: no sort and no copy, for scans that need neither. */
  *unordered<K extends KindName>(kind: K): Iterable<ObjectOf<K>> {
    for (const names of this.byKind.get(kind)!.values())
      for (const o of names.values()) yield o as ObjectOf<K>;
  }

  podsForService(svc: Service): readonly Pod[] {
    return this.list('Pod', {
      namespace: namespaceOf(svc),
      selector: fromServiceSelector(svc.spec.selector),
    });
  }

  servicesForPod(pod: Pod): readonly Service[] {
    const labels = pod.metadata.labels;
    return this.list('Service', { namespace: namespaceOf(pod) }).filter((s) => {
      const sel = s.spec.selector;
      if (!sel || Object.keys(sel).length === 0) return false;
      return matches(fromServiceSelector(sel), labels);
    });
  }

  holdersOf(ip: string): readonly IpHolder[] {
    return this.ipIndex.get(ipKey(ip)) ?? [];
  }

  /** Applies committed changes in order. */
  applyChanges(changes: readonly StateChange[], resourceVersion: number): void {
    for (const c of changes) {
      if (c.type === 'DELETED') this.remove(c.object);
      else this.put(c.object);
    }
    this.setResourceVersion(resourceVersion);
  }

  /** Loads objects at start (no change events; the caller sets the version). */
  load(objects: Iterable<KubeObject>): void {
    for (const o of objects) this.put(o);
  }

  private put(o: KubeObject): void {
    const kind = o.kind;
    const ns = namespaceOf(o);
    const nsMap = this.byKind.get(kind)!;
    let names = nsMap.get(ns);
    if (!names) {
      names = new Map();
      nsMap.set(ns, names);
    }
    const old = names.get(o.metadata.name);
    if (old) this.unindex(old);
    else this.counts.set(kind, this.counts.get(kind)! + 1);
    names.set(o.metadata.name, o);
    this.index(o);
    this.sortedCache.delete(kind);
  }

  private remove(o: KubeObject): void {
    const names = this.byKind.get(o.kind)!.get(namespaceOf(o));
    const old = names?.get(o.metadata.name);
    if (!names || !old) return;
    this.unindex(old);
    names.delete(o.metadata.name);
    if (names.size === 0) this.byKind.get(o.kind)!.delete(namespaceOf(o));
    this.counts.set(o.kind, this.counts.get(o.kind)! - 1);
    this.sortedCache.delete(o.kind);
  }

  private sorted(kind: KindName): readonly KubeObject[] {
    let s = this.sortedCache.get(kind);
    if (!s) {
      const all: KubeObject[] = [];
      for (const names of this.byKind.get(kind)!.values()) for (const o of names.values()) all.push(o);
      s = all.sort(compareObjects);
      this.sortedCache.set(kind, s);
    }
    return s;
  }

  /** The smallest label-index bucket among the selector's equality requirements, or undefined to scan. */
  private candidatesFor(
    kind: KindName,
    sel: Selector,
    namespace: string | undefined,
  ): KubeObject[] | undefined {
    if (!sel.requirements.some(isEquality)) return undefined;
    const byNs = this.labelIndex.get(kind)!;
    const out: KubeObject[] = [];
    const collect = (idx: Map<string, Map<string, Set<KubeObject>>>) => {
      let best: Set<KubeObject> | undefined;
      for (const r of sel.requirements) {
        if (!isEquality(r)) continue;
        const bucket = idx.get(r.key)?.get(r.values[0]!);
        if (!bucket) return;
        if (!best || bucket.size < best.size) best = bucket;
      }
      for (const o of best!) out.push(o);
    };
    if (namespace !== undefined) {
      const idx = byNs.get(namespace);
      if (idx) collect(idx);
    } else {
      for (const idx of byNs.values()) collect(idx);
    }
    return out;
  }

  private nsLabelIndex(o: KubeObject, create: true): Map<string, Map<string, Set<KubeObject>>>;
  private nsLabelIndex(o: KubeObject, create: false): Map<string, Map<string, Set<KubeObject>>> | undefined;
  private nsLabelIndex(o: KubeObject, create: boolean) {
    const byNs = this.labelIndex.get(o.kind)!;
    const ns = namespaceOf(o);
    let idx = byNs.get(ns);
    if (!idx && create) {
      idx = new Map();
      byNs.set(ns, idx);
    }
    return idx;
  }

  private index(o: KubeObject): void {
    const idx = this.nsLabelIndex(o, true);
    const labels: Labels = o.metadata.labels ?? {};
    for (const k in labels) {
      if (!Object.hasOwn(labels, k)) continue;
      let byValue = idx.get(k);
      if (!byValue) {
        byValue = new Map();
        idx.set(k, byValue);
      }
      const v = labels[k]!;
      const bucket = byValue.get(v);
      if (bucket) bucket.add(o);
      else byValue.set(v, new Set<KubeObject>().add(o));
    }
    const namespace = namespaceOf(o);
    forEachIp(o, (ip, role) => {
      const key = ipKey(ip);
      const holder: IpHolder = { kind: o.kind, namespace, name: o.metadata.name, role };
      const list = this.ipIndex.get(key);
      if (!list) this.ipIndex.set(key, [holder]);
      // The same address written twice in two spellings is held once.
      else if (
        !list.some(
          (h) => h.kind === o.kind && h.namespace === namespace && h.name === holder.name && h.role === role,
        )
      )
        list.push(holder);
    });
  }

  /** Takes out `o`, which must be the object the state holds (the index is by identity). */
  private unindex(o: KubeObject): void {
    const idx = this.nsLabelIndex(o, false) ?? new Map<string, Map<string, Set<KubeObject>>>();
    const labels: Labels = o.metadata.labels ?? {};
    for (const k in labels) {
      if (!Object.hasOwn(labels, k)) continue;
      const byValue = idx.get(k);
      const bucket = byValue?.get(labels[k]!);
      if (!byValue || !bucket) continue;
      bucket.delete(o);
      if (bucket.size === 0) byValue.delete(labels[k]!);
      if (byValue.size === 0) idx.delete(k);
    }
    const namespace = namespaceOf(o);
    forEachIp(o, (ip) => {
      const key = ipKey(ip);
      const list = this.ipIndex.get(key);
      if (!list) return;
      const rest = list.filter(
        (h) => !(h.kind === o.kind && h.namespace === namespace && h.name === o.metadata.name),
      );
      if (rest.length) this.ipIndex.set(key, rest);
      else this.ipIndex.delete(key);
    });
  }
}

function isEquality(r: Requirement): boolean {
  return (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1;
}
