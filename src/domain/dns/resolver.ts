/**
 * The cluster DNS server as a pure function: what CoreDNS answers with the kubernetes plugin under the
 * kubeadm/kind Corefile
 *
 *   kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }
 *
 * for one question, read from a ClusterSnapshot (the domain comes from DnsSettings.clusterDomain, the
 * TTL from DnsSettings.ttl, the SOA serial from DnsSettings.serial).
 *
 * How a question is answered (CoreDNS's handler, Services, Records and backend_lookup, in our words):
 * - The longest of the zones `<clusterDomain>.`, `in-addr.arpa.`, `ip6.arpa.` containing the name is
 *   the zone. Lookups use the lower-cased name; records are owned by the name as asked, and names built
 *   from the zone (SOA owner and its MNAME/RNAME, SRV targets, NS targets) use the zone as the question
 *   spelled it (0x20 case is echoed). PTR targets use the configured domain.
 * - The labels left of the zone read from the right: `svc`|`pod`, namespace, service (pod address),
 *   then one endpoint label or `_port._proto` (the underscores are optional); more labels, or a last
 *   label that is not `svc`/`pod`, is a name error (NXDOMAIN). The apex, `svc.<zone>`, `pod.<zone>` and
 *   `<ns>.svc|pod.<zone>` of an existing namespace exist with no data (NODATA). An unknown namespace or
 *   service is NXDOMAIN.
 * - ClusterIP services answer their ClusterIPs (A for IPv4, AAAA for IPv6, whether or not they have
 *   endpoints), per port matching the query's `_port._proto`. A service without ports counts as one
 *   port -1: it has addresses but no SRV. Headless services, and any query with an endpoint label,
 *   answer the ready endpoint addresses of the service's EndpointSlices (ready = `conditions.ready`
 *   true or absent; FQDN slices are skipped); a headless service with no ready endpoint is NXDOMAIN.
 *   An endpoint's label is its hostname, else its address with `.`/`:` as `-`.
 * - ExternalName services are a CNAME to `spec.externalName` (an externalName that is an IP address
 *   makes the service unanswerable: NXDOMAIN; an endpoint label under it too). A, AAAA and the fake
 *   lookup follow a target inside the zone and append its records; when the target has no records of
 *   the type the CNAME is dropped too (NODATA). Loops end: a target at or under the name, a CNAME
 *   already in the chain, or more than 8 in a chain is skipped. SRV and TXT ignore ExternalName.
 * - SRV: priority 0, weight floor(100 / n) (at least 1) where n counts every entry found, duplicates
 *   and port -1 included; one SRV per (target, port), one A/AAAA in the additional section per
 *   (target, address). Without `_port._proto` every port matches, unnamed ones too.
 * - Pods (`pods insecure`): `<a-b-c-d>.<ns>.pod.<zone>` answers the address the label spells if the
 *   namespace exists (three `-` and no `--`: IPv4, otherwise every `-` is `:`), with no pod check;
 *   labels left of it are ignored, as upstream. A label that is no address is NXDOMAIN.
 * - PTR: a service whose ClusterIPs hold the address gives `<svc>.<ns>.svc.<domain>.` (the first by
 *   namespace/name if several do); otherwise every ready endpoint address gives
 *   `<endpoint>.<svc>.<ns>.svc.<domain>.`, de-duplicated. Pod IPs get no PTR of their own.
 * - TXT: only `dns-version.<zone>` has one, `"1.1.0"` with TTL 28800; any other TXT is NODATA where
 *   the name has records and NXDOMAIN where it has none (CoreDNS 1.10.1 and later, coredns#5737). SOA is answered at the apex only (elsewhere NODATA without a lookup);
 *   NS at the apex lists the DNS service. MX is never answered (NODATA or NXDOMAIN). CNAME answers only
 *   for ExternalName services. Any other type (ANY, HINFO, NS below the apex, ...) is NODATA or NXDOMAIN
 *   as an A lookup for the name would be.
 * - Negative answers carry the zone's SOA in the authority section:
 *   `<zone> min(ttl,300) IN SOA ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 <ttl>`.
 * - Every record has the plugin TTL except the dns-version TXT (28800).
 *
 * Decisions for netmodel (it models the kubernetes plugin, not the rest of the Corefile):
 * - Names outside the cluster zone and the reverse zones: REFUSED, not authoritative, no records. The
 *   real server would forward them to the node's resolver, which netmodel does not model.
 * - Name errors under `in-addr.arpa.`/`ip6.arpa.` (an address netmodel does not know, a malformed
 *   reverse name, any non-PTR name lookup there): REFUSED as well, standing for `fallthrough` to the
 *   forwarder. Answers and NODATA in the reverse zones (the apex, TXT, SOA, ...) are given as CoreDNS
 *   gives them, authoritative with the reverse zone's SOA.
 * - An ExternalName target outside the zone: the CNAME alone with NOERROR (CoreDNS would append what
 *   the upstream answers for the target).
 * - AXFR and IXFR: REFUSED (not authoritative), as CoreDNS refuses transfers without the transfer
 *   plugin. REFUSED is the only answer with `authoritative: false`.
 * - The DNS service is the Service kube-system/kube-dns: the apex NS is `kube-dns.kube-system.svc.<zone>`
 *   with its ClusterIP as glue, and `ns.dns.<zone>` A/AAAA answers that ClusterIP. (CoreDNS finds the
 *   services in front of its own pod IPs; when kube-dns is missing or headless netmodel has no
 *   server address to give, so the NS answer is NODATA.)
 * - A Service with no ClusterIP yet has no addresses but exists (NODATA).
 * - Upstream quirks kept: the apex NS and `ns.dns.<zone>` are recognised only when the zone part of the
 *   question is in lower case (CoreDNS compares the lower-cased name with the zone as asked), so
 *   `CLUSTER.LOCAL. NS` is NODATA; `dns-version.in-addr.arpa.` has the TXT too.
 * - The API is always in sync, so the SERVFAIL of an unsynced CoreDNS never happens.
 *
 * Order (CoreDNS's order follows its informer caches and the loadbalance plugin shuffles it, so no order
 * is guaranteed there; netmodel's is stable): A and AAAA records by address value; SRV records by target
 * then port; additional records by owner, then A before AAAA, then address; PTR records by target; NS
 * records by target. A CNAME chain keeps chain order: each CNAME, then what its target gives.
 *
 * Cost: a query reads one namespace, one service and that service's EndpointSlices through the label
 * index, never every service or pod. PTR for endpoint addresses uses an address -> endpoint-name index
 * built from all EndpointSlices once per snapshot resourceVersion (a WeakMap keyed on the snapshot), so
 * it is rebuilt only after a change; service addresses come from the snapshot's IP index.
 */
