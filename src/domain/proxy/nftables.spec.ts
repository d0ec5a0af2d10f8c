import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../model/types.js';
import {
  proxyService,
  proxySlice,
  ruleSetOf,
  TEST_NODE,
  upstreamOverallObjects,
} from '../../../test/factories/proxy-cluster.js';
import {
  nftEndpointChainBase,
  nftHashedName,
  nftQuote,
  nftServiceChainBase,
  renderNftables,
} from './nftables.js';
import type { ProxyRuleSet } from './service-ports.js';

/**
 * kube-proxy's `baseRules` (pkg/proxy/nftables/proxier_test.go, v1.34/v1.35 layout): the fixed part of
 * the table for IPv4 with the fake proxier's settings (node IP 192.168.0.2, service CIDR
 * 172.30.0.0/16, mark 0x4000). Copied verbatim as the expected output.
 */
const UPSTREAM_BASE_RULES = `
add table ip kube-proxy { comment "rules for kube-proxy" ; }

add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }

add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }

add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check

add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 172.30.0.0/16 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports

add element ip kube-proxy nodeport-ips { 192.168.0.2 }
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services
`;

/**
 * The per-service part of TestOverallNFTablesRules' expected text for svc1..svc6 (same file), verbatim.
 */
const UPSTREAM_OVERALL_SERVICES = `
# svc1
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }

add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80

add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }

# svc2
add chain ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80
add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 ip daddr 172.30.0.42 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 }
add chain ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 ip saddr 10.0.0.0/8 goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit pod traffic"
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit local traffic"
add chain ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80
add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80

add element ip kube-proxy cluster-ips { 172.30.0.42 }
add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 80 : goto service-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-ips { 192.168.99.22 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }

add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns2/svc2:p80" : drop }
add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }
add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : drop }

# svc3
add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80
add chain ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add element ip kube-proxy cluster-ips { 172.30.0.43 }
add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }

# svc4
add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 , 1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }
add chain ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 goto service-LAUZTJTB-ns4/svc4/tcp/p80
add chain ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80
add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 ip saddr 10.180.0.5 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 meta l4proto tcp dnat to 10.180.0.5:80
add chain ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80
add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80

add element ip kube-proxy cluster-ips { 172.30.0.44 }
add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }
add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-LAUZTJTB-ns4/svc4/tcp/p80 }

# svc5
add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add chain ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip daddr 172.30.0.45 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 goto service-HVFWP5L3-ns5/svc5/tcp/p80

add chain ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 update @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { ip saddr }
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop

add element ip kube-proxy cluster-ips { 172.30.0.45 }
add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3002 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }

# svc6
add element ip kube-proxy cluster-ips { 172.30.0.46 }
add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }
`;

/**
 * The comparison upstream's assertNFTablesTransactionEqual makes: blank and `#` lines dropped, then the
 * table, the chains, each chain's rules (in their order, chains sorted by name), the sets, the maps and
 * the elements, sorted where order carries no meaning.
 */
function canonical(text: string): string[] {
  const tables: string[] = [];
  const chains: string[] = [];
  const sets: string[] = [];
  const maps: string[] = [];
  const elements: string[] = [];
  const rules = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [verb, kind, , , name] = line.split(' ');
    if (verb !== 'add') throw new Error(`unexpected line: ${line}`);
    if (kind === 'table') tables.push(line);
    else if (kind === 'chain') chains.push(line);
    else if (kind === 'set') sets.push(line);
    else if (kind === 'map') maps.push(line);
    else if (kind === 'element') elements.push(line);
    else if (kind === 'rule') {
      const list = rules.get(name!) ?? [];
      list.push(line);
      rules.set(name!, list);
    } else throw new Error(`unexpected line: ${line}`);
  }
  const ruleLines = [...rules.keys()].sort().flatMap((c) => rules.get(c)!);
  return [...tables, ...chains.sort(), ...ruleLines, ...sets.sort(), ...maps.sort(), ...elements.sort()];
}

/** The text the service ports add after the fixed part. */
function serviceText(rs: ProxyRuleSet): string {
  const all = renderNftables(rs).text;
  const base = renderNftables({ ...rs, servicePorts: [] }).text;
  expect(all.startsWith(base)).toBe(true);
  return all.slice(base.length);
}

