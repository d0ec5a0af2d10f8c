/**
 * The address book: every pool netmodel hands values out of, and which of their values the stored
 * objects hold. It is an index over the cluster state like the label index, not a second source of
 * truth: what is taken is exactly what committed objects carry (a Service's clusterIPs and nodePorts, a
 * Node's podCIDRs and InternalIP, a running Pod's IPs, a LoadBalancer's ingress IPs).
 *
 * A write batch works on a fork (IpamTxn) that shares the pools and copies only what it changes, so an
 * allocation sees every earlier allocation of the same batch, and a batch that fails leaves nothing
 * behind: the fork is dropped, and the book itself moves only with committed changes.
 */
import {
  effectivePodCIDRs,
  isTerminal,
  namespaceOf,
  podIPs,
  type KubeObject,
  type Node,
  type Pod,
} from '../model/types.js';
import { parseCIDR, parseIP, prefixMask, type IPFamily } from '../net/ip.js';
import {
  loadBalancerPool,
  nodeAddressPool,
  nodeCidrPool,
  nodePortPool,
  podPool,
  Pool,
  servicePool,
  type PoolDef,
  type PoolKind,
} from './pool.js';

export interface IpamSettings {
  /** One or two (one per family); the first is the primary family. */
  readonly serviceCidrs: readonly string[];
  /** One or two (one per family). */
  readonly clusterCidrs: readonly string[];
  /** The podCIDR prefix length per cluster CIDR, in the same order. */
  readonly nodeCidrMasks: readonly number[];
  readonly nodePortRange: { readonly min: number; readonly max: number };
  readonly nodeNetwork: string;
  readonly lbCidr?: string;
}

/** One value an object holds in a pool, and the field that carries it (for error causes). */
export interface Holding {
  readonly pool: string;
  readonly offset: number;
  readonly field: string;
}

export interface PoolUsage {
  readonly name: string;
  readonly kind: PoolKind;
  readonly range: string;
  readonly family?: IPFamily;
  readonly node?: string;
  readonly size: number;
  readonly allocated: number;
  readonly free: number;
}

export class PoolFullError extends Error {
  constructor(readonly pool: Pool) {
    super('range is full');
  }
}

export function objectKey(o: KubeObject): string {
  return `${o.kind}/${namespaceOf(o)}/${o.metadata.name}`;
}

export const podPoolName = (node: string, family: IPFamily) => `pods/${node}/ipv${family}`;

/**
 * The shared logic of the committed book and a batch's fork. Subclasses say where pools, holdings and
 * per-node pod sets live.
 */
abstract class Book {
  constructor(readonly settings: IpamSettings) {}

  protected abstract readPool(name: string): Pool | undefined;
  protected abstract writePool(name: string): Pool | undefined;
  protected abstract setPool(name: string, pool: Pool | undefined): void;
  abstract poolNames(): Iterable<string>;
  protected abstract getHoldings(key: string): readonly Holding[] | undefined;
  protected abstract setHoldings(key: string, h: readonly Holding[] | undefined): void;
  /** Pods (non-terminal) whose spec.nodeName is `node`, by key. */
  protected abstract podsOn(node: string): ReadonlyMap<string, Pod>;
  protected abstract setPodOn(node: string, key: string, pod: Pod | undefined): void;

  pool(name: string): Pool | undefined {
    return this.readPool(name);
  }

  /** The pods counted on a node (the scheduler's spread), terminal ones excluded. */
  podCount(node: string): number {
    return this.podsOn(node).size;
  }

  /** Service pools in configured order (primary family first). */
  servicePools(): Pool[] {
    return this.settings.serviceCidrs.map((c) => this.readPool(`service-ipv${parseCIDR(c)!.family}`)!);
  }

  servicePool(family: IPFamily): Pool | undefined {
    return this.readPool(`service-ipv${family}`);
  }

  nodeCidrPools(): Pool[] {
    return this.settings.clusterCidrs.map((c) => this.readPool(`node-cidr-ipv${parseCIDR(c)!.family}`)!);
  }

