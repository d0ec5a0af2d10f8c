/**
 * What a pod sees of DNS: the `/etc/resolv.conf` the kubelet asks the runtime to write, the `/etc/hosts`
 * the kubelet manages, and the walk glibc's stub resolver makes through the search list. All pure: the
 * caller passes the node's own resolver settings and a `query` function (the model's CoreDNS).
 *
 * Sources: the kubelet's `pkg/kubelet/network/dns/dns.go` and `kubelet_pods.go`, containerd's CRI
 * resolv.conf writer, and glibc's `resolv/res_query.c` (see research notes, issue 4, sections 3-5). The
 * code is written from those descriptions; choices netmodel had to make are marked "netmodel:".
 */
import { podIPs, type HostAlias, type Node, type Pod } from '../model/types.js';
import type { DnsRecord, DnsResponse, RecordType } from './types.js';

// ---- resolv.conf ------------------------------------------------------------------------------

/**
 * A node's own resolv.conf as the kubelet parses it (`--resolv-conf`): nameservers in order, the last
 * `search` line's domains without trailing dots, and the last `options` line's tokens as written
 * (`ndots:2`, `edns0`).
 */
export interface HostResolvConf {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

export interface ResolvEnv {
  /** The kubelet's `clusterDomain`, without trailing dot (`cluster.local`); '' when unset. */
  readonly clusterDomain: string;
  /** The kubelet's `clusterDNS`: the kube-dns Service ClusterIP(s). */
  readonly clusterDNS: readonly string[];
  /** The node's own resolv.conf. */
  readonly host: HostResolvConf;
}

export interface ResolvOption {
  readonly name: string;
  /** Undefined for a bare option (`edns0`). */
  readonly value?: string;
}

export interface ResolvConf {
  readonly nameservers: string[];
  readonly searches: string[];
  readonly options: ResolvOption[];
  /** The file as the container runtime writes it, ending with a newline. */
  readonly text: string;
  /**
   * What the kubelet reports while forming the file: Warning events as `<Reason>: <message>`
   * (`DNSConfigForming: Nameserver limits were exceeded, ...`), and the one error it only logs (an
   * invalid dnsPolicy) as `kubelet log: <message>`.
   */
  readonly warnings: string[];
}

/** `validation.MaxDNSNameservers`. */
export const MAX_DNS_NAMESERVERS = 3;
/** `validation.MaxDNSSearchPathsExpanded` (the ExpandedDNSConfig gate is GA). */
export const MAX_DNS_SEARCH_PATHS = 32;
/** `validation.MaxDNSSearchListCharsExpanded`: the space-joined search line. */
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** `DNS1123SubdomainMaxLength`: longer single search domains are dropped. */
export const MAX_DNS_SEARCH_DOMAIN_LENGTH = 253;

/**
 * netmodel's choice for a node's own resolv.conf. A kind node is a Docker container on a user-defined
 * network: Docker writes its embedded resolver (127.0.0.11) with `options ndots:0`, and kind's
 * entrypoint rewrites only the nameserver, to the network's gateway. So: that one nameserver, no search
 * domains (Docker would copy the host machine's, which netmodel does not know) and `ndots:0`. The
 * caller passes the gateway address (172.18.0.1 on kind's default network).
 */
export function defaultHostResolvConf(nodeNetworkGateway: string): HostResolvConf {
  return { nameservers: [nodeNetworkGateway], searches: [], options: ['ndots:0'] };
}

/**
 * Parses resolv.conf text the way the kubelet does: `nameserver` lines accumulate (first field after the
 * keyword), the last `search` line wins and its entries lose one trailing dot, the last `options` line
 * wins, `#` comments and every other keyword (`domain`, `sortlist`) are ignored.
 */
export function parseHostResolvConf(text: string): HostResolvConf {
  const nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    const fields = line.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    const [keyword, ...rest] = fields;
    if (keyword === 'nameserver' && rest.length > 0) nameservers.push(rest[0]!);
    if (keyword === 'search') searches = rest.map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    if (keyword === 'options') options = rest;
  }
  return { nameservers, searches, options };
}

