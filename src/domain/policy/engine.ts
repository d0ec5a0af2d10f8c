/**
 * NetworkPolicy (networking.k8s.io/v1) evaluation: may one endpoint reach another on a port and
 * protocol, which policy rule decided it, and whole reachability matrices.
 *
 * API semantics (fixed by the API, not configurable):
 * - policyTypes defaulting (SetDefaults_NetworkPolicy): only when policyTypes is empty, it becomes
 *   [Ingress], plus Egress iff spec.egress is non-empty. An explicit list is used as written.
 * - Isolation is per direction: a pod is isolated for ingress (egress) when a policy in its own namespace
 *   selects it with podSelector and has Ingress (Egress) among its effective policyTypes. A direction
 *   that is not isolated allows everything; an isolated one allows exactly the union of the rules of
 *   every selecting policy. A connection needs egress of the source AND ingress of the destination.
 * - Peers: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every pod of
 *   the selected namespaces; both in one peer = AND; separate peers = OR; ipBlock = cidr minus except.
 *   A missing or empty from/to matches every peer (pods and IPs); missing or empty ports match every
 *   port and protocol. A port entry without `port` matches every port of its protocol.
 * - Protocol defaults to TCP. A named port is resolved on the DESTINATION pod (the selected pod for
 *   ingress, the peer for egress): the destination must declare a container port with that name, the
 *   traffic's port number and the traffic's protocol, and the rule's protocol must be the traffic's.
 *   It never matches a destination that is not a pod. endPort makes an inclusive range.
 * - Namespaces are matched by their labels plus `kubernetes.io/metadata.name` (the API server sets it
 *   on every namespace; it is assumed even when the stored object lacks it).
 * - Invalid input that validation would refuse (an empty peer, ipBlock together with a selector, an
 *   unparseable CIDR, a bad selector operator) matches nothing rather than throwing.
 *
 * Implementation-defined choices (EngineOptions), defaults as the upstream e2e suite expects:
 * - ipBlockMatchesPodIPs (default true): ipBlock peers match the IPs of in-cluster pods, as the e2e
 *   "CIDR block" tests and Calico do. false = Cilium's behaviour: CIDR rules only match addresses that
 *   are not pods. Node addresses (hostNetwork pods seen as their node) match ipBlocks either way.
 * - allowSelf (default true): a pod can always reach itself (the documented "a pod cannot block access
 *   to itself"; upstream e2e ignores the diagonal, #95879). false = self traffic is judged by policy
 *   like any other pair.
 * - hostNetworkPods (default 'as-node'): 'as-node' = the common implementation: hostNetwork pods are
 *   never selected by podSelector/namespaceSelector (neither as subject nor as peer), are never isolated,
 *   and their traffic is traffic of their node's address (status.hostIP), matchable only by ipBlock or an
 *   empty peer list. 'as-pod' = they are ordinary pods whose IPs are the node's.
 * - allowFromLocalNode (default true): ingress from the destination pod's own node (a node address, or
 *   a hostNetwork pod on that node in 'as-node' mode) is always allowed, as types.go says of "the pod's
 *   local node" (kubelet probes).
 * - allowToLocalNode (default true): egress from a pod to its own node likewise, as the NetworkPolicy
 *   concept page says of "traffic to and from the node where a Pod is running" (node-local DNS caches,
 *   node agents). Plugins differ here (Calico's DefaultEndpointToHostAction, Cilium's host entity):
 *   false judges it by the pod's egress rules like any address.
 * - resolveIPs (default true): an `ip` endpoint that is a pod's IP is evaluated as that pod, one that is
 *   a node's address as that node. false = every `ip` endpoint is outside the cluster.
 * Traffic from or to an address outside the cluster: no policy applies on the address's side (that
 * direction is "not a pod", allowed); on the pod's side only ipBlock peers and empty peer lists match
 * it, and named ports never match an address destination.
 */