  /** What an object holds, computed against the pools as they are now. */
  holdingsOf(o: KubeObject): Holding[] {
    const out: Holding[] = [];
    const add = (poolName: string, value: bigint | undefined, field: string) => {
      if (value === undefined) return;
      const pool = this.readPool(poolName);
      const offset = pool?.offsetOf(value);
      if (offset !== undefined) out.push({ pool: poolName, offset, field });
    };
    const ip = (s: string | undefined) => (s ? parseIP(s) : null);
    switch (o.kind) {
      case 'Service': {
        const spec = o.spec ?? {};
        const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
        ips.forEach((s, i) => {
          const a = ip(s);
          if (a) add(`service-ipv${a.family}`, a.value, `spec.clusterIPs[${i}]`);
        });
        (spec.ports ?? []).forEach((p, i) => {
          if (p.nodePort) add('node-port', BigInt(p.nodePort), `spec.ports[${i}].nodePort`);
        });
        if (spec.healthCheckNodePort)
          add('node-port', BigInt(spec.healthCheckNodePort), 'spec.healthCheckNodePort');
        (o.status?.loadBalancer?.ingress ?? []).forEach((ing, i) => {
          const a = ip(ing.ip);
          if (a) add('load-balancer', a.value, `status.loadBalancer.ingress[${i}].ip`);
        });
        break;
      }
      case 'Node': {
        effectivePodCIDRs(o.spec).forEach((cidr, i) => {
          const c = parseCIDR(cidr);
          const pool = c && this.readPool(`node-cidr-ipv${c.family}`);
          if (!c || !pool) return;
          const mask = pool.def.subnetPrefix!;
          if (c.prefix >= mask) {
            add(pool.def.name, c.network & prefixMask(c.family, mask), `spec.podCIDRs[${i}]`);
          } else {
            // A pinned range wider than one node subnet covers several of them.
            const step = 1n << BigInt((c.family === 4 ? 32 : 128) - mask);
            const n = 1n << BigInt(mask - c.prefix);
            for (let k = 0n; k < n && k < 65536n; k++)
              add(pool.def.name, c.network + k * step, `spec.podCIDRs[${i}]`);
          }
        });
        (o.status?.addresses ?? []).forEach((a, i) => {
          if (a.type !== 'InternalIP') return;
          const v = ip(a.address);
          if (v) add('node-address', v.value, `status.addresses[${i}].address`);
        });
        break;
      }
      case 'Pod': {
        if (o.spec?.hostNetwork || isTerminal(o) || !o.spec?.nodeName) break;
        podIPs(o).forEach((s, i) => {
          const a = ip(s);
          if (a) add(podPoolName(o.spec.nodeName!, a.family), a.value, `status.podIPs[${i}].ip`);
        });
        break;
      }
      default:
        break;
    }
    return out;
  }

  /** Moves the book from `previous` to `next` for one object (either may be absent). */
  change(previous: KubeObject | undefined, next: KubeObject | undefined): void {
    const o = next ?? previous;
    if (!o) return;
    const key = objectKey(o);
    for (const h of this.getHoldings(key) ?? []) this.writePool(h.pool)?.taken.delete(h.offset);
    this.setHoldings(key, undefined);
    if (o.kind === 'Pod') this.trackPod(previous as Pod | undefined, next as Pod | undefined, key);
    if (o.kind === 'Node') this.trackNode(previous as Node | undefined, next as Node | undefined);
    if (next) this.hold(key, this.holdingsOf(next));
    this.changed(o, key, next);
  }

  /**
   * Told of every change, after it: the object changed (`next`, or `previous` when it is gone), its
   * key, and what it is now (undefined: gone).
   */
  protected abstract changed(o: KubeObject, key: string, next: KubeObject | undefined): void;

  private hold(key: string, hs: readonly Holding[]): void {
    for (const h of hs) this.writePool(h.pool)!.taken.add(h.offset);
    this.setHoldings(key, hs.length ? hs : undefined);
  }

  private trackPod(previous: Pod | undefined, next: Pod | undefined, key: string): void {
    const was = previous?.spec?.nodeName;
    if (was) this.setPodOn(was, key, undefined);
    const now = next?.spec?.nodeName;
    if (next && now && !isTerminal(next)) this.setPodOn(now, key, next);
  }