import { SERVICE_NAME_LABEL } from '../endpoints/slice-controller.js';
import { fromServiceSelector } from '../labels/selector.js';
import { namespaceOf, type Service } from '../model/types.js';
import { compareIP, parseIP } from '../net/ip.js';
import type { ClusterSnapshot } from '../state/cluster-state.js';
import {
  IN_ADDR_ARPA,
  IP6_ARPA,
  absoluteName,
  baseLabels,
  endpointHostname,
  hostAddress,
  isSubdomain,
  lowerName,
  parseRequest,
  podLabelToIP,
  reverseNameToIP,
  type HostAddress,
  type RecordRequest,
} from './names.js';
import type { DnsRecord, DnsResponse, DnsSettings, RecordType } from './types.js';

/**
 * The question's type: a RecordType, a zone transfer, or any other type name the wire adapter decodes
 * (`HINFO`, ...), which is answered as CoreDNS answers types it has no records of.
 */
export type QueryType = RecordType | 'AXFR' | 'IXFR' | (string & NonNullable<unknown>);

export const DNS_SCHEMA_VERSION = '1.1.0';
export const DNS_VERSION_TTL = 28800;
/** The SOA record's own TTL is the plugin TTL, capped here. */
const SOA_TTL_CAP = 300;
const SOA_REFRESH = 7200;
const SOA_RETRY = 1800;
const SOA_EXPIRE = 86400;
/** CNAMEs already in a chain after which a further one is not followed. */
const MAX_CNAME_CHAIN = 7;
const DNS_SERVICE_NAMESPACE = 'kube-system';
const DNS_SERVICE_NAME = 'kube-dns';
const DEFAULT_NS_PREFIX = 'ns.dns.';

type RecordData = Exclude<RecordType, 'ANY'>;

/** What a name holds (CoreDNS's msg.Service). */
type Entry =
  | {
      readonly kind: 'address';
      readonly address: HostAddress;
      /** -1: the service or slice declares no ports. */
      readonly port: number;
      /** The name SRV and NS records point at for this entry (absolute). */
      readonly target: string;
    }
  | { readonly kind: 'cname'; readonly target: string }
  | { readonly kind: 'txt'; readonly text: string };