import { DomainError } from '../errors.js';
import { EVERYTHING, NOTHING, fromLabelSelector, matches, type Selector } from '../labels/selector.js';
import {
  isSidecar,
  namespaceOf,
  isTerminal,
  type Labels,
  type LabelSelector,
  type Namespace,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type Pod,
  type Protocol,
  type Service,
} from '../model/types.js';
import { formatIP, parseCIDR, parseIP, prefixMask, type CIDR, type IP } from '../net/ip.js';
import type { ClusterSnapshot } from '../state/cluster-state.js';

export type Endpoint =
  | { readonly kind: 'pod'; readonly pod: Pod; readonly namespace: Namespace | undefined }
  | { readonly kind: 'ip'; readonly ip: string };

export interface EngineOptions {
  readonly ipBlockMatchesPodIPs?: boolean;
  readonly allowSelf?: boolean;
  readonly hostNetworkPods?: 'as-node' | 'as-pod';
  readonly allowFromLocalNode?: boolean;
  readonly allowToLocalNode?: boolean;
  readonly resolveIPs?: boolean;
}

export const DEFAULT_OPTIONS: Required<EngineOptions> = {
  ipBlockMatchesPodIPs: true,
  allowSelf: true,
  hostNetworkPods: 'as-node',
  allowFromLocalNode: true,
  allowToLocalNode: true,
  resolveIPs: true,
};

export interface DirectionVerdict {
  readonly allowed: boolean;
  readonly isolated: boolean;
  /** "ns/name" of every policy selecting the pod for this direction, sorted. */
  readonly policies: string[];
  /** The first matching rule and peer (policy order, then rule, then peer), or one of DECIDED_BY. */
  readonly decidedBy: string;
}

export interface Verdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

export const DECIDED_BY = {
  notIsolated: 'not isolated',
  noRuleMatched: 'no rule matched',
  notAPod: 'not a pod',
  hostNetwork: 'host network pod (as node)',
  self: 'self traffic',
  localNode: 'local node',
} as const;

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

const PROTOCOL_SET: ReadonlySet<string> = new Set(['TCP', 'UDP', 'SCTP']);

// ---- policyTypes ---------------------------------------------------------------------------------

