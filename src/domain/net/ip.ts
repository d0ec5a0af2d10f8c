/**
 * IP addresses and CIDR prefixes as plain values: an address is its family plus a bigint, so the same
 * arithmetic serves IPv4 (32 bits) and IPv6 (128 bits) and allocators can count, offset and compare
 * without string juggling.
 *
 * Parsing follows Go's net.ParseIP / net.ParseCIDR as Kubernetes uses them (k8s.io/utils/net), with two
 * deliberate choices:
 * - IPv4 octets with leading zeros ("010.0.0.1") are rejected, as current Go does: libc reads them as
 *   octal, so accepting them would let two programs disagree about the address.
 * - IPv4-mapped IPv6 ("::ffff:1.2.3.4") parses as an IPv6 address (family 6). It is written in IPv6
 *   syntax, and Kubernetes' strict validation refuses to treat it as IPv4.
 * Zones ("fe80::1%eth0") are rejected: no Kubernetes field accepts them.
 */

export type IPFamily = 4 | 6;

export interface IP {
  readonly family: IPFamily;
  readonly value: bigint;
}

export interface CIDR {
  readonly family: IPFamily;
  /** The prefix's first address (host bits cleared). */
  readonly network: bigint;
  readonly prefix: number;
}

/** A CIDR as written, before host bits are cleared: `10.0.0.7/24` keeps the `.7`. */
export interface InterfaceAddress {
  readonly ip: IP;
  readonly prefix: number;
}

export function bitLength(family: IPFamily): number {
  return family === 4 ? 32 : 128;
}

const MAPPED_V4_PREFIX = 0xffffn << 32n;
const V4_MASK = 0xffffffffn;

// ---- parsing -----------------------------------------------------------------------------------

const HEXTET_RE = /^[0-9a-fA-F]{1,4}$/;
const PREFIX_RE = /^(0|[1-9][0-9]{0,2})$/;

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;

/**
 * Exactly four dot-separated decimal octets, 0-255, no leading zeros. A scan of the characters rather
 * than a split and a regex per octet: every pod and service address of an import is parsed here.
 */
function parseIPv4Value(s: string): bigint | null {
  let value = 0;
  let octets = 0;
  let i = 0;
  for (;;) {
    const start = i;
    let octet = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) break;
      octet = octet * 10 + (c - DIGIT_0);
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && s.charCodeAt(start) === DIGIT_0) || octet > 255)
      return null;
    // Multiplication rather than shifts: a 32-bit shift would turn the top octet's high bit into a sign.
    value = value * 256 + octet;
    octets++;
    if (i === s.length) break;
    if (octets === 4 || s.charCodeAt(i) !== DOT) return null;
    i++;
  }
  return octets === 4 ? BigInt(value) : null;
}

/** Parses the groups on one side of a `::` (or the whole address when there is none). */
function parseHextets(side: string, allowV4Tail: boolean): bigint[] | null {
  if (side === '') return [];
  const parts = side.split(':');
  const out: bigint[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (allowV4Tail && i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIPv4Value(p);
      if (v4 === null) return null;
      out.push(v4 >> 16n, v4 & 0xffffn);
    } else if (HEXTET_RE.test(p)) {
      out.push(BigInt(Number.parseInt(p, 16)));
    } else {
      return null;
    }
  }
  return out;
}

