/**
 * Name handling for the cluster DNS server, as CoreDNS's kubernetes plugin does it:
 *
 * - `absoluteName` / `lowerName`: query names are made absolute (trailing dot) and compared in lower
 *   case; only ASCII letters fold, as in DNS (RFC 4343).
 * - `parseRequest`: the labels left of the zone read from the right as `svc|pod`, namespace, service
 *   (or pod) name, then one endpoint label or two `_port._proto` labels; more is an invalid name.
 * - `endpointHostname`: an endpoint's DNS label is its `hostname`, else its address with `.` or `:`
 *   turned into `-` (an IPv6 address is not expanded first: `fd00::a` gives `fd00--a`).
 * - `podLabelToIP`: the `a-b-c-d.<ns>.pod.<zone>` label back to an address: exactly three `-` and no
 *   `--` is IPv4, anything else is IPv6 with every `-` read as `:`.
 * - `reverseNameToIP` / `reverseName`: `in-addr.arpa.` (four decimal labels) and `ip6.arpa.` (32
 *   nibbles) names to addresses and back. Addresses come out as Go's net.IP prints them, so an
 *   IPv4-mapped IPv6 address is written dotted (`1.2.3.4`).
 */
import { formatIP, parseIP, type IP } from '../net/ip.js';

export const IN_ADDR_ARPA = 'in-addr.arpa.';
export const IP6_ARPA = 'ip6.arpa.';

/** The name with its trailing dot (`web.shop` -> `web.shop.`); the root stays `.`. */
export function absoluteName(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : `${name}.`;
}

/** ASCII lower case, the only folding DNS names get. */
export function lowerName(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** The labels of an absolute or relative name, without the root: `a.b.` -> [a, b]; `.` -> []. */
export function labelsOf(name: string): string[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed === '' ? [] : trimmed.split('.');
}

/** True when `name` equals `parent` or lies below it (both lower case and absolute). */
export function isSubdomain(name: string, parent: string): boolean {
  if (parent === '.') return true;
  return name === parent || name.endsWith(`.${parent}`);
}

/** The name's labels left of the zone (both absolute), or undefined when it is not in the zone. */
export function baseLabels(nameLower: string, zoneLower: string): string[] | undefined {
  if (!isSubdomain(nameLower, zoneLower)) return undefined;
  return labelsOf(nameLower.slice(0, nameLower.length - zoneLower.length));
}

/** What a name in the cluster zone asks for (CoreDNS's recordRequest). Empty strings: not given. */
export interface RecordRequest {
  readonly podOrSvc: '' | 'svc' | 'pod';
  readonly namespace: string;
  /** The service name, or for `pod` the dashed address. */
  readonly service: string;
  readonly endpoint: string;
  readonly port: string;
  readonly protocol: string;
}

const EMPTY_REQUEST: RecordRequest = {
  podOrSvc: '',
  namespace: '',
  service: '',
  endpoint: '',
  port: '',
  protocol: '',
};

/** One leading underscore is dropped: `_http` -> `http`, `http` stays. */
export function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

/**
 * Reads the labels left of the zone (lower case). `undefined` is an invalid name (NXDOMAIN): the last
 * label is not `svc`/`pod`, or more than two labels are left of the service. The zone apex, `svc` and
 * `pod` alone give an empty request (NODATA).
 */
export function parseRequest(base: readonly string[]): RecordRequest | undefined {
  if (base.length === 0) return EMPTY_REQUEST;
  if (base.length === 1 && (base[0] === 'svc' || base[0] === 'pod')) return EMPTY_REQUEST;
  let i = base.length - 1;
  const podOrSvc = base[i]!;
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return undefined;
  const namespace = base[--i] ?? '';
  const service = i > 0 ? base[--i]! : '';
  const rest = base.slice(0, Math.max(i, 0));
  if (service === '' || rest.length === 0) {
    return { ...EMPTY_REQUEST, podOrSvc, namespace, service };
  }
  if (rest.length === 1) return { ...EMPTY_REQUEST, podOrSvc, namespace, service, endpoint: rest[0]! };
  if (rest.length === 2) {
    return {
      ...EMPTY_REQUEST,
      podOrSvc,
      namespace,
      service,
      port: stripUnderscore(rest[0]!),
      protocol: stripUnderscore(rest[1]!),
    };
  }
  return undefined;
}

/** The endpoint's label under its service: its hostname, else the address with `.`/`:` as `-`. */
export function endpointHostname(address: string, hostname?: string): string {
  if (hostname) return hostname;
  if (address.includes('.')) return address.replaceAll('.', '-');
  if (address.includes(':')) return address.replaceAll(':', '-');
  return '';
}

/** The dashed label a pod address is queried under (`10.244.1.5` -> `10-244-1-5`). */
export function dashedIP(address: string): string {
  return endpointHostname(address);
}

/** An address as a record holds it: its family and Go's text for it (IPv4-mapped IPv6 is IPv4). */
export interface HostAddress {
  readonly family: 4 | 6;
  readonly text: string;
}

function goIP(ip: IP): HostAddress {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) {
    return { family: 4, text: formatIP({ family: 4, value: ip.value & 0xffffffffn }) };
  }
  return { family: ip.family, text: formatIP(ip) };
}

