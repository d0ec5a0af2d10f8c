/**
 * kube-proxy's IPVS mode for one node and family: the virtual and real servers (`ipvsadm -R` input),
 * the ipsets (`ipset restore` input), the iptables rules (`iptables-restore` / `ip6tables-restore`
 * input) and the addresses on the dummy link kube-ipvs0 (`ip -batch` input).
 *
 * Upstream semantics followed (pkg/proxy/ipvs proxier.go, syncProxyRules and writeIptablesRules):
 * - Every service port gets a virtual server (VS) on its ClusterIP, one per external IP, one per
 *   LoadBalancer ingress IP, and with a NodePort one per node address. A VS stays when there are no
 *   endpoints; it then has no real servers.
 * - ClientIP affinity makes every VS of the port persistent (`-p <timeout>`); the `mh` scheduler adds
 *   the source-port hash flag (`-b mh-port`).
 * - Real servers are masqueraded (`-m`) with weight 1. The ClusterIP VS takes the local endpoints when
 *   the internal policy is Local, the other VSes when the external policy is Local; otherwise the
 *   cluster endpoints. With a Local policy and no local endpoint, IPVS mode falls back to the cluster
 *   endpoints (kubernetes PR 97081), unlike the iptables and nftables modes; for a pure ClusterIP port
 *   with internalTrafficPolicy Local those are empty, so its VS has no real server.
 * - The ClusterIP, and every external or LoadBalancer IP that is not a node address, is bound to
 *   kube-ipvs0 and listed in KUBE-IPVS-IPS. Node addresses stand for kube-proxy's "all local addresses
 *   except kube-ipvs0".
 * - With a NodePort and no node address of the family, kube-proxy skips the rest of the port: no
 *   NodePort VS, no NodePort set entry, no health-check entry.
 * - All 17 ipsets are created, with the options kube-proxy passes (`-exist` included). IPv6 set names
 *   are `KUBE-6-...`, cut to 31 characters.
 *
 * Order (kube-proxy walks Go maps, so it has none of its own): services in ProxyRuleSet order; per port
 * the ClusterIP VS, external IPs, LoadBalancer IPs, then NodePort VSes in node address order; real
 * servers in endpoint order. ipset entries are in insertion order (the order the walk adds them, each
 * once), grouped by set in kube-proxy's set order; `ipset save` lists members in hash order instead.
 * kube-ipvs0 addresses are in the order they are first bound. A VS met twice (two services claiming
 * the same external IP and port) is written once, with the later port's flags and real servers, as
 * the later sync would leave it.
 *
 * Loading: the `ipvsadm -R` text is for an empty IPVS table (`-R` is not idempotent; `ipvsadm -C`
 * first). The ipset text loads into an empty or a kube-proxy-managed namespace. The iptables text is
 * meant for `--noflush`; the KUBE-IPVS-OUT-FILTER rules use `-m ipvs` and cannot load on a kernel
 * without IPVS (xt_ipvs). kube-ipvs0 is a `dummy` link.
 */
import { unsupportedParameter } from '../validation/field-errors.js';
import { joinHostPort, type ProxyEndpoint, type ProxyRuleSet } from './service-ports.js';
import { assemble, type RenderedRules } from './text.js';

/** The schedulers kube-proxy's `--ipvs-scheduler` accepts (plus `mh`, which its proxier handles). */
export const IPVS_SCHEDULERS = [
  'rr',
  'wrr',
  'lc',
  'wlc',
  'lblc',
  'lblcr',
  'sh',
  'dh',
  'sed',
  'nq',
  'mh',
] as const;
export type IpvsScheduler = (typeof IPVS_SCHEDULERS)[number];

export interface IpvsOptions {
  /** kube-proxy `--ipvs-scheduler`; empty or absent means `rr`. */
  readonly scheduler?: IpvsScheduler;
  /**
   * Also write the jumps from the built-in chains (PREROUTING, OUTPUT, POSTROUTING, INPUT, FORWARD)
   * into kube-proxy's chains, in the order kube-proxy's `iptables -I` calls leave them on a fresh node.
   * kube-proxy does not write these in its restore input.
   */
  readonly withJumps?: boolean;
}

type SetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

interface SetInfo {
  readonly name: string;
  readonly type: SetType;
  /** Used only in iptables `-m comment`; kube-proxy creates its sets without comments. */
  readonly comment: string;
}