  /** A node's pod pools follow its podCIDRs; a new pool takes in the pods already bound to the node. */
  private trackNode(previous: Node | undefined, next: Node | undefined): void {
    const name = (next ?? previous)!.metadata.name;
    const want = new Map<string, PoolDef>();
    for (const cidr of next ? effectivePodCIDRs(next.spec) : []) {
      const c = parseCIDR(cidr);
      if (c && !want.has(podPoolName(name, c.family)))
        want.set(podPoolName(name, c.family), podPool(name, cidr));
    }
    const pods = this.podsOn(name);
    let changed = false;
    for (const family of [4, 6] as const) {
      const poolName = podPoolName(name, family);
      const have = this.readPool(poolName);
      const def = want.get(poolName);
      if (have && def && have.def.range === def.range) continue;
      changed = true;
      if (have) {
        // The pods' holdings in the old pool go with it.
        for (const key of pods.keys()) {
          const hs = this.getHoldings(key);
          if (hs)
            this.setHoldings(
              key,
              hs.filter((h) => h.pool !== poolName),
            );
        }
      }
      this.setPool(poolName, def ? new Pool(def) : undefined);
    }
    if (!changed) return;
    for (const [key, pod] of pods) {
      const mine = this.holdingsOf(pod).filter((h) => h.pool.startsWith(`pods/${name}/`));
      const rest = (this.getHoldings(key) ?? []).filter((h) => !h.pool.startsWith(`pods/${name}/`));
      for (const h of mine) this.writePool(h.pool)!.taken.add(h.offset);
      const all = [...rest, ...mine];
      this.setHoldings(key, all.length ? all : undefined);
    }
  }

  /** The pools whose range holds an address (its service, node or pod range...), with their usage. */
  poolsContaining(ip: string): PoolUsage[] {
    const a = parseIP(ip);
    if (!a) return [];
    return this.usage().filter((u) => {
      if (u.kind === 'node-port' || u.family !== a.family) return false;
      const c = parseCIDR(u.range)!;
      return (a.value & prefixMask(c.family, c.prefix)) === c.network;
    });
  }