/** spec.policyTypes after defaulting: as written when non-empty, else [Ingress] (+ Egress iff egress rules). */
export function effectivePolicyTypes(policy: NetworkPolicy): ('Ingress' | 'Egress')[] {
  const given = policy.spec.policyTypes ?? [];
  if (given.length > 0) {
    const out: ('Ingress' | 'Egress')[] = [];
    for (const t of given) if ((t === 'Ingress' || t === 'Egress') && !out.includes(t)) out.push(t);
    return out;
  }
  return (policy.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

// ---- compiled policies ---------------------------------------------------------------------------

type CompiledPeer =
  | { readonly kind: 'pods'; readonly nsSel: Selector | 'own'; readonly podSel: Selector }
  | { readonly kind: 'ip'; readonly cidr: Prefix; readonly except: readonly Prefix[] }
  | { readonly kind: 'none' };

/** A CIDR with its mask computed once (ipBlocks are tested against every pod). */
interface Prefix {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly mask: bigint;
}

function toPrefix(c: CIDR): Prefix {
  return { family: c.family, network: c.network, mask: prefixMask(c.family, c.prefix) };
}

function inPrefix(p: Prefix, ip: IP): boolean {
  return p.family === ip.family && (ip.value & p.mask) === p.network;
}

interface CompiledPort {
  readonly protocol: Protocol;
  readonly port?: number;
  readonly endPort?: number;
  readonly name?: string;
}

interface CompiledRule {
  /** undefined = all peers (missing or empty from/to). */
  readonly peers?: readonly CompiledPeer[];
  /** undefined = all ports and protocols. */
  readonly ports?: readonly CompiledPort[];
}

interface CompiledPolicy {
  readonly id: string;
  readonly namespace: string;
  readonly subject: Selector;
  /** undefined when the direction is not among the effective policyTypes. */
  readonly ingress?: readonly CompiledRule[];
  readonly egress?: readonly CompiledRule[];
}

function safeSelector(ls: LabelSelector): Selector {
  try {
    return fromLabelSelector(ls);
  } catch {
    return NOTHING;
  }
}

function compilePeer(p: NetworkPolicyPeer): CompiledPeer {
  if (p.ipBlock) {
    if (p.podSelector || p.namespaceSelector) return { kind: 'none' };
    const cidr = parseCIDR(p.ipBlock.cidr);
    if (!cidr) return { kind: 'none' };
    const except: Prefix[] = [];
    for (const e of p.ipBlock.except ?? []) {
      const c = parseCIDR(e);
      if (!c) return { kind: 'none' };
      except.push(toPrefix(c));
    }
    return { kind: 'ip', cidr: toPrefix(cidr), except };
  }
  if (!p.podSelector && !p.namespaceSelector) return { kind: 'none' };
  return {
    kind: 'pods',
    nsSel: p.namespaceSelector ? safeSelector(p.namespaceSelector) : 'own',
    podSel: p.podSelector ? safeSelector(p.podSelector) : EVERYTHING,
  };
}

function compilePort(p: NetworkPolicyPort): CompiledPort {
  const protocol = p.protocol ?? 'TCP';
  if (p.port === undefined || p.port === null) return { protocol };
  if (typeof p.port === 'string') return { protocol, name: p.port };
  return p.endPort !== undefined && p.endPort !== null
    ? { protocol, port: p.port, endPort: p.endPort }
    : { protocol, port: p.port };
}

function compileRule(
  peers: readonly NetworkPolicyPeer[] | undefined,
  ports: readonly NetworkPolicyPort[] | undefined,
): CompiledRule {
  return {
    peers: peers && peers.length > 0 ? peers.map(compilePeer) : undefined,
    ports: ports && ports.length > 0 ? ports.map(compilePort) : undefined,
  };
}

function compilePolicy(policy: NetworkPolicy): CompiledPolicy {
  const types = effectivePolicyTypes(policy);
  const namespace = policy.metadata.namespace ?? '';
  return {
    id: `${namespace}/${policy.metadata.name}`,
    namespace,
    subject: safeSelector(policy.spec.podSelector ?? {}),
    ingress: types.includes('Ingress')
      ? (policy.spec.ingress ?? []).map((r) => compileRule(r.from, r.ports))
      : undefined,
    egress: types.includes('Egress')
      ? (policy.spec.egress ?? []).map((r) => compileRule(r.to, r.ports))
      : undefined,
  };
}

// ---- parties (an endpoint as the evaluation sees it) -----------------------------------------------

interface PodParty {
  readonly kind: 'pod';
  readonly pod: Pod;
  readonly id: string;
  readonly namespace: string;
  readonly nsLabels: Labels;
  readonly labels: Labels;
  readonly ips: readonly IP[];
  readonly nodeName?: string;
}
/** A node address, or a hostNetwork pod seen as its node. */
interface HostParty {
  readonly kind: 'host';
  readonly pod?: Pod;
  readonly id?: string;
  readonly ips: readonly IP[];
  readonly nodeName?: string;
}
interface ExternalParty {
  readonly kind: 'external';
  readonly ips: readonly IP[];
}
type Party = PodParty | HostParty | ExternalParty;

function podId(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
}

function ipsOf(list: readonly (string | undefined)[]): IP[] {
  const out: IP[] = [];
  for (const s of list) {
    if (!s) continue;
    const ip = parseIP(s);
    if (ip && !out.some((o) => o.family === ip.family && o.value === ip.value)) out.push(ip);
  }
  return out;
}

function podIPs(pod: Pod): IP[] {
  return ipsOf([pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)]);
}

function hostIPs(pod: Pod): IP[] {
  return ipsOf([pod.status?.hostIP, ...(pod.status?.hostIPs ?? []).map((p) => p.ip)]);
}

/** Per-evaluation state: compiled policies by namespace and namespace labels, built once. */
class Evaluator {
  readonly opts: Required<EngineOptions>;
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();
  readonly all: CompiledPolicy[];
  private readonly nsLabelCache = new Map<string, Labels>();

  constructor(
    readonly snap: ClusterSnapshot,
    opts: EngineOptions | undefined,
  ) {
    this.opts = { ...DEFAULT_OPTIONS, ...stripUndefined(opts) };
    this.all = snap
      .list('NetworkPolicy')
      .map(compilePolicy)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const p of this.all) {
      const list = this.byNamespace.get(p.namespace) ?? [];
      list.push(p);
      this.byNamespace.set(p.namespace, list);
    }
  }

  nsLabels(name: string, ns?: Namespace): Labels {
    if (ns) return { ...ns.metadata.labels, [METADATA_NAME_LABEL]: name };
    let labels = this.nsLabelCache.get(name);
    if (!labels) {
      const stored = this.snap.get('Namespace', '', name);
      labels = { ...stored?.metadata.labels, [METADATA_NAME_LABEL]: name };
      this.nsLabelCache.set(name, labels);
    }
    return labels;
  }

  partyOfPod(pod: Pod, ns?: Namespace): Party {
    if (pod.spec.hostNetwork && this.opts.hostNetworkPods === 'as-node') {
      return { kind: 'host', pod, id: podId(pod), ips: hostIPs(pod), nodeName: pod.spec.nodeName };
    }
    const namespace = pod.metadata.namespace ?? '';
    return {
      kind: 'pod',
      pod,
      id: podId(pod),
      namespace,
      nsLabels: this.nsLabels(namespace, ns),
      labels: pod.metadata.labels ?? {},
      ips: pod.spec.hostNetwork ? hostIPs(pod) : podIPs(pod),
      nodeName: pod.spec.nodeName,
    };
  }

  party(e: Endpoint): Party {
    if (e.kind === 'pod') return this.partyOfPod(e.pod, e.namespace);
    const ip = parseIP(e.ip);
    if (!ip) throw new DomainError('BadRequest', `"${e.ip}" is not a valid IP address`);
    if (this.opts.resolveIPs) {
      // The IP index is keyed by canonical address text, so any spelling of the address finds it.
      const holders = this.snap.holdersOf(e.ip);
      for (const h of holders) {
        if (h.kind === 'Pod' && h.role === 'podIP') {
          const pod = this.snap.get('Pod', h.namespace, h.name);
          // A finished pod has given its address back (it may be reused): it is not the sender.
          if (pod && !isTerminal(pod)) {
            const party = this.partyOfPod(pod);
            // The traffic carries this one address, not every address of a dual-stack pod.
            return party.kind === 'pod' || party.kind === 'host' ? { ...party, ips: [ip] } : party;
          }
        }
      }
      for (const h of holders) {
        if (h.kind === 'Node') return { kind: 'host', ips: [ip], nodeName: h.name };
      }
      for (const h of holders) {
        if (h.kind === 'Service') {
          // NetworkPolicy is enforced after kube-proxy's DNAT, on the backend pod: a Service address
          // has no answer of its own.
          const svc = this.snap.get('Service', h.namespace, h.name);
          throw new DomainError(
            'BadRequest',
            `${e.ip} is the ${h.role} of Service ${h.namespace}/${h.name}: NetworkPolicy applies after the Service's DNAT, to a backend pod; ${askAboutBackends(this.snap, svc)}`,
          );
        }
      }
    }
    return { kind: 'external', ips: [ip] };
  }

  /** By pod id ("ns/name"): parties are made per call, so an identity key would grow without bound. */
  private readonly selectingCache = new Map<string, Record<'ingress' | 'egress', CompiledPolicy[]>>();

  /** Policies in the pod's namespace selecting it, for a direction (cached per pod). */
  selecting(p: PodParty, dir: 'ingress' | 'egress'): CompiledPolicy[] {
    let entry = this.selectingCache.get(p.id);
    if (!entry) {
      const inNs = (this.byNamespace.get(p.namespace) ?? []).filter((cp) => matches(cp.subject, p.labels));
      entry = {
        ingress: inNs.filter((cp) => cp.ingress !== undefined),
        egress: inNs.filter((cp) => cp.egress !== undefined),
      };
      this.selectingCache.set(p.id, entry);
    }
    return entry[dir];
  }

  peerMatches(peer: CompiledPeer, policyNs: string, other: Party): boolean {
    switch (peer.kind) {
      case 'none':
        return false;
      case 'pods':
        if (other.kind !== 'pod') return false;
        if (peer.nsSel === 'own' ? other.namespace !== policyNs : !matches(peer.nsSel, other.nsLabels))
          return false;
        return matches(peer.podSel, other.labels);
      case 'ip':
        if (other.kind === 'pod' && !this.opts.ipBlockMatchesPodIPs) return false;
        return other.ips.some((ip) => inPrefix(peer.cidr, ip) && !peer.except.some((ex) => inPrefix(ex, ip)));
    }
  }

  portMatches(port: CompiledPort, dest: Party, num: number, protocol: Protocol): boolean {
    if (port.protocol !== protocol) return false;
    if (port.name !== undefined) {
      // Named ports belong to workloads: an address destination (a node, as-node hostNetwork pods, an
      // outside IP) never matches one.
      const pod = dest.kind === 'pod' ? dest.pod : undefined;
      return pod !== undefined && declaresPort(pod, port.name, num, protocol);
    }
    if (port.port === undefined) return true;
    if (port.endPort !== undefined) return num >= port.port && num <= port.endPort;
    return num === port.port;
  }

  /** Rule and peer index of the last `firstMatch` hit (peer -1: the rule has no peer list). */
  private hitRule = 0;
  private hitPeer = -1;

  /** The first selecting policy (in order) with a rule matching the traffic; indexes in hitRule/hitPeer. */
  private firstMatch(
    selecting: readonly CompiledPolicy[],
    subject: PodParty,
    other: Party,
    dir: 'ingress' | 'egress',
    num: number,
    protocol: Protocol,
  ): CompiledPolicy | undefined {
    const dest = dir === 'ingress' ? subject : other;
    for (const cp of selecting) {
      const rules = cp[dir]!;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.ports && !rule.ports.some((pt) => this.portMatches(pt, dest, num, protocol))) continue;
        if (!rule.peers) {
          this.hitRule = i;
          this.hitPeer = -1;
          return cp;
        }
        for (let j = 0; j < rule.peers.length; j++) {
          if (this.peerMatches(rule.peers[j]!, cp.namespace, other)) {
            this.hitRule = i;
            this.hitPeer = j;
            return cp;
          }
        }
      }
    }
    return undefined;
  }

  /** Why an isolated direction without a matching rule is still allowed, if it is. */
  private exemption(subject: PodParty, other: Party, dir: 'ingress' | 'egress'): string | undefined {
    if (this.isSelf(subject, other)) return DECIDED_BY.self;
    if (
      (dir === 'ingress' ? this.opts.allowFromLocalNode : this.opts.allowToLocalNode) &&
      other.kind === 'host' &&
      other.nodeName !== undefined &&
      other.nodeName === subject.nodeName
    )
      return DECIDED_BY.localNode;
    return undefined;
  }

  direction(
    subject: Party,
    other: Party,
    dir: 'ingress' | 'egress',
    num: number,
    protocol: Protocol,
  ): DirectionVerdict {
    if (subject.kind === 'external')
      return { allowed: true, isolated: false, policies: [], decidedBy: DECIDED_BY.notAPod };
    if (subject.kind === 'host') {
      const decidedBy = subject.pod ? DECIDED_BY.hostNetwork : DECIDED_BY.notAPod;
      return { allowed: true, isolated: false, policies: [], decidedBy };
    }
    const selecting = this.selecting(subject, dir);
    const policies = selecting.map((p) => p.id);
    if (selecting.length === 0)
      return { allowed: true, isolated: false, policies, decidedBy: DECIDED_BY.notIsolated };
    const hit = this.firstMatch(selecting, subject, other, dir, num, protocol);
    if (hit) {
      const peer = this.hitPeer < 0 ? '' : ` ${dir === 'ingress' ? 'from' : 'to'}[${this.hitPeer}]`;
      return {
        allowed: true,
        isolated: true,
        policies,
        decidedBy: `${hit.id} ${dir}[${this.hitRule}]${peer}`,
      };
    }
    const exempt = this.exemption(subject, other, dir);
    if (exempt) return { allowed: true, isolated: true, policies, decidedBy: exempt };
    return { allowed: false, isolated: true, policies, decidedBy: DECIDED_BY.noRuleMatched };
  }

  /** `direction(...).allowed` without building the explanation. */
  permits(subject: Party, other: Party, dir: 'ingress' | 'egress', num: number, protocol: Protocol): boolean {
    if (subject.kind !== 'pod') return true;
    const selecting = this.selecting(subject, dir);
    if (selecting.length === 0) return true;
    if (this.firstMatch(selecting, subject, other, dir, num, protocol)) return true;
    return this.exemption(subject, other, dir) !== undefined;
  }

  allows(from: Party, to: Party, num: number, protocol: Protocol): boolean {
    return (
      this.permits(from, to, 'egress', num, protocol) && this.permits(to, from, 'ingress', num, protocol)
    );
  }

  isSelf(a: Party, b: Party): boolean {
    return this.opts.allowSelf && a.kind === 'pod' && b.kind === 'pod' && a.id === b.id;
  }

  verdictParties(from: Party, to: Party, num: number, protocol: Protocol): Verdict {
    const egress = this.direction(from, to, 'egress', num, protocol);
    const ingress = this.direction(to, from, 'ingress', num, protocol);
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }
}

