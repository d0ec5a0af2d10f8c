/**
 * kube-proxy's iptables mode: the `iptables-restore` input (filter and nat tables) its full sync writes
 * for one node and family. See README.md beside this file for the layout, the upstream sources and
 * what netmodel chose where kube-proxy depends on the host.
 */
import { chainHash } from './hash.js';
import type { ProxyEndpoint, ProxyRuleSet, ProxyServicePort } from './service-ports.js';
import { assemble, type RenderedRules } from './text.js';

export interface IptablesOptions {
  /**
   * Also write the jumps from the built-in chains (PREROUTING, OUTPUT, POSTROUTING, INPUT, FORWARD)
   * into kube-proxy's chains. kube-proxy installs those once at start with `iptables -I`, not in its
   * restore input; a namespace loaded from this text alone needs them for packets to reach the rules.
   */
  readonly withJumps?: boolean;
  /** kube-proxy `--iptables-localhost-nodeports` (default true): NodePorts on 127.0.0.1 (IPv4 only). */
  readonly localhostNodePorts?: boolean;
  /**
   * The host has netfilter accounting (nfnetlink_acct), as most kernels do: kube-proxy then counts
   * dropped invalid packets and accepted localhost NodePort packets with `-m nfacct` (default true).
   * Loading such rules needs the two nfacct objects to exist (`nfacct add ct_state_invalid_dropped_pkts`,
   * `nfacct add localhost_nps_accepted_pkts`), which kube-proxy creates at start.
   */
  readonly nfacct?: boolean;
  /** The iptables binary supports `--random-fully` (iptables 1.6.2 and later; default true). */
  readonly randomFully?: boolean;
}

export const NFACCT_INVALID_DROPPED = 'ct_state_invalid_dropped_pkts';
export const NFACCT_LOCALHOST_NODEPORTS = 'localhost_nps_accepted_pkts';

/** kube-proxy's threshold for "large cluster mode" (endpoints over all service ports). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

const q = (s: string): string => `"${s}"`;

/** A comment argument as kube-proxy writes it: quoted only when it holds a space. */
function comment(s: string): string {
  return /\s/.test(s) ? q(s) : s;
}

/**
 * Go's `fmt.Sprintf("%0.10f", 1/n)`: 10 decimals of the double 1/n, exact ties to even. JavaScript's
 * toFixed breaks exact ties upwards, which differs only where the double has exactly 11 decimals
 * ending in 5 (n = 2048).
 */
export function probability(n: number): string {
  const x = 1 / n;
  const fixed = x.toFixed(10);
  const wide = x.toFixed(30);
  const tail = wide.slice(12); // digits 11..30
  if (tail[0] === '5' && /^50*$/.test(tail)) {
    const last = Number(fixed[fixed.length - 1]);
    // toFixed rounded up; Go keeps an even last digit, so step back when the rounded one is odd.
    if (last % 2 === 1) return (Math.round(x * 1e10 - 0.5) / 1e10).toFixed(10);
  }
  return fixed;
}

/** The protocol as iptables' `-p`/`-m` arguments take it. */
const proto = (sp: ProxyServicePort): string => sp.protocol.toLowerCase();

export interface IptablesChains {
  readonly svc: string;
  readonly svl: string;
  readonly ext: string;
  readonly fw: string;
}