// kube-proxy's set list, in its order.
const LOOP_BACK = 'KUBE-LOOP-BACK';
const CLUSTER_IP = 'KUBE-CLUSTER-IP';
const EXTERNAL_IP = 'KUBE-EXTERNAL-IP';
const EXTERNAL_IP_LOCAL = 'KUBE-EXTERNAL-IP-LOCAL';
const LOAD_BALANCER = 'KUBE-LOAD-BALANCER';
const LOAD_BALANCER_FW = 'KUBE-LOAD-BALANCER-FW';
const LOAD_BALANCER_LOCAL = 'KUBE-LOAD-BALANCER-LOCAL';
const LOAD_BALANCER_SOURCE_IP = 'KUBE-LOAD-BALANCER-SOURCE-IP';
const LOAD_BALANCER_SOURCE_CIDR = 'KUBE-LOAD-BALANCER-SOURCE-CIDR';
const NODE_PORT_TCP = 'KUBE-NODE-PORT-TCP';
const NODE_PORT_LOCAL_TCP = 'KUBE-NODE-PORT-LOCAL-TCP';
const NODE_PORT_UDP = 'KUBE-NODE-PORT-UDP';
const NODE_PORT_LOCAL_UDP = 'KUBE-NODE-PORT-LOCAL-UDP';
const NODE_PORT_SCTP = 'KUBE-NODE-PORT-SCTP-HASH';
const NODE_PORT_LOCAL_SCTP = 'KUBE-NODE-PORT-LOCAL-SCTP-HASH';
const HEALTH_CHECK_NODE_PORT = 'KUBE-HEALTH-CHECK-NODE-PORT';
const IPVS_IPS = 'KUBE-IPVS-IPS';

