/**
 * kube-proxy's nftables mode: `nft -f` input that builds the `kube-proxy` table of one node and IP
 * family from scratch (table `ip kube-proxy` for IPv4, `ip6 kube-proxy` for IPv6; a dual-stack node
 * has one of each, as kube-proxy runs one proxier per family).
 *
 * Layout: kube-proxy v1.34 / v1.35 (the base chains `filter-prerouting-pre-dnat` and
 * `filter-output-pre-dnat` at priority -110, `filter-input` / `-forward` / `-output` at 0; a
 * `mark-for-masquerade` chain; one `endpoint-…` chain per endpoint; load balancing by
 * `numgen random mod N vmap { 0 : goto …, … }`).
 *
 * v1.36 changed the layout; a later option could render it instead:
 * - no `mark-for-masquerade` chain: the mark is set inline (`mark set mark or M`), and the
 *   off-cluster masquerade rule moves from each service chain into `services`, matching `@cluster-ips`;
 * - a `hairpin-connections` set (endpoint IP . endpoint IP . proto . port of the local endpoints)
 *   replaces the per-endpoint hairpin rule, matched in `masquerading`, which shrinks to one rule;
 * - the service chain DNATs itself (`dnat ip addr . port to numgen random mod N map { … }`); endpoint
 *   chains remain only for ClientIP session affinity.
 *
 * Order of the output: first the fixed objects, line for line as kube-proxy's own tests list them
 * (table, sets, maps, chains, rules, the node IP element); then, for each service port in the rule
 * set's order, its affinity sets, its chains, their rules, and its map and set elements. nft applies a
 * file as one transaction but resolves each command in order, so every chain and set is declared before
 * a rule or element refers to it. kube-proxy itself writes a different, incremental transaction (and
 * visits services in random order); the table it leaves behind is the same.
 */
import { isLoopback, parseIP } from '../net/ip.js';
import { base32, sha256 } from './hash.js';
import type { ProxyEndpoint, ProxyRuleSet, ProxyServicePort } from './service-ports.js';
import { assemble, type RenderedRules } from './text.js';

const TABLE = 'kube-proxy';

/** The longest chain or set name kube-proxy writes: knftables' limit (256) less room for a prefix. */
const NAME_MAX = 240;

/**
 * The part of a chain or set name kube-proxy derives from a service port or endpoint: the first 8
 * base32 characters of SHA-256(`name`), a hyphen, then `name` itself (so the name stays readable and the
 * hash keeps it unique), cut to 237 characters plus `...` when longer than 240.
 */
export function nftHashedName(name: string): string {
  const full = `${base32(sha256(name)).slice(0, 8)}-${name}`;
  return full.length > NAME_MAX ? `${full.slice(0, NAME_MAX - 3)}...` : full;
}

/** `ns/svc/proto/portName` (the port name may be empty, leaving a trailing `/`). */
function servicePortText(namespace: string, service: string, protocol: string, portName: string): string {
  return `${namespace}/${service}/${protocol.toLowerCase()}/${portName}`;
}

/**
 * The shared part of a service port's `service-`, `local-`, `external-` and `firewall-` chain names,
 * e.g. `ULMVA6XW-ns1/svc1/tcp/p80`.
 */
export function nftServiceChainBase(
  namespace: string,
  service: string,
  protocol: string,
  portName: string,
): string {
  return nftHashedName(servicePortText(namespace, service, protocol, portName));
}

/**
 * The shared part of an endpoint's `endpoint-` chain and `affinity-` set names, e.g.
 * `5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80`. An IPv6 address has its colons written as dots, since
 * `:` is not allowed there.
 */
export function nftEndpointChainBase(
  namespace: string,
  service: string,
  protocol: string,
  portName: string,
  ip: string,
  port: number,
): string {
  const sp = servicePortText(namespace, service, protocol, portName);
  return nftHashedName(`${sp}__${ip.replaceAll(':', '.')}/${port}`);
}

/** A string as Go's `%q` writes it, which is how kube-proxy quotes rule and element comments. */
export function nftQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The words that differ between the IPv4 and IPv6 tables. */
interface Family {
  /** The nft family, also the address-match keyword (`ip daddr`, `ip6 daddr`). */
  readonly ip: 'ip' | 'ip6';
  readonly addrType: 'ipv4_addr' | 'ipv6_addr';
  /** Leaves out loopback destinations, where NodePorts are not served. */
  readonly notLocalhost: string;
}

