import { describe, expect, it } from '@jest/globals';
import {
  proxyService,
  proxySlice,
  ruleSetOf,
  TEST_NODE,
  upstreamOverallObjects,
} from '../../../test/factories/proxy-cluster.js';
import type { KubeObject } from '../model/types.js';
import {
  endpointChain,
  LARGE_CLUSTER_ENDPOINTS,
  probability,
  renderIptables,
  servicePortChains,
} from './iptables.js';

/**
 * TestOverallIPTablesRules' expected text (kubernetes pkg/proxy/iptables/proxier_test.go), for the
 * cluster `upstreamOverallObjects` rebuilds. Upstream's fake proxier has both nfacct counters and no
 * --random-fully, and uses the mark 0x4000.
 */
const UPSTREAM_OVERALL = `*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
:KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
:KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT`;

/**
 * Upstream's test normaliser (sortIPTablesRules): tables in name order; in each, every chain line,
 * then the rules grouped by chain, KUBE-NODEPORTS and KUBE-SERVICES first and the other chains by
 * name; rules keep their order within a chain, except that the rules of KUBE-NODEPORTS and
 * KUBE-SERVICES are stable-sorted by the service name of their comment, the "must be the last rule"
 * rule kept last.
 */
function normalise(text: string): string {
  const tables: { name: string; chains: string[]; rules: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line === 'COMMIT') continue;
    if (line.startsWith('*')) tables.push({ name: line.slice(1), chains: [], rules: [] });
    else if (line.startsWith(':')) tables.at(-1)!.chains.push(line.slice(1).split(' ')[0]!);
    else tables.at(-1)!.rules.push(line);
  }
  const rank = (c: string): string =>
    c === 'KUBE-NODEPORTS' ? '0' : c === 'KUBE-SERVICES' ? '1' : c.startsWith('KUBE-') ? `2${c}` : `3${c}`;
  const byRank = (a: string, b: string): number => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0);
  const serviceOf = (rule: string): string => {
    if (rule.includes('must be the last rule')) return '\uffff';
    const m = / --comment "?([^ ":]*)/.exec(rule);
    return m ? m[1]! : '';
  };
  const out: string[] = [];
  for (const t of [...tables].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out.push(`*${t.name}`);
    const chains = [...t.chains].sort(byRank);
    for (const c of chains) out.push(`:${c} - [0:0]`);
    for (const c of chains) {
      let rules = t.rules.filter((r) => r.split(' ')[1] === c);
      if (c === 'KUBE-NODEPORTS' || c === 'KUBE-SERVICES') {
        rules = rules
          .map((r, i) => ({ r, i }))
          .sort((a, b) => {
            const x = serviceOf(a.r);
            const y = serviceOf(b.r);
            return x < y ? -1 : x > y ? 1 : a.i - b.i;
          })
          .map((x) => x.r);
      }
      out.push(...rules);
    }
    out.push('COMMIT');
  }
  return out.join('\n');
}

const upstreamText = (objects: readonly KubeObject[], family: 4 | 6 = 4) =>
  renderIptables(ruleSetOf(objects, family), { nfacct: true, randomFully: false }).text;

/** The nat rules of the text (or of one chain), as lines. */
function natRules(text: string, chain?: string): string[] {
  const nat = text.slice(text.indexOf('*nat'));
  return nat.split('\n').filter((l) => l.startsWith('-A ') && (!chain || l.split(' ')[1] === chain));
}