/** `null` is a name error (NXDOMAIN, or REFUSED in the reverse zones); `[]` is a name with no data. */
type Found<T> = T[] | null;

interface Ctx {
  readonly snap: ClusterSnapshot;
  readonly ttl: number;
  readonly serial: number;
  /** The zone as the question spelled it (absolute). */
  readonly zone: string;
  readonly zoneLower: string;
  /** The configured cluster domain, lower case and absolute: PTR targets use it. */
  readonly domain: string;
}

const REFUSED: DnsResponse = {
  rcode: 'REFUSED',
  authoritative: false,
  answer: [],
  authority: [],
  additional: [],
};

export function resolve(
  snap: ClusterSnapshot,
  qname: string,
  qtype: QueryType,
  settings: DnsSettings,
): DnsResponse {
  const name = absoluteName(qname);
  const nameLower = lowerName(name);
  const domain = absoluteName(lowerName(settings.clusterDomain));
  const zoneLower = longestZone(nameLower, [domain, IN_ADDR_ARPA, IP6_ARPA]);
  if (zoneLower === undefined || qtype === 'AXFR' || qtype === 'IXFR') return REFUSED;

  const ctx: Ctx = {
    snap,
    ttl: settings.ttl,
    serial: settings.serial,
    zone: name.slice(name.length - zoneLower.length),
    zoneLower,
    domain,
  };

  let answer: Found<DnsRecord>;
  let additional: DnsRecord[] = [];
  if (qtype === 'NS' && nameLower === ctx.zone) {
    ({ answer, additional } = nsAtApex(ctx, name));
  } else {
    switch (qtype) {
      case 'A':
        answer = addresses(ctx, 4, name, nameLower, []);
        break;
      case 'AAAA':
        answer = addresses(ctx, 6, name, nameLower, []);
        break;
      case 'TXT':
        answer = txt(ctx, name, nameLower);
        break;
      case 'CNAME':
        answer = cname(ctx, name, nameLower);
        break;
      case 'PTR':
        answer = ptr(ctx, name, nameLower);
        break;
      case 'SRV': {
        const found = srv(ctx, name, nameLower);
        answer = found && found.answer;
        additional = found ? found.additional : [];
        break;
      }
      case 'MX':
        // No Kubernetes record is a mail exchanger: the lookup only tells NODATA from NXDOMAIN.
        answer = services(ctx, name, nameLower, 'MX') && [];
        break;
      case 'SOA':
        answer = nameLower === zoneLower ? [soa(ctx)] : [];
        break;
      default:
        // ANY, HINFO, NS below the apex, ...: an A lookup for the name decides NODATA vs NXDOMAIN.
        answer = addresses(ctx, 4, name, nameLower, []) && [];
        break;
    }
  }

  if (answer === null) {
    if (isSubdomain(nameLower, IN_ADDR_ARPA) || isSubdomain(nameLower, IP6_ARPA)) return REFUSED;
    return negative(ctx, 'NXDOMAIN');
  }
  if (answer.length === 0) return negative(ctx, 'NOERROR');
  return { rcode: 'NOERROR', authoritative: true, answer, authority: [], additional };
}

// ---- zones and records ------------------------------------------------------------------------

function longestZone(nameLower: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) {
    if (isSubdomain(nameLower, z) && (best === undefined || z.length > best.length)) best = z;
  }
  return best;
}

function rr(name: string, type: RecordData, ttl: number, data: string): DnsRecord {
  return { name, type, ttl, data };
}

function addressRecord(name: string, a: HostAddress, ttl: number): DnsRecord {
  return rr(name, a.family === 4 ? 'A' : 'AAAA', ttl, a.text);
}

function soa(ctx: Ctx): DnsRecord {
  const data = [
    `${DEFAULT_NS_PREFIX}${ctx.zone}`,
    `hostmaster.${ctx.zone}`,
    ctx.serial,
    SOA_REFRESH,
    SOA_RETRY,
    SOA_EXPIRE,
    ctx.ttl,
  ].join(' ');
  return rr(ctx.zone, 'SOA', Math.min(ctx.ttl, SOA_TTL_CAP), data);
}

function negative(ctx: Ctx, rcode: 'NXDOMAIN' | 'NOERROR'): DnsResponse {
  return { rcode, authoritative: true, answer: [], authority: [soa(ctx)], additional: [] };
}

// ---- what a name holds --------------------------------------------------------------------------