type PodDnsType = 'cluster' | 'host' | 'none';

/** The kubelet's `getPodDNSType`, with the API server's defaulting of an empty policy to ClusterFirst. */
function podDnsType(pod: Pod, warnings: string[]): PodDnsType {
  const policy =
    pod.spec.dnsPolicy === undefined || pod.spec.dnsPolicy === '' ? 'ClusterFirst' : pod.spec.dnsPolicy;
  switch (policy) {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'ClusterFirst':
      return pod.spec.hostNetwork === true ? 'host' : 'cluster';
    case 'Default':
      return 'host';
    default:
      // The API server rejects this; the kubelet logs it and uses cluster DNS, even for hostNetwork.
      warnings.push(
        `kubelet log: Failed to get DNS type for pod. Falling back to DNSClusterFirst policy. err="invalid DNSPolicy=${policy}"`,
      );
      return 'cluster';
  }
}

function omitDuplicates(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function splitOption(token: string): ResolvOption {
  const i = token.indexOf(':');
  return i < 0 ? { name: token } : { name: token.slice(0, i), value: token.slice(i + 1) };
}

function formatOption(o: ResolvOption): string {
  return o.value === undefined ? o.name : `${o.name}:${o.value}`;
}

/**
 * The kubelet's `mergeDNSOptions`: base options split on their first `:`, the pod's options override by
 * name, an empty value is written bare. Upstream the result is in Go map order (random); netmodel keeps
 * first-seen order by name: the base options in their order (so ClusterFirst's `ndots` stays first), then
 * the pod's new names in theirs. An overridden option keeps its place and takes the pod's value.
 */
function mergeOptions(
  base: readonly ResolvOption[],
  pod: readonly { readonly name: string; readonly value?: string }[],
): ResolvOption[] {
  const merged = new Map<string, string>();
  for (const o of base) merged.set(o.name, o.value ?? '');
  for (const o of pod) merged.set(o.name, o.value ?? '');
  return [...merged].map(([name, value]) => (value === '' ? { name } : { name, value }));
}

/** The kubelet's `formDNSSearchFitsLimits`. */
function fitSearches(searches: string[], warnings: string[]): string[] {
  let exceeded = false;
  let out = searches;
  if (out.length > MAX_DNS_SEARCH_PATHS) {
    out = out.slice(0, MAX_DNS_SEARCH_PATHS);
    exceeded = true;
  }
  const short = out.filter((s) => s.length <= MAX_DNS_SEARCH_DOMAIN_LENGTH);
  if (short.length !== out.length) exceeded = true;
  out = short;
  const lineLength = out.join(' ').length;
  if (lineLength > MAX_DNS_SEARCH_LIST_CHARS) {
    // Drop whole domains from the end, each taking its separating space with it, until the line fits.
    let cut = 0;
    let cutLength = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      cutLength += out[i]!.length + 1;
      cut++;
      if (lineLength - cutLength <= MAX_DNS_SEARCH_LIST_CHARS) break;
    }
    out = out.slice(0, out.length - cut);
    exceeded = true;
  }
  if (exceeded) {
    warnings.push(
      `DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`,
    );
  }
  return out;
}

