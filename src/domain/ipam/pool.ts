/**
 * A pool: a contiguous run of values (addresses, subnets or ports) handed out by offset. Which offsets
 * are allocatable (the network and broadcast addresses are not) and which band dynamic allocation tries
 * first are fixed when the pool is made; what is taken lives in an OffsetSet.
 */
import { cidrSize, formatCIDR, formatIP, parseCIDR, type CIDR, type IPFamily } from '../net/ip.js';
import { OffsetSet } from './offset-set.js';

export type PoolKind = 'service' | 'node-port' | 'node-cidr' | 'pod' | 'node-address' | 'load-balancer';

export interface PoolDef {
  readonly name: string;
  readonly kind: PoolKind;
  /** IP pools: the CIDR as configured; port pools: "min-max". */
  readonly range: string;
  readonly family?: IPFamily;
  /** IP pools: the network; node-cidr pools: the cluster network; ports: the first port. */
  readonly base: bigint;
  /** node-cidr pools: the prefix length of each subnet handed out. */
  readonly subnetPrefix?: number;
  /** Allocatable offsets are [lo, hi). */
  readonly lo: number;
  readonly hi: number;
  /** Dynamic allocation tries [dynamicFrom, hi) first, then [lo, dynamicFrom) (KEP-3070, KEP-3668). */
  readonly dynamicFrom: number;
  /** The node a pod pool belongs to. */
  readonly node?: string;
}

export class Pool {
  readonly taken: OffsetSet;
  /** The bounds as bigints, made once: offsetOf runs for every address of an import. */
  private readonly loBig: bigint;
  private readonly hiBig: bigint;
  private readonly shift: bigint;

  constructor(
    readonly def: PoolDef,
    taken?: OffsetSet,
  ) {
    this.taken = taken ?? new OffsetSet(def.hi, undefined, def.lo);
    this.loBig = BigInt(def.lo);
    this.hiBig = BigInt(def.hi);
    this.shift = def.kind === 'node-cidr' ? BigInt((def.family === 4 ? 32 : 128) - def.subnetPrefix!) : 0n;
  }

  /** A copy whose allocations do not reach this pool. */
  fork(): Pool {
    return new Pool(this.def, this.taken.clone());
  }

  get size(): number {
    return this.def.hi - this.def.lo;
  }

  get allocated(): number {
    return this.taken.count;
  }

  /** The offset of a value, or undefined when the value is not allocatable from this pool. */
  offsetOf(value: bigint): number | undefined {
    let off = value - this.def.base;
    if (this.shift !== 0n) {
      if (off < 0n || off & ((1n << this.shift) - 1n)) return undefined;
      off >>= this.shift;
    }
    if (off < this.loBig || off >= this.hiBig) return undefined;
    return Number(off);
  }

  valueAt(offset: number): bigint {
    return this.def.base + (BigInt(offset) << this.shift);
  }

  /** A value as text: an address, a subnet in CIDR form, or a port number. */
  format(value: bigint): string {
    const d = this.def;
    if (d.kind === 'node-port') return String(value);
    if (d.kind === 'node-cidr')
      return formatCIDR({ family: d.family!, network: value, prefix: d.subnetPrefix! });
    return formatIP({ family: d.family!, value });
  }

  /** The lowest free offset, dynamic band first; -1 when the pool is full. */
  nextFree(): number {
    const d = this.def;
    const hit = this.taken.lowestFree(d.dynamicFrom, d.hi);
    return hit >= 0 ? hit : this.taken.lowestFree(d.lo, d.dynamicFrom);
  }

  /** The range as upstream prints it in "not in the valid range" messages. */
  describe(): string {
    return this.def.range;
  }
}

// ---- pool definitions -------------------------------------------------------------------------------

/**
 * KEP-3070/KEP-3668: the lower band reserved for static (pinned) values is size/step, at least `min` and
 * at most `max`; ranges smaller than `min` have no reserved band.
 */
export function reservedBand(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(max, Math.max(min, Math.floor(size / step)));
}

/** Upstream's bitmap keeps at most 2^16 IPv6 service addresses. */
export const MAX_IPV6_SERVICE_ADDRESSES = 65536;
/** Offsets past this are never handed out (a /64 pod range stays a bitmap of manageable size). */
const MAX_OFFSETS = 1 << 20;

