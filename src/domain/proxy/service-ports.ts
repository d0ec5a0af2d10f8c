/**
 * What kube-proxy knows on one node, before any backend writes a rule: the service ports of one IP
 * family with their addresses and policies, and the endpoints each may send traffic to. The iptables,
 * IPVS and nftables renderers all read this, as kube-proxy's three proxiers all read its
 * ServicePort / Endpoint caches.
 *
 * Upstream semantics followed here (pkg/proxy: service change tracker, EndpointSlice cache, topology):
 * - A Service is skipped when it is ExternalName, headless, or has no ClusterIP of the family.
 * - externalIPs, loadBalancerSourceRanges and LoadBalancer ingress IPs are filtered to the family; an
 *   ingress entry with `ipMode: Proxy` is not a VIP kube-proxy captures.
 * - The external policy is Local only for a Service reachable from outside (a NodePort, an external IP
 *   or a LoadBalancer IP) with `externalTrafficPolicy: Local`; the health-check NodePort only then.
 * - Endpoints come from the EndpointSlices labelled with the Service's name and of the family's address
 *   type; the first address of an endpoint is used; a missing `ready` or `serving` means true, a missing
 *   `terminating` false; an endpoint is local when its nodeName is this node. They are sorted by their
 *   `ip:port` text, as kube-proxy sorts them.
 * - Cluster endpoints are the ready ones, or failing any, the serving and terminating ones. Local
 *   endpoints are the ready local ones, or failing any, the serving and terminating local ones.
 *
 * - Topology hints: when every ready endpoint carries node hints and one names this node, only those
 *   are cluster endpoints; else when every ready endpoint carries zone hints and one names this node's
 *   zone (label `topology.kubernetes.io/zone`), only those (topologyModeFromHints).
 * - A Service or EndpointSlice labelled `service.kubernetes.io/service-proxy-name` belongs to another
 *   proxy: kube-proxy's informers never see it. A slice port without a port number (or 0) is skipped.
 * - The same `ip:port` in two slices of a Service (a move between slices): the local copy wins.
 */
import { SERVICE_NAME_LABEL } from '../endpoints/slice-controller.js';
import type { StateView } from '../resources/lifecycle.js';
import type { EndpointSlice, Protocol, Service } from '../model/types.js';
import { canonicalIP, cidrContains, formatCIDR, parseCIDR, parseIP, type IPFamily } from '../net/ip.js';

export interface ProxyEndpoint {
  readonly ip: string;
  readonly port: number;
  /** `ip:port`, `[ip]:port` for IPv6 (Go's net.JoinHostPort). */
  readonly endpoint: string;
  readonly zoneHints?: readonly string[];
  readonly nodeHints?: readonly string[];
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly nodeName?: string;
}

export interface ProxyServicePort {
  readonly namespace: string;
  readonly service: string;
  readonly portName: string;
  /** ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port. */
  readonly id: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the port has none. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly loadBalancerIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  readonly healthCheckNodePort: number;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  /** ClientIP affinity timeout in seconds; 0 without session affinity. */
  readonly affinitySeconds: number;
  /** Every endpoint of the family for this port, sorted by `ip:port`. */
  readonly endpoints: readonly ProxyEndpoint[];
  readonly clusterEndpoints: readonly ProxyEndpoint[];
  readonly localEndpoints: readonly ProxyEndpoint[];
  /** Cluster and local endpoints together: the ones this node may DNAT to. */
  readonly reachableEndpoints: readonly ProxyEndpoint[];
  /** Some usable endpoint exists anywhere in the cluster. */
  readonly hasEndpoints: boolean;
  /** Reachable from outside: a NodePort, an external IP or a LoadBalancer IP. */
  readonly externallyAccessible: boolean;
  /** Some traffic takes the cluster-wide endpoints (internal policy Cluster, or any external traffic). */
  readonly usesClusterEndpoints: boolean;
  /** Some traffic takes only this node's endpoints (a Local policy). */
  readonly usesLocalEndpoints: boolean;
  /** Traffic to the ClusterIP has somewhere to go (false: no endpoint, or Local with none here). */
  readonly hasInternalEndpoints: boolean;
  /** External traffic has somewhere to go (false: no endpoint, or Local with none here). */
  readonly hasExternalEndpoints: boolean;
  /** A loadBalancerSourceRange holds the node's primary IP, so the node may reach its LB IPs. */
  readonly sourceRangesHoldNode: boolean;
}