const local = (ip: string) => ({ ip, node: TEST_NODE });
const remote = (ip: string) => ({ ip, node: 'other-node' });

/** ns1/svc1: ClusterIP 172.30.0.41, port p80 (TCP 80), with `spec` merged in. */
function svc1(spec: Record<string, unknown> = {}): KubeObject {
  return proxyService('ns1', 'svc1', {
    spec: { clusterIP: '172.30.0.41', clusterIPs: ['172.30.0.41'], ...spec },
  });
}

// Chain names, each checked against kube-proxy's hash in the name tests below.
const SVC1 = 'service-ULMVA6XW-ns1/svc1/tcp/p80';
const LOCAL1 = 'local-ULMVA6XW-ns1/svc1/tcp/p80';
const EXT1 = 'external-ULMVA6XW-ns1/svc1/tcp/p80';
const EP1_1 = 'endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80';
const EP1_2 = 'endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80';
const EP1_3 = 'endpoint-WUHIZN2H-ns1/svc1/tcp/p80__10.180.0.3/80';

describe('renderNftables: upstream TestOverallNFTablesRules (v1.34/v1.35)', () => {
  const rendered = renderNftables(ruleSetOf(upstreamOverallObjects(), 4));

  it('writes the fixed objects line for line as upstream baseRules', () => {
    expect(rendered.text.startsWith(UPSTREAM_BASE_RULES.slice(1))).toBe(true);
  });

  it('equals upstream expected text for svc1..svc6 as upstream compares it', () => {
    expect(canonical(rendered.text)).toEqual(canonical(UPSTREAM_BASE_RULES + UPSTREAM_OVERALL_SERVICES));
  });

  it('counts add rule and add element lines', () => {
    const n = rendered.text.split('\n').filter((l) => /^add (rule|element) /.test(l)).length;
    expect(rendered.ruleCount).toBe(n);
    expect(rendered.mode).toBe('nftables');
    expect(rendered.sections).toEqual([{ tool: 'nft -f', text: rendered.text, ruleCount: n }]);
  });
});