const IPV4: Family = { ip: 'ip', addrType: 'ipv4_addr', notLocalhost: 'ip daddr != 127.0.0.0/8' };
const IPV6: Family = { ip: 'ip6', addrType: 'ipv6_addr', notLocalhost: 'ip6 daddr != ::1' };

/** Collects the lines, counting the rules and elements. */
class NftText {
  /** null: an element a later one with the same key replaced. */
  readonly lines: (string | null)[] = [];
  rules = 0;
  elements = 0;
  /** `set-or-map { key` -> the line of its element, so a later claim of the key replaces it. */
  private readonly elementAt = new Map<string, number>();
  constructor(private readonly fam: Family) {}

  private add(kind: string, rest: string): void {
    this.lines.push(`add ${kind} ${this.fam.ip} ${TABLE} ${rest}`);
  }
  text(): string {
    return `${this.lines.filter((l) => l !== null).join('\n')}\n`;
  }
  blank(): void {
    this.lines.push('');
  }
  table(): void {
    this.add('table', `{ comment ${nftQuote('rules for kube-proxy')} ; }`);
  }
  set(name: string, spec: string): void {
    this.add('set', `${name} { ${spec} ; }`);
  }
  map(name: string, type: string, comment: string): void {
    this.add('map', `${name} { type ${type} : verdict ; comment ${nftQuote(comment)} ; }`);
  }
  chain(name: string, spec?: string): void {
    this.add('chain', spec ? `${name} { ${spec} ; }` : name);
  }
  rule(chain: string, rule: string, comment?: string): void {
    this.rules++;
    this.add('rule', `${chain} ${rule}${comment === undefined ? '' : ` comment ${nftQuote(comment)}`}`);
  }
  /** An element: the key parts, an optional comment (before the value, as nft wants it), the value. */
  element(setOrMap: string, key: readonly (string | number)[], value?: string, comment?: string): void {
    // Two services may claim one key (a shared external IP and port, an external IP equal to another
    // ClusterIP): kube-proxy's element store replaces the element, so the later claim wins; two
    // `add element` lines for one key would make nft refuse the whole file.
    const id = `${setOrMap} { ${key.join(' . ')}`;
    const earlier = this.elementAt.get(id);
    if (earlier !== undefined) this.lines[earlier] = null;
    else this.elements++;
    this.elementAt.set(id, this.lines.length);
    // nft refuses comments over 128 bytes (NFTNL_UDATA_COMMENT_MAXLEN); kube-proxy cuts them there.
    const c = comment === undefined ? '' : ` comment ${nftQuote(truncateBytes(comment, COMMENT_MAX))}`;
    const v = value === undefined ? '' : ` : ${value}`;
    this.add('element', `${setOrMap} { ${key.join(' . ')}${c}${v} }`);
  }
}

const MARK_MASQ = 'mark-for-masquerade';
const COMMENT_MAX = 128;

/** The longest prefix of `s` of at most `max` UTF-8 bytes, not cutting a character. */
function truncateBytes(s: string, max: number): string {
  let bytes = 0;
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > max) return s.slice(0, i);
    bytes += n;
    i += ch.length;
  }
  return s;
}
const REJECT_CHAIN = 'reject-chain';

/**
 * The `nft -f` input for the rule set. Its rule count is the number of `add rule` lines plus the
 * number of `add element` lines: the elements of the dispatch maps do the work that per-service rules
 * do in iptables mode, so they count as rules here.
 */
export function renderNftables(rs: ProxyRuleSet): RenderedRules {
  const fam = rs.family === 6 ? IPV6 : IPV4;
  const out = new NftText(fam);
  writeBase(out, rs, fam);
  for (const sp of rs.servicePorts) {
    out.blank();
    writeServicePort(out, rs, fam, sp);
  }
  const text = out.text();
  return assemble('nftables', [{ tool: 'nft -f', text, ruleCount: out.rules + out.elements }]);
}

/**
 * The node IP NodePorts are served on. nftables mode defaults `--nodeport-addresses` to the node's
 * primary IP; without one of the family, every local address (but loopback) accepts NodePorts.
 */
function nodePortIP(rs: ProxyRuleSet): { matchAll: boolean; ip?: string } {
  const ip = rs.node.primaryIP;
  if (!ip) return { matchAll: true };
  const parsed = parseIP(ip);
  // kube-proxy does not take a loopback address as the primary IP: NodePorts then match every local one.
  if (parsed && isLoopback(parsed)) return { matchAll: true };
  return { matchAll: false, ip };
}