export interface ProxyNode {
  readonly name: string;
  /** The node's InternalIP and ExternalIP addresses of the family, in status order. */
  readonly addresses: readonly string[];
  /**
   * The primary node IP of the family (the first InternalIP, else the first ExternalIP, as
   * kube-proxy's node-IP detection picks it); absent when the node has none of the family.
   */
  readonly primaryIP: string | undefined;
  /** The node's `topology.kubernetes.io/zone` label, for topology hints. */
  readonly zone: string | undefined;
}

export interface ProxyRuleSet {
  readonly family: IPFamily;
  readonly node: ProxyNode;
  /** The cluster CIDR of the family (kube-proxy's `--cluster-cidr`, local-traffic detection); may be absent. */
  readonly clusterCidr: string | undefined;
  /** The service CIDR of the family (nftables drops traffic to its unallocated addresses). */
  readonly serviceCidr: string | undefined;
  readonly masqueradeAll: boolean;
  /** The masquerade mark as kube-proxy writes it (`%#08x` of 1 << bit: `0x00004000` by default). */
  readonly masqueradeMark: string;
  /** Sorted by id then protocol, the order every renderer writes. */
  readonly servicePorts: readonly ProxyServicePort[];
}

export interface ProxyOptions {
  /** kube-proxy `--cluster-cidr`: the cluster CIDRs (one per family at most). */
  readonly clusterCidrs: readonly string[];
  /** The service CIDRs (one per family at most). */
  readonly serviceCidrs?: readonly string[];
  /** kube-proxy `--masquerade-all`. */
  readonly masqueradeAll?: boolean;
  /** kube-proxy `--iptables-masquerade-bit` (0-31, default 14). */
  readonly masqueradeBit?: number;
  /**
   * The mark text itself, overriding the bit. kube-proxy's unit tests inject `0x4000`, which is
   * how the specs compare with their expected text.
   */
  readonly masqueradeMark?: string;
}

/** Go's `fmt.Sprintf("%#08x", 1<<bit)`: the digits zero-padded to 8, then the `0x` prefix. */
export function masqueradeMark(bit = 14): string {
  return `0x${(2 ** bit).toString(16).padStart(8, '0')}`;
}

/** Services and slices with this label belong to another service proxy (kube-proxy skips them). */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

export function familyOf(ip: string): IPFamily | undefined {
  return parseIP(ip)?.family;
}

/** Go's net.JoinHostPort. */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function inFamily(values: readonly string[] | undefined, family: IPFamily): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    const ip = canonicalIP(v.trim());
    if (ip && familyOf(ip) === family) out.push(ip);
  }
  return out;
}

/**
 * loadBalancerSourceRanges of the family, written back as Go's IPNet.String() writes them (host bits
 * cleared). A range of prefix 0 (`0.0.0.0/0`, `::/0`) allows everyone: the list is then empty, so no
 * firewall is written, as kube-proxy's service info does.
 */
function sourceRangesInFamily(values: readonly string[] | undefined, family: IPFamily): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    const c = parseCIDR(v.trim());
    if (!c || c.family !== family) continue;
    if (c.prefix === 0) return [];
    out.push(formatCIDR(c));
  }
  return out;
}