function stripUndefined(opts: EngineOptions | undefined): EngineOptions {
  if (!opts) return {};
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as EngineOptions;
}

/**
 * True when the pod declares a port with this name, number and protocol on a container or on a sidecar
 * (an init container with restartPolicy Always, which runs beside the containers: kubernetes#125285,
 * as the EndpointSlice controller resolves Services' named ports).
 */
function declaresPort(pod: Pod, name: string, num: number, protocol: Protocol): boolean {
  const has = (ports: readonly { name?: string; containerPort: number; protocol?: string }[] | undefined) =>
    (ports ?? []).some(
      (cp) => cp.name === name && cp.containerPort === num && (cp.protocol ?? 'TCP') === protocol,
    );
  for (const c of pod.spec.containers ?? []) if (has(c.ports)) return true;
  for (const c of pod.spec.initContainers ?? []) if (isSidecar(c) && has(c.ports)) return true;
  return false;
}

function checkQuery(port: number, protocol: string): asserts protocol is Protocol {
  if (!PROTOCOL_SET.has(protocol))
    throw new DomainError(
      'BadRequest',
      `unsupported protocol "${protocol}": supported values: "TCP", "UDP", "SCTP"`,
    );
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new DomainError('BadRequest', `port ${port} must be between 1 and 65535, inclusive`);
}