describe('chain names', () => {
  it.each([
    // ServicePortName.String() + lower-case protocol, from upstream's expected text.
    ['ns1/svc1:p80', 'TCP', 'XPGD46QRK7WJZT7O'],
    ['ns2/svc2:p80', 'TCP', 'GNZBNJ2PO5MGZ6GT'],
    ['ns3/svc3:p80', 'TCP', 'X27LE4BHSL4DOUIK'],
    ['ns4/svc4:p80', 'TCP', '4SW47YFZTEDKD3PK'],
    ['ns5/svc5:p80', 'TCP', 'NUKIZ6OKUXPJNT4C'],
    ['ns2/svc2:p8080', 'TCP', '2VJB64SDSIJUP5T6'],
  ])('%s/%s hashes to %s for every per-port chain', (id, proto, hash) => {
    expect(servicePortChains(id, proto)).toEqual({
      svc: `KUBE-SVC-${hash}`,
      svl: `KUBE-SVL-${hash}`,
      ext: `KUBE-EXT-${hash}`,
      fw: `KUBE-FW-${hash}`,
    });
  });

  it.each([
    ['ns1/svc1:p80', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['ns2/svc2:p80', '10.180.0.2:80', 'KUBE-SEP-RS4RBKLTHTF2IUXJ'],
    ['ns3/svc3:p80', '10.180.0.3:80', 'KUBE-SEP-OYPFS5VJICHGATKP'],
    ['ns4/svc4:p80', '10.180.0.4:80', 'KUBE-SEP-UKSFD7AGPMPPLUHC'],
    ['ns4/svc4:p80', '10.180.0.5:80', 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
    ['ns5/svc5:p80', '10.180.0.3:80', 'KUBE-SEP-I77PXRDZVX7PMWMN'],
    ['ns1/svc1:p80', '10.0.1.1:80', 'KUBE-SEP-SNQ3ZNILQDEJNDQO'],
    ['ns2/svc2:p8080', '10.0.2.1:8080', 'KUBE-SEP-UHEGFW77JX3KXTOV'],
    ['ns3/svc3:p80', '10.0.3.2:80', 'KUBE-SEP-DKCFIS26GWF2WLWC'],
    ['ns3/svc3:p80', '10.0.3.3:80', 'KUBE-SEP-JVVZVJ7BSEPPRNBS'],
  ])('%s -> %s is %s', (id, ep, chain) => {
    expect(endpointChain(id, 'TCP', ep)).toBe(chain);
  });

  it('hashes the protocol: one port number over TCP and UDP gets two chains', () => {
    expect(servicePortChains('kube-system/kube-dns:dns', 'UDP').svc).not.toBe(
      servicePortChains('kube-system/kube-dns:dns', 'TCP').svc,
    );
  });
});

describe('probability (Go %0.10f of 1/n)', () => {
  it.each([
    [1, '1.0000000000'],
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [6, '0.1666666667'],
    [7, '0.1428571429'],
    [10, '0.1000000000'],
    [100, '0.0100000000'],
    [1000, '0.0010000000'],
    [10000, '0.0001000000'],
    [100000, '0.0000100000'],
    [100001, '0.0000099999'],
    // 1/2048 = 0.00048828125 exactly: a tie, which Go rounds to even and toFixed rounds up.
    [2048, '0.0004882812'],
    [4096, '0.0002441406'],
  ])('1/%i is %s', (n, text) => {
    expect(probability(n)).toBe(text);
  });
});

describe('renderIptables: upstream TestOverallIPTablesRules', () => {
  it('writes, once normalised as upstream compares, exactly the text upstream expects', () => {
    expect(normalise(upstreamText(upstreamOverallObjects()))).toBe(UPSTREAM_OVERALL);
  });

  it('counts every -A line of both tables', () => {
    const r = renderIptables(ruleSetOf(upstreamOverallObjects()), { nfacct: true, randomFully: false });
    expect(r.ruleCount).toBe(UPSTREAM_OVERALL.split('\n').filter((l) => l.startsWith('-A ')).length);
    expect(r.bytes).toBe(r.text.length);
    expect(r.sections.map((s) => s.tool)).toEqual(['iptables-restore']);
  });

  it("writes in kube-proxy's own order: fixed chains, POSTROUTING and MARK-MASQ, services, the NodePort jump last", () => {
    const text = renderIptables(ruleSetOf(upstreamOverallObjects())).text;
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      '*filter',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-EXTERNAL-SERVICES - [0:0]',
      ':KUBE-FORWARD - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-PROXY-FIREWALL - [0:0]',
      ':KUBE-FIREWALL - [0:0]',
    ]);
    const nat = natRules(text);
    expect(nat.slice(0, 4)).toEqual([
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    ]);
    expect(nat.at(-1)).toContain('must be the last rule in this chain');
    // Every chain a rule jumps to is declared in its table, and every declared service chain is used.
    const declared = new Set(lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]));
    for (const r of lines.filter((l) => l.startsWith('-A '))) {
      const target = / -j (KUBE-[A-Z0-9-]+)/.exec(r)?.[1];
      if (target) expect(declared).toContain(target);
    }
  });
});