/** The cluster IP of the family, as GetClusterIPByFamily picks it. */
function clusterIPOf(svc: Service, family: IPFamily): string | undefined {
  const ips = svc.spec.clusterIPs?.length
    ? svc.spec.clusterIPs
    : svc.spec.clusterIP
      ? [svc.spec.clusterIP]
      : [];
  for (const raw of ips) {
    if (raw === 'None' || raw === '') continue;
    const ip = canonicalIP(raw);
    if (ip && familyOf(ip) === family) return ip;
  }
  return undefined;
}

interface SliceEndpointsByPort {
  /** key `portName/PROTOCOL` -> endpoint text -> endpoint */
  readonly byPort: Map<string, Map<string, ProxyEndpoint>>;
}

function addSlice(acc: SliceEndpointsByPort, slice: EndpointSlice, nodeName: string): void {
  for (const p of slice.ports ?? []) {
    if (!p.port) continue;
    const key = `${p.name ?? ''}/${p.protocol ?? 'TCP'}`;
    let set = acc.byPort.get(key);
    if (!set) acc.byPort.set(key, (set = new Map()));
    for (const e of slice.endpoints ?? []) {
      // kube-proxy parses the address and writes it back canonically; one that does not parse is skipped.
      const ip = e.addresses[0] ? canonicalIP(e.addresses[0]) : null;
      if (!ip) continue;
      const c = e.conditions ?? {};
      const ep: ProxyEndpoint = {
        ip,
        port: p.port,
        endpoint: joinHostPort(ip, p.port),
        isLocal: e.nodeName !== undefined && e.nodeName === nodeName,
        ready: c.ready ?? true,
        serving: c.serving ?? true,
        terminating: c.terminating ?? false,
        ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
        ...(e.hints?.forZones?.length ? { zoneHints: e.hints.forZones.map((z) => z.name) } : {}),
        ...(e.hints?.forNodes?.length ? { nodeHints: e.hints.forNodes.map((n) => n.name) } : {}),
      };
      // The same address in two slices (a move between slices): the local copy wins (kube-proxy 1.35).
      if (!set.has(ep.endpoint) || ep.isLocal) set.set(ep.endpoint, ep);
    }
  }
}

const byEndpointText = (a: ProxyEndpoint, b: ProxyEndpoint): number =>
  a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0;

export type TopologyMode = 'node' | 'zone' | '';

/** pkg/proxy/topology.go topologyModeFromHints: which hints, if any, the ready endpoints let us use. */
export function topologyMode(endpoints: readonly ProxyEndpoint[], node: ProxyNode): TopologyMode {
  let allNode = true;
  let forNode = false;
  let allZone = true;
  let forZone = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    if (!e.nodeHints?.length) allNode = false;
    else if (e.nodeHints.includes(node.name)) forNode = true;
    if (!e.zoneHints?.length) allZone = false;
    else if (node.zone !== undefined && e.zoneHints.includes(node.zone)) forZone = true;
  }
  if (allNode && forNode) return 'node';
  if (allZone && forZone) return 'zone';
  return '';
}

function availableForTopology(e: ProxyEndpoint, mode: TopologyMode, node: ProxyNode): boolean {
  if (mode === 'node') return !!e.nodeHints?.includes(node.name);
  if (mode === 'zone') return node.zone !== undefined && !!e.zoneHints?.includes(node.zone);
  return true;
}