  usage(): PoolUsage[] {
    const out: PoolUsage[] = [];
    for (const name of this.poolNames()) {
      const p = this.readPool(name)!;
      const d = p.def;
      out.push({
        name: d.name,
        kind: d.kind,
        range: d.range,
        family: d.family,
        node: d.node,
        size: p.size,
        allocated: p.allocated,
        free: p.size - p.allocated,
      });
    }
    return out.sort((a, b) => poolRank(a) - poolRank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

const RANK: Record<PoolKind, number> = {
  service: 0,
  'node-port': 1,
  'node-cidr': 2,
  'node-address': 3,
  'load-balancer': 4,
  pod: 5,
};
const poolRank = (p: PoolUsage) => RANK[p.kind];

/** The kinds whose objects hold values in the book; change() does nothing for the others. */
const HOLDING_KINDS: ReadonlySet<string> = new Set(['Service', 'Node', 'Pod']);

/** The committed book, moved only by committed changes. */
export class Ipam extends Book {
  private readonly pools = new Map<string, Pool>();
  private readonly holdings = new Map<string, readonly Holding[]>();
  private readonly pods = new Map<string, Map<string, Pod>>();
  /** Counts changes (and adoptions): a fork made before the last one is not adopted. */
  private version = 0;

  constructor(settings: IpamSettings) {
    super(settings);
    for (const c of settings.serviceCidrs) this.addFixed(servicePool(c));
    this.addFixed(nodePortPool(settings.nodePortRange.min, settings.nodePortRange.max));
    settings.clusterCidrs.forEach((c, i) => this.addFixed(nodeCidrPool(c, settings.nodeCidrMasks[i]!)));
    this.addFixed(nodeAddressPool(settings.nodeNetwork));
    if (settings.lbCidr) this.addFixed(loadBalancerPool(settings.lbCidr));
  }

  private addFixed(def: PoolDef): void {
    this.pools.set(def.name, new Pool(def));
  }

  /** Indexes objects loaded at start: nodes first, so their pod pools exist when the pods arrive. */
  load(objects: Iterable<KubeObject>): void {
    const rest: KubeObject[] = [];
    for (const o of objects) {
      if (o.kind === 'Node') this.change(undefined, o);
      else rest.push(o);
    }
    for (const o of rest) this.change(undefined, o);
  }

  /** A fork for one write batch. */
  fork(): IpamTxn {
    return new IpamTxn(this, this.version);
  }

  protected changed(): void {
    this.version++;
  }

  /**
   * Takes a batch's fork as the book's next state, instead of moving the book write by write (which
   * recomputes every holding the fork already computed). Only when the fork is known to be exactly what
   * those moves would give: it was forked from the book as it is now, it holds no reservation, and for
   * every object of the kinds that hold values it was last changed to the batch's final object (the same
   * object; undefined when deleted), for those objects and no others. Otherwise returns false and
   * leaves the book as it was.
   */
  adopt(txn: IpamTxn, writes: readonly { readonly type: string; readonly object: KubeObject }[]): boolean {
    const seen = txn.outcome();
    if (seen.baseVersion !== this.version || seen.reservations !== 0) return false;
    // The batch's final object per key, keyed by the key the fork saw each object under: an object
    // the fork never saw fails the check at once, and no key string is built again.
    const finals = new Map<string, KubeObject | undefined>();
    for (const w of writes) {
      if (!HOLDING_KINDS.has(w.object.kind)) continue;
      const key = seen.keyOf.get(w.object);
      if (key === undefined) return false;
      finals.set(key, w.type === 'DELETED' ? undefined : w.object);
    }
    if (finals.size !== seen.last.size) return false;
    let same = true;
    finals.forEach((o, key) => {
      if (same && (seen.last.get(key) !== o || !seen.last.has(key))) same = false;
    });
    if (!same) return false;
    seen.pools.forEach((pool, name) => this.setPool(name, pool));
    seen.holdings.forEach((h, key) => this.setHoldings(key, h));
    seen.pods.forEach((pods, node) => pods.forEach((pod, key) => this.setPodOn(node, key, pod)));
    this.version++;
    return true;
  }

  protected readPool(name: string): Pool | undefined {
    return this.pools.get(name);
  }
  protected writePool(name: string): Pool | undefined {
    return this.pools.get(name);
  }
  protected setPool(name: string, pool: Pool | undefined): void {
    if (pool) this.pools.set(name, pool);
    else this.pools.delete(name);
  }
  poolNames(): Iterable<string> {
    return this.pools.keys();
  }
  protected getHoldings(key: string): readonly Holding[] | undefined {
    return this.holdings.get(key);
  }
  protected setHoldings(key: string, h: readonly Holding[] | undefined): void {
    if (h) this.holdings.set(key, h);
    else this.holdings.delete(key);
  }
  protected podsOn(node: string): ReadonlyMap<string, Pod> {
    return this.pods.get(node) ?? EMPTY;
  }
  protected setPodOn(node: string, key: string, pod: Pod | undefined): void {
    let m = this.pods.get(node);
    if (pod) {
      if (!m) this.pods.set(node, (m = new Map()));
      m.set(key, pod);
    } else if (m) {
      m.delete(key);
      if (m.size === 0) this.pods.delete(node);
    }
  }

  /** For the fork: the committed values, read-only. */
  basePool(name: string): Pool | undefined {
    return this.pools.get(name);
  }
  baseHoldings(key: string): readonly Holding[] | undefined {
    return this.holdings.get(key);
  }
  basePodsOn(node: string): ReadonlyMap<string, Pod> {
    return this.podsOn(node);
  }
}

const EMPTY: ReadonlyMap<string, Pod> = new Map();

/** One batch's private view of the book. */
export class IpamTxn extends Book {
  /** Pools this batch wrote to (forked) or created or removed (undefined). */
  private readonly pools = new Map<string, Pool | undefined>();
  private readonly holdings = new Map<string, readonly Holding[] | undefined>();
  private readonly pods = new Map<string, Map<string, Pod | undefined>>();
  private readonly countDelta = new Map<string, number>();

  /** The last object each key of the holding kinds was changed to in this batch (undefined: deleted). */
  private readonly last = new Map<string, KubeObject | undefined>();
  /** The key of every object this batch changed (the object changed to, or the one deleted). */
  private readonly keyOf = new Map<KubeObject, string>();
  /** reserve() calls not yet undone by unreserve(). */
  private reservations = 0;

  constructor(
    private readonly base: Ipam,
    private readonly baseVersion: number,
  ) {
    super(base.settings);
  }

  protected changed(o: KubeObject, key: string, next: KubeObject | undefined): void {
    if (!HOLDING_KINDS.has(o.kind)) return;
    this.last.set(key, next);
    this.keyOf.set(o, key);
  }

  /** What this batch did, for Ipam.adopt. */
  outcome(): {
    readonly baseVersion: number;
    readonly reservations: number;
    readonly last: ReadonlyMap<string, KubeObject | undefined>;
    readonly keyOf: ReadonlyMap<KubeObject, string>;
    readonly pools: ReadonlyMap<string, Pool | undefined>;
    readonly holdings: ReadonlyMap<string, readonly Holding[] | undefined>;
    readonly pods: ReadonlyMap<string, ReadonlyMap<string, Pod | undefined>>;
  } {
    return {
      baseVersion: this.baseVersion,
      reservations: this.reservations,
      last: this.last,
      keyOf: this.keyOf,
      pools: this.pools,
      holdings: this.holdings,
      pods: this.pods,
    };
  }

  protected readPool(name: string): Pool | undefined {
    return this.pools.has(name) ? this.pools.get(name) : this.base.basePool(name);
  }
  protected writePool(name: string): Pool | undefined {
    if (this.pools.has(name)) return this.pools.get(name);
    const b = this.base.basePool(name);
    const mine = b?.fork();
    this.pools.set(name, mine);
    return mine;
  }
  protected setPool(name: string, pool: Pool | undefined): void {
    this.pools.set(name, pool);
  }
  poolNames(): Iterable<string> {
    const names = new Set<string>(this.base.poolNames());
    for (const [n, p] of this.pools) {
      if (p) names.add(n);
      else names.delete(n);
    }
    return names;
  }
  protected getHoldings(key: string): readonly Holding[] | undefined {
    return this.holdings.has(key) ? this.holdings.get(key) : this.base.baseHoldings(key);
  }
  protected setHoldings(key: string, h: readonly Holding[] | undefined): void {
    this.holdings.set(key, h);
  }
  protected podsOn(node: string): ReadonlyMap<string, Pod> {
    const mine = this.pods.get(node);
    const base = this.base.basePodsOn(node);
    if (!mine) return base;
    const out = new Map(base);
    for (const [k, p] of mine) {
      if (p) out.set(k, p);
      else out.delete(k);
    }
    return out;
  }
  protected setPodOn(node: string, key: string, pod: Pod | undefined): void {
    let m = this.pods.get(node);
    if (!m) this.pods.set(node, (m = new Map()));
    const before = m.has(key) ? m.get(key) !== undefined : this.base.basePodsOn(node).has(key);
    m.set(key, pod);
    const delta = (pod ? 1 : 0) - (before ? 1 : 0);
    if (delta) this.countDelta.set(node, (this.countDelta.get(node) ?? 0) + delta);
  }

  override podCount(node: string): number {
    return this.base.basePodsOn(node).size + (this.countDelta.get(node) ?? 0);
  }

  /** Is the value at `offset` of the pool free? */
  isFree(poolName: string, offset: number): boolean {
    const p = this.readPool(poolName);
    return !!p && !p.taken.has(offset);
  }

  /** The next value of a pool (not yet held: the caller's write will hold it). */
  next(poolName: string): { pool: Pool; offset: number } {
    const pool = this.readPool(poolName);
    if (!pool) throw new Error(`no pool ${poolName}`);
    const offset = pool.nextFree();
    if (offset < 0) throw new PoolFullError(pool);
    return { pool, offset };
  }

  /** Marks a value taken before the write that holds it is recorded (several values for one object). */
  reserve(poolName: string, offset: number): void {
    this.writePool(poolName)!.taken.add(offset);
    this.reservations++;
  }

  unreserve(poolName: string, offset: number): void {
    this.writePool(poolName)?.taken.delete(offset);
    this.reservations--;
  }

  /** The holdings recorded for an object in this batch or before it. */
  heldBy(o: KubeObject): readonly Holding[] {
    return this.getHoldings(objectKey(o)) ?? [];
  }
}
