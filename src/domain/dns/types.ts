/**
 * DNS as values: records in zone-file presentation form, responses as CoreDNS builds them. The wire
 * format (RFC 1035) is the adapter's business (src/modules/dns); the domain speaks presentation form so
 * specs read like zone files and GraphQL can show the same text.
 */

export type RecordType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'SOA' | 'NS' | 'TXT' | 'MX' | 'ANY';
export const RECORD_TYPES: readonly RecordType[] = [
  'A',
  'AAAA',
  'SRV',
  'PTR',
  'CNAME',
  'SOA',
  'NS',
  'TXT',
  'MX',
  'ANY',
];

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

/**
 * One resource record. `name` is absolute with its trailing dot (`web.shop.svc.cluster.local.`); `data`
 * is the RDATA in presentation form:
 * - A / AAAA: the address (`10.96.0.10`, `fd00::a`);
 * - CNAME / PTR / NS: an absolute name with its trailing dot;
 * - SRV: `priority weight port target.` (`0 100 80 web.shop.svc.cluster.local.`);
 * - SOA: `mname. rname. serial refresh retry expire minimum`;
 * - TXT: the quoted string(s) (`"1.1.0"`).
 */
export interface DnsRecord {
  readonly name: string;
  readonly type: Exclude<RecordType, 'ANY'>;
  readonly ttl: number;
  readonly data: string;
}

export interface DnsResponse {
  readonly rcode: Rcode;
  /** The AA flag: set on every answer CoreDNS's kubernetes plugin gives. */
  readonly authoritative: boolean;
  readonly answer: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  readonly additional: readonly DnsRecord[];
}

export interface DnsSettings {
  /** The cluster domain without trailing dot (`cluster.local`). */
  readonly clusterDomain: string;
  /** The kubernetes plugin's record TTL (the kubeadm Corefile sets `ttl 30`). */
  readonly ttl: number;
  /** The SOA serial (CoreDNS: the Unix time of the last change it saw). */
  readonly serial: number;
}

/** A record as a zone-file line: `web.shop.svc.cluster.local.\t30\tIN\tA\t10.96.0.10`. */
export function formatRecord(r: DnsRecord): string {
  return `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`;
}