/** pkg/proxy/topology.go CategorizeEndpoints. */
export function categorize(
  endpoints: readonly ProxyEndpoint[],
  usesCluster: boolean,
  usesLocal: boolean,
  node: ProxyNode = { name: '', addresses: [], primaryIP: undefined, zone: undefined },
): Pick<ProxyServicePort, 'clusterEndpoints' | 'localEndpoints' | 'reachableEndpoints' | 'hasEndpoints'> {
  let clusterEndpoints: ProxyEndpoint[] = [];
  let hasEndpoints = false;
  if (usesCluster) {
    const mode = topologyMode(endpoints, node);
    clusterEndpoints = endpoints.filter((e) => e.ready && availableForTopology(e, mode, node));
    if (clusterEndpoints.length === 0)
      clusterEndpoints = endpoints.filter(
        (e) => e.serving && e.terminating && availableForTopology(e, mode, node),
      );
    hasEndpoints = clusterEndpoints.length > 0;
  }
  if (!usesLocal) {
    return { clusterEndpoints, localEndpoints: [], reachableEndpoints: clusterEndpoints, hasEndpoints };
  }
  let localReady = false;
  let localServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasEndpoints = true;
      if (e.isLocal) localReady = true;
    } else if (e.serving && e.terminating) {
      hasEndpoints = true;
      if (e.isLocal) localServingTerminating = true;
    }
  }
  const localEndpoints = localReady
    ? endpoints.filter((e) => e.isLocal && e.ready)
    : localServingTerminating
      ? endpoints.filter((e) => e.isLocal && e.serving && e.terminating)
      : [];
  if (!usesCluster) {
    return { clusterEndpoints, localEndpoints, reachableEndpoints: localEndpoints, hasEndpoints };
  }
  if (localEndpoints.length === 0) {
    return { clusterEndpoints, localEndpoints, reachableEndpoints: clusterEndpoints, hasEndpoints };
  }
  const union = new Map<string, ProxyEndpoint>();
  for (const e of clusterEndpoints) union.set(e.endpoint, e);
  for (const e of localEndpoints) union.set(e.endpoint, e);
  const reachableEndpoints = [...union.values()].sort(byEndpointText);
  return { clusterEndpoints, localEndpoints, reachableEndpoints, hasEndpoints };
}

function servicePortsOf(
  svc: Service,
  family: IPFamily,
  slices: readonly EndpointSlice[],
  node: ProxyNode,
): ProxyServicePort[] {
  if (svc.spec.type === 'ExternalName') return [];
  if (svc.metadata.labels?.[SERVICE_PROXY_NAME_LABEL] !== undefined) return [];
  const nodeName = node.name;
  const clusterIP = clusterIPOf(svc, family);
  if (!clusterIP) return [];
  const namespace = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name;
  const addressType = family === 4 ? 'IPv4' : 'IPv6';
  const acc: SliceEndpointsByPort = { byPort: new Map() };
  for (const s of slices) if (s.addressType === addressType) addSlice(acc, s, nodeName);

  const externalIPs = inFamily(svc.spec.externalIPs, family);
  const loadBalancerIPs =
    svc.spec.type === 'LoadBalancer'
      ? inFamily(
          (svc.status?.loadBalancer?.ingress ?? [])
            .filter((i) => i.ip && i.ipMode !== 'Proxy')
            .map((i) => i.ip!),
          family,
        )
      : [];
  const loadBalancerSourceRanges = sourceRangesInFamily(svc.spec.loadBalancerSourceRanges, family);
  const internalPolicyLocal = svc.spec.internalTrafficPolicy === 'Local';
  const affinitySeconds =
    svc.spec.sessionAffinity === 'ClientIP'
      ? (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800)
      : 0;

  const out: ProxyServicePort[] = [];
  for (const p of svc.spec.ports ?? []) {
    const portName = p.name ?? '';
    const protocol = p.protocol ?? 'TCP';
    const nodePort = svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer' ? (p.nodePort ?? 0) : 0;
    const externallyAccessible = nodePort !== 0 || loadBalancerIPs.length > 0 || externalIPs.length > 0;
    const externalPolicyLocal = externallyAccessible && svc.spec.externalTrafficPolicy === 'Local';
    const healthCheckNodePort =
      svc.spec.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local'
        ? (svc.spec.healthCheckNodePort ?? 0)
        : 0;
    const endpoints = [...(acc.byPort.get(`${portName}/${protocol}`)?.values() ?? [])].sort(byEndpointText);
    const usesClusterEndpoints = !internalPolicyLocal || externallyAccessible;
    const usesLocalEndpoints = internalPolicyLocal || externalPolicyLocal;
    const categorized = categorize(endpoints, usesClusterEndpoints, usesLocalEndpoints, node);
    const hasLocal = categorized.localEndpoints.length > 0;
    out.push({
      namespace,
      service: name,
      portName,
      id: portName ? `${namespace}/${name}:${portName}` : `${namespace}/${name}`,
      protocol,
      clusterIP,
      port: p.port,
      nodePort,
      externalIPs,
      loadBalancerIPs,
      loadBalancerSourceRanges,
      healthCheckNodePort,
      externalPolicyLocal,
      internalPolicyLocal,
      affinitySeconds,
      endpoints,
      ...categorized,
      externallyAccessible,
      usesClusterEndpoints,
      usesLocalEndpoints,
      hasInternalEndpoints: categorized.hasEndpoints && (!internalPolicyLocal || hasLocal),
      hasExternalEndpoints: categorized.hasEndpoints && (!externalPolicyLocal || hasLocal),
      sourceRangesHoldNode: rangesHold(loadBalancerSourceRanges, node.primaryIP),
    });
  }
  return out;
}