const SETS: readonly SetInfo[] = [
  {
    name: LOOP_BACK,
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  },
  {
    name: CLUSTER_IP,
    type: 'hash:ip,port',
    comment: 'Kubernetes service cluster ip + port for masquerade purpose',
  },
  {
    name: EXTERNAL_IP,
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port for masquerade and filter purpose',
  },
  {
    name: EXTERNAL_IP_LOCAL,
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local',
  },
  { name: LOAD_BALANCER, type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  {
    name: LOAD_BALANCER_FW,
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  },
  {
    name: LOAD_BALANCER_LOCAL,
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  },
  {
    name: LOAD_BALANCER_SOURCE_IP,
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  },
  {
    name: LOAD_BALANCER_SOURCE_CIDR,
    type: 'hash:ip,port,net',
    comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  },
  {
    name: NODE_PORT_TCP,
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port for masquerade purpose',
  },
  {
    name: NODE_PORT_LOCAL_TCP,
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  },
  {
    name: NODE_PORT_UDP,
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port for masquerade purpose',
  },
  {
    name: NODE_PORT_LOCAL_UDP,
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  },
  {
    name: NODE_PORT_SCTP,
    type: 'hash:ip,port',
    comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  },
  {
    name: NODE_PORT_LOCAL_SCTP,
    type: 'hash:ip,port',
    comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  },
  { name: HEALTH_CHECK_NODE_PORT, type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: IPVS_IPS, type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

/**
 * The sets that get a rule of their own when not empty, in kube-proxy's order: table, chain, match
 * direction, `-p` protocol, target.
 */
const SET_RULES: readonly [string, 'nat' | 'filter', string, string, string, string][] = [
  [LOOP_BACK, 'nat', 'KUBE-POSTROUTING', 'dst,dst,src', '', 'MASQUERADE'],
  [LOAD_BALANCER, 'nat', 'KUBE-SERVICES', 'dst,dst', '', 'KUBE-LOAD-BALANCER'],
  [LOAD_BALANCER_LOCAL, 'nat', 'KUBE-LOAD-BALANCER', 'dst,dst', '', 'RETURN'],
  [NODE_PORT_LOCAL_TCP, 'nat', 'KUBE-NODE-PORT', 'dst', 'tcp', 'RETURN'],
  [NODE_PORT_TCP, 'nat', 'KUBE-NODE-PORT', 'dst', 'tcp', 'KUBE-MARK-MASQ'],
  [NODE_PORT_LOCAL_UDP, 'nat', 'KUBE-NODE-PORT', 'dst', 'udp', 'RETURN'],
  [NODE_PORT_UDP, 'nat', 'KUBE-NODE-PORT', 'dst', 'udp', 'KUBE-MARK-MASQ'],
  [NODE_PORT_LOCAL_SCTP, 'nat', 'KUBE-NODE-PORT', 'dst,dst', 'sctp', 'RETURN'],
  [NODE_PORT_SCTP, 'nat', 'KUBE-NODE-PORT', 'dst,dst', 'sctp', 'KUBE-MARK-MASQ'],
  [LOAD_BALANCER_FW, 'filter', 'KUBE-PROXY-FIREWALL', 'dst,dst', '', 'KUBE-SOURCE-RANGES-FIREWALL'],
  [LOAD_BALANCER_SOURCE_CIDR, 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'dst,dst,src', '', 'RETURN'],
  [LOAD_BALANCER_SOURCE_IP, 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'dst,dst,src', '', 'RETURN'],
];

const NAT_CHAINS = [
  'KUBE-SERVICES',
  'KUBE-POSTROUTING',
  'KUBE-NODE-PORT',
  'KUBE-LOAD-BALANCER',
  'KUBE-MARK-MASQ',
];
const FILTER_CHAINS = [
  'KUBE-FORWARD',
  'KUBE-NODE-PORT',
  'KUBE-PROXY-FIREWALL',
  'KUBE-SOURCE-RANGES-FIREWALL',
  'KUBE-IPVS-FILTER',
  'KUBE-IPVS-OUT-FILTER',
];

const DUMMY_LINK = 'kube-ipvs0';

const q = (s: string): string => `"${s}"`;

/** An IPv6 proxier's set name: `KUBE-` becomes `KUBE-6-`, cut to ipset's 31 characters. */
export function ipsetName(name: string, family: 4 | 6): string {
  if (family === 4) return name;
  return (name.startsWith('KUBE-') ? `KUBE-6-${name.slice(5)}` : name).slice(0, 31);
}

/** ipvsadm's service-type option for a protocol. */
function serviceFlag(protocol: string): string {
  if (protocol === 'TCP') return '-t';
  if (protocol === 'UDP') return '-u';
  return `--${protocol.toLowerCase()}-service`;
}

/** The scheduler asked for, checked: empty or absent is `rr`. */
export function checkScheduler(value: string | undefined): IpvsScheduler {
  if (value === undefined || value === '') return 'rr';
  if ((IPVS_SCHEDULERS as readonly string[]).includes(value)) return value as IpvsScheduler;
  throw unsupportedParameter('scheduler', value, IPVS_SCHEDULERS);
}

/** The entries of one set, each once, in insertion order. */
class SetEntries {
  readonly entries: string[] = [];
  private readonly seen = new Set<string>();
  add(entry: string): void {
    if (this.seen.has(entry)) return;
    this.seen.add(entry);
    this.entries.push(entry);
  }
}

interface VirtualServer {
  /** `-A ...` without the real servers. */
  readonly line: string;
  readonly address: string;
  readonly flag: string;
  readonly realServers: readonly ProxyEndpoint[];
}

/** The IPVS-mode rules of one node and family. */
export function renderIpvs(rs: ProxyRuleSet, opts: IpvsOptions = {}): RenderedRules {
  const scheduler = checkScheduler(opts.scheduler);
  const family = rs.family;
  const sets = new Map<string, SetEntries>(SETS.map((s) => [s.name, new SetEntries()]));
  const add = (set: string, entry: string): void => sets.get(set)!.add(entry);
  const virtualServers = new Map<string, VirtualServer>();
  const bound = new SetEntries();
  const outFilter: string[] = [];
  const nodeAddresses = new Set(rs.node.addresses);

  for (const sp of rs.servicePorts) {
    const proto = sp.protocol.toLowerCase();
    const flag = serviceFlag(sp.protocol);
    let options = `-s ${scheduler}`;
    if (sp.affinitySeconds > 0) options += ` -p ${sp.affinitySeconds}`;
    if (scheduler === 'mh') options += ' -b mh-port';
    const endpointsFor = (local: boolean): readonly ProxyEndpoint[] =>
      local && sp.localEndpoints.length > 0 ? sp.localEndpoints : sp.clusterEndpoints;
    const internal = endpointsFor(sp.internalPolicyLocal);
    const external = endpointsFor(sp.externalPolicyLocal);
    const addVS = (ip: string, port: number, realServers: readonly ProxyEndpoint[]): void => {
      const address = joinHostPort(ip, port);
      const line = `-A ${flag} ${address} ${options}`;
      virtualServers.set(`${flag} ${address}`, { line, address, flag, realServers });
    };

    // Hairpin: every local endpoint, whatever its conditions.
    for (const ep of sp.endpoints) if (ep.isLocal) add(LOOP_BACK, `${ep.ip},${proto}:${ep.port},${ep.ip}`);

    add(CLUSTER_IP, `${sp.clusterIP},${proto}:${sp.port}`);
    addVS(sp.clusterIP, sp.port, internal);
    bound.add(sp.clusterIP);

    for (const ip of sp.externalIPs) {
      add(sp.externalPolicyLocal ? EXTERNAL_IP_LOCAL : EXTERNAL_IP, `${ip},${proto}:${sp.port}`);
      addVS(ip, sp.port, external);
      if (!nodeAddresses.has(ip)) bound.add(ip);
    }

    for (const ip of sp.loadBalancerIPs) {
      const entry = `${ip},${proto}:${sp.port}`;
      add(LOAD_BALANCER, entry);
      if (sp.externalPolicyLocal) add(LOAD_BALANCER_LOCAL, entry);
      if (sp.loadBalancerSourceRanges.length > 0) {
        add(LOAD_BALANCER_FW, entry);
        for (const cidr of sp.loadBalancerSourceRanges) add(LOAD_BALANCER_SOURCE_CIDR, `${entry},${cidr}`);
        if (sp.sourceRangesHoldNode) add(LOAD_BALANCER_SOURCE_IP, `${entry},${ip}`);
        else
          outFilter.push(
            `-A KUBE-IPVS-OUT-FILTER -s ${ip} -m ipvs --vaddr ${ip} --vproto ${proto} --vport ${sp.port} -j DROP`,
          );
      }
      addVS(ip, sp.port, external);
      if (!nodeAddresses.has(ip)) bound.add(ip);
    }

    if (sp.nodePort !== 0) {
      if (rs.node.addresses.length === 0) continue;
      const local = sp.externalPolicyLocal;
      if (sp.protocol === 'SCTP') {
        for (const ip of rs.node.addresses) {
          add(NODE_PORT_SCTP, `${ip},sctp:${sp.nodePort}`);
          if (local) add(NODE_PORT_LOCAL_SCTP, `${ip},sctp:${sp.nodePort}`);
        }
      } else {
        const tcp = sp.protocol === 'TCP';
        add(tcp ? NODE_PORT_TCP : NODE_PORT_UDP, String(sp.nodePort));
        if (local) add(tcp ? NODE_PORT_LOCAL_TCP : NODE_PORT_LOCAL_UDP, String(sp.nodePort));
      }
      for (const ip of rs.node.addresses) addVS(ip, sp.nodePort, external);
    }

    if (sp.healthCheckNodePort !== 0) add(HEALTH_CHECK_NODE_PORT, String(sp.healthCheckNodePort));
  }
  for (const ip of bound.entries) add(IPVS_IPS, ip);

  // ipvsadm -R
  const ipvsLines: string[] = [];
  let ipvsCount = 0;
  for (const vs of virtualServers.values()) {
    ipvsLines.push(vs.line);
    for (const ep of vs.realServers) ipvsLines.push(`-a ${vs.flag} ${vs.address} -r ${ep.endpoint} -m -w 1`);
    ipvsCount += 1 + vs.realServers.length;
  }

  // ipset restore
  const setLines: string[] = [];
  let setCount = 0;
  const inet = family === 6 ? 'inet6' : 'inet';
  for (const s of SETS) {
    const name = ipsetName(s.name, family);
    setLines.push(
      s.type === 'bitmap:port'
        ? `create ${name} bitmap:port range 0-65535 -exist`
        : `create ${name} ${s.type} family ${inet} hashsize 1024 maxelem 65536 -exist`,
    );
    for (const e of sets.get(s.name)!.entries) setLines.push(`add ${name} ${e} -exist`);
    setCount += sets.get(s.name)!.entries.length;
  }

  // iptables-restore
  const iptables = renderIptables(rs, opts.withJumps ?? false, sets, outFilter);

  // ip -batch
  const prefix = family === 6 ? 128 : 32;
  const addrLines = [
    `link add ${DUMMY_LINK} type dummy`,
    ...bound.entries.map((ip) => `address add ${ip}/${prefix} dev ${DUMMY_LINK}`),
  ];

  const text = (lines: readonly string[]): string => (lines.length ? `${lines.join('\n')}\n` : '');
  return assemble('ipvs', [
    { tool: 'ipvsadm -R', text: text(ipvsLines), ruleCount: ipvsCount },
    { tool: 'ipset restore', text: text(setLines), ruleCount: setCount },
    {
      tool: family === 6 ? 'ip6tables-restore' : 'iptables-restore',
      text: iptables.text,
      ruleCount: iptables.count,
    },
    { tool: 'ip -batch', text: text(addrLines), ruleCount: bound.entries.length },
  ]);
}

function renderIptables(
  rs: ProxyRuleSet,
  withJumps: boolean,
  sets: ReadonlyMap<string, SetEntries>,
  outFilter: readonly string[],
): { text: string; count: number } {
  const family = rs.family;
  const name = (set: string): string => ipsetName(set, family);
  const comment = (set: string): string => q(SETS.find((s) => s.name === set)!.comment);
  const has = (set: string): boolean => sets.get(set)!.entries.length > 0;
  const mark = rs.masqueradeMark;
  const nat: string[] = [];
  const filter: string[] = [];

  if (withJumps) {
    nat.push(
      `-A PREROUTING -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`,
      `-A OUTPUT -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`,
      `-A POSTROUTING -m comment --comment ${q('kubernetes postrouting rules')} -j KUBE-POSTROUTING`,
    );
    filter.push(
      `-A INPUT -m comment --comment ${q('kubernetes ipvs access filter')} -j KUBE-IPVS-FILTER`,
      `-A INPUT -m comment --comment ${q('kube-proxy firewall rules')} -j KUBE-PROXY-FIREWALL`,
      `-A INPUT -m comment --comment ${q('kubernetes health check rules')} -j KUBE-NODE-PORT`,
      `-A FORWARD -m comment --comment ${q('kube-proxy firewall rules')} -j KUBE-PROXY-FIREWALL`,
      `-A FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -j KUBE-FORWARD`,
      `-A OUTPUT -m comment --comment ${q('kubernetes ipvs access filter')} -j KUBE-IPVS-OUT-FILTER`,
    );
  }

  nat.push(`-A KUBE-SERVICES -s ${family === 6 ? '::1/128' : '127.0.0.0/8'} -j RETURN`);
  for (const [set, table, chain, match, proto, target] of SET_RULES) {
    if (!has(set)) continue;
    const p = proto ? ` -p ${proto}` : '';
    (table === 'nat' ? nat : filter).push(
      `-A ${chain}${p} -m comment --comment ${comment(set)} -m set --match-set ${name(set)} ${match} -j ${target}`,
    );
  }
  if (has(CLUSTER_IP)) {
    const head = `-A KUBE-SERVICES -m comment --comment ${comment(CLUSTER_IP)} -m set --match-set ${name(CLUSTER_IP)}`;
    if (rs.masqueradeAll) nat.push(`${head} dst,dst -j KUBE-MARK-MASQ`);
    else if (rs.clusterCidr) nat.push(`${head} dst,dst ! -s ${rs.clusterCidr} -j KUBE-MARK-MASQ`);
    else nat.push(`${head} src,dst -j KUBE-MARK-MASQ`);
  }
  for (const set of [EXTERNAL_IP, EXTERNAL_IP_LOCAL]) {
    if (!has(set)) continue;
    const head = `-A KUBE-SERVICES -m comment --comment ${comment(set)} -m set --match-set ${name(set)} dst,dst`;
    if (set === EXTERNAL_IP) nat.push(`${head} -j KUBE-MARK-MASQ`);
    nat.push(`${head} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.push(`${head} -m addrtype --dst-type LOCAL -j ACCEPT`);
  }
  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  filter.push(...outFilter);
  for (const set of [CLUSTER_IP, LOAD_BALANCER]) {
    if (has(set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${name(set)} dst,dst -j ACCEPT`);
  }
  filter.push(
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${mark}/${mark} -j ACCEPT`,
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `-A KUBE-NODE-PORT -m comment --comment ${comment(HEALTH_CHECK_NODE_PORT)} -m set --match-set ${name(HEALTH_CHECK_NODE_PORT)} dst -j ACCEPT`,
  );
  for (const set of [LOAD_BALANCER, CLUSTER_IP, EXTERNAL_IP, EXTERNAL_IP_LOCAL]) {
    filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${name(set)} dst,dst -j RETURN`);
  }
  filter.push(
    `-A KUBE-IPVS-FILTER -m set --match-set ${name(HEALTH_CHECK_NODE_PORT)} dst -j RETURN`,
    `-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set ${name(IPVS_IPS)} dst -j REJECT`,
  );
  nat.push(
    `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`,
    `-A KUBE-POSTROUTING -m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`,
  );

  const text = [
    '# kube-proxy IPVS mode; load with --noflush. KUBE-IPVS-OUT-FILTER rules need the ipvs match (xt_ipvs)',
    '# and fail to load on a kernel without IPVS.',
    '*nat',
    ...NAT_CHAINS.map((c) => `:${c} - [0:0]`),
    ...nat,
    'COMMIT',
    '*filter',
    ...FILTER_CHAINS.map((c) => `:${c} - [0:0]`),
    ...filter,
    'COMMIT',
    '',
  ].join('\n');
  return { text, count: nat.length + filter.length };
}