/** CoreDNS's Services: the special names first, then the Kubernetes lookup. */
function services(ctx: Ctx, name: string, nameLower: string, qtype: QueryType): Found<Entry> {
  if (qtype === 'TXT') {
    const base = baseLabels(nameLower, ctx.zoneLower) ?? [];
    if (base.length === 1 && base[0] === 'dns-version') return [{ kind: 'txt', text: DNS_SCHEMA_VERSION }];
    // Since CoreDNS 1.10.1 (coredns#5737): NODATA where the Kubernetes lookup finds records, NXDOMAIN
    // where it finds none (the apex, svc.<zone> and <ns>.svc.<zone> included).
    const found = records(ctx, nameLower);
    return found !== null && found.length > 0 ? [] : null;
  }
  if (isDefaultNS(nameLower, ctx.zone)) {
    if (qtype !== 'A' && qtype !== 'AAAA') return [];
    const family = qtype === 'A' ? 4 : 6;
    return nsAddresses(ctx)
      .filter((e) => e.kind === 'address' && e.address.family === family)
      .map((e) => ({ ...e, target: name }));
  }
  const found = records(ctx, nameLower);
  if (found === null || qtype !== 'SRV') return found;
  return found.filter((e) => e.kind !== 'cname');
}

/** `ns.dns.<zone>`, compared as CoreDNS does: the lower-cased name against the zone as asked. */
function isDefaultNS(nameLower: string, zoneAsAsked: string): boolean {
  return (
    nameLower.startsWith(DEFAULT_NS_PREFIX) && nameLower.indexOf(zoneAsAsked) === DEFAULT_NS_PREFIX.length
  );
}

/** The DNS server's own addresses: the kube-dns Service's ClusterIP under its service name. */
function nsAddresses(ctx: Ctx): Entry[] {
  const svc = ctx.snap.get('Service', DNS_SERVICE_NAMESPACE, DNS_SERVICE_NAME);
  const ip = svc?.spec.clusterIP;
  if (!svc || svc.spec.type === 'ExternalName' || !ip || ip === 'None') return [];
  const address = hostAddress(ip);
  if (!address) return [];
  return [{ kind: 'address', address, port: 0, target: serviceDomain(svc, ctx.zone) }];
}

/** CoreDNS's Records: parse the name, check the namespace, then find pods or services. */
function records(ctx: Ctx, nameLower: string): Found<Entry> {
  const base = baseLabels(nameLower, ctx.zoneLower);
  const r = base && parseRequest(base);
  if (!r) return null;
  if (r.podOrSvc === '') return [];
  if (isSubdomain(nameLower, IN_ADDR_ARPA) || isSubdomain(nameLower, IP6_ARPA)) return null;
  if (!ctx.snap.get('Namespace', '', r.namespace)) return null;
  return r.podOrSvc === 'pod' ? findPod(ctx, r) : findService(ctx, r);
}

function findPod(ctx: Ctx, r: RecordRequest): Found<Entry> {
  if (r.service === '') return [];
  const address = podLabelToIP(r.service);
  if (!address) return null;
  return [{ kind: 'address', address, port: 0, target: `${r.service}.${r.namespace}.pod.${ctx.zone}` }];
}

function serviceDomain(svc: Service, zone: string): string {
  return `${svc.metadata.name}.${namespaceOf(svc)}.svc.${zone}`;
}

function portMatches(r: RecordRequest, name: string, protocol: string): boolean {
  return (
    (r.port === '' || lowerName(name) === r.port) && (r.protocol === '' || lowerName(protocol) === r.protocol)
  );
}

interface PortSpec {
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
}

/** What a service or slice without ports counts as. */
const NO_PORTS: readonly PortSpec[] = [{ name: '', protocol: '', port: -1 }];

function findService(ctx: Ctx, r: RecordRequest): Found<Entry> {
  if (r.service === '') return [];
  const svc = ctx.snap.get('Service', r.namespace, r.service);
  if (!svc) return null;

  if (svc.spec.type === 'ExternalName') {
    const target = svc.spec.externalName ?? '';
    // No endpoint or `_port._proto` pseudo-labels under an ExternalName (findServices skips them).
    if (
      r.endpoint !== '' ||
      r.port !== '' ||
      r.protocol !== '' ||
      target === '' ||
      hostAddress(target) !== null
    )
      return null;
    return [{ kind: 'cname', target: absoluteName(target) }];
  }

  if (svc.spec.clusterIP === 'None' || r.endpoint !== '') {
    const entries = endpointEntries(ctx, svc, r);
    return entries.length > 0 ? entries : null;
  }

  const ports: readonly PortSpec[] = svc.spec.ports?.length
    ? svc.spec.ports.map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port }))
    : NO_PORTS;
  const clusterIPs = svc.spec.clusterIPs?.length ? svc.spec.clusterIPs : [svc.spec.clusterIP ?? ''];
  const target = serviceDomain(svc, ctx.zone);
  let found = false;
  const entries: Entry[] = [];
  for (const p of ports) {
    if (!portMatches(r, p.name, p.protocol)) continue;
    found = true;
    for (const ip of clusterIPs) {
      const address = hostAddress(ip);
      if (address) entries.push({ kind: 'address', address, port: p.port, target });
    }
  }
  return found ? entries : null;
}