/** Some CIDR of `ranges` holds `ip`. */
function rangesHold(ranges: readonly string[], ip: string | undefined): boolean {
  const a = ip ? parseIP(ip) : null;
  if (!a) return false;
  return ranges.some((r) => {
    const c = parseCIDR(r);
    return !!c && c.family === a.family && cidrContains(c, a);
  });
}

/** The slices of each Service, by `namespace/name`, read once per build. */
function slicesByService(snap: StateView): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of snap.list('EndpointSlice')) {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svc || s.metadata.labels?.[SERVICE_PROXY_NAME_LABEL] !== undefined) continue;
    const key = `${s.metadata.namespace ?? 'default'}/${svc}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

export function proxyNode(snap: StateView, nodeName: string, family: IPFamily): ProxyNode {
  const node = snap.get('Node', '', nodeName);
  const addresses: string[] = [];
  let internal: string | undefined;
  let external: string | undefined;
  for (const a of node?.status?.addresses ?? []) {
    if (a.type !== 'InternalIP' && a.type !== 'ExternalIP') continue;
    const ip = canonicalIP(a.address);
    if (!ip || familyOf(ip) !== family) continue;
    if (!addresses.includes(ip)) addresses.push(ip);
    if (a.type === 'InternalIP') internal ??= ip;
    else external ??= ip;
  }
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  return { name: nodeName, addresses, primaryIP: internal ?? external, zone };
}

/** The rule set of one node and family. The node need not exist (every endpoint is then remote). */
export function buildRuleSet(
  snap: StateView,
  nodeName: string,
  family: IPFamily,
  opts: ProxyOptions,
): ProxyRuleSet {
  const slices = slicesByService(snap);
  const node = proxyNode(snap, nodeName, family);
  const servicePorts: ProxyServicePort[] = [];
  for (const svc of snap.list('Service')) {
    const key = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
    servicePorts.push(...servicePortsOf(svc, family, slices.get(key) ?? [], node));
  }
  servicePorts.sort((a, b) =>
    a.id !== b.id ? (a.id < b.id ? -1 : 1) : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0,
  );
  const ofFamily = (cidrs: readonly string[] | undefined): string | undefined => {
    const c = (cidrs ?? []).map((x) => parseCIDR(x)).find((x) => x?.family === family);
    return c ? formatCIDR(c) : undefined;
  };
  return {
    family,
    node,
    clusterCidr: ofFamily(opts.clusterCidrs),
    serviceCidr: ofFamily(opts.serviceCidrs),
    masqueradeAll: opts.masqueradeAll ?? false,
    masqueradeMark: opts.masqueradeMark ?? masqueradeMark(opts.masqueradeBit),
    servicePorts,
  };
}