/**
 * Compiled policies per snapshot, options and resourceVersion: a verdict costs the pair's evaluation,
 * not a recompilation of every policy in the cluster (the state only changes by commits, which move the
 * resourceVersion; a what-if view is a new snapshot object).
 */
const EVALUATORS = new WeakMap<ClusterSnapshot, { rv: number; key: string; ev: Evaluator }>();

function evaluatorFor(snap: ClusterSnapshot, opts: EngineOptions | undefined): Evaluator {
  const key = JSON.stringify(stripUndefined(opts));
  const hit = EVALUATORS.get(snap);
  if (hit && hit.rv === snap.resourceVersion && hit.key === key) return hit.ev;
  const ev = new Evaluator(snap, opts);
  EVALUATORS.set(snap, { rv: snap.resourceVersion, key, ev });
  return ev;
}

// ---- public API ----------------------------------------------------------------------------------

/** The verdict for one connection attempt `from` -> `to` on port/protocol. */
export function verdict(
  snap: ClusterSnapshot,
  from: Endpoint,
  to: Endpoint,
  port: number,
  protocol: Protocol,
  opts?: EngineOptions,
): Verdict {
  checkQuery(port, protocol);
  const ev = evaluatorFor(snap, opts);
  const toParty = ev.party(to);
  if (toParty.kind === 'host') refuseNodePort(snap, toParty, port, protocol);
  return ev.verdictParties(ev.party(from), toParty, port, protocol);
}