/** The ready endpoint addresses of a service's slices × the ports that match the request. */
function endpointEntries(ctx: Ctx, svc: Service, r: RecordRequest): Entry[] {
  const slices = ctx.snap.list('EndpointSlice', {
    namespace: namespaceOf(svc),
    selector: fromServiceSelector({ [SERVICE_NAME_LABEL]: svc.metadata.name }),
  });
  const domain = serviceDomain(svc, ctx.zone);
  const entries: Entry[] = [];
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const ports: readonly PortSpec[] = slice.ports?.length
      ? slice.ports.map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port ?? -1 }))
      : NO_PORTS;
    const matching = ports.filter((p) => portMatches(r, p.name, p.protocol));
    if (matching.length === 0) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const a of ep.addresses) {
        const host = endpointHostname(a, ep.hostname);
        if (r.endpoint !== '' && lowerName(host) !== r.endpoint) continue;
        const address = hostAddress(a);
        if (!address) continue;
        for (const p of matching) {
          entries.push({ kind: 'address', address, port: p.port, target: `${host}.${domain}` });
        }
      }
    }
  }
  return entries;
}

// ---- answers per type ---------------------------------------------------------------------------

function compareAddressRecords(a: DnsRecord, b: DnsRecord): number {
  const pa = parseIP(a.data);
  const pb = parseIP(b.data);
  return pa && pb ? compareIP(pa, pb) : a.data < b.data ? -1 : a.data > b.data ? 1 : 0;
}

function compareText(a: string, b: string): number {
  const la = lowerName(a);
  const lb = lowerName(b);
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** A or AAAA for a name, following ExternalName CNAMEs inside the zone. */
function addresses(
  ctx: Ctx,
  family: 4 | 6,
  name: string,
  nameLower: string,
  chain: readonly DnsRecord[],
): Found<DnsRecord> {
  const found = services(ctx, name, nameLower, family === 4 ? 'A' : 'AAAA');
  if (found === null) return null;
  const chained: DnsRecord[] = [];
  const direct: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const e of found) {
    if (e.kind === 'cname') {
      const targetLower = lowerName(e.target);
      if (isSubdomain(targetLower, nameLower)) continue; // x CNAME x
      if (chain.length > MAX_CNAME_CHAIN) continue;
      if (chain.some((c) => c.type === 'CNAME' && c.data === e.target)) continue;
      const link = rr(name, 'CNAME', ctx.ttl, e.target);
      if (isSubdomain(targetLower, ctx.zoneLower)) {
        const next = addresses(ctx, family, e.target, targetLower, [...chain, link]);
        if (next && next.length > 0) chained.push(link, ...next);
      } else {
        // Outside the zone CoreDNS asks its upstream; netmodel has none and keeps the CNAME alone.
        chained.push(link);
      }
    } else if (e.kind === 'address' && e.address.family === family && !seen.has(e.address.text)) {
      seen.add(e.address.text);
      direct.push(addressRecord(name, e.address, ctx.ttl));
    }
  }
  return [...chained, ...direct.sort(compareAddressRecords)];
}

function txt(ctx: Ctx, name: string, nameLower: string): Found<DnsRecord> {
  const found = services(ctx, name, nameLower, 'TXT');
  if (found === null) return null;
  return found.flatMap((e) => (e.kind === 'txt' ? [rr(name, 'TXT', DNS_VERSION_TTL, `"${e.text}"`)] : []));
}

function cname(ctx: Ctx, name: string, nameLower: string): Found<DnsRecord> {
  const found = services(ctx, name, nameLower, 'CNAME');
  if (found === null) return null;
  const first = found[0];
  return first?.kind === 'cname' ? [rr(name, 'CNAME', ctx.ttl, first.target)] : [];
}