describe('renderIptables: one ClusterIP service', () => {
  const svc = proxyService('default', 'web', {
    spec: { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] },
  });
  const text = (ips: readonly string[]) =>
    renderIptables(ruleSetOf(ips.length ? [svc, proxySlice('default', 'web', ips)] : [svc]), {
      nfacct: false,
    }).text;
  const { svc: SVC } = servicePortChains('default/web:p80', 'TCP');
  const sep = (ep: string) => endpointChain('default/web:p80', 'TCP', ep);

  it('with no endpoints: REJECT in filter KUBE-SERVICES, no nat chain', () => {
    const t = text([]);
    expect(t).toBe(
      [
        '*filter',
        ':KUBE-SERVICES - [0:0]',
        ':KUBE-EXTERNAL-SERVICES - [0:0]',
        ':KUBE-FORWARD - [0:0]',
        ':KUBE-NODEPORTS - [0:0]',
        ':KUBE-PROXY-FIREWALL - [0:0]',
        ':KUBE-FIREWALL - [0:0]',
        '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
        '-A KUBE-SERVICES -m comment --comment "default/web:p80 has no endpoints" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j REJECT',
        '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        'COMMIT',
        '*nat',
        ':KUBE-SERVICES - [0:0]',
        ':KUBE-NODEPORTS - [0:0]',
        ':KUBE-POSTROUTING - [0:0]',
        ':KUBE-MARK-MASQ - [0:0]',
        '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
        '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('with one endpoint: the cluster IP jump, masquerade from outside the cluster CIDR, one SEP', () => {
    const s1 = sep('10.244.1.5:80');
    expect(natRules(text(['10.244.1.5']))).toEqual([
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      `-A KUBE-SERVICES -m comment --comment "default/web:p80 cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j ${SVC}`,
      `-A ${SVC} -m comment --comment "default/web:p80 cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "default/web:p80 -> 10.244.1.5:80" -j ${s1}`,
      `-A ${s1} -m comment --comment default/web:p80 -s 10.244.1.5 -j KUBE-MARK-MASQ`,
      `-A ${s1} -m comment --comment default/web:p80 -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:80`,
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]);
    expect(text(['10.244.1.5'])).toContain(`:${SVC} - [0:0]\n:${s1} - [0:0]\n`);
  });

  it('with two endpoints: 1/2 then the rest, endpoints in ip:port text order', () => {
    expect(natRules(text(['10.244.1.6', '10.244.1.10']), SVC)).toEqual([
      `-A ${SVC} -m comment --comment "default/web:p80 cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "default/web:p80 -> 10.244.1.10:80" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.244.1.10:80')}`,
      `-A ${SVC} -m comment --comment "default/web:p80 -> 10.244.1.6:80" -j ${sep('10.244.1.6:80')}`,
    ]);
  });

  it('with three endpoints: 1/3, 1/2, then the rest', () => {
    const eps = ['10.244.1.5', '10.244.2.5', '10.244.3.5'];
    expect(natRules(text(eps), SVC).slice(1)).toEqual([
      `-A ${SVC} -m comment --comment "default/web:p80 -> 10.244.1.5:80" -m statistic --mode random --probability 0.3333333333 -j ${sep('10.244.1.5:80')}`,
      `-A ${SVC} -m comment --comment "default/web:p80 -> 10.244.2.5:80" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.244.2.5:80')}`,
      `-A ${SVC} -m comment --comment "default/web:p80 -> 10.244.3.5:80" -j ${sep('10.244.3.5:80')}`,
    ]);
    expect(natRules(text(eps)).filter((r) => r.includes('DNAT'))).toHaveLength(3);
  });

  it('uses only ready endpoints, and falls back to serving terminating ones when none is ready', () => {
    const mixed = [
      { ip: '10.244.1.5' },
      { ip: '10.244.1.6', ready: false, serving: true, terminating: true },
      { ip: '10.244.1.7', ready: false, serving: false },
    ];
    const withReady = renderIptables(ruleSetOf([svc, proxySlice('default', 'web', mixed)])).text;
    expect(withReady).toContain('--to-destination 10.244.1.5:80');
    expect(withReady).not.toContain('--to-destination 10.244.1.6:80');
    const terminating = [mixed[1]!, mixed[2]!];
    const fallback = renderIptables(ruleSetOf([svc, proxySlice('default', 'web', terminating)])).text;
    expect(fallback).toContain('--to-destination 10.244.1.6:80');
    expect(fallback).not.toContain('10.244.1.7');
    const none = renderIptables(ruleSetOf([svc, proxySlice('default', 'web', [mixed[2]!])])).text;
    expect(none).toContain('"default/web:p80 has no endpoints"');
  });

  it('writes no masquerade rule without a cluster CIDR, and an unconditional one with masqueradeAll', () => {
    const objs = [svc, proxySlice('default', 'web', ['10.244.1.5'])];
    const noCidr = natRules(renderIptables(ruleSetOf(objs, 4, { clusterCidrs: [] })).text, SVC);
    expect(noCidr.some((r) => r.includes('KUBE-MARK-MASQ'))).toBe(false);
    const all = natRules(renderIptables(ruleSetOf(objs, 4, { masqueradeAll: true })).text, SVC);
    expect(all[0]).toBe(
      `-A ${SVC} -m comment --comment "default/web:p80 cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j KUBE-MARK-MASQ`,
    );
  });

  it("writes a real kube-proxy's mark by default: %#08x of 1<<14", () => {
    const t = renderIptables(ruleSetOf([svc], 4, { masqueradeMark: undefined })).text;
    expect(t).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000');
    expect(t).toContain('-m mark ! --mark 0x00004000/0x00004000 -j RETURN');
  });
});

describe('renderIptables: NodePort, traffic policies, affinity', () => {
  const nodePort = (spec: NonNullable<Parameters<typeof proxyService>[2]>['spec'] = {}) =>
    proxyService('default', 'np', {
      spec: {
        type: 'NodePort',
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30080 }],
        ...spec,
      },
    });
  const c = servicePortChains('default/np:p80', 'TCP');
  const sep = (ep: string) => endpointChain('default/np:p80', 'TCP', ep);

  it('NodePort: a KUBE-NODEPORTS jump (and its localhost twin counted by nfacct) to KUBE-EXT, which masquerades', () => {
    const t = renderIptables(ruleSetOf([nodePort(), proxySlice('default', 'np', ['10.244.1.5'])])).text;
    expect(natRules(t, 'KUBE-NODEPORTS')).toEqual([
      `-A KUBE-NODEPORTS -m comment --comment default/np:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 30080 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ${c.ext}`,
      `-A KUBE-NODEPORTS -m comment --comment default/np:p80 -m tcp -p tcp --dport 30080 -j ${c.ext}`,
    ]);
    expect(natRules(t, c.ext)).toEqual([
      `-A ${c.ext} -m comment --comment "masquerade traffic for default/np:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${c.ext} -j ${c.svc}`,
    ]);
    const plain = renderIptables(ruleSetOf([nodePort(), proxySlice('default', 'np', ['10.244.1.5'])]), {
      nfacct: false,
    }).text;
    expect(natRules(plain, 'KUBE-NODEPORTS')).toHaveLength(1);
  });

  it('NodePort without endpoints: REJECT on the node addresses in KUBE-EXTERNAL-SERVICES', () => {
    const t = renderIptables(ruleSetOf([nodePort()])).text;
    expect(t).toContain(
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/np:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    );
    expect(natRules(t, 'KUBE-NODEPORTS')).toEqual([]);
  });

  it('externalTrafficPolicy Local with a local endpoint: KUBE-EXT short-circuits, then KUBE-SVL', () => {
    const objs = [
      nodePort({ externalTrafficPolicy: 'Local' }),
      proxySlice('default', 'np', [
        { ip: '10.244.1.5', node: TEST_NODE },
        { ip: '10.244.2.5', node: 'node-2' },
      ]),
    ];
    const t = renderIptables(ruleSetOf(objs)).text;
    expect(natRules(t, c.ext)).toEqual([
      `-A ${c.ext} -m comment --comment "pod traffic for default/np:p80 external destinations" -s 10.0.0.0/8 -j ${c.svc}`,
      `-A ${c.ext} -m comment --comment "masquerade LOCAL traffic for default/np:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A ${c.ext} -m comment --comment "route LOCAL traffic for default/np:p80 external destinations" -m addrtype --src-type LOCAL -j ${c.svc}`,
      `-A ${c.ext} -j ${c.svl}`,
    ]);
    expect(natRules(t, c.svl)).toEqual([
      `-A ${c.svl} -m comment --comment "default/np:p80 -> 10.244.1.5:80" -j ${sep('10.244.1.5:80')}`,
    ]);
    // Both endpoints are reachable from this node: through KUBE-SVC for pods and the node itself.
    expect(natRules(t, c.svc)).toHaveLength(3);
  });

  it('externalTrafficPolicy Local without a local endpoint: no KUBE-SVL, external traffic dropped', () => {
    const objs = [
      nodePort({ externalTrafficPolicy: 'Local' }),
      proxySlice('default', 'np', [{ ip: '10.244.2.5', node: 'node-2' }]),
    ];
    const t = renderIptables(ruleSetOf(objs)).text;
    expect(t).not.toContain(c.svl);
    expect(natRules(t, c.ext).at(-1)).toContain('route LOCAL traffic');
    expect(t).toContain(
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/np:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP',
    );
  });

  it('internalTrafficPolicy Local: the cluster IP goes to KUBE-SVL; without a local endpoint it is dropped', () => {
    const svc = proxyService('default', 'itp', {
      spec: { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'], internalTrafficPolicy: 'Local' },
    });
    const d = servicePortChains('default/itp:p80', 'TCP');
    const local = renderIptables(
      ruleSetOf([
        svc,
        proxySlice('default', 'itp', [
          { ip: '10.244.1.5', node: TEST_NODE },
          { ip: '10.244.2.5', node: 'node-2' },
        ]),
      ]),
    ).text;
    expect(natRules(local, 'KUBE-SERVICES')[0]).toBe(
      `-A KUBE-SERVICES -m comment --comment "default/itp:p80 cluster IP" -m tcp -p tcp -d 10.96.0.30 --dport 80 -j ${d.svl}`,
    );
    expect(natRules(local, d.svl)[0]).toContain('! -s 10.0.0.0/8 -j KUBE-MARK-MASQ');
    expect(local).not.toContain(`:${d.svc} `);
    expect(local).not.toContain('10.244.2.5');
    const remote = renderIptables(
      ruleSetOf([svc, proxySlice('default', 'itp', [{ ip: '10.244.2.5', node: 'node-2' }])]),
    ).text;
    expect(remote).toContain(
      '-A KUBE-SERVICES -m comment --comment "default/itp:p80 has no local endpoints" -m tcp -p tcp -d 10.96.0.30 --dport 80 -j DROP',
    );
  });

  it('session affinity: recent checks before the balancing rules, --set on the DNAT', () => {
    const svc = proxyService('default', 'sticky', {
      spec: {
        clusterIP: '10.96.0.40',
        clusterIPs: ['10.96.0.40'],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      },
    });
    const d = servicePortChains('default/sticky:p80', 'TCP');
    const s = (ep: string) => endpointChain('default/sticky:p80', 'TCP', ep);
    const t = renderIptables(
      ruleSetOf([svc, proxySlice('default', 'sticky', ['10.244.1.5', '10.244.1.6'])]),
    ).text;
    expect(natRules(t, d.svc).slice(1)).toEqual([
      `-A ${d.svc} -m comment --comment "default/sticky:p80 -> 10.244.1.5:80" -m recent --name ${s('10.244.1.5:80')} --rcheck --seconds 600 --reap -j ${s('10.244.1.5:80')}`,
      `-A ${d.svc} -m comment --comment "default/sticky:p80 -> 10.244.1.6:80" -m recent --name ${s('10.244.1.6:80')} --rcheck --seconds 600 --reap -j ${s('10.244.1.6:80')}`,
      `-A ${d.svc} -m comment --comment "default/sticky:p80 -> 10.244.1.5:80" -m statistic --mode random --probability 0.5000000000 -j ${s('10.244.1.5:80')}`,
      `-A ${d.svc} -m comment --comment "default/sticky:p80 -> 10.244.1.6:80" -j ${s('10.244.1.6:80')}`,
    ]);
    expect(natRules(t, s('10.244.1.6:80'))).toEqual([
      `-A ${s('10.244.1.6:80')} -m comment --comment default/sticky:p80 -s 10.244.1.6 -j KUBE-MARK-MASQ`,
      `-A ${s('10.244.1.6:80')} -m comment --comment default/sticky:p80 -m recent --name ${s('10.244.1.6:80')} --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.6:80`,
    ]);
  });

  it('UDP and SCTP ports use their own match and chains', () => {
    const svc = proxyService('kube-system', 'kube-dns', {
      spec: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          { name: 'sig', port: 9000, protocol: 'SCTP' },
        ],
      },
    });
    const slice = {
      ...proxySlice('kube-system', 'kube-dns', ['10.244.1.9']),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' as const },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' as const },
        { name: 'sig', port: 9000, protocol: 'SCTP' as const },
      ],
    };
    const t = renderIptables(ruleSetOf([svc, slice])).text;
    const udp = servicePortChains('kube-system/kube-dns:dns', 'UDP').svc;
    expect(t).toContain(
      `-A KUBE-SERVICES -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp -p udp -d 10.96.0.10 --dport 53 -j ${udp}`,
    );
    expect(t).toContain('-m sctp -p sctp -d 10.96.0.10 --dport 9000');
    expect(t).toContain(
      `-A ${endpointChain('kube-system/kube-dns:dns', 'UDP', '10.244.1.9:53')} -m comment --comment kube-system/kube-dns:dns -m udp -p udp -j DNAT --to-destination 10.244.1.9:53`,
    );
  });

  it('leaves out headless and ExternalName services', () => {
    const headless = proxyService('default', 'h', { spec: { clusterIP: 'None', clusterIPs: ['None'] } });
    const ext = proxyService('default', 'e', {
      spec: { type: 'ExternalName', externalName: 'example.com', clusterIP: '', clusterIPs: [] },
    });
    const r = renderIptables(ruleSetOf([headless, proxySlice('default', 'h', ['10.244.1.5']), ext]));
    expect(r.text).not.toContain('default/h');
    expect(r.text).not.toContain('default/e');
  });
});