/** The per-service-port chain names: prefix + 16 base32 characters of SHA-256(`ns/svc:port` + protocol). */
export function servicePortChains(id: string, protocol: string): IptablesChains {
  const h = chainHash(id + protocol.toLowerCase());
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

/** KUBE-SEP- + the hash of `ns/svc:port` + protocol + `ip:port`. */
export function endpointChain(id: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${chainHash(id + protocol.toLowerCase() + endpoint)}`;
}

class Table {
  readonly chains: string[] = [];
  readonly rules: string[] = [];
  chain(name: string): void {
    this.chains.push(`:${name} - [0:0]`);
  }
  rule(...args: string[]): void {
    this.rules.push(args.join(' '));
  }
}

/** The `iptables-restore` (or `ip6tables-restore`) input for the rule set. */
export function renderIptables(rs: ProxyRuleSet, opts: IptablesOptions = {}): RenderedRules {
  const v6 = rs.family === 6;
  const mark = `${rs.masqueradeMark}/${rs.masqueradeMark}`;
  const localhostNodePorts = opts.localhostNodePorts ?? true;
  const nfacct = opts.nfacct ?? true;
  const filter = new Table();
  const nat = new Table();

  // KUBE-FIREWALL guards 127.0.0.0/8 once route_localnet lets localhost NodePorts in: IPv4 only.
  const localnetFirewall = !v6 && localhostNodePorts;
  for (const c of [
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-FORWARD',
    'KUBE-NODEPORTS',
    'KUBE-PROXY-FIREWALL',
  ])
    filter.chain(c);
  // With the jumps, the chain exists whatever the family: kube-proxy ensures it, and the kubelet's jumps.
  if (localnetFirewall || opts.withJumps) filter.chain('KUBE-FIREWALL');
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) nat.chain(c);

  if (opts.withJumps) writeJumps(filter, nat);

  nat.rule('-A KUBE-POSTROUTING -m mark !', `--mark ${mark}`, '-j RETURN');
  nat.rule('-A KUBE-POSTROUTING -j MARK --xor-mark', rs.masqueradeMark);
  nat.rule(
    '-A KUBE-POSTROUTING -m comment --comment',
    q('kubernetes service traffic requiring SNAT'),
    (opts.randomFully ?? true) ? '-j MASQUERADE --random-fully' : '-j MASQUERADE',
  );
  nat.rule('-A KUBE-MARK-MASQ -j MARK --or-mark', rs.masqueradeMark);
  if (localnetFirewall) {
    filter.rule(
      '-A KUBE-FIREWALL -m comment --comment',
      q('block incoming localnet connections'),
      '-d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    );
  }

  // Localhost NodePorts are counted when accounting is there (IPv4 only: IPv6 has no route_localnet).
  const countLocalhost = !v6 && localhostNodePorts && nfacct;
  // Past 1,000 endpoints kube-proxy drops the comments of the endpoint rules (its "large cluster mode").
  let endpoints = 0;
  for (const sp of rs.servicePorts) endpoints += sp.endpoints.length;
  const large = endpoints > LARGE_CLUSTER_ENDPOINTS;
  for (const sp of rs.servicePorts) writeServicePort({ rs, filter, nat, countLocalhost, large }, sp);

  const nodePortDest = v6
    ? '-m addrtype --dst-type LOCAL ! -d ::1/128'
    : localhostNodePorts
      ? '-m addrtype --dst-type LOCAL'
      : '-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8';
  nat.rule(
    '-A KUBE-SERVICES -m comment --comment',
    q('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
    nodePortDest,
    '-j KUBE-NODEPORTS',
  );
  filter.rule(
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID',
    ...(nfacct ? [`-m nfacct --nfacct-name ${NFACCT_INVALID_DROPPED}`] : []),
    '-j DROP',
  );
  filter.rule(
    '-A KUBE-FORWARD -m comment --comment',
    q('kubernetes forwarding rules'),
    `-m mark --mark ${mark} -j ACCEPT`,
  );
  filter.rule(
    '-A KUBE-FORWARD -m comment --comment',
    q('kubernetes forwarding conntrack rule'),
    '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  );

  const text = [
    '*filter',
    ...filter.chains,
    ...filter.rules,
    'COMMIT',
    '*nat',
    ...nat.chains,
    ...nat.rules,
    'COMMIT',
    '',
  ].join('\n');
  const ruleCount = filter.rules.length + nat.rules.length;
  return assemble('iptables', [{ tool: v6 ? 'ip6tables-restore' : 'iptables-restore', text, ruleCount }]);
}

/**
 * The jumps kube-proxy ensures from the built-in chains on each full sync (not part of its restore
 * input). Each is inserted at the head of its chain when missing, so a clean chain ends up with them in
 * the reverse of kube-proxy's list; they are written here in that final order. The kubelet's
 * KUBE-FIREWALL jumps, which kube-proxy also ensures, come last in its list and so first in the chains.
 */
function writeJumps(filter: Table, nat: Table): void {
  const NEW = '-m conntrack --ctstate NEW';
  const jump = (t: Table, from: string, state: string, text: string, to: string): void =>
    t.rule(`-A ${from}`, ...(state ? [state] : []), '-m comment --comment', q(text), `-j ${to}`);
  const LB_FIREWALL = 'kubernetes load balancer firewall';
  const EXTERNAL = 'kubernetes externally-visible service portals';
  const PORTALS = 'kubernetes service portals';
  filter.rule('-A INPUT -j KUBE-FIREWALL');
  jump(filter, 'INPUT', NEW, LB_FIREWALL, 'KUBE-PROXY-FIREWALL');
  jump(filter, 'INPUT', '', 'kubernetes health check service ports', 'KUBE-NODEPORTS');
  jump(filter, 'INPUT', NEW, EXTERNAL, 'KUBE-EXTERNAL-SERVICES');
  jump(filter, 'FORWARD', NEW, LB_FIREWALL, 'KUBE-PROXY-FIREWALL');
  jump(filter, 'FORWARD', '', 'kubernetes forwarding rules', 'KUBE-FORWARD');
  jump(filter, 'FORWARD', NEW, PORTALS, 'KUBE-SERVICES');
  jump(filter, 'FORWARD', NEW, EXTERNAL, 'KUBE-EXTERNAL-SERVICES');
  filter.rule('-A OUTPUT -j KUBE-FIREWALL');
  jump(filter, 'OUTPUT', NEW, LB_FIREWALL, 'KUBE-PROXY-FIREWALL');
  jump(filter, 'OUTPUT', NEW, PORTALS, 'KUBE-SERVICES');
  jump(nat, 'OUTPUT', '', PORTALS, 'KUBE-SERVICES');
  jump(nat, 'PREROUTING', '', PORTALS, 'KUBE-SERVICES');
  jump(nat, 'POSTROUTING', '', 'kubernetes postrouting rules', 'KUBE-POSTROUTING');
}

interface Ctx {
  readonly rs: ProxyRuleSet;
  readonly filter: Table;
  readonly nat: Table;
  /** Write the nfacct-counted localhost NodePort rules. */
  readonly countLocalhost: boolean;
  /** Large cluster mode: endpoint rules without comments. */
  readonly large: boolean;
}

function writeServicePort(ctx: Ctx, sp: ProxyServicePort): void {
  const { rs, filter, nat, countLocalhost } = ctx;
  const p = proto(sp);
  const name = sp.id;
  const chains = servicePortChains(sp.id, sp.protocol);
  const match = `-m ${p} -p ${p}`;
  const hasEndpoints = sp.hasEndpoints;
  const hasInternal = sp.hasInternalEndpoints;
  const hasExternal = sp.hasExternalEndpoints;
  const usesClusterChain = sp.clusterEndpoints.length > 0 && sp.usesClusterEndpoints;
  const usesLocalChain = sp.localEndpoints.length > 0 && sp.usesLocalEndpoints;
  const internalChain = sp.internalPolicyLocal ? chains.svl : chains.svc;
  const externalPolicyChain = sp.externalPolicyLocal ? chains.svl : chains.svc;
  const usesFw = hasEndpoints && sp.loadBalancerIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const lbChain = usesFw ? chains.fw : chains.ext;

  let internalTarget = '';
  let internalComment = '';
  let externalTarget = '';
  let externalComment = '';
  if (!hasEndpoints) {
    internalTarget = externalTarget = 'REJECT';
    internalComment = externalComment = q(`${name} has no endpoints`);
  } else {
    if (!hasInternal) {
      internalTarget = 'DROP';
      internalComment = q(`${name} has no local endpoints`);
    }
    if (!hasExternal) {
      externalTarget = 'DROP';
      externalComment = q(`${name} has no local endpoints`);
    }
  }

  /** A rule catching the service port on one address: `-d ip --dport port`. */
  const capture = (t: Table, chain: string, text: string, ip: string, target: string): void =>
    t.rule(`-A ${chain} -m comment --comment`, text, match, `-d ${ip} --dport ${sp.port}`, `-j ${target}`);

  // The ClusterIP.
  if (hasInternal) capture(nat, 'KUBE-SERVICES', q(`${name} cluster IP`), sp.clusterIP, internalChain);
  else capture(filter, 'KUBE-SERVICES', internalComment, sp.clusterIP, internalTarget);

  // External IPs.
  for (const ip of sp.externalIPs) {
    if (hasEndpoints) capture(nat, 'KUBE-SERVICES', q(`${name} external IP`), ip, chains.ext);
    if (!hasExternal) capture(filter, 'KUBE-EXTERNAL-SERVICES', externalComment, ip, externalTarget);
  }

  // LoadBalancer ingress IPs.
  for (const ip of sp.loadBalancerIPs) {
    if (hasEndpoints) capture(nat, 'KUBE-SERVICES', q(`${name} loadbalancer IP`), ip, lbChain);
    if (usesFw)
      capture(filter, 'KUBE-PROXY-FIREWALL', q(`${name} traffic not accepted by ${chains.fw}`), ip, 'DROP');
  }
  if (!hasExternal) {
    for (const ip of sp.loadBalancerIPs)
      capture(filter, 'KUBE-EXTERNAL-SERVICES', externalComment, ip, externalTarget);
  }

  // The NodePort.
  if (sp.nodePort !== 0) {
    if (hasEndpoints) {
      if (countLocalhost) {
        nat.rule(
          '-A KUBE-NODEPORTS -m comment --comment',
          comment(name),
          match,
          `-d 127.0.0.0/8 --dport ${sp.nodePort}`,
          `-m nfacct --nfacct-name ${NFACCT_LOCALHOST_NODEPORTS}`,
          `-j ${chains.ext}`,
        );
      }
      nat.rule(
        '-A KUBE-NODEPORTS -m comment --comment',
        comment(name),
        match,
        `--dport ${sp.nodePort}`,
        `-j ${chains.ext}`,
      );
    }
    if (!hasExternal) {
      filter.rule(
        '-A KUBE-EXTERNAL-SERVICES -m comment --comment',
        externalComment,
        '-m addrtype --dst-type LOCAL',
        match,
        `--dport ${sp.nodePort}`,
        `-j ${externalTarget}`,
      );
    }
  }

  // The health-check NodePort.
  if (sp.healthCheckNodePort !== 0) {
    filter.rule(
      '-A KUBE-NODEPORTS -m comment --comment',
      q(`${name} health check node port`),
      '-m tcp -p tcp',
      `--dport ${sp.healthCheckNodePort}`,
      '-j ACCEPT',
    );
  }

  // Masquerade traffic to the ClusterIP from outside the cluster.
  if (hasInternal) {
    const args = `-m comment --comment ${q(`${name} cluster IP`)} ${match} -d ${sp.clusterIP} --dport ${sp.port}`;
    if (rs.masqueradeAll) nat.rule(`-A ${internalChain}`, args, '-j KUBE-MARK-MASQ');
    else if (rs.clusterCidr)
      nat.rule(`-A ${internalChain}`, args, `! -s ${rs.clusterCidr}`, '-j KUBE-MARK-MASQ');
  }

  // The external destinations chain.
  if (hasEndpoints && sp.externallyAccessible) {
    nat.chain(chains.ext);
    if (!sp.externalPolicyLocal) {
      nat.rule(
        `-A ${chains.ext} -m comment --comment`,
        q(`masquerade traffic for ${name} external destinations`),
        '-j KUBE-MARK-MASQ',
      );
    } else {
      if (rs.clusterCidr) {
        nat.rule(
          `-A ${chains.ext} -m comment --comment`,
          q(`pod traffic for ${name} external destinations`),
          `-s ${rs.clusterCidr}`,
          `-j ${chains.svc}`,
        );
      }
      nat.rule(
        `-A ${chains.ext} -m comment --comment`,
        q(`masquerade LOCAL traffic for ${name} external destinations`),
        '-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      );
      nat.rule(
        `-A ${chains.ext} -m comment --comment`,
        q(`route LOCAL traffic for ${name} external destinations`),
        `-m addrtype --src-type LOCAL -j ${chains.svc}`,
      );
    }
    if (hasExternal) nat.rule(`-A ${chains.ext}`, `-j ${externalPolicyChain}`);
  }

  // The LoadBalancer source-range firewall.
  if (usesFw) {
    nat.chain(chains.fw);
    const head = `-A ${chains.fw} -m comment --comment ${q(`${name} loadbalancer IP`)}`;
    for (const cidr of sp.loadBalancerSourceRanges) nat.rule(head, `-s ${cidr}`, `-j ${chains.ext}`);
    if (sp.sourceRangesHoldNode)
      for (const ip of sp.loadBalancerIPs) nat.rule(head, `-s ${ip}`, `-j ${chains.ext}`);
    nat.rule(
      `-A ${chains.fw} -m comment --comment`,
      q(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`),
    );
  }

  if (usesClusterChain) {
    nat.chain(chains.svc);
    writeBalancing(ctx, sp, chains.svc, sp.clusterEndpoints);
  }
  if (usesLocalChain) {
    nat.chain(chains.svl);
    writeBalancing(ctx, sp, chains.svl, sp.localEndpoints);
  }

  // One chain per endpoint this node may send to.
  for (const ep of sp.reachableEndpoints) {
    const sep = endpointChain(sp.id, sp.protocol, ep.endpoint);
    nat.chain(sep);
    const head = ctx.large ? `-A ${sep}` : `-A ${sep} -m comment --comment ${comment(name)}`;
    nat.rule(head, `-s ${ep.ip}`, '-j KUBE-MARK-MASQ');
    const affinity = sp.affinitySeconds > 0 ? ` -m recent --name ${sep} --set` : '';
    nat.rule(`${head}${affinity}`, match, `-j DNAT --to-destination ${ep.endpoint}`);
  }
}

function writeBalancing(
  ctx: Ctx,
  sp: ProxyServicePort,
  chain: string,
  endpoints: readonly ProxyEndpoint[],
): void {
  const seps = endpoints.map((ep) => endpointChain(sp.id, sp.protocol, ep.endpoint));
  const head = (ep: ProxyEndpoint): string =>
    ctx.large ? `-A ${chain}` : `-A ${chain} -m comment --comment ${q(`${sp.id} -> ${ep.endpoint}`)}`;
  if (sp.affinitySeconds > 0) {
    endpoints.forEach((ep, i) => {
      ctx.nat.rule(
        head(ep),
        `-m recent --name ${seps[i]!} --rcheck --seconds ${sp.affinitySeconds} --reap`,
        `-j ${seps[i]!}`,
      );
    });
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const stat = i < n - 1 ? [`-m statistic --mode random --probability ${probability(n - i)}`] : [];
    ctx.nat.rule(head(ep), ...stat, `-j ${seps[i]!}`);
  });
}