function renderResolvConf(
  searches: readonly string[],
  nameservers: readonly string[],
  options: readonly ResolvOption[],
): string {
  const lines: string[] = [];
  if (searches.length > 0) lines.push(`search ${searches.join(' ')}`);
  for (const ns of nameservers) lines.push(`nameserver ${ns}`);
  if (options.length > 0) lines.push(`options ${options.map(formatOption).join(' ')}`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * The pod's /etc/resolv.conf, following the kubelet's `GetPodDNS`:
 * - the policy picks the base: cluster DNS (ClusterFirst, ClusterFirstWithHostNet, an unknown policy),
 *   the node's file (Default, and ClusterFirst on a hostNetwork pod), or nothing (None);
 * - cluster DNS: the clusterDNS IPs, the search list `<ns>.svc.<zone> svc.<zone> <zone>` then the node's
 *   searches (de-duplicated), and only `ndots:5` (the node's options are dropped). With no cluster domain
 *   the search list is the node's. With no clusterDNS the kubelet emits MissingClusterDNS and uses the
 *   node's file;
 * - `dnsConfig` (every policy): nameservers and searches appended and de-duplicated, options merged by
 *   name (see mergeOptions for the order netmodel picks);
 * - limits: the first 3 nameservers; at most 32 searches, none longer than 253, a line of at most 2048
 *   characters; each overflow adds a DNSConfigForming warning with the applied line.
 *
 * `text` is containerd's rendering: `search`, one `nameserver` line each, `options`; lines only for
 * non-empty lists. When all three lists are empty containerd copies its host's file instead; netmodel
 * renders the node's parsed settings in that case (research marks this UNVERIFIED) and reports those as
 * the effective lists. The kubelet's `--resolv-conf=""` mode (127.0.0.1, search `.`) is not modelled.
 */
export function resolvConf(pod: Pod, env: ResolvEnv): ResolvConf {
  const warnings: string[] = [];
  const host = env.host;
  let nameservers: string[] = [...host.nameservers];
  let searches: string[] = [...host.searches];
  let options: ResolvOption[] = host.options.map(splitOption);

  const type = podDnsType(pod, warnings);
  if (type === 'none') {
    nameservers = [];
    searches = [];
    options = [];
  } else if (type === 'cluster') {
    if (env.clusterDNS.length > 0) {
      nameservers = [...env.clusterDNS];
      if (env.clusterDomain !== '') {
        const zone = env.clusterDomain;
        const ns = pod.metadata.namespace ?? 'default';
        searches = omitDuplicates([`${ns}.svc.${zone}`, `svc.${zone}`, zone, ...searches]);
      }
      options = [{ name: 'ndots', value: '5' }];
    } else {
      const uid = pod.metadata.uid ?? '';
      const podDesc = `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${uid})`;
      warnings.push(
        `MissingClusterDNS: pod: ${JSON.stringify(podDesc)}. kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
      );
    }
  }

  const cfg = pod.spec.dnsConfig;
  if (cfg !== undefined) {
    nameservers = omitDuplicates([...nameservers, ...(cfg.nameservers ?? [])]);
    searches = omitDuplicates([...searches, ...(cfg.searches ?? [])]);
    options = mergeOptions(options, cfg.options ?? []);
  }

  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    nameservers = nameservers.slice(0, MAX_DNS_NAMESERVERS);
    warnings.push(
      `DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${nameservers.join(' ')}`,
    );
  }
  searches = fitSearches(searches, warnings);

  if (nameservers.length === 0 && searches.length === 0 && options.length === 0) {
    nameservers = [...host.nameservers];
    searches = [...host.searches];
    options = host.options.map(splitOption);
  }
  return { nameservers, searches, options, text: renderResolvConf(searches, nameservers, options), warnings };
}

// ---- /etc/hosts -------------------------------------------------------------------------------

const MANAGED_HOSTS_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HOSTS_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';
const MANAGED_LOCAL_LINES =
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'fe00::0\tip6-mcastprefix\n' +
  'fe00::1\tip6-allnodes\n' +
  'fe00::2\tip6-allrouters\n';
/** netmodel's stand-in for the start of a node's own /etc/hosts. */
const NODE_LOCAL_LINES = '127.0.0.1\tlocalhost\n' + '::1\tlocalhost ip6-localhost ip6-loopback\n';

const HOSTNAME_MAX_LENGTH = 63;

/**
 * The kubelet's `GeneratePodHostNameAndDomain`: `spec.hostname` or the pod name, cut to 63 characters
 * (then trailing `-` and `.` trimmed, only when cut); the domain is `<subdomain>.<ns>.svc.<clusterDomain>`
 * when `spec.subdomain` is set, else ''. The kubelet refuses a hostname or subdomain that is not a DNS-1123
 * label; validation rejects those before they get here, so this does not check.
 */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname =
    pod.spec.hostname !== undefined && pod.spec.hostname !== '' ? pod.spec.hostname : pod.metadata.name;
  if (hostname.length > HOSTNAME_MAX_LENGTH)
    hostname = hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, '');
  const sub = pod.spec.subdomain;
  const domain =
    sub !== undefined && sub !== ''
      ? `${sub}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}`
      : '';
  return { hostname, domain };
}

/** The kubelet's `hostsEntriesFromHostAliases`: a blank line, a comment, one TAB-joined line per alias. */
function hostAliasLines(aliases: readonly HostAlias[] | undefined): string {
  if (aliases === undefined || aliases.length === 0) return '';
  const lines = aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`);
  return `\n# Entries added by HostAliases.\n${lines.join('')}`;
}

/**
 * The pod's kubelet-managed /etc/hosts.
 *
 * Pod network: the header, the fixed localhost and IPv6 lines, one line per pod IP
 * (`<ip>\t<hostname>.<domain>\t<hostname>`, or `<ip>\t<hostname>` without a subdomain), then the
 * hostAliases block. `setHostnameAsFQDN` changes only the kernel hostname, not this file. A pod without
 * IPs gets no pod line (the kubelet mounts the file only once the pod has IPs).
 *
 * hostNetwork: the "(host network)" header, the node's own /etc/hosts, then the hostAliases block; no pod
 * line. netmodel does not know the node's file, so it stands in a minimal one: the IPv4 and IPv6 localhost
 * lines and `<InternalIP>\t<nodeName>` for each InternalIP of the node (none when the node is unknown).
 */
export function hostsFile(pod: Pod, node: Node | undefined, clusterDomain: string): string {
  if (pod.spec.hostNetwork === true) {
    let nodeFile = NODE_LOCAL_LINES;
    if (node !== undefined) {
      for (const a of node.status?.addresses ?? []) {
        if (a.type === 'InternalIP') nodeFile += `${a.address}\t${node.metadata.name}\n`;
      }
    }
    return MANAGED_HOSTS_HEADER_HOST_NETWORK + nodeFile + hostAliasLines(pod.spec.hostAliases);
  }
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  const podLines = podIPs(pod)
    .map((ip) => (domain !== '' ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`))
    .join('');
  return MANAGED_HOSTS_HEADER + MANAGED_LOCAL_LINES + podLines + hostAliasLines(pod.spec.hostAliases);
}

// ---- glibc search walk ------------------------------------------------------------------------

/** glibc's `h_errno` values a failed lookup ends with. */
export type HErrno = 'HOST_NOT_FOUND' | 'NO_DATA' | 'TRY_AGAIN' | 'NO_RECOVERY';

/** The rcode recorded for a candidate glibc could not encode (too long, a label over 63, an empty label). */
export const NOT_SENT = 'NOT_SENT';

export interface LookupAttempt {
  /** Absolute, with its trailing dot. */
  readonly name: string;
  readonly type: RecordType;
  /** The response's rcode, or NOT_SENT for a candidate that was never put on the wire. */
  readonly rcode: string;
  readonly answerCount: number;
}

export interface LookupResult {
  /** Every query in order (with 'a+aaaa', A then AAAA for each step), plus NOT_SENT candidates. */
  readonly attempts: LookupAttempt[];
  /** The successful step's answer records (both A and AAAA answers for 'a+aaaa'); [] on failure. */
  readonly answer: DnsRecord[];
  /**
   * 'NOERROR' on success. On failure, the rcode of the step glibc takes its error from: the first as-is
   * attempt if the name was tried as-is first; else 'NOERROR' (NODATA) if any search step gave no data;
   * else 'SERVFAIL' if any search step failed with SERVFAIL; else the last step's. For an 'a+aaaa' step,
   * the step's rcode is the A rcode unless that is NOERROR, then the AAAA rcode.
   */
  readonly rcode: string;
  /** Queries put on the wire (NOT_SENT candidates excluded). */
  readonly queriesSent: number;
  /** The absolute name that answered. */
  readonly resolvedName?: string;
  /** glibc's h_errno on failure. */
  readonly hErrno?: HErrno;
}

export interface LookupOptions {
  /**
   * 'single' (default): one query of `type` per step, as res_search. 'a+aaaa': getaddrinfo with
   * AF_UNSPEC, an A and an AAAA query per step (sent in parallel; the `type` argument is then ignored).
   */
  readonly family?: 'single' | 'a+aaaa';
}

/** glibc's caps (`RES_MAXNDOTS`) and default. */
export const RES_MAXNDOTS = 15;
export const RES_DEFAULT_NDOTS = 1;

/** The resolver options that steer the walk, read as glibc reads the `options` line. */
export function resolverOptions(conf: Pick<ResolvConf, 'options'>): { ndots: number; noTldQuery: boolean } {
  let ndots = RES_DEFAULT_NDOTS;
  let noTldQuery = false;
  for (const o of conf.options) {
    if (o.name === 'ndots' && o.value !== undefined) {
      // atoi: leading digits, 0 when there are none. netmodel reads a negative value as 0.
      const m = /^\s*([+-]?\d+)/.exec(o.value);
      const n = m ? Number.parseInt(m[1]!, 10) : 0;
      ndots = Math.min(Math.max(n, 0), RES_MAXNDOTS);
    }
    if (o.name === 'no-tld-query' && o.value === undefined) noTldQuery = true;
  }
  return { ndots, noTldQuery };
}

/**
 * Whether `fqdn` (absolute) encodes on the wire: labels of 1-63 octets and 255 octets in all. glibc's
 * query builder fails otherwise, and the step ends with NO_RECOVERY without sending anything.
 * Backslash escapes are not interpreted.
 */
function encodable(fqdn: string): boolean {
  if (fqdn === '.') return true;
  const labels = fqdn.slice(0, -1).split('.');
  if (labels.some((l) => l.length === 0 || l.length > 63)) return false;
  return labels.reduce((n, l) => n + l.length + 1, 1) <= 255;
}

interface Step {
  readonly ok: boolean;
  readonly answer: DnsRecord[];
  readonly rcode: string;
  /** The first response's rcode: glibc looks only at it to tell SERVFAIL from other TRY_AGAINs. */
  readonly firstRcode: string;
  readonly hErrno?: HErrno;
}

function hErrnoOf(rcode: string): HErrno {
  switch (rcode) {
    case 'NXDOMAIN':
      return 'HOST_NOT_FOUND';
    case 'SERVFAIL':
      return 'TRY_AGAIN';
    case 'NOERROR':
      return 'NO_DATA';
    default:
      return 'NO_RECOVERY';
  }
}

/**
 * The walk of glibc's `__res_context_search` (res_search / getaddrinfo through nss_dns):
 * - a name with a trailing dot is queried as-is once, and whatever comes back is the result;
 * - with at least `ndots` dots the name is tried as-is first; on failure the search list follows;
 * - then each search domain `name.<domain>.`: an answer (NOERROR with records) ends the walk; NXDOMAIN,
 *   NODATA and SERVFAIL go on to the next domain; anything else (REFUSED, NOTIMP, FORMERR, a candidate that
 *   does not encode) ends the search loop, but not the walk: glibc still tries the name as-is after it;
 * - a search entry of `.` or '' queries the bare name in place (and the as-is try at the end is skipped);
 * - finally the name as-is if not tried yet, except for a single label under `options no-tld-query`.
 *
 * Not modelled: HOSTALIASES, LOCALDOMAIN/RES_OPTIONS, timeouts and retries, the connection-refused early
 * return, and getaddrinfo's own handling of a CNAME-only answer (any NOERROR answer counts as success).
 */
export function lookup(
  conf: ResolvConf,
  name: string,
  type: RecordType,
  query: (fqdn: string, type: RecordType) => DnsResponse,
  opts?: LookupOptions,
): LookupResult {
  const { ndots, noTldQuery } = resolverOptions(conf);
  const types: RecordType[] = opts?.family === 'a+aaaa' ? ['A', 'AAAA'] : [type];
  const attempts: LookupAttempt[] = [];
  let queriesSent = 0;

  const step = (fqdn: string): Step => {
    if (!encodable(fqdn)) {
      attempts.push({ name: fqdn, type: types[0]!, rcode: NOT_SENT, answerCount: 0 });
      return { ok: false, answer: [], rcode: NOT_SENT, firstRcode: NOT_SENT, hErrno: 'NO_RECOVERY' };
    }
    const responses = types.map((t) => {
      const r = query(fqdn, t);
      queriesSent++;
      attempts.push({ name: fqdn, type: t, rcode: r.rcode, answerCount: r.answer.length });
      return r;
    });
    const answered = responses.filter((r) => r.rcode === 'NOERROR' && r.answer.length > 0);
    const first = responses[0]!;
    if (answered.length > 0) {
      return {
        ok: true,
        answer: answered.flatMap((r) => r.answer),
        rcode: 'NOERROR',
        firstRcode: first.rcode,
      };
    }
    const rcode = first.rcode === 'NOERROR' && responses.length > 1 ? responses[1]!.rcode : first.rcode;
    return { ok: false, answer: [], rcode, firstRcode: first.rcode, hErrno: hErrnoOf(rcode) };
  };

  const done = (fqdn: string, s: Step): LookupResult =>
    s.ok
      ? { attempts, answer: s.answer, rcode: 'NOERROR', queriesSent, resolvedName: fqdn }
      : { attempts, answer: [], rcode: s.rcode, queriesSent, hErrno: s.hErrno };

  const dots = [...name].filter((c) => c === '.').length;
  const trailingDot = name.endsWith('.');
  const asIs = trailingDot ? name : `${name}.`;

  let saved: Step | undefined;
  if (dots >= ndots || trailingDot) {
    const s = step(asIs);
    if (s.ok || trailingDot) return done(asIs, s);
    saved = s;
  }

  let searched = false;
  let rootOnList = false;
  let gotNodata = false;
  let gotServfail = false;
  let last: Step | undefined;
  // Both RES_DEFNAMES and RES_DNSRCH are on by default, so every name without a trailing dot searches.
  for (const entry of conf.searches) {
    searched = true;
    let domain = entry.startsWith('.') ? entry.slice(1) : entry;
    if (domain === '') rootOnList = true;
    if (domain.endsWith('.')) domain = domain.slice(0, -1);
    const fqdn = domain === '' ? `${name}.` : `${name}.${domain}.`;
    const s = step(fqdn);
    if (s.ok) return done(fqdn, s);
    last = s;
    if (s.hErrno === 'NO_DATA') gotNodata = true;
    else if (s.hErrno === 'TRY_AGAIN' && s.firstRcode === 'SERVFAIL') gotServfail = true;
    else if (s.hErrno !== 'HOST_NOT_FOUND') break; // REFUSED, NOTIMP, FORMERR, NOT_SENT, other TRY_AGAIN
  }

  if ((dots > 0 || !searched || !noTldQuery) && saved === undefined && !rootOnList) {
    const s = step(asIs);
    if (s.ok) return done(asIs, s);
    last = s;
  }

  // glibc's error: the first as-is try's, else NODATA, else SERVFAIL, else whatever the last step left.
  const failed = (rcode: string, hErrno: HErrno): Step => ({
    ok: false,
    answer: [],
    rcode,
    firstRcode: rcode,
    hErrno,
  });
  let failure: Step;
  if (saved !== undefined) failure = saved;
  else if (gotNodata) failure = failed('NOERROR', 'NO_DATA');
  else if (gotServfail) failure = failed('SERVFAIL', 'TRY_AGAIN');
  else failure = last ?? failed('NXDOMAIN', 'HOST_NOT_FOUND');
  return done(asIs, failure);
}