/** The address a host string holds, or null when it is not an address (Go's net.ParseIP rules). */
export function hostAddress(host: string): HostAddress | null {
  const ip = parseIP(host);
  return ip === null ? null : goIP(ip);
}

/** The address a `<label>.<ns>.pod.<zone>` label stands for, or null when it is none. */
export function podLabelToIP(label: string): HostAddress | null {
  const dashes = label.split('-').length - 1;
  const text =
    dashes === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return hostAddress(text);
}

const DECIMAL_RE = /^[0-9]{1,3}$/;
const NIBBLE_RE = /^[0-9a-f]$/;

/**
 * The address a reverse name (lower case, absolute) stands for, or null. IPv4: exactly four decimal
 * labels before `in-addr.arpa.`. IPv6: the 32 nibble labels next to `ip6.arpa.`; as in CoreDNS (which
 * regroups the reversed labels by four and drops a remainder) up to three more labels to their left are
 * ignored.
 */
export function reverseNameToIP(nameLower: string): string | null {
  if (nameLower.endsWith(`.${IN_ADDR_ARPA}`)) {
    const labels = labelsOf(nameLower.slice(0, -IN_ADDR_ARPA.length - 1));
    if (labels.length !== 4 || !labels.every((l) => DECIMAL_RE.test(l))) return null;
    const ip = parseIP(labels.reverse().join('.'));
    return ip === null ? null : goIP(ip).text;
  }
  if (nameLower.endsWith(`.${IP6_ARPA}`)) {
    const labels = labelsOf(nameLower.slice(0, -IP6_ARPA.length - 1)).reverse();
    if (labels.length < 32 || labels.length > 35) return null;
    const nibbles = labels.slice(0, 32);
    if (!nibbles.every((l) => NIBBLE_RE.test(l))) return null;
    let value = 0n;
    for (const n of nibbles) value = (value << 4n) | BigInt(Number.parseInt(n, 16));
    return goIP({ family: 6, value }).text;
  }
  return null;
}

/** The reverse name of an address (`10.96.0.20` -> `20.0.96.10.in-addr.arpa.`), or null. */
export function reverseName(address: string): string | null {
  const ip = parseIP(address);
  if (ip === null) return null;
  if (ip.family === 4) {
    return `${formatIP(ip).split('.').reverse().join('.')}.${IN_ADDR_ARPA}`;
  }
  const nibbles: string[] = [];
  for (let i = 0; i < 32; i++) nibbles.push(((ip.value >> BigInt(i * 4)) & 0xfn).toString(16));
  return `${nibbles.join('.')}.${IP6_ARPA}`;
}