/**
 * A node address on a Service's NodePort is rewritten by kube-proxy (DNAT) before NetworkPolicy sees
 * the packet, as a ClusterIP is: the policy that applies is the backend pod's, so the question is
 * refused the same way, naming the Service and some backends.
 */
function refuseNodePort(snap: ClusterSnapshot, host: HostParty, port: number, protocol: Protocol): void {
  for (const svc of snap.list('Service')) {
    const type = svc.spec.type ?? 'ClusterIP';
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    const sp = (svc.spec.ports ?? []).find((p) => p.nodePort === port && (p.protocol ?? 'TCP') === protocol);
    if (!sp) continue;
    const at = host.ips[0] ? `${formatIP(host.ips[0])}:${port}` : `port ${port}`;
    throw new DomainError(
      'BadRequest',
      `${at} is NodePort ${port}/${protocol} of Service ${namespaceOf(svc)}/${svc.metadata.name}: NetworkPolicy applies after kube-proxy's DNAT, to a backend pod; ${askAboutBackends(snap, svc)}`,
    );
  }
}

/** The end of a refusal that names a Service: "ask about one of them", with up to three backends. */
function askAboutBackends(snap: ClusterSnapshot, svc: Service | undefined): string {
  const backends = svc
    ? snap
        .podsForService(svc)
        .slice(0, 3)
        .map((p) => podId(p))
    : [];
  return `ask about one of them${backends.length ? ` (${backends.join(', ')})` : ''}`;
}