function writeBase(out: NftText, rs: ProxyRuleSet, fam: Family): void {
  const ip = fam.ip;
  const mark = rs.masqueradeMark;
  const nodePorts = nodePortIP(rs);
  const serviceKey = `${fam.addrType} . inet_proto . inet_service`;
  const portKey = 'inet_proto . inet_service';

  out.table();
  out.blank();

  out.set('cluster-ips', `type ${fam.addrType} ; comment ${nftQuote('Active ClusterIPs')}`);
  if (!nodePorts.matchAll) {
    out.set('nodeport-ips', `type ${fam.addrType} ; comment ${nftQuote('IPs that accept NodePort traffic')}`);
  }
  out.blank();

  out.map('firewall-ips', serviceKey, 'destinations that are subject to LoadBalancerSourceRanges');
  out.map(
    'no-endpoint-nodeports',
    portKey,
    'vmap to drop or reject packets to service nodeports with no endpoints',
  );
  out.map('no-endpoint-services', serviceKey, 'vmap to drop or reject packets to services with no endpoints');
  out.map('service-ips', serviceKey, 'ClusterIP, ExternalIP and LoadBalancer IP traffic');
  out.map('service-nodeports', portKey, 'NodePort traffic');
  out.blank();

  // The base chains hook into netfilter. The filter checks run before DNAT (-110, so the firewall sees
  // the original destination) or at the default filter priority (0, after DNAT in output); the nat
  // chains sit at the usual dstnat (-100) and srcnat (100) priorities.
  out.chain('cluster-ips-check');
  out.chain('filter-prerouting-pre-dnat', 'type filter hook prerouting priority -110');
  out.chain('filter-output-pre-dnat', 'type filter hook output priority -110');
  out.chain('filter-forward', 'type filter hook forward priority 0');
  out.chain('filter-input', 'type filter hook input priority 0');
  out.chain('filter-output', 'type filter hook output priority 0');
  out.chain('firewall-check');
  out.chain(MARK_MASQ);
  out.chain('masquerading');
  out.chain('nat-output', 'type nat hook output priority -100');
  out.chain('nat-postrouting', 'type nat hook postrouting priority 100');
  out.chain('nat-prerouting', 'type nat hook prerouting priority -100');
  out.chain('nodeport-endpoints-check');
  out.chain(REJECT_CHAIN, `comment ${nftQuote('helper for @no-endpoint-services / @no-endpoint-nodeports')}`);
  out.chain('services');
  out.chain('service-endpoints-check');
  out.blank();

  // A ClusterIP answers only on its service's ports: other ports are refused outright, and an address
  // of the service range that no Service holds is silently dropped.
  out.rule(
    'cluster-ips-check',
    `${ip} daddr @cluster-ips reject`,
    'Reject traffic to invalid ports of ClusterIPs',
  );
  if (rs.serviceCidr) {
    out.rule(
      'cluster-ips-check',
      `${ip} daddr { ${rs.serviceCidr} } drop`,
      'Drop traffic to unallocated ClusterIPs',
    );
  }
  // Only the first packet of a connection is checked; later ones follow conntrack.
  out.rule('filter-prerouting-pre-dnat', 'ct state new jump firewall-check');
  out.rule('filter-forward', 'ct state new jump service-endpoints-check');
  out.rule('filter-forward', 'ct state new jump cluster-ips-check');
  out.rule('filter-input', 'ct state new jump nodeport-endpoints-check');
  out.rule('filter-input', 'ct state new jump service-endpoints-check');
  out.rule('filter-output', 'ct state new jump service-endpoints-check');
  out.rule('filter-output-pre-dnat', 'ct state new jump firewall-check');
  out.rule('filter-output', 'ct state new jump cluster-ips-check');
  out.rule('firewall-check', `${ip} daddr . meta l4proto . th dport vmap @firewall-ips`);
  // Marking a packet asks `masquerading` (postrouting) to SNAT it; the mark is cleared there, so a
  // packet that leaves the node again is not masqueraded twice.
  out.rule(MARK_MASQ, `mark set mark or ${mark}`);
  out.rule('masquerading', `mark and ${mark} == 0 return`);
  out.rule('masquerading', `mark set mark xor ${mark}`);
  out.rule('masquerading', 'masquerade fully-random');
  out.rule('nat-output', 'jump services');
  out.rule('nat-postrouting', 'jump masquerading');
  out.rule('nat-prerouting', 'jump services');
  const nodePortDest = nodePorts.matchAll ? fam.notLocalhost : `${ip} daddr @nodeport-ips`;
  out.rule('nodeport-endpoints-check', `${nodePortDest} meta l4proto . th dport vmap @no-endpoint-nodeports`);
  // Rejecting is only allowed in the filter hooks, hence a chain the no-endpoint maps go to from there.
  out.rule(REJECT_CHAIN, 'reject');
  out.rule('services', `${ip} daddr . meta l4proto . th dport vmap @service-ips`);
  // Match-all NodePorts need a local destination test of their own (the set gives it otherwise).
  const nodePortMatch = nodePorts.matchAll
    ? `fib daddr type local ${fam.notLocalhost}`
    : `${ip} daddr @nodeport-ips`;
  out.rule('services', `${nodePortMatch} meta l4proto . th dport vmap @service-nodeports`);
  out.blank();

  if (nodePorts.ip) out.element('nodeport-ips', [nodePorts.ip]);
  out.rule('service-endpoints-check', `${ip} daddr . meta l4proto . th dport vmap @no-endpoint-services`);
}