function clampSize(size: bigint, cap: number): number {
  return size > BigInt(cap) ? cap : Number(size);
}

function mustCidr(s: string): CIDR {
  const c = parseCIDR(s);
  if (!c) throw new Error(`invalid CIDR ${s}`);
  return c;
}

/**
 * Service ClusterIPs (pkg/registry/core/service/ipallocator): the network address is never handed out,
 * nor the IPv4 broadcast address; IPv6 ranges are cut to 2^16 addresses. Dynamic allocation prefers the
 * upper band; the lower band (16..256 addresses) is left for pinned IPs.
 */
export function servicePool(cidrText: string): PoolDef {
  const c = mustCidr(cidrText);
  const full = cidrSize(c);
  let hi = c.family === 6 ? clampSize(full, MAX_IPV6_SERVICE_ADDRESSES) : clampSize(full, 1 << 30);
  if (c.family === 4 && hi > 2) hi -= 1; // broadcast
  const lo = hi > 1 ? 1 : 0; // network address
  const band = reservedBand(clampSize(full, 1 << 30), 16, 256, 16);
  return {
    name: `service-ipv${c.family}`,
    kind: 'service',
    range: formatCIDR(c),
    family: c.family,
    base: c.network,
    lo,
    hi,
    dynamicFrom: Math.min(hi, lo + band),
  };
}

/** NodePorts: every port of the range; the lower band (16..128 ports) is left for pinned ports. */
export function nodePortPool(min: number, max: number): PoolDef {
  const size = max - min + 1;
  return {
    name: 'node-port',
    kind: 'node-port',
    range: `${min}-${max}`,
    base: BigInt(min),
    lo: 0,
    hi: size,
    dynamicFrom: reservedBand(size, 16, 128, 32),
  };
}

/** Node podCIDRs carved from the cluster CIDR, in order (kube-controller-manager's cidrset). */
export function nodeCidrPool(cidrText: string, mask: number): PoolDef {
  const c = mustCidr(cidrText);
  const count = clampSize(1n << BigInt(mask - c.prefix), MAX_OFFSETS);
  return {
    name: `node-cidr-ipv${c.family}`,
    kind: 'node-cidr',
    range: formatCIDR(c),
    family: c.family,
    base: c.network,
    subnetPrefix: mask,
    lo: 0,
    hi: count,
    dynamicFrom: 0,
  };
}

/**
 * Addresses of a subnet with a gateway: pod ranges (host-local under a bridge CNI: neither the network
 * address nor the gateway .1, nor the IPv4 broadcast) and the node network (kind's docker bridge, whose
 * gateway is .1, so the first node gets .2).
 */
function gatewaySubnet(name: string, kind: PoolKind, cidrText: string, node?: string): PoolDef {
  const c = mustCidr(cidrText);
  let hi = clampSize(cidrSize(c), MAX_OFFSETS);
  if (c.family === 4 && hi > 2) hi -= 1;
  const lo = Math.min(hi, 2);
  return {
    name,
    kind,
    range: formatCIDR(c),
    family: c.family,
    base: c.network,
    lo,
    hi,
    dynamicFrom: lo,
    node,
  };
}

export function podPool(node: string, cidrText: string): PoolDef {
  const family = mustCidr(cidrText).family;
  return gatewaySubnet(`pods/${node}/ipv${family}`, 'pod', cidrText, node);
}

export function nodeAddressPool(cidrText: string): PoolDef {
  return gatewaySubnet('node-address', 'node-address', cidrText);
}

/** LoadBalancer addresses, MetalLB-style: every address but the network and broadcast ones. */
export function loadBalancerPool(cidrText: string): PoolDef {
  const c = mustCidr(cidrText);
  let hi = clampSize(cidrSize(c), MAX_OFFSETS);
  let lo = 0;
  if (c.family === 4 && hi > 2) {
    hi -= 1;
    lo = 1;
  }
  return {
    name: 'load-balancer',
    kind: 'load-balancer',
    range: formatCIDR(c),
    family: c.family,
    base: c.network,
    lo,
    hi,
    dynamicFrom: lo,
  };
}