function parseIPv6Value(s: string): bigint | null {
  if (s.includes('%')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  let groups: bigint[];
  if (halves.length === 2) {
    const head = parseHextets(halves[0]!, false);
    const tail = parseHextets(halves[1]!, true);
    if (head === null || tail === null) return null;
    // `::` stands for at least one zero group.
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<bigint>(missing).fill(0n), ...tail];
  } else {
    const all = parseHextets(s, true);
    if (all === null || all.length !== 8) return null;
    groups = all;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses an IPv4 or IPv6 address; null when it is not one. */
export function parseIP(s: string): IP | null {
  if (typeof s !== 'string' || s.length === 0) return null;
  if (s.includes(':')) {
    const value = parseIPv6Value(s);
    return value === null ? null : { family: 6, value };
  }
  const value = parseIPv4Value(s);
  return value === null ? null : { family: 4, value };
}

export function isIPv4(s: string): boolean {
  return parseIP(s)?.family === 4;
}

export function isIPv6(s: string): boolean {
  return parseIP(s)?.family === 6;
}

/** Parses `ip/prefix` keeping the host bits; null when malformed. */
export function parseInterfaceAddress(s: string): InterfaceAddress | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIP(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (ip === null || !PREFIX_RE.test(p)) return null;
  const prefix = Number(p);
  if (prefix > bitLength(ip.family)) return null;
  return { ip, prefix };
}

export interface ParseCIDROptions {
  /**
   * Reject values with bits set beyond the prefix (`10.0.0.1/24`). Kubernetes accepts those in
   * NetworkPolicy ipBlocks (netutils.ParseCIDRSloppy) but ranges that are allocated from, such as a
   * node's podCIDR or the service CIDR, must be written as the network itself.
   */
  readonly strict?: boolean;
}

/** Parses a CIDR; host bits are cleared unless `strict`, which rejects them instead. */
export function parseCIDR(s: string, opts: ParseCIDROptions = {}): CIDR | null {
  const ifa = parseInterfaceAddress(s);
  if (ifa === null) return null;
  const network = ifa.ip.value & prefixMask(ifa.ip.family, ifa.prefix);
  if (opts.strict && network !== ifa.ip.value) return null;
  return { family: ifa.ip.family, network, prefix: ifa.prefix };
}

/** True when `s` parses as a CIDR but has host bits set (`10.0.0.1/24`). */
export function hasHostBits(s: string): boolean {
  const ifa = parseInterfaceAddress(s);
  return ifa !== null && (ifa.ip.value & prefixMask(ifa.ip.family, ifa.prefix)) !== ifa.ip.value;
}

// ---- formatting --------------------------------------------------------------------------------

function formatIPv4Value(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((v >> shift) & 0xffn)).join('.');
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (>= 2) of zero groups as `::`. */
function formatIPv6Value(v: bigint): string {
  if (v >> 32n === 0xffffn) return `::ffff:${formatIPv4Value(v & V4_MASK)}`;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number): string => g.toString(16);
  if (bestLen < 2) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}

export function formatIP(ip: IP): string {
  return ip.family === 4 ? formatIPv4Value(ip.value) : formatIPv6Value(ip.value);
}

export function formatCIDR(c: CIDR): string {
  return `${formatIP({ family: c.family, value: c.network })}/${c.prefix}`;
}

/** The canonical text of an address string, or null when it does not parse. */
export function canonicalIP(s: string): string | null {
  const ip = parseIP(s);
  return ip === null ? null : formatIP(ip);
}

// ---- arithmetic --------------------------------------------------------------------------------

export function prefixMask(family: IPFamily, prefix: number): bigint {
  const bits = BigInt(bitLength(family));
  const all = (1n << bits) - 1n;
  return (all >> (bits - BigInt(prefix))) << (bits - BigInt(prefix));
}

export function cidrSize(c: CIDR): bigint {
  return 1n << BigInt(bitLength(c.family) - c.prefix);
}

export function cidrFirst(c: CIDR): IP {
  return { family: c.family, value: c.network };
}

export function cidrLast(c: CIDR): IP {
  return { family: c.family, value: c.network + cidrSize(c) - 1n };
}

export function cidrContains(c: CIDR, ip: IP): boolean {
  return c.family === ip.family && (ip.value & prefixMask(c.family, c.prefix)) === c.network;
}

/** True when every address of `inner` is in `outer` (a CIDR contains itself). */
export function cidrContainsCIDR(outer: CIDR, inner: CIDR): boolean {
  return (
    outer.family === inner.family &&
    inner.prefix >= outer.prefix &&
    (inner.network & prefixMask(outer.family, outer.prefix)) === outer.network
  );
}

/** Prefixes either nest or are disjoint, so overlap means one contains the other. */
export function cidrOverlaps(a: CIDR, b: CIDR): boolean {
  return cidrContainsCIDR(a, b) || cidrContainsCIDR(b, a);
}

export function compareIP(a: IP, b: IP): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

export function ipEquals(a: IP, b: IP): boolean {
  return compareIP(a, b) === 0;
}

/** The address `offset` places after `ip` (negative goes back); null when it leaves the family's range. */
export function addToIP(ip: IP, offset: bigint): IP | null {
  const value = ip.value + offset;
  if (value < 0n || value >= 1n << BigInt(bitLength(ip.family))) return null;
  return { family: ip.family, value };
}

// ---- classification (as Go's net.IP methods, used by ValidateNonSpecialIP) ---------------------------

/** Go treats an IPv4-mapped address as the IPv4 address for these checks; so do we. */
function unmapped(ip: IP): IP {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn && (ip.value & ~V4_MASK) === MAPPED_V4_PREFIX) {
    return { family: 4, value: ip.value & V4_MASK };
  }
  return ip;
}

const within = (ip: IP, family: IPFamily, network: bigint, prefix: number): boolean =>
  cidrContains({ family, network, prefix }, ip);

export function isUnspecified(ip: IP): boolean {
  return unmapped(ip).value === 0n;
}

export function isLoopback(ip: IP): boolean {
  const u = unmapped(ip);
  return u.family === 4 ? within(u, 4, 0x7f000000n, 8) : u.value === 1n;
}

export function isLinkLocalUnicast(ip: IP): boolean {
  const u = unmapped(ip);
  return u.family === 4 ? within(u, 4, 0xa9fe0000n, 16) : within(u, 6, 0xfe80n << 112n, 10);
}

export function isLinkLocalMulticast(ip: IP): boolean {
  const u = unmapped(ip);
  if (u.family === 4) return within(u, 4, 0xe0000000n, 24);
  // ff02::/16 with any flag bits, as Go checks it: first byte ff, scope nibble 2.
  const top = u.value >> 112n;
  return top >> 8n === 0xffn && (top & 0x0fn) === 0x02n;
}