describe('renderNftables: exact text', () => {
  it('a small cluster, whole file: fixed part, then chains before the rules and elements that use them', () => {
    const rs = ruleSetOf([svc1(), proxySlice('ns1', 'svc1', [local('10.180.0.1')])]);
    expect(renderNftables(rs).text).toBe(`${UPSTREAM_BASE_RULES.slice(1)}
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
`);
  });

  it('ClusterIP without endpoints: rejected through the no-endpoint map, no chains', () => {
    expect(serviceText(ruleSetOf([svc1()]))).toBe(`
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
`);
  });

  it('ClusterIP with two endpoints', () => {
    const rs = ruleSetOf([svc1(), proxySlice('ns1', 'svc1', ['10.180.0.2', '10.180.0.1'])]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy ${SVC1}
add chain ip kube-proxy ${EP1_1}
add chain ip kube-proxy ${EP1_2}
add rule ip kube-proxy ${SVC1} ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy ${SVC1} numgen random mod 2 vmap { 0 : goto ${EP1_1} , 1 : goto ${EP1_2} }
add rule ip kube-proxy ${EP1_1} ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_1} meta l4proto tcp dnat to 10.180.0.1:80
add rule ip kube-proxy ${EP1_2} ip saddr 10.180.0.2 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_2} meta l4proto tcp dnat to 10.180.0.2:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto ${SVC1} }
`);
  });

  it('ClusterIP with three endpoints: numgen mod 3 over the endpoints in ip:port order', () => {
    const rs = ruleSetOf([svc1(), proxySlice('ns1', 'svc1', ['10.180.0.3', '10.180.0.1', '10.180.0.2'])]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
add chain ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80
add chain ip kube-proxy endpoint-WUHIZN2H-ns1/svc1/tcp/p80__10.180.0.3/80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 3 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 , 1 : goto endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 , 2 : goto endpoint-WUHIZN2H-ns1/svc1/tcp/p80__10.180.0.3/80 }
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80
add rule ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-2ZNDXFAB-ns1/svc1/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80
add rule ip kube-proxy endpoint-WUHIZN2H-ns1/svc1/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-WUHIZN2H-ns1/svc1/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
`);
  });

  it('NodePort: an external chain that masquerades, the NodePort in service-nodeports', () => {
    const rs = ruleSetOf([
      svc1({ type: 'NodePort', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }] }),
      proxySlice('ns1', 'svc1', ['10.180.0.1']),
    ]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy ${SVC1}
add chain ip kube-proxy ${EXT1}
add chain ip kube-proxy ${EP1_1}
add rule ip kube-proxy ${SVC1} ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy ${SVC1} numgen random mod 1 vmap { 0 : goto ${EP1_1} }
add rule ip kube-proxy ${EXT1} jump mark-for-masquerade
add rule ip kube-proxy ${EXT1} goto ${SVC1}
add rule ip kube-proxy ${EP1_1} ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_1} meta l4proto tcp dnat to 10.180.0.1:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto ${SVC1} }
add element ip kube-proxy service-nodeports { tcp . 3001 : goto ${EXT1} }
`);
  });

  it('NodePort without endpoints: the ClusterIP and the NodePort are rejected', () => {
    const rs = ruleSetOf([
      svc1({ type: 'NodePort', ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }] }),
    ]);
    expect(serviceText(rs)).toBe(`
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : goto reject-chain }
add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns1/svc1:p80" : goto reject-chain }
`);
  });

  const etpLocal = () =>
    svc1({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
    });

  it('externalTrafficPolicy Local with a local endpoint: short-circuits, then the local chain', () => {
    const rs = ruleSetOf([
      etpLocal(),
      proxySlice('ns1', 'svc1', [local('10.180.0.2'), remote('10.180.0.1')]),
    ]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy ${SVC1}
add chain ip kube-proxy ${LOCAL1}
add chain ip kube-proxy ${EXT1}
add chain ip kube-proxy ${EP1_1}
add chain ip kube-proxy ${EP1_2}
add rule ip kube-proxy ${SVC1} ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy ${SVC1} numgen random mod 2 vmap { 0 : goto ${EP1_1} , 1 : goto ${EP1_2} }
add rule ip kube-proxy ${LOCAL1} numgen random mod 1 vmap { 0 : goto ${EP1_2} }
add rule ip kube-proxy ${EXT1} ip saddr 10.0.0.0/8 goto ${SVC1} comment "short-circuit pod traffic"
add rule ip kube-proxy ${EXT1} fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy ${EXT1} fib saddr type local goto ${SVC1} comment "short-circuit local traffic"
add rule ip kube-proxy ${EXT1} goto ${LOCAL1}
add rule ip kube-proxy ${EP1_1} ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_1} meta l4proto tcp dnat to 10.180.0.1:80
add rule ip kube-proxy ${EP1_2} ip saddr 10.180.0.2 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_2} meta l4proto tcp dnat to 10.180.0.2:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto ${SVC1} }
add element ip kube-proxy service-nodeports { tcp . 3001 : goto ${EXT1} }
`);
  });

  it('externalTrafficPolicy Local without a local endpoint: no local chain, external traffic dropped', () => {
    const rs = ruleSetOf([etpLocal(), proxySlice('ns1', 'svc1', [remote('10.180.0.1')])]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy ${SVC1}
add chain ip kube-proxy ${EXT1}
add chain ip kube-proxy ${EP1_1}
add rule ip kube-proxy ${SVC1} ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy ${SVC1} numgen random mod 1 vmap { 0 : goto ${EP1_1} }
add rule ip kube-proxy ${EXT1} ip saddr 10.0.0.0/8 goto ${SVC1} comment "short-circuit pod traffic"
add rule ip kube-proxy ${EXT1} fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy ${EXT1} fib saddr type local goto ${SVC1} comment "short-circuit local traffic"
add rule ip kube-proxy ${EP1_1} ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_1} meta l4proto tcp dnat to 10.180.0.1:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto ${SVC1} }
add element ip kube-proxy service-nodeports { tcp . 3001 : goto ${EXT1} }
add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns1/svc1:p80" : drop }
`);
  });

  it('internalTrafficPolicy Local without a local endpoint: the ClusterIP drops', () => {
    const rs = ruleSetOf([
      svc1({ internalTrafficPolicy: 'Local' }),
      proxySlice('ns1', 'svc1', [remote('10.180.0.1')]),
    ]);
    expect(serviceText(rs)).toBe(`
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy no-endpoint-services { 172.30.0.41 . tcp . 80 comment "ns1/svc1:p80" : drop }
`);
  });

  it('internalTrafficPolicy Local with a local endpoint: the local chain takes the ClusterIP and its masquerade rule', () => {
    const rs = ruleSetOf([
      svc1({ internalTrafficPolicy: 'Local' }),
      proxySlice('ns1', 'svc1', [local('10.180.0.1'), remote('10.180.0.2')]),
    ]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy ${LOCAL1}
add chain ip kube-proxy ${EP1_1}
add rule ip kube-proxy ${LOCAL1} ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy ${LOCAL1} numgen random mod 1 vmap { 0 : goto ${EP1_1} }
add rule ip kube-proxy ${EP1_1} ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_1} meta l4proto tcp dnat to 10.180.0.1:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto ${LOCAL1} }
`);
  });

  it('session affinity: a timeout set per endpoint, checked before load balancing, updated on DNAT', () => {
    const rs = ruleSetOf([
      proxyService('ns5', 'svc5', {
        spec: { clusterIP: '172.30.0.45', clusterIPs: ['172.30.0.45'], sessionAffinity: 'ClientIP' },
      }),
      proxySlice('ns5', 'svc5', ['10.180.0.4', '10.180.0.3']),
    ]);
    expect(serviceText(rs)).toBe(`
add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add set ip kube-proxy affinity-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add chain ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80
add chain ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add chain ip kube-proxy endpoint-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip daddr 172.30.0.45 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 goto endpoint-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 , 1 : goto endpoint-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 }
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 update @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { ip saddr }
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80
add rule ip kube-proxy endpoint-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 update @affinity-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 { ip saddr }
add rule ip kube-proxy endpoint-PCTS6QRA-ns5/svc5/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80
add element ip kube-proxy cluster-ips { 172.30.0.45 }
add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-HVFWP5L3-ns5/svc5/tcp/p80 }
`);
  });

  it('session affinity: the configured timeout', () => {
    const rs = ruleSetOf([
      svc1({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } }),
      proxySlice('ns1', 'svc1', ['10.180.0.1']),
    ]);
    expect(serviceText(rs)).toContain(
      `add set ip kube-proxy affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 600s ; }`,
    );
  });

  const lbWithRanges = (ranges: string[]) =>
    proxyService('ns5', 'svc5', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.45',
        clusterIPs: ['172.30.0.45'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3002 }],
        loadBalancerSourceRanges: ranges,
      },
      status: { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
    });

  it('loadBalancerSourceRanges holding the node IP: the LB IPs are allowed sources too', () => {
    const rs = ruleSetOf([
      lbWithRanges(['192.168.0.0/24', '203.0.113.0/25']),
      proxySlice('ns5', 'svc5', ['10.180.0.3']),
    ]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80
add chain ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80
add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80
add chain ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip daddr 172.30.0.45 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 }
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 goto service-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 192.168.0.0/24 , 203.0.113.0/25 , 5.6.7.8 } drop
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80
add element ip kube-proxy cluster-ips { 172.30.0.45 }
add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3002 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
`);
  });

  it('loadBalancerSourceRanges without endpoints: the firewall still filters, the rest is rejected', () => {
    const rs = ruleSetOf([lbWithRanges(['203.0.113.0/25'])]);
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop
add element ip kube-proxy cluster-ips { 172.30.0.45 }
add element ip kube-proxy no-endpoint-services { 172.30.0.45 . tcp . 80 comment "ns5/svc5:p80" : goto reject-chain }
add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy no-endpoint-services { 5.6.7.8 . tcp . 80 comment "ns5/svc5:p80" : goto reject-chain }
add element ip kube-proxy no-endpoint-nodeports { tcp . 3002 comment "ns5/svc5:p80" : goto reject-chain }
`);
  });

  it('terminating endpoints: used only when no endpoint is ready, and only the serving ones', () => {
    const onlyTerminating = ruleSetOf([
      svc1(),
      proxySlice('ns1', 'svc1', [
        { ip: '10.180.0.1', ready: false, serving: true, terminating: true },
        { ip: '10.180.0.2', ready: false, serving: false, terminating: true },
      ]),
    ]);
    const oneReady = ruleSetOf([svc1(), proxySlice('ns1', 'svc1', ['10.180.0.1'])]);
    expect(serviceText(onlyTerminating)).toBe(serviceText(oneReady));
    expect(serviceText(onlyTerminating)).toContain(`numgen random mod 1 vmap { 0 : goto ${EP1_1} }`);

    const readyAndTerminating = ruleSetOf([
      svc1(),
      proxySlice('ns1', 'svc1', [
        { ip: '10.180.0.1', ready: false, serving: true, terminating: true },
        { ip: '10.180.0.3', ready: true },
      ]),
    ]);
    const text = serviceText(readyAndTerminating);
    expect(text).toContain(`numgen random mod 1 vmap { 0 : goto ${EP1_3} }`);
    expect(text).not.toContain(EP1_1);
  });

  it('masqueradeAll: every ClusterIP connection is masqueraded', () => {
    const rs = ruleSetOf([svc1(), proxySlice('ns1', 'svc1', ['10.180.0.1'])], 4, { masqueradeAll: true });
    expect(serviceText(rs)).toBe(`
add chain ip kube-proxy ${SVC1}
add chain ip kube-proxy ${EP1_1}
add rule ip kube-proxy ${SVC1} ip daddr 172.30.0.41 jump mark-for-masquerade
add rule ip kube-proxy ${SVC1} numgen random mod 1 vmap { 0 : goto ${EP1_1} }
add rule ip kube-proxy ${EP1_1} ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy ${EP1_1} meta l4proto tcp dnat to 10.180.0.1:80
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto ${SVC1} }
`);
  });

  it('without a cluster CIDR: no off-cluster masquerade rule and no pod short-circuit', () => {
    const rs = ruleSetOf([etpLocal(), proxySlice('ns1', 'svc1', [remote('10.180.0.1')])], 4, {
      clusterCidrs: [],
    });
    const text = serviceText(rs);
    expect(text).not.toContain('saddr != ');
    expect(text).not.toContain('short-circuit pod traffic');
    expect(text).toContain(
      `add rule ip kube-proxy ${EXT1} fib saddr type local goto ${SVC1} comment "short-circuit local traffic"`,
    );
  });

  it('an unnamed UDP port: the name ends in a slash, the comment is ns/svc', () => {
    const rs = ruleSetOf([svc1({ ports: [{ port: 53, protocol: 'UDP' }] })]);
    expect(serviceText(rs)).toBe(`
add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy no-endpoint-services { 172.30.0.41 . udp . 53 comment "ns1/svc1" : goto reject-chain }
`);
    const withEp = ruleSetOf([
      svc1({ ports: [{ port: 53, protocol: 'UDP' }] }),
      proxySlice('ns1', 'svc1', ['10.180.0.1'], { portName: '', port: 5353, protocol: 'UDP' }),
    ]);
    expect(serviceText(withEp)).toContain(
      'add rule ip kube-proxy endpoint-' +
        nftEndpointChainBase('ns1', 'svc1', 'UDP', '', '10.180.0.1', 5353) +
        ' meta l4proto udp dnat to 10.180.0.1:5353',
    );
    expect(serviceText(withEp)).toContain(
      `add element ip kube-proxy service-ips { 172.30.0.41 . udp . 53 : goto service-${nftServiceChainBase('ns1', 'svc1', 'UDP', '')} }`,
    );
  });
});