describe('renderIptables: IPv6 and dual-stack', () => {
  const svc = proxyService('default', 'ds', {
    spec: {
      clusterIP: '10.96.0.50',
      clusterIPs: ['10.96.0.50', 'fd00:10:96::50'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
    },
  });
  const objs = [
    svc,
    proxySlice('default', 'ds', ['10.244.1.5']),
    proxySlice('default', 'ds', ['fd00:10:244:1::5'], { family: 6 }),
  ];

  it('writes the IPv6 family for ip6tables-restore: its cluster IP, bracketed endpoints, no localhost rules', () => {
    const r = renderIptables(ruleSetOf(objs, 6));
    const c = servicePortChains('default/ds:p80', 'TCP');
    const sep = endpointChain('default/ds:p80', 'TCP', '[fd00:10:244:1::5]:80');
    expect(r.sections[0]!.tool).toBe('ip6tables-restore');
    expect(natRules(r.text)).toEqual([
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      `-A KUBE-SERVICES -m comment --comment "default/ds:p80 cluster IP" -m tcp -p tcp -d fd00:10:96::50 --dport 80 -j ${c.svc}`,
      `-A ${c.svc} -m comment --comment "default/ds:p80 cluster IP" -m tcp -p tcp -d fd00:10:96::50 --dport 80 ! -s fd00:10::/64 -j KUBE-MARK-MASQ`,
      `-A ${c.svc} -m comment --comment "default/ds:p80 -> [fd00:10:244:1::5]:80" -j ${sep}`,
      `-A ${sep} -m comment --comment default/ds:p80 -s fd00:10:244:1::5 -j KUBE-MARK-MASQ`,
      `-A ${sep} -m comment --comment default/ds:p80 -m tcp -p tcp -j DNAT --to-destination [fd00:10:244:1::5]:80`,
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS',
    ]);
    expect(r.text).not.toContain('KUBE-FIREWALL');
    expect(r.text).not.toContain('10.244.1.5');
  });

  it('writes the IPv4 family with the IPv4 slice only', () => {
    const t = renderIptables(ruleSetOf(objs, 4)).text;
    expect(t).toContain('--to-destination 10.244.1.5:80');
    expect(t).not.toContain('fd00');
  });
});

describe('renderIptables: LoadBalancer source ranges', () => {
  const lb = (ranges: string[]) =>
    proxyService('default', 'lb', {
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.60',
        clusterIPs: ['10.96.0.60'],
        ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 30060 }],
        loadBalancerSourceRanges: ranges,
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
    });
  const c = servicePortChains('default/lb:p80', 'TCP');

  it('lets the LB IP itself in when a range holds the node IP', () => {
    const t = renderIptables(
      ruleSetOf([lb(['192.168.0.0/24', '198.51.100.0/24']), proxySlice('default', 'lb', ['10.244.1.5'])]),
    ).text;
    expect(natRules(t, c.fw)).toEqual([
      `-A ${c.fw} -m comment --comment "default/lb:p80 loadbalancer IP" -s 192.168.0.0/24 -j ${c.ext}`,
      `-A ${c.fw} -m comment --comment "default/lb:p80 loadbalancer IP" -s 198.51.100.0/24 -j ${c.ext}`,
      `-A ${c.fw} -m comment --comment "default/lb:p80 loadbalancer IP" -s 203.0.113.7 -j ${c.ext}`,
      `-A ${c.fw} -m comment --comment "other traffic to default/lb:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
    ]);
    expect(t).toContain(
      `-A KUBE-PROXY-FIREWALL -m comment --comment "default/lb:p80 traffic not accepted by ${c.fw}" -m tcp -p tcp -d 203.0.113.7 --dport 80 -j DROP`,
    );
  });

  it('writes no firewall for 0.0.0.0/0, which allows everyone', () => {
    const t = renderIptables(
      ruleSetOf([lb(['0.0.0.0/0']), proxySlice('default', 'lb', ['10.244.1.5'])]),
    ).text;
    expect(t).not.toContain(c.fw);
    expect(t).toContain(
      `--comment "default/lb:p80 loadbalancer IP" -m tcp -p tcp -d 203.0.113.7 --dport 80 -j ${c.ext}`,
    );
  });

  it('skips LoadBalancer IPs with ipMode Proxy', () => {
    const svc = lb([]);
    const proxied = {
      ...svc,
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.7', ipMode: 'Proxy' }] } },
    };
    const t = renderIptables(ruleSetOf([proxied, proxySlice('default', 'lb', ['10.244.1.5'])])).text;
    expect(t).not.toContain('203.0.113.7');
  });
});

describe('renderIptables: options', () => {
  it('adds the jumps from the built-in chains in the order kube-proxy leaves them', () => {
    const t = renderIptables(ruleSetOf([]), { withJumps: true }).text;
    const filter = t.slice(0, t.indexOf('*nat'));
    const jumps = (chain: string, table: string) =>
      table
        .split('\n')
        .filter((l) => l.startsWith(`-A ${chain} `))
        .map((l) => l.split(' -j ')[1]);
    expect(jumps('INPUT', filter)).toEqual([
      'KUBE-FIREWALL',
      'KUBE-PROXY-FIREWALL',
      'KUBE-NODEPORTS',
      'KUBE-EXTERNAL-SERVICES',
    ]);
    expect(jumps('FORWARD', filter)).toEqual([
      'KUBE-PROXY-FIREWALL',
      'KUBE-FORWARD',
      'KUBE-SERVICES',
      'KUBE-EXTERNAL-SERVICES',
    ]);
    expect(jumps('OUTPUT', filter)).toEqual(['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES']);
    expect(t).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(t).toContain(
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    );
  });

  it('drops the endpoint rule comments past 1,000 endpoints (large cluster mode)', () => {
    const objects: KubeObject[] = [];
    const per = 10;
    const services = Math.floor(LARGE_CLUSTER_ENDPOINTS / per) + 1;
    for (let i = 0; i < services; i++) {
      objects.push(
        proxyService('big', `s${i}`, {
          spec: { clusterIP: `10.96.${i >> 8}.${i & 255}`, clusterIPs: [`10.96.${i >> 8}.${i & 255}`] },
        }),
      );
      objects.push(
        proxySlice(
          'big',
          `s${i}`,
          Array.from({ length: per }, (_, j) => `10.244.${i >> 4}.${(i & 15) * 16 + j}`),
        ),
      );
    }
    const t = renderIptables(ruleSetOf(objects)).text;
    const sep = endpointChain('big/s0:p80', 'TCP', '10.244.0.0:80');
    expect(natRules(t, sep)).toEqual([
      `-A ${sep} -s 10.244.0.0 -j KUBE-MARK-MASQ`,
      `-A ${sep} -m tcp -p tcp -j DNAT --to-destination 10.244.0.0:80`,
    ]);
    const svc = servicePortChains('big/s0:p80', 'TCP').svc;
    expect(natRules(t, svc)[1]).toBe(
      `-A ${svc} -m statistic --mode random --probability 0.1000000000 -j ${sep}`,
    );
    // Below the threshold the same rules keep their comments.
    const small = renderIptables(ruleSetOf(objects.slice(0, 2))).text;
    expect(natRules(small, sep)[0]).toBe(
      `-A ${sep} -m comment --comment big/s0:p80 -s 10.244.0.0 -j KUBE-MARK-MASQ`,
    );
  });
});