interface ServiceChains {
  readonly cluster: string;
  readonly local: string;
  readonly external: string;
  readonly firewall: string;
}

function serviceChains(sp: ProxyServicePort): ServiceChains {
  const base = nftServiceChainBase(sp.namespace, sp.service, sp.protocol, sp.portName);
  return {
    cluster: `service-${base}`,
    local: `local-${base}`,
    external: `external-${base}`,
    firewall: `firewall-${base}`,
  };
}

function endpointBase(sp: ProxyServicePort, ep: ProxyEndpoint): string {
  return nftEndpointChainBase(sp.namespace, sp.service, sp.protocol, sp.portName, ep.ip, ep.port);
}

function writeServicePort(out: NftText, rs: ProxyRuleSet, fam: Family, sp: ProxyServicePort): void {
  const ip = fam.ip;
  const proto = sp.protocol.toLowerCase();
  const chains = serviceChains(sp);
  const affinity = sp.affinitySeconds > 0;
  const usesClusterChain = sp.clusterEndpoints.length > 0 && sp.usesClusterEndpoints;
  const usesLocalChain = sp.localEndpoints.length > 0 && sp.usesLocalEndpoints;
  // The external chain exists whenever there are endpoints anywhere: with a Local policy and no local
  // endpoint it still lets pods and the node itself reach the service through the cluster chain.
  const usesExternalChain = sp.hasEndpoints && sp.externallyAccessible;
  const usesFirewallChain = sp.loadBalancerIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;

  const internalChain = sp.internalPolicyLocal ? chains.local : chains.cluster;
  const hasInternal = sp.hasInternalEndpoints;
  const externalPolicyChain = sp.externalPolicyLocal ? chains.local : chains.cluster;
  const hasExternal = sp.hasExternalEndpoints;
  // No endpoint at all: refuse the connection. Endpoints only on other nodes with a Local policy: drop
  // silently, as a load balancer's health check already steers traffic away from this node.
  const internalVerdict = sp.hasEndpoints ? 'drop' : `goto ${REJECT_CHAIN}`;
  const externalVerdict = internalVerdict;

  // Cluster and local endpoints are both among the reachable ones: hash each endpoint once.
  const endpoints = sp.reachableEndpoints.map((ep) => ({ ep, base: endpointBase(sp, ep) }));
  const baseOf = new Map(endpoints.map(({ ep, base }) => [ep.endpoint, base]));
  const epBase = (ep: ProxyEndpoint): string => baseOf.get(ep.endpoint) ?? endpointBase(sp, ep);

  // Session affinity: one timeout set per endpoint, holding the client addresses it served recently.
  if (affinity) {
    for (const { base } of endpoints) {
      out.set(
        `affinity-${base}`,
        `type ${fam.addrType} ; flags dynamic,timeout ; timeout ${sp.affinitySeconds}s`,
      );
    }
  }

  if (usesClusterChain) out.chain(chains.cluster);
  if (usesLocalChain) out.chain(chains.local);
  if (usesExternalChain) out.chain(chains.external);
  if (usesFirewallChain) out.chain(chains.firewall);
  for (const { base } of endpoints) out.chain(`endpoint-${base}`);

  const writePolicyChain = (chain: string, eps: readonly ProxyEndpoint[]): void => {
    if (chain === internalChain && hasInternal) {
      // Traffic to the ClusterIP from outside the pod network (a node, or a host routed to the
      // service range) is masqueraded so the reply comes back through this node.
      if (rs.masqueradeAll) out.rule(chain, `${ip} daddr ${sp.clusterIP} jump ${MARK_MASQ}`);
      else if (rs.clusterCidr) {
        out.rule(chain, `${ip} daddr ${sp.clusterIP} ${ip} saddr != ${rs.clusterCidr} jump ${MARK_MASQ}`);
      }
    }
    if (affinity) {
      for (const ep of eps) {
        const base = epBase(ep);
        out.rule(chain, `${ip} saddr @affinity-${base} goto endpoint-${base}`);
      }
    }
    const arms = eps.map((ep, i) => `${i} : goto endpoint-${epBase(ep)}`).join(' , ');
    out.rule(chain, `numgen random mod ${eps.length} vmap { ${arms} }`);
  };
  if (usesClusterChain) writePolicyChain(chains.cluster, sp.clusterEndpoints);
  if (usesLocalChain) writePolicyChain(chains.local, sp.localEndpoints);

  if (usesExternalChain) {
    if (!sp.externalPolicyLocal) {
      // The endpoint may be on another node: masquerade so the reply returns through this one.
      out.rule(chains.external, `jump ${MARK_MASQ}`);
    } else {
      // A Local policy keeps the client address, except for clients on this side of the load
      // balancer: pods and the node itself get the cluster-wide endpoints, as if they had gone out to
      // the load balancer and come back.
      if (rs.clusterCidr) {
        out.rule(
          chains.external,
          `${ip} saddr ${rs.clusterCidr} goto ${chains.cluster}`,
          'short-circuit pod traffic',
        );
      }
      out.rule(chains.external, `fib saddr type local jump ${MARK_MASQ}`, 'masquerade local traffic');
      out.rule(chains.external, `fib saddr type local goto ${chains.cluster}`, 'short-circuit local traffic');
    }
    if (hasExternal) out.rule(chains.external, `goto ${externalPolicyChain}`);
  }

  if (usesFirewallChain) {
    const sources = [...sp.loadBalancerSourceRanges];
    // A load balancer VIP is often also a local address of the node, so a node allowed by the source
    // ranges reaches it with the VIP as its source address: allow the VIPs too.
    if (sp.sourceRangesHoldNode) sources.push(...sp.loadBalancerIPs);
    out.rule(chains.firewall, `${ip} saddr != { ${sources.join(' , ')} } drop`);
  }

  for (const { ep, base } of endpoints) {
    const chain = `endpoint-${base}`;
    // A pod reaching itself through the service: masquerade, or its reply would skip the DNAT.
    out.rule(chain, `${ip} saddr ${ep.ip} jump ${MARK_MASQ}`);
    if (affinity) out.rule(chain, `update @affinity-${base} { ${ip} saddr }`);
    out.rule(chain, `meta l4proto ${proto} dnat to ${ep.endpoint}`);
  }

  // Dispatch: the maps the fixed rules look destinations up in.
  const key = (addr: string): (string | number)[] => [addr, proto, sp.port];
  out.element('cluster-ips', [sp.clusterIP]);
  if (hasInternal) out.element('service-ips', key(sp.clusterIP), `goto ${internalChain}`);
  else out.element('no-endpoint-services', key(sp.clusterIP), internalVerdict, sp.id);

  for (const addr of sp.externalIPs) {
    if (sp.hasEndpoints) out.element('service-ips', key(addr), `goto ${chains.external}`);
    if (!hasExternal) out.element('no-endpoint-services', key(addr), externalVerdict, sp.id);
  }
  for (const addr of sp.loadBalancerIPs) {
    if (sp.hasEndpoints) out.element('service-ips', key(addr), `goto ${chains.external}`);
    if (usesFirewallChain) out.element('firewall-ips', key(addr), `goto ${chains.firewall}`);
  }
  if (!hasExternal) {
    for (const addr of sp.loadBalancerIPs) {
      out.element('no-endpoint-services', key(addr), externalVerdict, sp.id);
    }
  }
  // NodePorts go straight to the external chain: loadBalancerSourceRanges do not apply to them.
  if (sp.nodePort !== 0) {
    if (sp.hasEndpoints) out.element('service-nodeports', [proto, sp.nodePort], `goto ${chains.external}`);
    if (!hasExternal) out.element('no-endpoint-nodeports', [proto, sp.nodePort], externalVerdict, sp.id);
  }
}