describe('renderNftables: NodePort addresses and service CIDR', () => {
  const rs = ruleSetOf([svc1(), proxySlice('ns1', 'svc1', ['10.180.0.1'])]);

  it('without a node IP of the family: no nodeport-ips set, NodePorts on every local non-loopback address', () => {
    const text = renderNftables({ ...rs, node: { ...rs.node, primaryIP: undefined } }).text;
    expect(text).not.toContain('nodeport-ips');
    expect(text).toContain(
      'add rule ip kube-proxy nodeport-endpoints-check ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports\n',
    );
    expect(text).toContain(
      'add rule ip kube-proxy services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports\n',
    );
  });

  it('without a service CIDR: no drop rule for unallocated ClusterIPs', () => {
    const text = renderNftables({ ...rs, serviceCidr: undefined }).text;
    expect(text).toContain('add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject');
    expect(text).not.toContain('Drop traffic to unallocated ClusterIPs');
  });
});

describe('renderNftables: IPv6', () => {
  /** A dual-stack NodePort Service with slices of both families. */
  const dualStack = (): KubeObject[] => [
    svc1({
      type: 'NodePort',
      clusterIPs: ['172.30.0.41', 'fd00:172:30::41'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
    }),
    proxySlice('ns1', 'svc1', ['10.180.0.1']),
    proxySlice('ns1', 'svc1', ['fd00:10:180::2:1', 'fd00:10:180::1'], { family: 6 }),
  ];

  it('the ip6 table: whole file', () => {
    expect(renderNftables(ruleSetOf(dualStack(), 6)).text)
      .toBe(`add table ip6 kube-proxy { comment "rules for kube-proxy" ; }

add set ip6 kube-proxy cluster-ips { type ipv6_addr ; comment "Active ClusterIPs" ; }
add set ip6 kube-proxy nodeport-ips { type ipv6_addr ; comment "IPs that accept NodePort traffic" ; }

add map ip6 kube-proxy firewall-ips { type ipv6_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip6 kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip6 kube-proxy no-endpoint-services { type ipv6_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip6 kube-proxy service-ips { type ipv6_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip6 kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }

add chain ip6 kube-proxy cluster-ips-check
add chain ip6 kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip6 kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip6 kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip6 kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip6 kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip6 kube-proxy firewall-check
add chain ip6 kube-proxy mark-for-masquerade
add chain ip6 kube-proxy masquerading
add chain ip6 kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip6 kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip6 kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip6 kube-proxy nodeport-endpoints-check
add chain ip6 kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip6 kube-proxy services
add chain ip6 kube-proxy service-endpoints-check

add rule ip6 kube-proxy cluster-ips-check ip6 daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip6 kube-proxy cluster-ips-check ip6 daddr { fd00:10:96::/112 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip6 kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip6 kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip6 kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip6 kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip6 kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip6 kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip6 kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip6 kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip6 kube-proxy firewall-check ip6 daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip6 kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip6 kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip6 kube-proxy masquerading mark set mark xor 0x4000
add rule ip6 kube-proxy masquerading masquerade fully-random
add rule ip6 kube-proxy nat-output jump services
add rule ip6 kube-proxy nat-postrouting jump masquerading
add rule ip6 kube-proxy nat-prerouting jump services
add rule ip6 kube-proxy nodeport-endpoints-check ip6 daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip6 kube-proxy reject-chain reject
add rule ip6 kube-proxy services ip6 daddr . meta l4proto . th dport vmap @service-ips
add rule ip6 kube-proxy services ip6 daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports

add element ip6 kube-proxy nodeport-ips { 2001:db8::1 }
add rule ip6 kube-proxy service-endpoints-check ip6 daddr . meta l4proto . th dport vmap @no-endpoint-services

add chain ip6 kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add chain ip6 kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80
add chain ip6 kube-proxy endpoint-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80
add chain ip6 kube-proxy endpoint-2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80
add rule ip6 kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip6 daddr fd00:172:30::41 ip6 saddr != fd00:10::/64 jump mark-for-masquerade
add rule ip6 kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80 , 1 : goto endpoint-2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80 }
add rule ip6 kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 jump mark-for-masquerade
add rule ip6 kube-proxy external-ULMVA6XW-ns1/svc1/tcp/p80 goto service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip6 kube-proxy endpoint-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80 ip6 saddr fd00:10:180::1 jump mark-for-masquerade
add rule ip6 kube-proxy endpoint-ZVRFLKHO-ns1/svc1/tcp/p80__fd00.10.180..1/80 meta l4proto tcp dnat to [fd00:10:180::1]:80
add rule ip6 kube-proxy endpoint-2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80 ip6 saddr fd00:10:180::2:1 jump mark-for-masquerade
add rule ip6 kube-proxy endpoint-2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80 meta l4proto tcp dnat to [fd00:10:180::2:1]:80
add element ip6 kube-proxy cluster-ips { fd00:172:30::41 }
add element ip6 kube-proxy service-ips { fd00:172:30::41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
add element ip6 kube-proxy service-nodeports { tcp . 3001 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }
`);
  });

  it('the ip table of the same Service sees only the IPv4 endpoint', () => {
    const text = serviceText(ruleSetOf(dualStack(), 4));
    expect(text).toContain(`add rule ip kube-proxy ${SVC1} numgen random mod 1 vmap { 0 : goto ${EP1_1} }`);
    expect(text).not.toContain('fd00');
  });

  it('IPv6 without a node IP of the family: the match-all NodePort rules exclude ::1', () => {
    const rs = ruleSetOf(dualStack(), 6);
    const text = renderNftables({ ...rs, node: { ...rs.node, primaryIP: undefined } }).text;
    expect(text).toContain(
      'add rule ip6 kube-proxy services fib daddr type local ip6 daddr != ::1 meta l4proto . th dport vmap @service-nodeports\n',
    );
  });
});

describe('chain names', () => {
  it.each([
    ['testing', 'service', 'tcp', 'http', 'P4ZYZVCF-testing/service/tcp/http'],
    ['testing', 'service', 'tcp', 'https', 'LZBRENCP-testing/service/tcp/https'],
    ['ns1', 'svc1', 'TCP', 'p80', 'ULMVA6XW-ns1/svc1/tcp/p80'],
    ['ns2', 'svc2', 'TCP', 'p80', '42NFTM6N-ns2/svc2/tcp/p80'],
    ['ns2', 'svc2', 'TCP', 'p8080', 'MHHHYRWA-ns2/svc2/tcp/p8080'],
    ['kproxy-lab', 'backend-api', 'TCP', 'http', 'YVSKLJHA-kproxy-lab/backend-api/tcp/http'],
    ['default', 'kubernetes', 'TCP', 'https', '2QRHZV4L-default/kubernetes/tcp/https'],
    [
      'very-long-namespace-name-abcdefghijklmnopqrstuvwxyz0123456789xx',
      'very-long-service-name-why-would-you-even-do-this-i-mean-really',
      'sctp',
      'port-443-providing-the-hypertext-transmission-protocol-with-tls',
      'KR6NACJP-very-long-namespace-name-abcdefghijklmnopqrstuvwxyz0123456789xx/very-long-service-name-why-would-you-even-do-this-i-mean-really/sctp/port-443-providing-the-hypertext-transmission-protocol-with-tls',
    ],
  ])('service port %s/%s/%s/%s', (ns, svc, proto, port, expected) => {
    expect(nftServiceChainBase(ns, svc, proto, port)).toBe(expected);
  });

  const LONG = [
    'very-long-namespace-name-abcdefghijklmnopqrstuvwxyz0123456789xx',
    'very-long-service-name-why-would-you-even-do-this-i-mean-really',
    'sctp',
    'port-443-providing-the-hypertext-transmission-protocol-with-tls',
  ] as const;
  const LONG_NAME =
    'very-long-namespace-name-abcdefghijklmnopqrstuvwxyz0123456789xx/very-long-service-name-why-would-you-even-do-this-i-mean-really/sctp/port-443-providing-the-hypertext-transmission-protocol-with-tls';

  it.each([
    [
      ['testing', 'service', 'tcp', 'http'],
      '10.180.0.1',
      80,
      'JO2XBXZR-testing/service/tcp/http__10.180.0.1/80',
    ],
    [
      ['testing', 'service', 'tcp', 'http'],
      '10.180.0.2',
      80,
      '5S6H3H22-testing/service/tcp/http__10.180.0.2/80',
    ],
    [
      ['testing', 'service', 'tcp', 'http'],
      'fd80:abcd:12::a1b2:c3d4:e5f6:9999',
      80,
      'U7E2ET36-testing/service/tcp/http__fd80.abcd.12..a1b2.c3d4.e5f6.9999/80',
    ],
    [['ns1', 'svc1', 'tcp', 'p80'], '10.180.0.1', 80, '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80'],
    [['ns5', 'svc5', 'tcp', 'p80'], '10.180.0.3', 80, 'GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80'],
    [['ns4', 'svc4', 'tcp', 'p80'], '10.180.0.4', 80, 'UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80'],
    [['ns2', 'svc2', 'tcp', 'p8080'], '10.0.2.1', 8080, '7RVP4LUQ-ns2/svc2/tcp/p8080__10.0.2.1/8080'],
    [['ns1', 'svc1', 'tcp', 'p80'], 'fd00:10:180::2:1', 80, '2CRNCTTE-ns1/svc1/tcp/p80__fd00.10.180..2.1/80'],
    [LONG, '1234:5678:9abc:def0::abc:1234', 443, `5YS7AFEA-${LONG_NAME}__1234.5678.9abc.def0..abc.1234/443`],
    // Longer than 240 characters: cut to 237 plus "...", the hash still telling the two apart.
    [
      LONG,
      '1234:5678:9abc:def0::abcd:1234:5678',
      443,
      `CI6C53Q3-${LONG_NAME}__1234.5678.9abc.def0..abcd.1234...`,
    ],
    [
      LONG,
      '1234:5678:9abc:def0::abcd:1234:8765',
      443,
      `2FLXFK6X-${LONG_NAME}__1234.5678.9abc.def0..abcd.1234...`,
    ],
  ] as const)('endpoint %j %s port %d', (sp, ip, port, expected) => {
    const name = nftEndpointChainBase(sp[0], sp[1], sp[2], sp[3], ip, port);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(240);
  });

  it('truncates only past 240 characters', () => {
    expect(nftHashedName('x'.repeat(231))).toHaveLength(240);
    expect(nftHashedName('x'.repeat(232))).toHaveLength(240);
    expect(nftHashedName('x'.repeat(232)).endsWith('x...')).toBe(true);
  });
});

describe('nftQuote', () => {
  it.each([
    ['ns1/svc1:p80', '"ns1/svc1:p80"'],
    ['a "quoted" word', '"a \\"quoted\\" word"'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\tnewline\n', '"tab\\tnewline\\n"'],
    ['\u0001', '"\\x01"'],
  ])('%j -> %s', (input, expected) => {
    expect(nftQuote(input)).toBe(expected);
  });
});

describe('renderNftables: input nft accepts as a whole', () => {
  const shared = (name: string, clusterIP: string, endpoints: string[]): KubeObject[] => [
    proxyService('default', name, {
      spec: { clusterIP, clusterIPs: [clusterIP], externalIPs: ['198.51.100.250'] },
    }),
    ...(endpoints.length ? [proxySlice('default', name, endpoints)] : []),
  ];

  it('writes one element per map key: the later of two services claiming one external IP and port wins', () => {
    const text = renderNftables(
      ruleSetOf([...shared('a', '10.96.0.1', ['10.244.1.5']), ...shared('b', '10.96.0.2', ['10.244.1.6'])]),
    ).text;
    const claims = text.split('\n').filter((l) => l.includes('service-ips { 198.51.100.250 . tcp . 80 '));
    expect(claims).toEqual([
      `add element ip kube-proxy service-ips { 198.51.100.250 . tcp . 80 : goto external-${nftServiceChainBase('default', 'b', 'tcp', 'p80')} }`,
    ]);
  });

  it('lists a ClusterIP with several ports once in cluster-ips, and counts it once', () => {
    const svc = proxyService('default', 'multi', {
      spec: {
        clusterIP: '10.96.0.3',
        clusterIPs: ['10.96.0.3'],
        ports: [
          { name: 'a', port: 80, protocol: 'TCP' },
          { name: 'b', port: 81, protocol: 'TCP' },
        ],
      },
    });
    const r = renderNftables(ruleSetOf([svc]));
    const lines = r.text.split('\n');
    expect(lines.filter((l) => l === 'add element ip kube-proxy cluster-ips { 10.96.0.3 }')).toHaveLength(1);
    expect(r.ruleCount).toBe(
      lines.filter((l) => l.startsWith('add rule ') || l.startsWith('add element ')).length,
    );
  });

  it('cuts element comments to the 128 bytes nft accepts', () => {
    const ns = 'n'.repeat(63);
    const name = 's'.repeat(49);
    const port = 'p'.repeat(15);
    const svc = proxyService(ns, name, {
      spec: {
        clusterIP: '10.96.0.4',
        clusterIPs: ['10.96.0.4'],
        ports: [{ name: port, port: 80, protocol: 'TCP' }],
      },
    });
    const line = renderNftables(ruleSetOf([svc]))
      .text.split('\n')
      .find((l) => l.startsWith('add element ip kube-proxy no-endpoint-services'))!;
    const comment = /comment "([^"]*)"/.exec(line)![1]!;
    expect(comment).toHaveLength(128);
    expect(`${ns}/${name}:${port}`.startsWith(comment)).toBe(true);
  });
});