/** Pods the policy's podSelector picks in its namespace (hostNetwork pods excluded in 'as-node' mode). */
export function selectedPods(snap: ClusterSnapshot, policy: NetworkPolicy, opts?: EngineOptions): Pod[] {
  const asNode = (opts?.hostNetworkPods ?? DEFAULT_OPTIONS.hostNetworkPods) === 'as-node';
  const sel = safeSelector(policy.spec.podSelector ?? {});
  return snap
    .list('Pod', { namespace: policy.metadata.namespace ?? '' })
    .filter((p) => !(asNode && p.spec.hostNetwork) && matches(sel, p.metadata.labels));
}

export interface PolicyForPod {
  /** "ns/name" */
  readonly policy: string;
  readonly types: ('Ingress' | 'Egress')[];
}

/** Policies selecting the pod, sorted by ns/name, with their effective policyTypes. */
export function policiesFor(snap: ClusterSnapshot, pod: Pod, opts?: EngineOptions): PolicyForPod[] {
  const asNode = (opts?.hostNetworkPods ?? DEFAULT_OPTIONS.hostNetworkPods) === 'as-node';
  if (asNode && pod.spec.hostNetwork) return [];
  return snap
    .list('NetworkPolicy', { namespace: pod.metadata.namespace ?? '' })
    .filter((np) => matches(safeSelector(np.spec.podSelector ?? {}), pod.metadata.labels))
    .map((np) => ({
      policy: `${np.metadata.namespace ?? ''}/${np.metadata.name}`,
      types: effectivePolicyTypes(np),
    }))
    .sort((a, b) => (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
}

export interface Reachability {
  /** "ns/name", sorted. */
  readonly pods: string[];
  /** allowed[i][j]: pods[i] may open a connection to pods[j]. */
  readonly allowed: boolean[][];
}

function sortedPods(pods: readonly Pod[]): Pod[] {
  return [...pods].sort((a, b) => {
    const x = podId(a);
    const y = podId(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Reachability by evaluating every ordered pair; the reference for `reachability`. */
export function reachabilityNaive(
  snap: ClusterSnapshot,
  pods: readonly Pod[],
  port: number,
  protocol: Protocol,
  opts?: EngineOptions,
): Reachability {
  checkQuery(port, protocol);
  const ev = evaluatorFor(snap, opts);
  const sorted = sortedPods(pods);
  const parties = sorted.map((p) => ev.partyOfPod(p));
  return {
    pods: sorted.map(podId),
    allowed: parties.map((f) => parties.map((t) => ev.allows(f, t, port, protocol))),
  };
}

/**
 * Reachability computed on equivalence classes: pods that every policy sees alike (same namespace and
 * namespace labels, pod labels, hostNetwork handling, node where node identity matters, named ports
 * declared for this port/protocol, and membership in every ipBlock of every policy) have identical
 * rows and columns, so one representative pair is evaluated per class pair. Self cells are evaluated
 * on their own.
 */
export function reachability(
  snap: ClusterSnapshot,
  pods: readonly Pod[],
  port: number,
  protocol: Protocol,
  opts?: EngineOptions,
): Reachability {
  checkQuery(port, protocol);
  const ev = evaluatorFor(snap, opts);
  const sorted = sortedPods(pods);
  const parties = sorted.map((p) => ev.partyOfPod(p));
  const ipPeers: CompiledPeer[] = [];
  for (const cp of ev.all)
    for (const rules of [cp.ingress, cp.egress])
      for (const r of rules ?? [])
        for (const peer of r.peers ?? []) if (peer.kind === 'ip') ipPeers.push(peer);
  const nodeMatters =
    (ev.opts.allowFromLocalNode || ev.opts.allowToLocalNode) && parties.some((p) => p.kind === 'host');

  const classOf = new Map<string, number>();
  const members: number[][] = [];
  const memberClass = parties.map((party, i) => {
    const key = signature(ev, party, ipPeers, nodeMatters, port, protocol);
    let c = classOf.get(key);
    if (c === undefined) {
      c = members.length;
      classOf.set(key, c);
      members.push([]);
    }
    members[c]!.push(i);
    return c;
  });

  const n = parties.length;
  const k = members.length;
  const classAllowed: (boolean | undefined)[][] = Array.from({ length: k }, () =>
    new Array(k).fill(undefined),
  );
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const from = members[a]![0]!;
      // A class with itself needs two distinct members; with one member its only cell is the diagonal.
      const to = a === b ? members[b]![1] : members[b]![0]!;
      if (to === undefined) continue;
      classAllowed[a]![b] = ev.allows(parties[from]!, parties[to]!, port, protocol);
    }
  }
  const allowed: boolean[][] = [];
  for (let i = 0; i < n; i++) {
    const row: boolean[] = new Array(n);
    for (let j = 0; j < n; j++) {
      row[j] =
        i === j
          ? ev.allows(parties[i]!, parties[j]!, port, protocol)
          : classAllowed[memberClass[i]!]![memberClass[j]!]!;
    }
    allowed.push(row);
  }
  return { pods: sorted.map(podId), allowed };
}

function canonicalLabels(l: Labels): string {
  return JSON.stringify(
    Object.keys(l)
      .sort()
      .map((key) => [key, l[key]]),
  );
}

function signature(
  ev: Evaluator,
  party: Party,
  ipPeers: readonly CompiledPeer[],
  nodeMatters: boolean,
  port: number,
  protocol: Protocol,
): string {
  const pod = party.kind === 'external' ? undefined : party.pod;
  const names: string[] = [];
  for (const c of pod?.spec.containers ?? [])
    for (const cp of c.ports ?? [])
      if (cp.name && cp.containerPort === port && (cp.protocol ?? 'TCP') === protocol) names.push(cp.name);
  const ipBits = ipPeers.map((peer) => (ev.peerMatches(peer, '', party) ? '1' : '0')).join('');
  const parts: unknown[] = [party.kind, [...new Set(names)].sort(), ipBits];
  if (party.kind === 'pod')
    parts.push(party.namespace, canonicalLabels(party.nsLabels), canonicalLabels(party.labels));
  if (nodeMatters && party.kind !== 'external') parts.push(party.nodeName ?? '');
  return JSON.stringify(parts);
}