function srv(
  ctx: Ctx,
  name: string,
  nameLower: string,
): { answer: DnsRecord[]; additional: DnsRecord[] } | null {
  const found = services(ctx, name, nameLower, 'SRV');
  if (found === null) return null;
  // Every entry weighs 100 and shares priority 0, so each SRV gets 100/n of the total.
  const weight = Math.max(1, Math.floor((100 / (100 * found.length)) * 100));
  const answer: DnsRecord[] = [];
  const additional: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const e of found) {
    if (e.kind !== 'address' || e.port === -1) continue;
    const srvKey = `${e.target}\u0000${e.port}`;
    if (!seen.has(srvKey)) {
      seen.add(srvKey);
      answer.push(rr(name, 'SRV', ctx.ttl, `0 ${weight} ${e.port} ${e.target}`));
    }
    const addrKey = `${e.target}\u0000${e.address.text}`;
    if (!seen.has(addrKey)) {
      seen.add(addrKey);
      additional.push(addressRecord(e.target, e.address, ctx.ttl));
    }
  }
  answer.sort((a, b) => {
    const [, , pa, ta] = a.data.split(' ');
    const [, , pb, tb] = b.data.split(' ');
    return compareText(ta!, tb!) || Number(pa) - Number(pb);
  });
  additional.sort(
    (a, b) =>
      compareText(a.name, b.name) ||
      (a.type === b.type ? compareAddressRecords(a, b) : a.type === 'A' ? -1 : 1),
  );
  return { answer, additional };
}

function nsAtApex(ctx: Ctx, name: string): { answer: DnsRecord[]; additional: DnsRecord[] } {
  const answer: DnsRecord[] = [];
  const additional: DnsRecord[] = [];
  for (const e of nsAddresses(ctx)) {
    if (e.kind !== 'address') continue;
    additional.push(addressRecord(e.target, e.address, ctx.ttl));
    if (!answer.some((r) => r.data === e.target)) answer.push(rr(name, 'NS', ctx.ttl, e.target));
  }
  answer.sort((a, b) => compareText(a.data, b.data));
  return { answer, additional };
}

// ---- PTR ----------------------------------------------------------------------------------------

function ptr(ctx: Ctx, name: string, nameLower: string): Found<DnsRecord> {
  const ip = reverseNameToIP(nameLower);
  if (ip === null) {
    // Not a reverse name: a PTR for it exists only as NODATA, if the name exists at all.
    return records(ctx, nameLower) && [];
  }
  const targets = new Set<string>();
  const holder = ctx.snap
    .holdersOf(ip)
    .filter((h) => h.kind === 'Service' && h.role === 'clusterIP')
    .sort((a, b) => compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))[0];
  if (holder) {
    targets.add(`${holder.name}.${holder.namespace}.svc.${ctx.domain}`);
  } else {
    for (const ep of endpointsByAddress(ctx.snap).get(ip) ?? []) {
      targets.add(`${ep.hostname}.${ep.service}.${ep.namespace}.svc.${ctx.domain}`);
    }
  }
  if (targets.size === 0) return null;
  return [...targets].sort(compareText).map((t) => rr(name, 'PTR', ctx.ttl, t));
}

interface EndpointName {
  readonly hostname: string;
  readonly service: string;
  readonly namespace: string;
}

interface ReverseIndex {
  readonly resourceVersion: number;
  readonly byAddress: ReadonlyMap<string, readonly EndpointName[]>;
}

const reverseIndexes = new WeakMap<ClusterSnapshot, ReverseIndex>();

/**
 * Ready endpoint addresses (as the slices write them) -> the endpoint names they have, over every
 * EndpointSlice of a service. Built once per snapshot and resourceVersion.
 */
function endpointsByAddress(snap: ClusterSnapshot): ReadonlyMap<string, readonly EndpointName[]> {
  const cached = reverseIndexes.get(snap);
  if (cached && cached.resourceVersion === snap.resourceVersion) return cached.byAddress;
  const byAddress = new Map<string, EndpointName[]>();
  for (const slice of snap.list('EndpointSlice')) {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service || slice.addressType === 'FQDN') continue;
    const namespace = namespaceOf(slice);
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const a of ep.addresses) {
        const entry = { hostname: endpointHostname(a, ep.hostname), service, namespace };
        const list = byAddress.get(a);
        if (list) list.push(entry);
        else byAddress.set(a, [entry]);
      }
    }
  }
  reverseIndexes.set(snap, { resourceVersion: snap.resourceVersion, byAddress });
  return byAddress;
}
